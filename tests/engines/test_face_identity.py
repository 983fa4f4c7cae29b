"""Face fingerprints with dlib's real models, and the badges measured against faces labelled by eye."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.engines import face_attributes as fa
from generation.engines import face_badges, face_identity, gan

FACES = Path(__file__).resolve().parents[1] / "data" / "faces"


@pytest.fixture(scope="module")
def faces_model() -> gan.FaceGenerator:
    return gan.load_generator(gan.default_spec(), device="cpu")


@pytest.fixture(scope="module")
def fingerprinter() -> face_identity.Fingerprinter:
    return face_identity.load_fingerprinter()


def labelled(part: str) -> tuple[np.ndarray, list[dict[str, object]]]:
    """The faces labelled by eye of one set: "calibration" (seed 4) or "test" (seed 3)."""
    faces = [f for f in json.loads((FACES / "labels.json").read_text())["faces"] if f["set"] == part]
    images = np.stack([np.asarray(Image.open(FACES / face["file"]).convert("RGB")) for face in faces])
    return images, faces


def test_fingerprints_are_128_numbers_the_same_every_time(
    faces_model: gan.FaceGenerator, fingerprinter: face_identity.Fingerprinter
) -> None:
    faces = faces_model.faces(gan.latents_for(4, 6))
    first = fingerprinter.fingerprints(faces)
    assert first.shape == (6, 128) and first.dtype == np.float32 and np.isfinite(first).all()
    assert np.array_equal(first, fingerprinter.fingerprints(faces.copy()))
    # The 256-px upscale of a face is the same person as its 64-px original.
    big = np.asarray(Image.fromarray(faces[0]).resize((256, 256), Image.Resampling.LANCZOS))
    assert face_identity.distance(fingerprinter.fingerprint(big), first[0]) < 0.3
    assert fingerprinter.fingerprints(np.zeros((0, 64, 64, 3), np.uint8)).shape == (0, 128)


def test_a_light_variation_is_the_same_person_and_other_faces_mostly_are_not(
    faces_model: gan.FaceGenerator, fingerprinter: face_identity.Fingerprinter
) -> None:
    identities = gan.latents_for(31, 10)
    source = fingerprinter.fingerprints(faces_model.faces(identities))
    same = []
    for i, z in enumerate(identities):
        near = fingerprinter.fingerprints(faces_model.faces(gan.jitter(z, strength=0.2, seed=500 + i, count=2)))
        same += list(face_identity.distances(near, source[i])[:, 0] < face_identity.SAME_PERSON)
    assert sum(same) >= 19, same  # bench/face_identity.py: 99% over 150 variations at 0.2
    apart = face_identity.distances(source, source)[np.triu_indices(10, 1)]
    assert (apart >= face_identity.SAME_PERSON).mean() >= 0.6  # the bench: ~83% of random pairs are distinct


def test_lookalikes_names_the_closest_face_under_the_threshold() -> None:
    a = np.zeros(128, np.float32)
    b = a.copy()
    b[0] = 0.4
    c = a.copy()
    c[0] = 0.9
    assert face_identity.lookalikes(a, {"BEN": b, "CARL": c, "DORA": a + 0.01}) == [("DORA", 0.113), ("BEN", 0.4)]
    assert face_identity.lookalikes(a, {}) == []
    assert face_identity.same_person(a, b) and not face_identity.same_person(a, c)


def test_a_replaced_model_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.dat"
    fake.write_bytes(b"not dlib")
    with pytest.raises(face_identity.FaceIdentityError, match="does not match its recorded hash"):
        face_identity._checked(fake, face_identity.SHA256[face_identity.DESCRIPTOR_FILE])
    with pytest.raises(face_identity.FaceIdentityError, match="does not exist"):
        face_identity._checked(tmp_path / "missing.dat", "0")


# --- badges against eye labels ---------------------------------------------------------------------


def test_badges_are_right_at_least_nine_times_in_ten_on_faces_labelled_by_eye() -> None:
    images, eye = labelled("test")
    assert len(images) >= 64
    values = fa.measure_values(images)
    found = face_badges.precision(values, eye)
    print(
        f"\nbadge precision on {len(images)} faces labelled by eye (held out): {found['precision']:.1%} of "
        f"{found['shown']} sure calls (coverage {found['coverage']:.0%} of {found['labelled']} labels); "
        f"✗ badges {found['cross_precision']:.1%}"
    )
    assert found["precision"] >= 0.9 and found["cross_precision"] >= 0.9
    assert found["coverage"] >= 0.3
    # Without the margins (every call badged) the classifier is right far less often.
    every = {a: dict.fromkeys(fa.ATTRIBUTES[a], -9.0) for a in face_badges.LABELLED}
    assert face_badges.precision(values, eye, sure=every)["precision"] < 0.75
    # The margins in face_badges.SURE are what calibrating on the other labelled faces gives.
    calibration, calibration_eye = labelled("calibration")
    assert face_badges.calibrate(fa.measure_values(calibration), calibration_eye) == face_badges.SURE


def test_a_card_says_not_sure_rather_than_guess() -> None:
    sure = {"skin": "light", "hair": "other"}
    badges = face_badges.badges(sure, {"hair": "red", "skin": "light", "facial_hair": "beard"})
    assert badges == face_badges.Badges(matched=["skin: light"], missed=["hair: red"], unsure=["facial_hair: beard"])


# --- looks that steering can't measure --------------------------------------------------------------


def test_a_look_reports_the_phrases_it_does_not_steer() -> None:
    reading = fa.read_look("Tall, with a scar on his cheek and a dark background; blue background.")
    assert reading.wanted == {"background": "dark"}
    # The second background is not steered either: the first mention of an attribute wins.
    assert reading.unsteered == ["tall", "scar on his cheek", "blue background"]
    reading = fa.read_look("A redhead in a leather jacket against a blue background, brightly lit.")
    assert reading.wanted == {"hair": "red", "background": "blue", "lighting": "bright"}
    assert reading.unsteered == ["leather jacket"]
    assert fa.read_look("A pale man with blond hair, brightly lit.").unsteered == []
    assert fa.parse_description("Dark background.") == {"background": "dark"}
    assert fa.parse_description("A bright white background") == {"background": "light"}
