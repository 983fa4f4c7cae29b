"""Character design with the real DCGAN weights: loading, identity, variations, blends, jobs and the sheet."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from generation import registry
from generation.engines import face_attributes, face_badges, gan, gan_training
from generation.engines.base import JobFailed
from generation.models import GenerationJob, ModelEntry, ModelKind
from generation.paths import job_output_dir, project_media_root
from projects.characters import jobs as designing
from projects.characters import services as character_services
from projects.jobs import services as job_services
from projects.models import Character, Portrait, PortraitKind
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast
from tests.factories import CharacterFactory, PortraitFactory
from tests.stages import make_art, run_engine


@pytest.fixture(scope="module")
def faces_model() -> gan.FaceGenerator:
    return gan.load_generator(gan.default_spec(), device="cpu")


# --- the engine -------------------------------------------------------------------------------


def _neighbour_correlation(images: np.ndarray) -> float:
    x = images.astype(np.float64).mean(axis=3)
    a, b = x[:, :, :-1].ravel(), x[:, :, 1:].ravel()
    return float(np.corrcoef(a, b)[0, 1])


def test_the_real_weights_draw_faces_unlike_a_random_weight_generator(faces_model: gan.FaceGenerator) -> None:
    import torch

    latents = gan.latents_for(3, 64)
    real = faces_model.faces(latents)
    torch.manual_seed(0)
    untrained = gan.build_generator().eval()
    random_faces = gan.FaceGenerator(gan.default_spec(), untrained, "cpu").faces(latents)
    assert real.shape == random_faces.shape == (64, 64, 64, 3)
    # Photos: a wide tonal range within each picture, smooth neighbourhoods, faces that differ from each other.
    assert real.std(axis=(1, 2, 3)).mean() > 35 > random_faces.std(axis=(1, 2, 3)).mean()
    assert _neighbour_correlation(real) > 0.85
    assert real.mean(axis=0).std() < real.std()  # not one picture repeated
    assert np.abs(real.astype(int) - real[::-1].astype(int)).mean() > 20
    # The face sits in the middle: the centre is skin-bright compared with the frame's corners on average.
    centre = real[:, 24:40, 24:40].mean()
    assert abs(centre - random_faces[:, 24:40, 24:40].mean()) > 10


def test_weights_with_the_wrong_hash_are_refused(tmp_path: Path) -> None:
    copy = tmp_path / "weights.tar"
    shutil.copy(gan.default_weights_path(), copy)
    with open(copy, "r+b") as handle:
        handle.seek(5000)
        byte = handle.read(1)
        handle.seek(5000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    spec = gan.GanSpec(key="tampered", path=str(copy), sha256=gan.DEFAULT_SHA256)
    with pytest.raises(gan.GanLoadError, match="does not match its recorded hash"):
        gan.load_generator(spec)
    with pytest.raises(gan.GanLoadError, match="does not exist"):
        gan.load_generator(gan.GanSpec(key="gone", path=str(tmp_path / "nope.tar"), sha256=""))


def test_the_same_seed_gives_the_same_face(faces_model: gan.FaceGenerator) -> None:
    first = faces_model.faces(gan.latents_for(42, 16))
    again = faces_model.faces(gan.latents_for(42, 16))
    other = faces_model.faces(gan.latents_for(43, 16))
    assert np.array_equal(first, again)
    assert np.abs(first.astype(int) - other.astype(int)).mean() > 20
    # A candidate's latent depends on its seed and place only, not on how many were drawn with it.
    assert np.array_equal(gan.latents_for(42, 4), gan.latents_for(42, 16)[:4])
    assert np.array_equal(gan.png_bytes(first[0]), gan.png_bytes(again[0]))


def test_interpolation_ends_are_the_two_identities(faces_model: gan.FaceGenerator) -> None:
    a, b = gan.latent_for(1, 0), gan.latent_for(2, 5)
    strip = gan.interpolate(a, b, 8)
    assert np.array_equal(strip[0], a) and np.array_equal(strip[-1], b)
    faces = faces_model.faces(strip)
    assert np.array_equal(faces[0], faces_model.faces(a[None])[0])
    assert np.array_equal(faces[-1], faces_model.faces(b[None])[0])
    # Each step moves a little: neighbours are closer than the two ends.
    steps = [np.abs(faces[i].astype(int) - faces[i + 1].astype(int)).mean() for i in range(7)]
    assert max(steps) < np.abs(faces[0].astype(int) - faces[-1].astype(int)).mean()


def test_variation_strength_sets_how_far_a_face_moves(faces_model: gan.FaceGenerator) -> None:
    identity = gan.latent_for(9, 0)
    base = faces_model.faces(identity[None])[0].astype(int)

    def distance(strength: float) -> float:
        faces = faces_model.faces(gan.jitter(identity, strength=strength, seed=4, count=8))
        return float(np.abs(faces.astype(int) - base).mean())

    near, middle, far = distance(0.1), distance(0.4), distance(1.0)
    assert near < middle < far
    assert near < 8
    with pytest.raises(ValueError):
        gan.jitter(identity, strength=1.5, seed=0, count=1)


# --- image folders for training -----------------------------------------------------------------


def test_bad_image_folders_get_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(gan_training.ImageFolderError, match="does not exist"):
        gan_training.load_image_folder(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no pictures here")
    with pytest.raises(gan_training.ImageFolderError, match="holds no images"):
        gan_training.load_image_folder(empty)
    few = make_art(tmp_path / "few", count=5)
    with pytest.raises(gan_training.ImageFolderError, match="Only 5 image"):
        gan_training.load_image_folder(few)
    broken = make_art(tmp_path / "broken")
    (broken / "face03.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    with pytest.raises(gan_training.ImageFolderError, match=r"could not be read as images: face03\.png"):
        gan_training.load_image_folder(broken)
    mixed = make_art(tmp_path / "mixed")
    Image.new("RGB", (128, 96)).save(mixed / "wide.png")
    with pytest.raises(gan_training.ImageFolderError, match=r"not all the same size: 72x72 \(16.*128x96 \(1"):
        gan_training.load_image_folder(mixed)
    tiny = make_art(tmp_path / "tiny", size=32)
    with pytest.raises(gan_training.ImageFolderError, match="at least 64x64"):
        gan_training.load_image_folder(tiny)
    images = gan_training.load_image_folder(make_art(tmp_path / "good"))
    assert images.shape == (16, 64, 64, 3) and images.dtype == np.uint8


# --- jobs, run the way the worker runs them ------------------------------------------------------


@pytest.fixture
def edward(cast: Cast) -> Character:
    return CharacterFactory.create(
        project=cast.project, name="EDWARD", look="A pale man with blond hair, brightly lit.", in_script=True
    )


def test_a_steered_grid_records_sixteen_faces_with_their_matches(cast: Cast, edward: Character) -> None:
    job, result = run_engine(
        cast, "design_candidates", {"character": str(edward.public_id), "seed": 5}, designing.design_candidates
    )
    portraits = list(Portrait.objects.filter(job=job).order_by("index"))
    assert len(portraits) == 16
    assert all(p.kind == PortraitKind.CANDIDATE and len(p.latent) == 100 for p in portraits)
    assert result["wanted"] == {"skin": "light", "hair": "blond", "lighting": "bright"}
    root = project_media_root(cast.project.public_id)
    for p in portraits:
        with Image.open(root / p.image) as face:
            assert face.size == (64, 64)
    # Best first, and better than the pool: the grid's matched share beats what random picks give.
    scores = [p.score or 0.0 for p in portraits]
    assert scores == sorted(scores, reverse=True)
    pictures = np.stack([np.asarray(Image.open(root / p.image).convert("RGB")) for p in portraits])
    calls = face_attributes.measure(pictures)
    matched = sum(calls[i][k] == v for i in range(16) for k, v in result["wanted"].items()) / (16 * 3)
    assert matched > 0.6
    # Badges are only the sure calls: a blond call is never sure (its calls were often wrong by eye), so no
    # card ticks it (a ✗ only where the hair is surely something else, a cap); ✓ and ✗ follow the sure calls.
    sure = face_badges.sure_calls(face_attributes.measure_values(pictures))
    for i, p in enumerate(portraits):
        assert "hair: blond" not in p.matched
        for badge in p.matched:
            attribute, value = badge.split(": ")
            assert sure[i].get(attribute) == value
        for badge in p.missed:
            attribute, value = badge.split(": ")
            assert attribute in sure[i] and sure[i][attribute] != value
        assert len(p.fingerprint) == 128
    # Each face redraws exactly from its stored latent.
    model = gan.load_generator(gan.default_spec())
    again = model.faces(np.asarray([portraits[0].latent], dtype=np.float32))[0]
    with Image.open(root / portraits[0].image) as stored:
        assert np.abs(np.asarray(stored).astype(int) - again.astype(int)).max() <= 1


def test_choose_then_vary_blend_and_upscale(cast: Cast, edward: Character) -> None:
    job, _ = run_engine(
        cast,
        "design_candidates",
        {"character": str(edward.public_id), "seed": 1, "steer": "no"},
        designing.design_candidates,
    )
    pick = Portrait.objects.get(job=job, index=3)
    character_services.character_choose_identity(character=edward, portrait=pick)
    edward.refresh_from_db()
    assert edward.identity == pick

    var_job, _ = run_engine(
        cast,
        "design_variations",
        {"character": str(edward.public_id), "strength": 0.2, "count": 4, "seed": 2},
        designing.design_variations,
    )
    variations = list(Portrait.objects.filter(job=var_job).order_by("index"))
    assert [v.kind for v in variations] == [PortraitKind.VARIATION] * 4
    assert variations[0].parents["from"] == str(pick.public_id)

    sandra = CharacterFactory.create(project=cast.project, name="SANDRA")
    sandra_job, _ = run_engine(
        cast,
        "design_candidates",
        {"character": str(sandra.public_id), "seed": 8, "steer": "no"},
        designing.design_candidates,
    )
    character_services.character_choose_identity(
        character=sandra, portrait=Portrait.objects.get(job=sandra_job, index=0)
    )
    blend_job, _ = run_engine(
        cast,
        "design_blend",
        {"character": str(edward.public_id), "other": str(sandra.public_id), "steps": 5},
        designing.design_blend,
    )
    strip = list(Portrait.objects.filter(job=blend_job).order_by("index"))
    sandra.refresh_from_db()
    assert sandra.identity is not None
    assert strip[0].latent == pick.latent and strip[-1].latent == sandra.identity.latent
    assert [s.parents["t"] for s in strip] == [0.0, 0.25, 0.5, 0.75, 1.0]

    character_services.character_choose_identity(character=edward, portrait=variations[1])
    run_engine(
        cast,
        "upscale_portrait",
        {"character": str(edward.public_id), "portrait": str(variations[1].public_id)},
        designing.upscale_portrait,
    )
    variations[1].refresh_from_db()
    with Image.open(project_media_root(cast.project.public_id) / variations[1].upscaled) as big:
        assert big.size == (256, 256)
    edward.refresh_from_db()
    from projects.characters.selectors import character_identity_image, identity_history

    assert character_identity_image(edward) == project_media_root(cast.project.public_id) / variations[1].upscaled
    # Undo: the earlier face is in the history and can be chosen again.
    assert list(identity_history(character=edward)) == [variations[1], pick]


def test_design_jobs_refuse_impossible_requests(cast: Cast, edward: Character) -> None:
    from django.core.exceptions import ValidationError

    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    stranger = CharacterFactory.create(name="ELSEWHERE")  # another project's character
    bad = [
        ("design_candidates", {"character": str(stranger.public_id)}, "No such character in this project"),
        ("design_candidates", {"character": str(edward.public_id), "count": 8}, "greater than or equal to 16"),
        ("design_candidates", {"character": str(edward.public_id), "count": 32, "pool": 20}, "at least as many"),
        ("design_variations", {"character": str(edward.public_id)}, "Choose a face for this character first"),
        ("design_variations", {"character": str(edward.public_id), "strength": 3}, "less than or equal to 1"),
        ("design_blend", {"character": str(edward.public_id), "other": str(edward.public_id)}, "another character"),
    ]
    for kind, params, message in bad:
        with pytest.raises(ValidationError, match=message):
            job_services.job_start(access=access, kind=kind, params=params)
    assert not GenerationJob.objects.exists()


def test_a_sheet_saved_by_two_people_keeps_both_texts(cast: Cast, edward: Character) -> None:
    editor, owner = Client(), Client()
    editor.force_login(cast.editor)
    owner.force_login(cast.owner)
    url = reverse(
        "projects:character-edit", kwargs={"project_id": cast.project.public_id, "character_id": edward.public_id}
    )
    version = edward.version
    first = editor.post(url, {"version": version, "look": "Grey hair, weathered hands."})
    assert first.status_code == 302
    second = owner.post(url, {"version": version, "look": "Young, with red hair."})
    assert second.status_code == 409
    assert "Someone else saved this sheet" in second.content.decode()
    assert "Young, with red hair." in second.content.decode()  # the second person's text is still in the form
    edward.refresh_from_db()
    assert edward.look == "Grey hair, weathered hands."


def test_the_sheet_starts_a_bio_run_for_its_character_only(cast: Cast, edward: Character) -> None:
    sheet = reverse(
        "projects:character", kwargs={"project_id": cast.project.public_id, "character_id": edward.public_id}
    )
    viewer, editor = Client(), Client()
    viewer.force_login(cast.viewer)
    editor.force_login(cast.editor)
    assert 'id="bio-form"' not in viewer.get(sheet).content.decode()
    html = editor.get(sheet).content.decode()
    form = html[html.index('id="bio-form"') : html.index("</form>", html.index('id="bio-form"'))]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    assert fields["kind"] == "character_bios" and fields["characters"] == "EDWARD"
    create = reverse("jobs:create", kwargs={"project_id": cast.project.public_id})
    assert editor.post(create, fields).status_code in (200, 302)
    job = GenerationJob.objects.get(kind="character_bios")
    assert job.params["characters"] == ["EDWARD"]


def test_a_generated_bio_fills_empty_fields_and_offers_the_rest_beside_a_persons_text(
    cast: Cast, edward: Character
) -> None:
    from projects.script import services as script_services

    mine = "A pale man with blond hair, brightly lit."  # the look a person wrote; it steers the faces
    edward.personality, edward.wants = "Restless storyteller.", "To be remembered."
    edward.save()
    bio = {
        "look": "A tall man in a tan suit.",
        "personality": "Charming, evasive.",
        "wants": "To be remembered.",
        "needs": "To be forgiven.",
    }
    saved = script_services.character_bio_save(
        project=cast.project, name="EDWARD", bio=bio, provenance={"model": "m", "seed": 1}
    )
    assert saved == {"written": ["needs"], "suggested": ["look", "personality"]}
    edward.refresh_from_db()
    # Nothing a person wrote is overwritten: the empty field is filled, the others get a suggestion beside them.
    assert edward.look == mine and edward.personality == "Restless storyteller."
    assert edward.wants == "To be remembered." and edward.needs == "To be forgiven."
    client = Client()
    client.force_login(cast.editor)
    ids = {"project_id": cast.project.public_id, "character_id": edward.public_id}
    page = client.get(reverse("projects:character", kwargs=ids)).content.decode()
    assert "A tall man in a tan suit." in page and "Charming, evasive." in page
    assert page.count(">Use suggestion</button>") == 2 and 'id="bio-suggestion-form"' in page
    # The person takes the personality, dismisses the look, and edits the filled-in need by hand.
    suggestion = reverse("projects:character-bio-suggestion", kwargs=ids)
    response = client.post(suggestion, {"use": "personality"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "EDWARD's personality is now the suggestion (Undo the bio puts your text back)."
    ]
    response = client.post(suggestion, {"dismiss": "look"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Dismissed the suggestion for EDWARD's look."]
    edward.refresh_from_db()
    assert edward.personality == "Charming, evasive." and edward.look == mine
    assert "suggested" not in edward.bio_provenance
    edward.needs = "To be forgiven, by his son."
    edward.save()
    response = client.post(reverse("projects:character-bio-undo", kwargs=ids), follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Put back EDWARD's text from before the bio: personality."], said
    edward.refresh_from_db()
    assert edward.personality == "Restless storyteller."  # the person's text is back
    assert edward.needs == "To be forgiven, by his son."  # the later hand edit is kept
    assert edward.look == mine
    again = client.post(reverse("projects:character-bio-undo", kwargs=ids), follow=True)
    assert [str(m) for m in again.context["messages"]] == ["There is no generated bio to undo on this sheet."]


@pytest.mark.django_db(transaction=True)
def test_a_hand_written_look_survives_a_character_bios_run(cast: Cast) -> None:
    """The "Character bios" job, run as the worker runs it on a real script: the look a person wrote stays."""
    from projects.models import RevisionSource
    from projects.script import jobs as script_jobs
    from projects.script.services import script_replace_text
    from tests.fake_llm import fake_llm

    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    script_replace_text(
        access=access,
        text="INT. DINER - NIGHT\n\nEdward waits.\n\nEDWARD\nYou're late.\n\nWILL\nI'm always late.\n",
        source=RevisionSource.IMPORT,
    )
    edward = Character.objects.get(project=cast.project, name="EDWARD")
    look = "Red hair, a dark background; a scar over one eye."
    edward.look = look
    edward.save()
    with fake_llm() as server:
        entry = ModelEntry.objects.create(
            name="Fake screenwriter",
            kind=ModelKind.TEXT,
            backend="openai",
            location=server.url,
            model_name="fake",
            source="tests/fake_llm.py",
            license="test only",
        )
        _, result = run_engine(
            cast,
            "character_bios",
            {"characters": "EDWARD, WILL", "seed": 2, "model": str(entry.public_id)},
            script_jobs.character_bios,
        )
    edward.refresh_from_db()
    will = Character.objects.get(project=cast.project, name="WILL")
    assert result["bios"]["EDWARD"]["look"] and result["bios"]["EDWARD"]["look"] != look
    assert edward.look == look  # kept, word for word
    assert edward.bio_provenance["suggested"]["look"] == result["bios"]["EDWARD"]["look"]
    assert edward.personality == result["bios"]["EDWARD"]["personality"]  # empty fields are filled
    assert will.look == result["bios"]["WILL"]["look"] and "suggested" not in will.bio_provenance


def test_bio_undo_survives_a_second_run_and_a_sheet_save(cast: Cast, edward: Character) -> None:
    """Undo goes back to what the person wrote, not to an earlier generated bio, even after the sheet was saved."""
    from projects.characters.parts import sheet_partials_html
    from projects.script import services as script_services

    mine = "A pale man with blond hair, brightly lit."
    provenance = {"model": "m", "seed": 1}
    first = {"look": "Tall.\nA tan suit.", "personality": "Charming."}
    script_services.character_bio_save(project=cast.project, name="EDWARD", bio=first, provenance=provenance)
    second = {"look": "Tall, greying.\nA tan suit.", "personality": "Charming."}
    script_services.character_bio_save(project=cast.project, name="EDWARD", bio=second, provenance=provenance)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.editor)
    ids = {"project_id": cast.project.public_id, "character_id": edward.public_id}
    page = client.get(reverse("projects:character", kwargs=ids)).content.decode()
    token = re.search(
        r'id="bio-undo-form" hidden><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page
    )
    assert token, "the undo form carries its CSRF token"
    # The live sheet (re-rendered over the socket, without a request) only points at that form.
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    edward.refresh_from_db()
    live = sheet_partials_html(access, edward)
    assert 'form="bio-undo-form"' in live and 'id="bio-undo-form"' not in live
    assert edward.look == mine and edward.bio_provenance["suggested"] == {"look": second["look"]}
    assert 'form="bio-suggestion-form"' in live and "Tall, greying." in live
    # Someone saves the sheet from a browser (CRLF newlines) changing only the notes.
    edit = reverse("projects:character-edit", kwargs=ids)
    fields = {key: getattr(edward, key).replace("\n", "\r\n") for key in ("look", "personality", "wants", "needs")}
    data = {**fields, "version": edward.version, "notes": "Check the hat.", "csrfmiddlewaretoken": token[1]}
    assert client.post(edit, data).status_code == 302
    assert (
        client.post(reverse("projects:character-bio-undo", kwargs=ids), {"csrfmiddlewaretoken": token[1]}).status_code
        == 302
    )
    edward.refresh_from_db()
    assert edward.look == mine and edward.personality == "" and edward.notes == "Check the hat."


@pytest.mark.heavy
def test_a_training_job_on_a_tiny_folder_lowers_its_loss_and_registers_a_checkpoint(cast: Cast, tmp_path: Path) -> None:
    from projects.characters import training

    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    art = make_art(tmp_path / "art")
    uploads = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="image/png") for p in sorted(art.iterdir())]
    dataset = training.training_set_save(access=access, files=uploads)
    job, result = run_engine(
        cast,
        "train_character_gan",
        {
            "dataset": dataset.name,
            "name": "Our cartoon faces",
            "license_note": "Drawn by the test suite",
            "steps": 16,
            "batch_size": 8,
            "seed": 3,
        },
        designing.train_character_gan,
    )
    history = result["history"]
    assert len(history["d_loss"]) == 16
    assert np.mean(history["d_loss"][-4:]) < np.mean(history["d_loss"][:4])
    assert history["fit"][-1][1] < history["fit"][0][1]  # its samples moved towards the studio's look
    entry = ModelEntry.objects.get(public_id=result["model"])
    assert entry.kind == ModelKind.GAN and entry.project == cast.project and entry.trained_by_job == job
    assert entry.license_note == "Drawn by the test suite" and "16 image(s)" in entry.source
    # Fine-tuned from the default, it keeps the default's terms (DigiFace-1M: non-commercial research only).
    assert "Fine-tuned from DCGAN faces (embedded)" in entry.license and "non-commercial" in entry.license
    assert registry.model_credit(entry).non_commercial
    # The registered checkpoint loads through the same hash-checked path and draws 64x64 pictures.
    model = gan.load_generator(registry.gan_spec(entry))
    assert model.faces(gan.latents_for(0, 2)).shape == (2, 64, 64, 3)
    assert (job_output_dir(cast.project.public_id, job.public_id) / "progress.png").is_file()
    # Only this team sees it.
    assert entry in registry.model_list_for_project(kind=ModelKind.GAN, project=cast.project)
    other = CharacterFactory.create().project
    assert entry not in registry.model_list_for_project(kind=ModelKind.GAN, project=other)


def test_uploads_that_cannot_be_trained_on_are_refused_and_leave_nothing(cast: Cast, tmp_path: Path) -> None:
    import zipfile

    from django.core.exceptions import ValidationError

    from projects.characters import training

    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    art = make_art(tmp_path / "art", count=4)
    few = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(art.iterdir())]
    with pytest.raises(ValidationError, match="Only 4 image"):
        training.training_set_save(access=access, files=few)
    with pytest.raises(ValidationError, match="not an image file"):
        training.training_set_save(access=access, files=[SimpleUploadedFile("script.pdf", b"%PDF")])
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../../escape.png", b"x")
    with pytest.raises(ValidationError, match="outside its folder"):
        training.training_set_save(access=access, files=[SimpleUploadedFile("art.zip", evil.getvalue())])
    with pytest.raises(ValidationError, match="not a readable zip"):
        training.training_set_save(access=access, files=[SimpleUploadedFile("art.zip", b"PK nope")])
    folder = project_media_root(cast.project.public_id) / "training"
    assert not folder.exists() or not any(folder.iterdir())
    # A zip of good images is fine.
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as archive:
        for p in make_art(tmp_path / "more").iterdir():
            archive.write(p, f"set/{p.name}")
        archive.writestr("README.txt", "our art")
    saved = training.training_set_save(access=access, files=[SimpleUploadedFile("art.zip", good.getvalue())])
    assert saved.count == 16


def test_the_default_gan_model_card_says_digiface_is_non_commercial(cast: Cast, edward: Character) -> None:
    entry = registry.model_get(kind=ModelKind.GAN)
    assert entry.sha256 == gan.DEFAULT_SHA256
    client = Client()
    client.force_login(cast.editor)  # who chooses a model when drawing faces
    for url in (
        reverse("projects:character", kwargs={"project_id": cast.project.public_id, "character_id": edward.public_id}),
        reverse("jobs:models", kwargs={"project_id": cast.project.public_id}),
    ):
        page = client.get(url).content.decode()
        assert "DigiFace-1M" in page and "non-commercial research" in page


def test_portrait_files_are_for_members_only(cast: Cast, edward: Character) -> None:
    job, _ = run_engine(
        cast,
        "design_candidates",
        {"character": str(edward.public_id), "seed": 1, "steer": "no"},
        designing.design_candidates,
    )
    portrait = Portrait.objects.filter(job=job).first()
    assert portrait is not None
    url = reverse("projects:media", kwargs={"project_id": cast.project.public_id, "relative": portrait.image})
    for user, status in ((cast.viewer, 200), (cast.stranger, 404)):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "image/png"
    # Choosing a face is an editor's act.
    client = Client()
    client.force_login(cast.viewer)
    choose = reverse(
        "projects:character-choose", kwargs={"project_id": cast.project.public_id, "character_id": edward.public_id}
    )
    assert client.post(choose, {"portrait": str(portrait.public_id)}).status_code == 403
    edward.refresh_from_db()
    assert edward.identity is None


def test_a_missing_model_file_fails_the_job_with_a_clear_message(cast: Cast, edward: Character) -> None:
    entry = registry.model_get(kind=ModelKind.GAN)
    ModelEntry.objects.filter(pk=entry.pk).update(is_default=False)
    broken = ModelEntry.objects.create(
        name="Lost faces",
        kind=ModelKind.GAN,
        backend="checkpoint",
        location="/nowhere/generator.pt",
        source="test",
        license="test",
        is_default=True,
    )
    with pytest.raises(JobFailed, match="does not exist on the worker"):
        run_engine(
            cast,
            "design_candidates",
            {"character": str(edward.public_id), "model": str(broken.public_id)},
            designing.design_candidates,
        )


def test_another_teams_face_model_cannot_be_chosen(cast: Cast, edward: Character) -> None:
    from django.core.exceptions import ValidationError

    theirs = ModelEntry.objects.create(
        name="Their private faces",
        kind=ModelKind.GAN,
        backend="checkpoint",
        location="/elsewhere/generator.pt",
        source="another studio",
        license="theirs",
        project=CharacterFactory.create().project,
    )
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    with pytest.raises(ValidationError, match="not available to this project"):
        job_services.job_start(
            access=access,
            kind="design_candidates",
            params={"character": str(edward.public_id), "model": str(theirs.public_id)},
        )
    with pytest.raises(ValidationError, match="not available to this project"):
        registry.model_get(kind=ModelKind.GAN, public_id=theirs.public_id, project=cast.project)


def test_the_voice_is_chosen_on_the_sheet(cast: Cast, edward: Character) -> None:
    editor, viewer = Client(), Client()
    editor.force_login(cast.editor)
    viewer.force_login(cast.viewer)
    kwargs = {"project_id": cast.project.public_id, "character_id": edward.public_id}
    page = viewer.get(reverse("projects:character", kwargs=kwargs)).content.decode()
    assert "Automatic:" in page
    url = reverse("projects:character-edit", kwargs=kwargs)
    assert editor.post(url, {"version": edward.version, "voice": "joe-deep"}).status_code == 302
    edward.refresh_from_db()
    assert edward.voice == "joe-deep"
    assert (
        "Joe, deep and slow (Piper, neural)"
        in viewer.get(reverse("projects:character", kwargs=kwargs)).content.decode()
    )
    assert editor.post(url, {"version": edward.version, "voice": "a robot"}).status_code != 302
    edward.refresh_from_db()
    assert edward.voice == "joe-deep"


# --- faces people can tell apart ---------------------------------------------------------------------


def _portrait_of(character: Character, face: np.ndarray) -> Portrait:
    """A portrait row whose picture is a real GAN face (its fingerprint is left to be measured)."""
    portrait = PortraitFactory.create(character=character)
    Image.fromarray(face).save(project_media_root(character.project.public_id) / portrait.image)
    return portrait


def test_a_main_character_cannot_take_a_face_another_main_character_has(
    cast: Cast, faces_model: gan.FaceGenerator
) -> None:
    from generation.engines import face_identity

    anna = CharacterFactory.create(project=cast.project, name="ANNA", dialogue_lines=12)
    ben = CharacterFactory.create(project=cast.project, name="BEN", dialogue_lines=4)
    crowd = CharacterFactory.create(project=cast.project, name="CROWD", dialogue_lines=0)
    z = gan.latent_for(21, 0)
    annas = _portrait_of(anna, faces_model.faces(z[None])[0])
    character_services.character_choose_identity(character=anna, portrait=annas)
    # Ben's candidate is Anna's face at variation strength 0.1: the same person.
    twin = _portrait_of(ben, faces_model.faces(gan.jitter(z, strength=0.1, seed=3, count=1))[0])
    with pytest.raises(ValidationError, match=r"This face looks like ANNA's: their fingerprints are 0\.\d\d apart"):
        character_services.character_choose_identity(character=ben, portrait=twin)
    twin.refresh_from_db()
    annas.refresh_from_db()
    assert len(twin.fingerprint) == 128 and len(annas.fingerprint) == 128  # measured once, kept
    assert face_identity.distance(twin.fingerprint, annas.fingerprint) < face_identity.SAME_PERSON
    # A face nobody else has is fine.
    pool = faces_model.faces(gan.latents_for(22, 8))
    gaps = face_identity.distances(face_identity.load_fingerprinter().fingerprints(pool), annas.fingerprint)[:, 0]
    own = _portrait_of(ben, pool[int(gaps.argmax())])
    character_services.character_choose_identity(character=ben, portrait=own)
    ben.refresh_from_db()
    assert ben.identity == own
    # Twins on purpose: "Choose anyway". Extras without lines are not checked at all.
    character_services.character_choose_identity(character=ben, portrait=twin, allow_lookalike=True)
    extra = _portrait_of(crowd, faces_model.faces(z[None])[0])
    character_services.character_choose_identity(character=crowd, portrait=extra)


def test_the_sheet_refuses_a_lookalike_with_a_reason_and_lets_twins_through(
    cast: Cast, faces_model: gan.FaceGenerator
) -> None:
    anna = CharacterFactory.create(project=cast.project, name="ANNA", dialogue_lines=12)
    ben = CharacterFactory.create(project=cast.project, name="BEN", dialogue_lines=4)
    face = faces_model.faces(gan.latent_for(21, 0)[None])[0]
    character_services.character_choose_identity(character=anna, portrait=_portrait_of(anna, face))
    twin = _portrait_of(ben, face)
    client = Client()
    client.force_login(cast.editor)
    url = reverse(
        "projects:character-choose", kwargs={"project_id": cast.project.public_id, "character_id": ben.public_id}
    )
    said = [str(m) for m in client.post(url, {"portrait": twin.public_id}, follow=True).context["messages"]]
    assert len(said) == 1 and said[0].startswith("This face looks like ANNA's") and "Choose anyway" in said[0]
    ben.refresh_from_db()
    assert ben.identity is None
    response = client.post(url, {"portrait": twin.public_id, "lookalike": "ok"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    ben.refresh_from_db()
    assert ben.identity == twin


def test_variations_record_how_far_each_face_is_from_the_identity(cast: Cast, edward: Character) -> None:
    job, _ = run_engine(
        cast,
        "design_candidates",
        {"character": str(edward.public_id), "seed": 1, "steer": "no"},
        designing.design_candidates,
    )
    character_services.character_choose_identity(character=edward, portrait=Portrait.objects.get(job=job, index=0))
    var_job, result = run_engine(
        cast,
        "design_variations",
        {"character": str(edward.public_id), "strength": 0.1, "count": 4, "seed": 2},
        designing.design_variations,
    )
    variations = list(Portrait.objects.filter(job=var_job))
    assert all(v.parents["same_person"] and v.parents["distance"] < 0.6 for v in variations)
    assert dict(result["summary"])["Same person"].startswith("4 of 4")
    html = Client()
    html.force_login(cast.viewer)
    page = html.get(
        reverse("projects:character", kwargs={"project_id": cast.project.public_id, "character_id": edward.public_id})
    ).content.decode()
    assert page.count("same person ·") == 4
