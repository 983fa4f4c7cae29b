"""Writes about the finished film: shot durations on the timeline and the rendered animatics."""

from __future__ import annotations

import uuid
from pathlib import Path, PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from generation.models import GenerationJob
from generation.paths import project_media_root
from projects import events
from projects.media import project_file
from projects.models import Animatic, Frame, MusicTrack, Project
from projects.storyboard.models import CameraMove
from projects.teams.selectors import ProjectAccess

MIN_SHOT_SECONDS = 0.2
MAX_SHOT_SECONDS = 600.0
MAX_MUSIC_BYTES = 50 * 1024 * 1024  # settings.REQUEST_BODY_ROUTE_MAX_BYTES gives its route 1 MiB more
MUSIC_DIR = "music"


@transaction.atomic
def frame_set_camera_move(*, frame: Frame, move: str) -> Frame:
    """Set how the camera moves over a shot in the animatic ("": back to its shot type's default)."""
    if move and move not in CameraMove.values:
        raise ValidationError(f"“{move}” is not a camera move.")
    Frame.objects.filter(pk=frame.pk).update(camera_move=move)
    frame.refresh_from_db()
    events.publish_frame_changed(project_public_id=frame.project.public_id, frame_public_id=frame.public_id)
    events.publish_timeline_changed(project_public_id=frame.project.public_id)
    return frame


@transaction.atomic
def frame_set_duration(*, frame: Frame, seconds: float | None) -> Frame:
    """Set how long a shot holds in the animatic (None: back to the length the script gives it)."""
    if seconds is not None and not MIN_SHOT_SECONDS <= seconds <= MAX_SHOT_SECONDS:
        raise ValidationError(f"A shot lasts between {MIN_SHOT_SECONDS:g} and {MAX_SHOT_SECONDS:g} seconds.")
    Frame.objects.filter(pk=frame.pk).update(duration_seconds=None if seconds is None else round(seconds, 3))
    frame.refresh_from_db()
    events.publish_frame_changed(project_public_id=frame.project.public_id, frame_public_id=frame.public_id)
    events.publish_timeline_changed(project_public_id=frame.project.public_id)
    return frame


@transaction.atomic
def animatic_record(
    *,
    project: Project,
    job_public_id: str,
    files: dict[str, str],
    info: dict[str, Any],
    timeline: dict[str, Any],
    burn_captions: bool,
    voices: bool,
) -> Animatic:
    """Store a rendered animatic (a retry of the same job replaces its row)."""
    job = GenerationJob.objects.select_related("requested_by").get(public_id=job_public_id)
    film, _ = Animatic.objects.update_or_create(
        job=job,
        defaults={
            "project": project,
            "created_by": job.requested_by,
            **files,
            "duration_seconds": float(info["duration"]),
            "width": int(info["width"]),
            "height": int(info["height"]),
            "fps": int(info["fps"]),
            "burn_captions": burn_captions,
            "voices": voices,
            "timeline": timeline,
        },
    )
    events.publish_timeline_changed(project_public_id=project.public_id)
    return film


def music_track_save(*, access: ProjectAccess, upload: Any) -> MusicTrack:
    """Keep a member's own music file (mp3, wav, ogg, flac, m4a up to 50 MB) once FFmpeg has decoded it."""
    from generation.engines import music

    if not access.can_write:
        raise ValidationError("Only editors may add music.")
    if upload is None:
        raise ValidationError("Choose a music file (mp3, wav, ogg, flac or m4a).")
    name = PurePath(str(upload.name or "").replace("\\", "/")).name.strip()[-200:] or "music"
    suffix = Path(name).suffix.lower()
    if suffix not in music.UPLOAD_SUFFIXES:
        kinds = ", ".join(s.lstrip(".") for s in music.UPLOAD_SUFFIXES)
        raise ValidationError(f"“{name}” is not a music file this studio takes ({kinds}); nothing was kept.")
    limit = f"{MAX_MUSIC_BYTES // 1024**2} MB" if MAX_MUSIC_BYTES >= 1024**2 else f"{MAX_MUSIC_BYTES // 1024} KB"
    if (upload.size or 0) > MAX_MUSIC_BYTES:
        raise ValidationError(f"“{name}” is larger than {limit}; nothing was kept.")
    relative = f"{MUSIC_DIR}/{uuid.uuid4()}{suffix}"
    target = project_media_root(access.project.public_id) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    try:
        written = 0
        with open(part, "wb") as out:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > MAX_MUSIC_BYTES:
                    raise ValidationError(f"“{name}” is larger than {limit}; nothing was kept.")
                out.write(chunk)
        try:
            seconds = music.check_track(part)
        except music.MusicError as exc:
            raise ValidationError(f"“{name}” cannot be used as music: {exc}. Nothing was kept.") from exc
        part.replace(target)
        track = MusicTrack.objects.create(
            project=access.project,
            name=name,
            file=relative,
            size_bytes=written,
            duration_seconds=round(seconds, 3),
            uploaded_by=access.membership.user,
        )
        events.publish_music_changed(project_public_id=access.project.public_id)
    except BaseException:
        part.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    return track


@transaction.atomic
def music_track_delete(*, access: ProjectAccess, track: MusicTrack) -> None:
    """Remove an uploaded track and its file (once committed). Rendered animatics keep their own mixed sound,
    bed and credits; a render still queued with it fails saying the track is gone."""
    if not access.can_write:
        raise PermissionDenied("Only editors may remove music.")
    if track.project_id != access.project.pk:
        raise ValidationError("That track belongs to another project.")
    path = project_file(access.project.public_id, track.file)
    MusicTrack.objects.filter(pk=track.pk).delete()
    if path is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    events.publish_music_changed(project_public_id=access.project.public_id)
