"""The script page's live part: the scene navigator and reports, re-read when the script settles."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from projects.events import project_group
from projects.live import parts as live_parts
from projects.live.parts import Event, Page
from projects.script import selectors as script_selectors
from projects.teams.selectors import ProjectAccess

BREAKDOWN_TEMPLATE = "projects/script.html#breakdown"


def breakdown_context(access: ProjectAccess) -> dict[str, object]:
    return {
        "access": access,
        "project": access.project,
        "scenes": list(script_selectors.scene_list(access=access)),
        "characters": list(script_selectors.character_list(access=access).filter(in_script=True)[:40]),
        "locations": list(script_selectors.location_list(access=access)[:40]),
    }


def breakdown_html(access: ProjectAccess, request: HttpRequest | None = None) -> str:
    return render_to_string(BREAKDOWN_TEMPLATE, breakdown_context(access), request=request)


def _breakdown(page: Page, event: Event) -> str:
    return breakdown_html(page.access)


live_parts.register("breakdown", group=lambda page: project_group(page.project_id), on={"script.settled": _breakdown})
