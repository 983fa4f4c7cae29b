"""Training (or fine-tuning) the character GAN on a studio's own images. No Django imports.

`load_image_folder` checks a folder and gives a clear error for every way it can be unusable;
`train` runs DCGAN steps and reports losses, a fit measure and sample grids as it goes;
`progress_picture` draws those as one PNG a person can read (curves on the left, faces right).
"""

from __future__ import annotations

import io
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from generation.engines import gan

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
MIN_IMAGES = 16
MAX_IMAGES = 20_000
SIZE = gan.IMAGE_SIZE


class ImageFolderError(ValueError):
    """The images can't be trained on; the message says what to fix."""


def _image_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS and not any(part.startswith(".") for part in p.parts)
    )


def load_image_folder(folder: str | Path, *, min_images: int = MIN_IMAGES, max_images: int = MAX_IMAGES) -> np.ndarray:
    """All images of a folder as (N, 64, 64, 3) uint8, centre-cropped; ImageFolderError if unusable."""
    from PIL import Image, UnidentifiedImageError

    folder = Path(folder)
    if not folder.exists():
        raise ImageFolderError(f"The folder {folder} does not exist.")
    if not folder.is_dir():
        raise ImageFolderError(f"{folder} is a file, not a folder of images.")
    files = _image_files(folder)
    if not files:
        others = sum(1 for p in folder.rglob("*") if p.is_file())
        kinds = ", ".join(sorted(IMAGE_EXTENSIONS))
        raise ImageFolderError(
            f"The folder {folder.name} holds no images ({others} other file(s); looked for {kinds})."
        )
    if len(files) > max_images:
        raise ImageFolderError(f"The folder holds {len(files)} images; the limit is {max_images}.")
    unreadable: list[str] = []
    sizes: Counter[tuple[int, int]] = Counter()
    example: dict[tuple[int, int], str] = {}
    pictures = []
    for path in files:
        try:
            with Image.open(path) as image:
                image.load()
                picture = image.convert("RGB")
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            unreadable.append(path.name)
            continue
        sizes[picture.size] += 1
        example.setdefault(picture.size, path.name)
        pictures.append(_centre_square(picture))  # 64x64 at once: one full-size picture in memory at a time
    if unreadable:
        shown = ", ".join(unreadable[:5]) + (f" and {len(unreadable) - 5} more" if len(unreadable) > 5 else "")
        raise ImageFolderError(
            f"{len(unreadable)} file(s) could not be read as images: {shown}. Remove or replace them."
        )
    if len(sizes) > 1:
        listed = ", ".join(f"{w}x{h} ({n}, e.g. {example[(w, h)]})" for (w, h), n in sizes.most_common(4))
        raise ImageFolderError(
            f"The images are not all the same size: {listed}. Crop or resize them to one size first."
        )
    (width, height) = next(iter(sizes))
    if min(width, height) < SIZE:
        raise ImageFolderError(f"The images are {width}x{height}; they need to be at least {SIZE}x{SIZE} pixels.")
    if len(pictures) < min_images:
        raise ImageFolderError(f"Only {len(pictures)} image(s); training needs at least {min_images}.")
    return np.stack(pictures)


