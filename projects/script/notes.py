"""Writes about notes on the script: a note on a range of words, its replies, resolve and reopen, delete.

A note's range is two Yjs relative positions (projects/script/crdt.py), made by the browser from the
selection or here from character indices; both resolve to the same words after any edits. Notes need
the commenter right (ProjectAccess.can_comment): editors, owners, and viewers an owner made commenters.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from projects import events
from projects.models import Project, Role, ScriptNote, ScriptNoteReply
from projects.script import crdt
from projects.script.services import screenplay_for, script_doc
from projects.teams.selectors import ProjectAccess, mentioned_members

BODY_MAX = 5000
QUOTE_MAX = 300


def _check(access: ProjectAccess) -> None:
    if not access.can_comment:
        raise PermissionDenied("Notes on the script need the commenter right: ask an owner of the project.")


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError("Write something first.")
    if len(body) > BODY_MAX:
        raise ValidationError(f"A note can be at most {BODY_MAX} characters.")
    return body


@transaction.atomic
def note_add(*, access: ProjectAccess, body: str, start: bytes, end: bytes) -> ScriptNote:
    """A note on the words between two anchors (Yjs relative positions, as the editor makes them)."""
    _check(access)
    body = _body(body)
    doc = script_doc(access.project)
    for anchor in (start, end):
        problem = crdt.anchor_problem(doc, anchor)
        if problem:
            raise ValidationError(f"The note's place in the script can't be used: {problem}. Select the words again.")
    found = crdt.note_ranges(doc, [(start, end)])[0]
    if found is None:
        raise ValidationError("The note's place in the script can't be used. Select the words again.")
    return _create(access, body, start, end, crdt.text_of(doc)[found[0] : found[1]])


@transaction.atomic
def note_add_at(*, access: ProjectAccess, body: str, start: int, end: int) -> ScriptNote:
    """A note on the characters [start, end) of the script as it reads now."""
    _check(access)
    body = _body(body)
    doc = script_doc(access.project)
    text = crdt.text_of(doc)
    if not 0 <= start <= end <= len(text):
        raise ValidationError(f"A note's range must lie within the script (0 to {len(text)} characters).")
    first, last = crdt.note_anchors(doc, start, end)
    return _create(access, body, first, last, text[start:end])


def _create(access: ProjectAccess, body: str, start: bytes, end: bytes, quote: str) -> ScriptNote:
    note = ScriptNote.objects.create(
        screenplay=screenplay_for(access.project),
        author=access.membership.user,
        body=body,
        start=start,
        end=end,
        quote=quote[:QUOTE_MAX],
    )
    note.mentions.set(mentioned_members(project=access.project, body=body))
    events.publish_script_notes(project_public_id=access.project.public_id)
    return note


@transaction.atomic
def note_reply(*, access: ProjectAccess, note: ScriptNote, body: str) -> ScriptNoteReply:
    """A reply in a note's thread; @username mentions of members are recorded."""
    _check(access)
    reply = ScriptNoteReply.objects.create(note=note, author=access.membership.user, body=_body(body))
    reply.mentions.set(mentioned_members(project=access.project, body=reply.body))
    events.publish_script_notes(project_public_id=access.project.public_id)
    return reply


@transaction.atomic
def note_set_resolved(*, access: ProjectAccess, note: ScriptNote, resolved: bool) -> ScriptNote:
    """Resolve a note's thread, or reopen it."""
    _check(access)
    by = access.membership.user if resolved else None
    ScriptNote.objects.filter(pk=note.pk).update(resolved=resolved, resolved_by=by)
    note.refresh_from_db()
    events.publish_script_notes(project_public_id=access.project.public_id)
    return note


def may_delete(access: ProjectAccess, author_id: int | None) -> bool:
    """Whether this member may delete a note or reply by `author_id`: its author, or an owner of the project."""
    return access.membership.role == Role.OWNER or (author_id is not None and author_id == access.membership.user_id)


@transaction.atomic
def note_delete(*, access: ProjectAccess, note: ScriptNote) -> None:
    """Delete a note and its thread (its author or an owner)."""
    if not may_delete(access, note.author_id):
        raise PermissionDenied("Only the note's author or an owner of the project may delete it.")
    ScriptNote.objects.filter(pk=note.pk).delete()
    events.publish_script_notes(project_public_id=access.project.public_id)


@transaction.atomic
def note_reply_delete(*, access: ProjectAccess, reply: ScriptNoteReply) -> None:
    """Delete one reply in a note's thread (its author or an owner)."""
    if not may_delete(access, reply.author_id):
        raise PermissionDenied("Only the reply's author or an owner of the project may delete it.")
    ScriptNoteReply.objects.filter(pk=reply.pk).delete()
    events.publish_script_notes(project_public_id=access.project.public_id)


def note_ranges(*, project: Project, notes: list[ScriptNote]) -> dict[str, tuple[int, int] | None]:
    """Where each note's words are in the script now (character indices), by the note's public id."""
    found = crdt.note_ranges(script_doc(project), [(bytes(n.start), bytes(n.end)) for n in notes])
    return {str(n.public_id): r for n, r in zip(notes, found, strict=True)}
