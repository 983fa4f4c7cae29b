"""The script page's live parts: the scene navigator and reports, re-read when the script settles, and the
notes on the script (with their margin marks), re-read whenever one is added, answered, resolved or deleted."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string

from projects.events import project_group
from projects.live import parts as live_parts
from projects.live.parts import Event, Page
from projects.models import ScriptNote, ScriptNoteReply
from projects.script import notes as script_notes
from projects.script import selectors as script_selectors
from projects.teams.selectors import ProjectAccess

BREAKDOWN_TEMPLATE = "projects/script.html#breakdown"
PRODUCTION_TEMPLATE = "projects/script.html#production"
SCENE_PAGE_TEMPLATE = "projects/script.html#scene-page"
NOTES_TEMPLATE = "projects/script.html#notes"
# The navigator shows this many scenes at a time ("show more" and the search fetch the rest), so a
# script of 200,000 scenes is a page of the same size as one of 200.
SCENE_PAGE_SIZE = 200


def scene_page_context(access: ProjectAccess, *, after: int = -1, query: str = "") -> dict[str, object]:
    scenes, scenes_after = script_selectors.scene_page(access=access, after=after, query=query, limit=SCENE_PAGE_SIZE)
    return {"access": access, "project": access.project, "scenes": scenes, "scenes_after": scenes_after, "query": query}


def breakdown_context(access: ProjectAccess) -> dict[str, object]:
    return {
        **scene_page_context(access),
        "scene_count": script_selectors.scene_count(access=access),
        "scene_page_size": SCENE_PAGE_SIZE,
        "characters": list(script_selectors.character_list(access=access).filter(in_script=True)[:40]),
        "locations": list(script_selectors.location_list(access=access)[:40]),
        "numbers_locked": script_selectors.screenplay_get(access=access).scene_numbers_locked,
        "omitted": script_selectors.omitted_scene_numbers(access=access),
    }


def breakdown_html(access: ProjectAccess, request: HttpRequest | None = None) -> str:
    return render_to_string(BREAKDOWN_TEMPLATE, breakdown_context(access), request=request)


def scene_page_html(access: ProjectAccess, *, after: int, query: str, request: HttpRequest | None = None) -> str:
    return render_to_string(SCENE_PAGE_TEMPLATE, scene_page_context(access, after=after, query=query), request=request)


def production_context(access: ProjectAccess) -> dict[str, object]:
    """The Production row: the revision set in force, the next one's colour, the numbers' lock, what a print marks."""
    return {
        "access": access,
        "project": access.project,
        "can_write": access.can_write,
        "screenplay": script_selectors.screenplay_get(access=access),
        "revision_set": script_selectors.revision_set_current(access=access),
        "next_revision_set": script_selectors.revision_set_next_name(access=access),
        "print_choices": script_selectors.print_choices(access=access),
    }


def production_html(access: ProjectAccess, request: HttpRequest | None = None) -> str:
    return render_to_string(PRODUCTION_TEMPLATE, {**production_context(access), "oob": True}, request=request)


def _production(page: Page, event: Event) -> str:
    return production_html(page.access)


live_parts.register(
    "production", group=lambda page: project_group(page.project_id), on={"production.changed": _production}
)


def _breakdown(page: Page, event: Event) -> str:
    return breakdown_html(page.access)


live_parts.register("breakdown", group=lambda page: project_group(page.project_id), on={"script.settled": _breakdown})


@dataclass(frozen=True)
class NoteRow:
    note: ScriptNote
    start: str  # base64 of the Yjs-encoded relative positions, for the editor
    end: str
    mentions_you: bool
    can_delete: bool
    replies: list[tuple[ScriptNoteReply, bool]]  # each reply, and whether this member may delete it


def notes_in_script_order(access: ProjectAccess) -> list[ScriptNote]:
    """Open notes, then resolved ones, each in the order their words come in the script now (notes whose
    words were deleted last, oldest first)."""
    notes = list(script_selectors.note_list(access=access))
    if not notes:
        return notes  # no need to read the script's document
    where = script_notes.note_ranges(project=access.project, notes=notes)

    def place(note: ScriptNote) -> tuple[bool, bool, int]:
        found = where[str(note.public_id)]
        return note.resolved, found is None, found[0] if found is not None else 0

    return sorted(notes, key=place)  # stable: the selector's oldest-first order breaks ties


def notes_context(access: ProjectAccess) -> dict[str, object]:
    """Every note with its thread; those that mention the viewer are flagged (each page renders its own)."""
    user_id = access.membership.user_id
    rows = [
        NoteRow(
            note=note,
            start=base64.b64encode(bytes(note.start)).decode(),
            end=base64.b64encode(bytes(note.end)).decode(),
            mentions_you=script_selectors.note_mentions_user(note, user_id),
            can_delete=script_notes.may_delete(access, note.author_id),
            replies=[(reply, script_notes.may_delete(access, reply.author_id)) for reply in note.replies.all()],
        )
        for note in notes_in_script_order(access)
    ]
    return {
        "access": access,
        "project": access.project,
        "notes": rows,
        "open_notes": sum(1 for r in rows if not r.note.resolved),
        "mentioning_you": sum(1 for r in rows if r.mentions_you and not r.note.resolved),
        "can_comment": access.can_comment,
    }


def notes_html(access: ProjectAccess, request: HttpRequest | None = None) -> str:
    return render_to_string(NOTES_TEMPLATE, notes_context(access), request=request)


def _notes(page: Page, event: Event | None = None) -> str:
    return notes_html(page.access)


live_parts.register(
    "notes",
    group=lambda page: project_group(page.project_id),
    initial=_notes,
    on={"script.notes": _notes},
)
