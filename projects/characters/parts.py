"""The cast and the character sheet's live parts, rendered the same way for pages and for socket pushes."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.template.loader import render_to_string

from projects.characters import selectors as character_selectors
from projects.events import character_group, project_group
from projects.live import parts as live_parts
from projects.live.parts import Event, Page
from projects.models import Character
from projects.teams.selectors import ProjectAccess

SHEET_TEMPLATE = "projects/character.html"
CAST_TEMPLATE = "projects/characters.html"


def sheet_context(access: ProjectAccess, character: Character) -> dict[str, Any]:
    """What the sheet's live parts show; the page and the socket render the same partials."""
    from generation.engines.face_attributes import read_look

    look = read_look(character_selectors.steering_text(character))
    suggested = character.bio_provenance.get("suggested") or {}
    return {
        "steering": [f"{k.replace('_', ' ')}: {v}" for k, v in look.wanted.items()],
        "unsteered": look.unsteered,
        "bio_rows": [
            (key.replace("_", " ").capitalize(), key, getattr(character, key), suggested.get(key, ""))
            for key in ("look", "personality", "wants", "needs", "key_actions")
        ],
        "access": access,
        "project": access.project,
        "character": character,
        "can_write": access.can_write,
        "batches": character_selectors.portrait_batches(character=character),
        "history": list(character_selectors.identity_history(character=character)),
        "voice_label": voice_label(character),
    }


def voice_label(character: Character) -> str:
    """The sheet's voice in words: the one chosen, or the one the name picks."""
    from generation.engines import voices

    if character.voice:
        return dict(voices.VOICE_CHOICES).get(character.voice, character.voice)
    return f"Automatic: {voices.character_voice(character.name).label}"


def sheet_partials_html(access: ProjectAccess, character: Character) -> str:
    """The face, the bio and the design runs, as out-of-band swaps."""
    context = {**sheet_context(access, character), "oob": True}
    return "".join(render_to_string(f"{SHEET_TEMPLATE}#{name}", context) for name in ("face", "fields", "designs"))


def cast_card_html(access: ProjectAccess, character: Character) -> str:
    return render_to_string(
        f"{CAST_TEMPLATE}#card", {"access": access, "project": access.project, "c": character, "oob": True}
    )


def _cast_card(page: Page, event: Event) -> str:
    try:
        character = character_selectors.character_get(access=page.access, public_id=event["character"])
    except Http404:
        return ""  # deleted meanwhile: the cast page keeps its socket
    return cast_card_html(page.access, character)


def _sheet(page: Page) -> str:
    # A character deleted meanwhile raises Http404 here: its sheet's socket closes.
    character = character_selectors.character_get(access=page.access, public_id=page.object_id)
    return sheet_partials_html(page.access, character)


def _sheet_event(page: Page, event: Event) -> str:
    return _sheet(page) if event["character"] == page.object_id else ""


# The cast page shows each character's card by id; other pages have no such element.
live_parts.register("cast", group=lambda page: project_group(page.project_id), on={"character.changed": _cast_card})
# A character's sheet: its face, bio and design runs.
live_parts.register(
    "sheet",
    anchor="character",
    group=lambda page: character_group(page.object_id),
    initial=_sheet,
    on={"character.changed": _sheet_event},
)
