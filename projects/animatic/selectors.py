"""Reads about the finished film: the storyboard's frames in script order, the latest animatic."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from projects.models import Animatic, Frame, FrameComment, MusicTrack, Project
from projects.teams.selectors import ProjectAccess


def frames_in_order(project: Project) -> list[Frame]:
    return list(
        Frame.objects.filter(project=project, scene__isnull=False)
        .select_related("scene")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=FrameComment.objects.filter(resolved=False).select_related("author").order_by("created_at"),
                to_attr="open_comments_list",
            )
        )
        .order_by("scene__position", "position")
    )


def latest_animatic(project: Project) -> Animatic | None:
    return Animatic.objects.filter(project=project).exclude(video="").order_by("-created_at").first()


def latest_music_track(project: Project) -> MusicTrack | None:
    """The project's most recent uploaded music track (the one "Your track" uses), with who supplied it."""
    return MusicTrack.objects.filter(project=project).select_related("uploaded_by").order_by("-created_at").first()


def music_track_get(*, access: ProjectAccess, public_id: str) -> MusicTrack:
    """One of the project's uploaded tracks; 404 when it is another project's or gone."""
    track = music_track_in_project(access.project, public_id)
    if track is None:
        raise Http404("No such music track")
    return track


def music_track_in_project(project: Project, public_id: str) -> MusicTrack | None:
    return MusicTrack.objects.filter(project=project, public_id=public_id).select_related("uploaded_by").first()
