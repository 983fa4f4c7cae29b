"""The Studio page's live part: the pipeline overview, rendered the same way for the page and its socket."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from projects.events import project_group
from projects.live import parts as live_parts
from projects.live.parts import Event, Page
from projects.teams import overview as overview_selectors
from projects.teams.overview import Overview
from projects.teams.selectors import ProjectAccess

# A storyboard render changes frames one after another: the overview is rebuilt once per burst.
OVERVIEW_DELAY = 0.3


def overview_context(access: ProjectAccess, overview: Overview | None = None) -> dict[str, Any]:
    overview = overview or overview_selectors.project_overview(access=access)
    return {
        "overview": overview,
        "project": access.project,
        "can_write": access.can_write,
    }


def overview_html(access: ProjectAccess) -> str:
    """The pipeline overview as an out-of-band swap."""
    return render_to_string("projects/detail.html#overview", {**overview_context(access), "oob": True})


def _overview(page: Page, event: Event | None = None) -> str:
    return overview_html(page.access)


# The overview counts scenes, faces, frames and the film: any of them changing moves it.
live_parts.register(
    "overview",
    group=lambda page: project_group(page.project_id),
    initial=_overview,
    on={event: _overview for event in ("script.settled", "character.changed", "frame.changed", "timeline.changed")},
    delay=OVERVIEW_DELAY,
)
