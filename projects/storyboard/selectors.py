"""Reads about the storyboard: frames per scene, one frame, its comments. Access comes from ProjectAccess."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from projects.models import Character, Frame, FrameComment, Project, Scene, Shot
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


# Reads for the storyboard's job runners: the runner's project comes from its job (jobs.selectors.job_scope).


def scenes_to_render(*, project: Project, scene_public_id: str | None) -> list[Scene]:
    """One scene (empty when it left the script), or every scene in order."""
    scenes = Scene.objects.filter(project=project).order_by("position")
    return list(scenes.filter(public_id=scene_public_id) if scene_public_id else scenes)


def scenes_before(*, scene: Scene) -> list[Scene]:
    """The scenes of the script before this one, nearest first."""
    return list(Scene.objects.filter(project_id=scene.project_id, position__lt=scene.position).order_by("-position"))


def scene_shots(*, scene: Scene) -> list[Shot]:
    return list(Shot.objects.filter(scene=scene).order_by("position"))


def frame_for_job(*, project: Project, public_id: Any) -> Frame:
    """A job's frame; DoesNotExist once someone deleted it (the job then ends quietly)."""
    return Frame.objects.select_related("project", "scene").get(project=project, public_id=public_id)


def frames_to_refresh(*, project: Project, scene_public_id: str | None) -> list[Frame]:
    """Frames whose lines changed, that were never rendered, or whose set changed since their render."""
    frames = Frame.objects.select_related("project", "scene").filter(project=project, scene__isnull=False)
    if scene_public_id:
        frames = frames.filter(scene__public_id=scene_public_id)
    frames = frames.filter(Q(is_stale=True) | Q(image="") | ~Q(rendered_spec_version=F("spec_version")))
    return list(frames.order_by("scene__position", "position"))


def frames_in_order(*, ids: list[int], shots_per_scene: dict[int, int]) -> list[Frame]:
    """The frames (by pk) whose shot is still on their scene's shot list, in script order."""
    frames = Frame.objects.select_related("project", "scene").filter(pk__in=ids).order_by("scene__position", "position")
    return [f for f in frames if f.scene_id is not None and f.position < shots_per_scene.get(f.scene_id, 0)]


def shot_counts(*, scene_ids: list[int]) -> dict[int, int]:
    counts = Shot.objects.filter(scene_id__in=scene_ids).values("scene_id").annotate(n=Count("id"))
    return {row["scene_id"]: row["n"] for row in counts}


def characters_named(*, project: Project, names: list[str]) -> dict[str, Character]:
    """The project's characters by script name, with their chosen faces."""
    people = Character.objects.select_related("identity", "project").filter(project=project, name__in=names)
    return {c.name: c for c in people}


def cast_by_scene(*, project: Project) -> list[list[str]]:
    """Each scene's character names, in script order: who shares a scene with whom, across the whole script."""
    return [
        [str(name) for name in listed or []]
        for listed in Scene.objects.filter(project=project).order_by("position").values_list("characters", flat=True)
    ]
