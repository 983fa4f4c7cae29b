"""The storyboard's and the frame page's live parts, rendered the same way for pages and for socket pushes."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.template.loader import render_to_string

from projects.events import frame_group, project_group
from projects.live import parts as live_parts
from projects.live.parts import Event, Page
from projects.models import Frame
from projects.storyboard import selectors as storyboard_selectors
from projects.teams.selectors import ProjectAccess

FRAME_TEMPLATE = "projects/frame.html"
BOARD_TEMPLATE = "projects/storyboard.html"


def frame_card_html(access: ProjectAccess, frame: Frame, *, created: bool = False) -> str:
    """A frame's card, swapped by id; a new one is appended to its scene's grid instead."""
    context = {"access": access, "project": access.project, "frame": frame, "oob": not created}
    card = render_to_string(f"{BOARD_TEMPLATE}#card", context)
    if created and frame.scene is not None:
        return f'<div hx-swap-oob="beforeend:#frames-{frame.scene.public_id}">{card}</div>'
    return card


def frame_context(access: ProjectAccess, frame: Frame) -> dict[str, Any]:
    return {
        "access": access,
        "project": access.project,
        "frame": frame,
        "can_write": access.can_write,
        "comments": list(storyboard_selectors.comment_list(frame=frame)),
        "export": frame.render_info.get("export"),
        "lights": frame.set_spec.get("lights", {}),
        "camera": frame.set_spec.get("camera", {}),
        "materials": frame.set_spec.get("materials", {}),
    }


def frame_partials_html(access: ProjectAccess, frame: Frame) -> str:
    """The picture, the notes and the exports of a frame's page, as out-of-band swaps."""
    context = {**frame_context(access, frame), "oob": True}
    return "".join(render_to_string(f"{FRAME_TEMPLATE}#{name}", context) for name in ("picture", "comments", "exports"))


def _card(page: Page, event: Event) -> str:
    try:
        frame = storyboard_selectors.frame_get(access=page.access, public_id=event["frame"])
    except Http404:
        return ""  # deleted meanwhile: the storyboard keeps its socket
    return frame_card_html(page.access, frame, created=bool(event.get("created")))


def _frame(page: Page) -> str:
    # A frame deleted meanwhile raises Http404 here: its page's socket closes.
    frame = storyboard_selectors.frame_get(access=page.access, public_id=page.object_id)
    return frame_partials_html(page.access, frame)


def _frame_event(page: Page, event: Event) -> str:
    return _frame(page) if event["frame"] == page.object_id else ""


# The storyboard shows each frame's card by id (new ones are appended to their scene's grid).
live_parts.register("frames", group=lambda page: project_group(page.project_id), on={"frame.changed": _card})
# A frame's page: its picture, notes and exports.
live_parts.register(
    "frame",
    anchor="frame",
    group=lambda page: frame_group(page.object_id),
    initial=_frame,
    on={"frame.changed": _frame_event},
)
