"""Files under a project's media folder: what rows name, what members may download, uploaded training sets
and screenplays."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

from generation.paths import project_media_root
from projects.teams.selectors import AnyUser, project_access_for_user

# The types the studio writes, shown inline with these content types. Nothing else is ever shown as
# a page of the studio's origin: an imported HTML or SVG would run as the person who opens it.
INLINE_TYPES: dict[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".mp4": "video/mp4",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",  # members' own music tracks
    ".ogg": "audio/ogg",
    ".flac": "audio/flac",
    ".m4a": "audio/mp4",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".pdf": "application/pdf",
    ".csv": "text/csv",
    ".zip": "application/zip",
    ".blend": "application/x-blender",
    ".glb": "model/gltf-binary",
    ".json": "application/json",
    ".txt": "text/plain",
    ".edl": "text/plain",
    ".fcpxml": "application/octet-stream",  # XML could carry XHTML script: never a browser document
    ".otio": "application/json",
}
# Written by the studio but only ever downloaded (a trained face model's checkpoint).
DOWNLOAD_TYPES = frozenset({".pt"})
# What a project archive may carry under media/.
STUDIO_SUFFIXES = frozenset(INLINE_TYPES) | DOWNLOAD_TYPES


def media_suffix(name: str) -> str:
    """The lower-case extension that decides how a media file is served (and whether an archive may carry it)."""
    return Path(name).suffix.lower()


def media_content_type(name: str) -> str | None:
    """The content type to show a file inline with, or None: the file is served as a download."""
    return INLINE_TYPES.get(media_suffix(name))


def media_file_for_user(*, user: AnyUser, project_public_id: Any, relative: str) -> tuple[Path, str]:
    """A file inside a project's media folder, for a member only; (absolute path, path under MEDIA_ROOT)."""
    access = project_access_for_user(user=user, public_id=project_public_id)
    root = project_media_root(access.project.public_id).resolve()
    target = (root / relative).resolve()
    if root not in target.parents or not target.is_file() or target.name.startswith("."):
        raise Http404("No such file")
    return target, str(target.relative_to(Path(settings.MEDIA_ROOT).resolve()))


def training_set_dir(project_public_id: uuid.UUID | str, dataset_public_id: uuid.UUID | str) -> Path:
    """Where a team's uploaded training images are kept (one folder per upload)."""
    return project_media_root(project_public_id) / "training" / str(uuid.UUID(str(dataset_public_id)))


def script_upload_path(project_public_id: uuid.UUID | str, upload_id: uuid.UUID | str) -> Path:
    """Where an uploaded screenplay waits for the worker that imports it (removed once it is in)."""
    return project_media_root(project_public_id) / "imports" / str(uuid.UUID(str(upload_id)))


def project_file(project_public_id: uuid.UUID | str, relative: str) -> Path | None:
    """A file a row names under the project's media folder, or None if it is missing or lies outside it."""
    if not relative:
        return None
    root = project_media_root(project_public_id).resolve()
    target = (root / relative).resolve()
    if root not in target.parents or not target.is_file():
        return None
    return target
