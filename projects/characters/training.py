"""Writes for training on a team's own art: storing an upload of images as a training set.

Files (or zips of them) land in one folder per upload under the project's media. Zips are read
member by member: no paths that leave the folder, no links, bounded count and size. Pictures are
bounded by pixels too, read from their headers before any is decoded (a tiny PNG can unpack to
gigabytes). The folder is then checked the way training reads it, so a bad set gets its clear error
before anything queues.
"""

from __future__ import annotations

import shutil
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError

from generation.engines.gan_training import IMAGE_EXTENSIONS, ImageFolderError, load_image_folder
from projects.media import training_set_dir
from projects.teams.selectors import ProjectAccess

MAX_FILES = 5000
MAX_BYTES = 500 * 1024 * 1024
MAX_SIDE = 2048  # training looks at 64x64 crops
MAX_TOTAL_PIXELS = 400_000_000  # e.g. 5000 pictures of 256x256


@dataclass(frozen=True)
class TrainingSet:
    name: str
    path: Path
    count: int


def _safe_name(name: str) -> str | None:
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or not pure.name or pure.name.startswith("."):
        return None
    if pure.suffix.lower() not in IMAGE_EXTENSIONS:
        return None
    return "_".join(pure.parts)[-180:]


def training_set_save(*, access: ProjectAccess, files: list[Any]) -> TrainingSet:
    """Save uploaded images (and the images inside uploaded zips) as a new training set, checked."""
    if not files:
        raise ValidationError("Choose some images (or a zip of them) to train on.")
    name = str(uuid.uuid4())
    folder = training_set_dir(access.project.public_id, name)
    folder.mkdir(parents=True)
    total = count = 0
    try:
        for upload in files:
            total += upload.size or 0
            if total > MAX_BYTES:
                raise ValidationError(f"The upload is larger than {MAX_BYTES // (1024 * 1024)} MB.")
            filename = upload.name or "image"
            if filename.lower().endswith(".zip"):
                count += _extract_zip(upload, folder, total, count)
                continue
            safe = _safe_name(filename)
            if safe is None:
                raise ValidationError(f"“{filename}” is not an image file (or a zip of them).")
            count += 1
            if count > MAX_FILES:
                raise ValidationError(f"More than {MAX_FILES} images; split them into smaller sets.")
            with open(folder / f"{count:05d}_{safe}", "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        _check_pixels(folder)
        try:
            images = load_image_folder(folder)
        except ImageFolderError as exc:
            raise ValidationError(
                str(exc).replace(str(folder), "the upload").replace(folder.name, "the upload")
            ) from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return TrainingSet(name=name, path=folder, count=len(images))


def _check_pixels(folder: Path) -> None:
    """Refuse pictures too large to decode, from their headers alone (training's check names non-pictures)."""
    from PIL import Image, UnidentifiedImageError

    total = 0
    resize = f"Resize them to {MAX_SIDE}×{MAX_SIDE} or less (training uses 64×64); nothing was kept."
    for path in sorted(folder.iterdir()):
        name = path.name.split("_", 1)[-1]  # without the upload-order prefix
        try:
            with Image.open(path) as image:
                width, height = image.size
        except Image.DecompressionBombError as exc:
            raise ValidationError(f"{name} has far too many pixels to open. {resize}") from exc
        except (UnidentifiedImageError, OSError, ValueError):
            continue
        if width > MAX_SIDE or height > MAX_SIDE:
            raise ValidationError(f"{name} is {width}×{height} pixels; the most is {MAX_SIDE}×{MAX_SIDE}. {resize}")
        total += width * height
        if total > MAX_TOTAL_PIXELS:
            raise ValidationError(
                f"The images hold more than {MAX_TOTAL_PIXELS:,} pixels in all (reached at {name}). "
                "Send fewer or smaller pictures; nothing was kept."
            )


def _extract_zip(upload: Any, folder: Path, total: int, count: int) -> int:
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"“{upload.name}” is not a readable zip file.") from exc
    added = 0
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for member in members:
            if ".." in PurePosixPath(member.filename.replace("\\", "/")).parts or member.filename.startswith("/"):
                raise ValidationError(f"“{upload.name}” has a file outside its folder ({member.filename}); refused.")
            if (member.external_attr >> 16) & 0o170000 == 0o120000:
                raise ValidationError(f"“{upload.name}” contains a link ({member.filename}); refused.")
            safe = _safe_name(member.filename)
            if safe is None:
                continue  # not an image: a readme, __MACOSX, a thumbnail cache
            total += member.file_size
            if total > MAX_BYTES:
                raise ValidationError(f"The images unpack to more than {MAX_BYTES // (1024 * 1024)} MB.")
            added += 1
            if count + added > MAX_FILES:
                raise ValidationError(f"More than {MAX_FILES} images; split them into smaller sets.")
            with archive.open(member) as source, open(folder / f"{count + added:05d}_{safe}", "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
    return added


def training_set_discard(training_set: TrainingSet) -> None:
    shutil.rmtree(training_set.path, ignore_errors=True)
