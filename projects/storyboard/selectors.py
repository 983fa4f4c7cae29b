"""Reads about the storyboard: frames per scene, one frame, its comments. Access comes from ProjectAccess."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from projects.models import Frame, FrameComment, Scene
from projects.teams.selectors import ProjectAccess, as_uuid


def _frames() -> QuerySet[Frame]:
    return Frame.objects.select_related("project", "scene").annotate(
        open_comments=Count("comments", filter=Q(comments__resolved=False), distinct=True)
    )


def storyboard_scenes(*, access: ProjectAccess) -> list[Scene]:
    """Every scene with its shots and frames (two queries however long the script)."""
    return list(
        Scene.objects.filter(project=access.project)
        .order_by("position")
        .prefetch_related("shots", Prefetch("frames", queryset=_frames().order_by("position")))
    )


def scene_get(*, access: ProjectAccess, public_id: Any) -> Scene:
    scene = (
        Scene.objects.filter(project=access.project, public_id=as_uuid(public_id, "scene"))
        .prefetch_related("shots", Prefetch("frames", queryset=_frames().order_by("position")))
        .first()
    )
    if scene is None:
        raise Http404("No such scene")
    return scene


def frame_get(*, access: ProjectAccess, public_id: Any) -> Frame:
    frame = _frames().filter(project=access.project, public_id=as_uuid(public_id, "frame")).first()
    if frame is None:
        raise Http404("No such frame")
    return frame


def orphan_frames(*, access: ProjectAccess) -> QuerySet[Frame]:
    """Frames whose scene left the script: kept (stale) until someone deletes them."""
    return _frames().filter(project=access.project, scene__isnull=True).order_by("scene_heading", "position")


def comment_list(*, frame: Frame) -> QuerySet[FrameComment]:
    return (
        FrameComment.objects.filter(frame=frame)
        .select_related("author", "resolved_by")
        .prefetch_related("mentions")
        .order_by("created_at", "id")
    )


def comment_get(*, access: ProjectAccess, public_id: Any) -> FrameComment:
    comment = (
        FrameComment.objects.select_related("frame__project")
        .filter(frame__project=access.project, public_id=as_uuid(public_id, "comment"))
        .first()
    )
    if comment is None:
        raise Http404("No such comment")
    return comment


def stale_frames(*, access: ProjectAccess, scene: Scene | None = None) -> QuerySet[Frame]:
    frames = Frame.objects.filter(project=access.project, scene__isnull=False).filter(
        Q(is_stale=True) | Q(image="") | ~Q(rendered_spec_version=F("spec_version"))
    )
    return frames.filter(scene=scene) if scene is not None else frames


def frame_neighbours(*, access: ProjectAccess, frame: Frame) -> tuple[Frame | None, Frame | None]:
    """The frames before and after this one in script order (scene, then shot), across scene boundaries."""
    if frame.scene is None:
        return None, None
    order = list(
        Frame.objects.filter(project=access.project, scene__isnull=False)
        .order_by("scene__position", "position")
        .values_list("pk", flat=True)
    )
    if frame.pk not in order:
        return None, None
    at = order.index(frame.pk)
    before = order[at - 1] if at > 0 else None
    after = order[at + 1] if at + 1 < len(order) else None
    found = Frame.objects.in_bulk([pk for pk in (before, after) if pk is not None])
    return found.get(before) if before else None, found.get(after) if after else None