def _centre_square(picture: Any) -> np.ndarray:
    from PIL import Image

    width, height = picture.size
    side = min(width, height)
    box = ((width - side) // 2, (height - side) // 2, (width + side) // 2, (height + side) // 2)
    return np.asarray(picture.crop(box).resize((SIZE, SIZE), Image.Resampling.LANCZOS))


@dataclass
class TrainConfig:
    steps: int = 200
    batch_size: int = 32
    lr: float = 2e-4
    beta1: float = 0.5
    seed: int = 0
    init_state: dict[str, Any] | None = None  # a generator's weights to fine-tune from; None: from scratch
    nz: int = gan.NZ
    ngf: int = 64
    device: str | None = None
    preview_every: int = 20
    preview_count: int = 16


@dataclass
class TrainHistory:
    g_loss: list[float] = field(default_factory=list)
    d_loss: list[float] = field(default_factory=list)
    # Distance between the colour statistics of fixed samples and of the training images (lower: closer).
    fit: list[tuple[int, float]] = field(default_factory=list)


@dataclass
class TrainResult:
    generator_state: dict[str, Any]
    history: TrainHistory
    steps_done: int
    seconds: float
    samples: np.ndarray


def image_statistics(images: np.ndarray) -> np.ndarray:
    """Colour means and spreads per channel plus an 8x8 mean picture: a cheap summary of a set's look."""
    x = np.asarray(images, dtype=np.float32) / 255.0
    small = x.reshape(len(x), 8, SIZE // 8, 8, SIZE // 8, 3).mean(axis=(2, 4)).mean(axis=0)
    return np.concatenate([x.mean(axis=(0, 1, 2)), x.std(axis=(0, 1, 2)), small.ravel()])


def fit_distance(samples: np.ndarray, target: np.ndarray) -> float:
    return float(np.sqrt(np.mean((image_statistics(samples) - target) ** 2)))


def train(
    images: np.ndarray,
    config: TrainConfig,
    *,
    on_step: Callable[[int, TrainHistory], None] = lambda step, history: None,
    on_preview: Callable[[int, TrainHistory, np.ndarray], None] = lambda step, history, samples: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> TrainResult:
    """DCGAN training: Adam(2e-4, 0.5), BCE on logits, horizontal flips. Deterministic per seed on CPU."""
    import torch
    from torch import nn

    started = time.monotonic()
    device = gan.pick_device(config.device)
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    generator = gan.build_generator(nz=config.nz, ngf=config.ngf)
    if config.init_state is not None:
        generator.load_state_dict(config.init_state)
    else:
        generator.apply(_dcgan_init)
    discriminator = gan.build_discriminator()
    discriminator.apply(_dcgan_init)
    generator.to(device).train()
    discriminator.to(device).train()
    opt_g = torch.optim.Adam(generator.parameters(), lr=config.lr, betas=(config.beta1, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=config.lr, betas=(config.beta1, 0.999))
    loss_fn = nn.BCEWithLogitsLoss()
    data = torch.from_numpy(images).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)
    target_stats = image_statistics(images)
    fixed = torch.from_numpy(gan.latents_for(config.seed, config.preview_count, config.nz)).view(-1, config.nz, 1, 1)
    history = TrainHistory()
    batch = max(2, min(config.batch_size, len(images)))

    def samples() -> np.ndarray:
        generator.eval()
        with torch.inference_mode():
            out = generator(fixed.to(device)).float().clamp(-1, 1)
        generator.train()
        return ((out + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()  # type: ignore[no-any-return]

    first = samples()
    history.fit.append((0, fit_distance(first, target_stats)))
    on_preview(0, history, first)
    step = 0
    for step in range(1, config.steps + 1):
        if should_stop():
            step -= 1
            break
        index = torch.from_numpy(rng.choice(len(data), size=batch, replace=len(data) < batch))
        real = data[index]
        flip = torch.from_numpy(rng.random(batch) < 0.5)
        real = torch.where(flip.view(-1, 1, 1, 1), real.flip(3), real).to(device)
        z = torch.randn(batch, config.nz, 1, 1, device=device)
        fake = generator(z)
        # Discriminator: real -> 0.9 (one-sided label smoothing keeps it from overpowering G), fake -> 0.
        opt_d.zero_grad(set_to_none=True)
        d_real = discriminator(real).view(-1)
        d_fake = discriminator(fake.detach()).view(-1)
        loss_d = loss_fn(d_real, torch.full_like(d_real, 0.9)) + loss_fn(d_fake, torch.zeros_like(d_fake))
        loss_d.backward()
        opt_d.step()
        # Generator: make the discriminator call its faces real.
        opt_g.zero_grad(set_to_none=True)
        out = discriminator(fake).view(-1)
        loss_g = loss_fn(out, torch.ones_like(out))
        loss_g.backward()
        opt_g.step()
        history.d_loss.append(float(loss_d.detach()))
        history.g_loss.append(float(loss_g.detach()))
        on_step(step, history)
        if step % config.preview_every == 0 or step == config.steps:
            current = samples()
            history.fit.append((step, fit_distance(current, target_stats)))
            on_preview(step, history, current)
    generator.eval()
    state = {k: v.detach().cpu().clone() for k, v in generator.state_dict().items()}
    return TrainResult(
        generator_state=state,
        history=history,
        steps_done=step,
        seconds=time.monotonic() - started,
        samples=samples(),
    )


def _dcgan_init(module: Any) -> None:
    from torch import nn

    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def checkpoint_bytes(result: TrainResult, *, config: TrainConfig, images: int, init: str) -> bytes:
    """A checkpoint the GAN engine loads (`netG_state_dict`), with how it was made."""
    import torch

    buffer = io.BytesIO()
    torch.save(
        {
            "netG_state_dict": result.generator_state,
            "filmstudio": {
                "nz": config.nz,
                "ngf": config.ngf,
                "steps": result.steps_done,
                "images": images,
                "init": init,
                "seed": config.seed,
                "lr": config.lr,
                "batch_size": config.batch_size,
            },
        },
        buffer,
    )
    return buffer.getvalue()


def smoothed(values: list[float], window: int = 9) -> list[float]:
    out, total = [], 0.0
    for i, value in enumerate(values):
        total += value
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def progress_picture(history: TrainHistory, samples: np.ndarray, *, step: int, total: int) -> bytes:
    """Loss curves (G, D, smoothed), the fit measure and the current sample faces, as one PNG."""
    from PIL import Image, ImageDraw, ImageFont

    width, height, plot_w = 760, 300, 440
    picture = Image.new("RGB", (width, height), (250, 250, 248))
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=12)
    left, top, right, bottom = 46, 28, plot_w - 10, height - 34
    draw.text((left, 6), f"Training step {step} of {total}", fill=(20, 20, 20), font=font)
    draw.rectangle((left, top, right, bottom), outline=(160, 160, 160))
    series = [
        ("generator loss", smoothed(history.g_loss), (200, 60, 40)),
        ("discriminator loss", smoothed(history.d_loss), (40, 90, 200)),
    ]
    peak = max([max(s, default=0.0) for _, s, _ in series] + [1e-6])
    peak = math.ceil(peak * 2) / 2
    for i in range(5):
        value = peak * i / 4
        y = bottom - (bottom - top) * i / 4
        draw.line((left, y, right, y), fill=(225, 225, 225))
        draw.text((4, y - 7), f"{value:.1f}", fill=(90, 90, 90), font=font)
    span = max(total, 1)
    for label_step in (0, total // 2, total):
        x = left + (right - left) * label_step / span
        draw.text((x - 8, bottom + 4), str(label_step), fill=(90, 90, 90), font=font)
    draw.text(((left + right) // 2 - 12, bottom + 18), "step", fill=(90, 90, 90), font=font)
    for index, (label, values, colour) in enumerate(series):
        points = [
            (left + (right - left) * (i + 1) / span, bottom - (bottom - top) * min(v, peak) / peak)
            for i, v in enumerate(values)
        ]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        _legend(draw, (left + 8 + index * 150, top + 6), label, colour, font)
    if history.fit:
        fits = history.fit
        best = max(f for _, f in fits) or 1.0
        points = [(left + (right - left) * s / span, bottom - (bottom - top) * 0.9 * f / best) for s, f in fits]
        if len(points) > 1:
            draw.line(points, fill=(30, 140, 60), width=2)
        _legend(
            draw, (left + 8, top + 22), f"look distance to your images: {fits[-1][1]:.3f} (scaled)", (30, 140, 60), font
        )
    faces = samples[:16]
    columns = 4
    sheet = Image.fromarray(gan.grid(faces, columns=columns, pad=2, background=250))
    sheet = sheet.resize((264, sheet.height * 264 // sheet.width), Image.Resampling.LANCZOS)
    picture.paste(sheet, (plot_w + 30, (height - sheet.height) // 2 + 8))
    draw.text((plot_w + 30, 6), "Samples (same noise every time)", fill=(20, 20, 20), font=font)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _legend(draw: Any, at: tuple[float, float], label: str, colour: tuple[int, int, int], font: Any) -> None:
    x, y = at
    draw.line((x, y + 7, x + 16, y + 7), fill=colour, width=3)
    draw.text((x + 20, y), label, fill=colour, font=font)
