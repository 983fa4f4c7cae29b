"""The studio's events: script, character, frame and timeline changes, sent after commit (through generation.events)."""

from __future__ import annotations

import hashlib
import uuid

from generation.events import project_group, send_now, send_on_commit

__all__ = ["project_group", "send_now", "send_on_commit"]


def publish_membership_changed(*, project_public_id: uuid.UUID, user_id: int) -> None:
    """Tell open sockets of a project that someone's role changed, so they re-check access."""
    send_on_commit(
        [script_group(project_public_id), members_group(project_public_id)],
        {"type": "membership.changed", "user_id": user_id},
    )


def session_group(session_key: str) -> str:
    """Every socket opened with one login session (named by a hash: the key itself is a secret)."""
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()


def publish_session_ended(*, session_key: str) -> None:
    """A login session ended (logout): its open sockets close, so none keeps the access it had."""
    send_now([session_group(session_key)], {"type": "session.ended"})


def members_group(project_public_id: uuid.UUID | str) -> str:
    """Every page's socket in a project hears membership changes here (the script's CRDT socket in its own)."""
    return f"members.{project_public_id}"


def script_group(project_public_id: uuid.UUID | str) -> str:
    return f"script.{project_public_id}"


def publish_script_update(*, project_public_id: uuid.UUID, update: bytes, sender: str = "") -> None:
    """Share a CRDT update with every open editor of the script (after commit)."""
    send_on_commit([script_group(project_public_id)], {"type": "script.update", "update": update, "sender": sender})


def publish_script_settled(*, project_public_id: uuid.UUID, revision_number: int) -> None:
    """The script's text, revision and breakdown changed: pages re-read their panels."""
    send_on_commit([project_group(project_public_id)], {"type": "script.settled", "revision": revision_number})


def character_group(public_id: uuid.UUID | str) -> str:
    return f"character.{public_id}"


def publish_character_changed(*, project_public_id: uuid.UUID | str, character_public_id: uuid.UUID | str) -> None:
    """A character's sheet, portraits or identity changed: open sheets and the cast list re-read it."""
    send_on_commit(
        [character_group(character_public_id), project_group(project_public_id)],
        {"type": "character.changed", "character": str(character_public_id)},
    )


def frame_group(public_id: uuid.UUID | str) -> str:
    return f"frame.{public_id}"


def publish_frame_changed(
    *, project_public_id: uuid.UUID | str, frame_public_id: uuid.UUID | str, created: bool = False
) -> None:
    """A frame's picture, spec, staleness or comments changed (or it is new): its page and the storyboard re-read it."""
    send_on_commit(
        [frame_group(frame_public_id), project_group(project_public_id)],
        {"type": "frame.changed", "frame": str(frame_public_id), "created": created},
    )


def publish_timeline_changed(*, project_public_id: uuid.UUID | str) -> None:
    """Shot lengths or the rendered animatic changed: open animatic pages re-read the timeline."""
    send_on_commit([project_group(project_public_id)], {"type": "timeline.changed"})


def publish_music_changed(*, project_public_id: uuid.UUID | str) -> None:
    """A member's own music track was added or removed: open animatic pages re-read the render form's Music choices."""
    send_on_commit([project_group(project_public_id)], {"type": "music.changed"})


def publish_production_changed(*, project_public_id: uuid.UUID | str) -> None:
    """A revision set started or the scene numbers were locked or unlocked: open script pages re-read the Production
    row."""
    send_on_commit([project_group(project_public_id)], {"type": "production.changed"})


def publish_script_notes(*, project_public_id: uuid.UUID | str) -> None:
    """A note on the script was added, answered, resolved or reopened: open script pages re-read the notes."""
    send_on_commit([project_group(project_public_id)], {"type": "script.notes"})
