"""The animatic page's live part: the timeline, rendered the same way for the page and its socket."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from projects.animatic import selectors as animatic_selectors
from projects.animatic import timeline
from projects.animatic.services import MAX_MUSIC_BYTES
from projects.events import project_group
from projects.live import parts as live_parts
from projects.live.parts import Event, Page
from projects.storyboard.models import CameraMove
from projects.teams.selectors import ProjectAccess

TEMPLATE = "projects/animatic.html"


def timeline_context(access: ProjectAccess) -> dict[str, Any]:
    cut = timeline.build_timeline(access.project)
    clips = cut.clips
    total = sum(c.duration for c in clips) or 1.0
    moves = dict(CameraMove.choices)
    return {
        "access": access,
        "project": access.project,
        "can_write": access.can_write,
        "clips": [
            {**c.__dict__, "percent": 100 * c.duration / total, "move_label": moves.get(c.move, c.move)} for c in clips
        ],
        "planned_seconds": sum(c.duration for c in clips),
        "missing": cut.missing,
        "warnings": cut.warnings(),
        "stale_count": len(cut.stale),
        "film": animatic_selectors.latest_animatic(access.project),
        "camera_moves": CameraMove.choices,
    }


def music_context(access: ProjectAccess) -> dict[str, Any]:
    """The render form's Music choices: "Your track" only once a track is uploaded."""
    from projects.animatic.forms import MUSIC_CHOICES

    track = animatic_selectors.latest_music_track(access.project)
    choices = [(value, f"Your track: {track.name}" if value == "own" and track else label)
               for value, label in MUSIC_CHOICES if value != "own" or track]  # fmt: skip
    return {"music_track": track, "music_choices": choices, "music_max_mb": MAX_MUSIC_BYTES // (1024 * 1024)}


def timeline_html(access: ProjectAccess) -> str:
    return render_to_string(f"{TEMPLATE}#timeline", {**timeline_context(access), "oob": True})


def render_html(access: ProjectAccess) -> str:
    """The render form and the own-music card (editors only: "" for a viewer, whose page has neither)."""
    if not access.can_write:
        return ""
    context = {"access": access, "project": access.project, "can_write": True, **music_context(access), "oob": True}
    return render_to_string(f"{TEMPLATE}#render", context)


def _timeline(page: Page, event: Event) -> str:
    return timeline_html(page.access)


# Only the animatic page shows the timeline; building it costs queries and parsing.
live_parts.register("timeline", group=lambda page: project_group(page.project_id), on={"timeline.changed": _timeline})


def _music(page: Page, event: Event) -> str:
    return render_html(page.access)


live_parts.register("music", group=lambda page: project_group(page.project_id), on={"music.changed": _music})
