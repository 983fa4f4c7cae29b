"""Writes about the finished film: shot durations on the timeline and the rendered animatics."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from generation.models import GenerationJob
from projects import events
from projects.models import Animatic, Frame, Project
from projects.storyboard.models import CameraMove

MIN_SHOT_SECONDS = 0.2
MAX_SHOT_SECONDS = 600.0


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
