"""Writes about the screenplay: CRDT updates, settling into text, revisions and breakdown, import, restore.

People's edits arrive as CRDT updates over the script socket and are appended to the update log
at once (no edit is ever lost). Shortly after edits stop, `script_settle` turns the document into
Fountain text, writes a revision (coalescing a burst of edits into one), rebuilds the breakdown and
compacts the log into a snapshot. Server-side changes (import, restore, generated text) are CRDT
updates too, so they merge with whatever people are typing at that moment.
"""

from __future__ import annotations

import base64
import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pycrdt import Doc

from filmstudio import embedded_redis
from generation import services as machine
from generation.engines.base import JobCancelled
from projects import events, fountain
from projects.fountain import revisions
from projects.models import Project, Revision, RevisionSet, RevisionSource, Screenplay, ScriptUpdate
from projects.script import crdt
from projects.script.breakdown import OnBatch, breakdown_rebuild
from projects.teams.selectors import ProjectAccess

logger = logging.getLogger(__name__)

REVISION_WINDOW = timedelta(seconds=60)
SETTLE_DELAY_SECONDS = 1.5


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(embedded_redis.client_url(settings.REDIS_URL))


def _settle_key(project_public_id: str) -> str:
    prefix = os.environ.get("CHANNELS_PREFIX", "filmstudio")
    return f"{prefix}:settle:{project_public_id}"


def screenplay_for(project: Project) -> Screenplay:
    screenplay, _ = Screenplay.objects.get_or_create(project=project)
    return screenplay


def script_doc(project: Project) -> Doc:
    """The current CRDT document: the snapshot, then every update after it."""
    screenplay = screenplay_for(project)
    updates = ScriptUpdate.objects.filter(screenplay=screenplay, id__gt=screenplay.compacted_through)
    return crdt.load(bytes(screenplay.ydoc_snapshot), (bytes(u) for u in updates.values_list("data", flat=True)))


def schedule_settle(project_public_id: str) -> None:
    """Settle the script soon; many edits in a burst share one settle."""
    from projects.script.tasks import settle_script

    try:
        if _redis().set(_settle_key(project_public_id), "1", nx=True, ex=30):
            settle_script.apply_async(args=(project_public_id,), countdown=SETTLE_DELAY_SECONDS)
    except redis.RedisError:
        logger.warning("could not schedule a settle for %s", project_public_id, exc_info=True)


@transaction.atomic
def script_update_append(*, project: Project, author_id: int | None, update: bytes, sender: str = "") -> ScriptUpdate:
    """Append one client update to the log, share it with the other editors, and settle soon."""
    row = ScriptUpdate.objects.create(screenplay=screenplay_for(project), data=update, author_id=author_id)
    events.publish_script_update(project_public_id=project.public_id, update=update, sender=sender)
    public_id = str(project.public_id)
    transaction.on_commit(lambda: schedule_settle(public_id))
    return row


def _server_edit(project: Project, author: User | None, update: bytes) -> None:
    if not update:
        return
    ScriptUpdate.objects.create(screenplay=screenplay_for(project), data=update, author=author)
    events.publish_script_update(project_public_id=project.public_id, update=update)


@transaction.atomic
def _replace_text(
    *, project: Project, author: User | None, text: str, source: str, note: str, run: JobRun | None = None
) -> Revision:
    Screenplay.objects.select_for_update().get(pk=screenplay_for(project).pk)
    doc = script_doc(project)
    update = crdt.replace_all(doc, text)
    _server_edit(project, author, update)
    revision = _settle(project, doc, author=author, source=source, note=note, force_revision=True)
    if run is not None:
        _record(run, record={"revision": revision.number})
    return revision


def script_replace_text(*, access: ProjectAccess, text: str, source: str, note: str = "") -> Revision:
    """Replace the script's text as one CRDT edit (import, restore), record a revision for it and
    rebuild the breakdown."""
    revision = _replace_text(project=access.project, author=access.membership.user, text=text, source=source, note=note)
    script_breakdown_settle(project=access.project, revision=revision.number)
    return revision


def script_settle(*, project_public_id: str) -> bool:
    """Turn the document into text, revision and breakdown. Returns whether the text changed."""
    settled = _settle_edits(project_public_id)
    if settled is None:
        return False  # the project was deleted meanwhile
    project, revision = settled
    script_breakdown_settle(project=project, revision=revision)
    return revision is not None


@transaction.atomic
def _settle_edits(project_public_id: str) -> tuple[Project, int | None] | None:
    # The text and revision in one short transaction; the breakdown follows in batches of its own.
    screenplay = (
        Screenplay.objects.select_for_update()
        .select_related("project")
        .filter(project__public_id=project_public_id)
        .first()
    )
    if screenplay is None:
        return None
    project = screenplay.project
    doc = script_doc(project)
    last_update = ScriptUpdate.objects.filter(screenplay=screenplay).order_by("-id").first()
    authors = set(
        ScriptUpdate.objects.filter(screenplay=screenplay, id__gt=screenplay.compacted_through)
        .exclude(author=None)
        .values_list("author_id", flat=True)
    )
    before = screenplay.text
    revision = _settle(project, doc, author=None, source=RevisionSource.EDIT, author_ids=authors)
    if last_update is not None:
        _compact(screenplay, doc, last_update.pk)
    return project, (revision.number if before != crdt.text_of(doc) else None)


def script_breakdown_settle(*, project: Project, revision: int | None = None, on_batch: OnBatch | None = None) -> bool:
    """After the text settled: rebuild the breakdown in short batches (other writers get in between
    them), then tell the project's pages. `revision`: the one just written, if any. False: a newer
    rebuild took over, and it tells them."""
    try:
        outcome = breakdown_rebuild(project=project, on_batch=on_batch)
    except Screenplay.DoesNotExist:
        return False  # the project was deleted meanwhile
    if outcome == "superseded":
        return False
    if outcome == "built" or revision is not None:
        if revision is None:
            latest = Revision.objects.filter(screenplay__project=project).order_by("-number").first()
            revision = latest.number if latest else 0
        events.publish_script_settled(project_public_id=project.public_id, revision_number=revision)
    return True


def scripts_settle_pending(*, quiet_seconds: float = 10.0) -> int:
    """Settle every script with edits stored but never settled (their settle could not be queued
    while Redis was down), once they have been quiet a while. Returns how many were settled."""
    cutoff = timezone.now() - timedelta(seconds=quiet_seconds)
    pending = (
        Screenplay.objects.filter(updates__id__gt=F("compacted_through"))
        .exclude(updates__created_at__gte=cutoff)
        .values_list("project__public_id", flat=True)
        .distinct()
    )
    count = 0
    for public_id in list(pending):
        script_settle(project_public_id=str(public_id))
        count += 1
    return count


def _compact(screenplay: Screenplay, doc: Doc, through: int) -> None:
    # Loaders read the snapshot, then updates after `compacted_through`; old rows stay until they
    # are well behind the snapshot, so a loader that read the previous snapshot still finds them.
    Screenplay.objects.filter(pk=screenplay.pk).update(ydoc_snapshot=crdt.snapshot_of(doc), compacted_through=through)
    cutoff = timezone.now() - timedelta(hours=1)
    ScriptUpdate.objects.filter(screenplay=screenplay, id__lte=through, created_at__lt=cutoff).delete()


def _settle(
    project: Project,
    doc: Doc,
    *,
    author: User | None,
    source: str,
    note: str = "",
    author_ids: set[int] | None = None,
    force_revision: bool = False,
) -> Revision:
    screenplay = screenplay_for(project)
    text = crdt.text_of(doc)
    latest = Revision.objects.filter(screenplay=screenplay).order_by("-number").first()
    if latest is not None and latest.text == text and not force_revision:
        return latest
    coalesce = (
        latest is not None
        and not force_revision
        and latest.source == RevisionSource.EDIT
        and timezone.now() - latest.created_at < REVISION_WINDOW
    )
    if coalesce and latest is not None:
        latest.text = text
        latest.save(update_fields=["text", "updated_at"])
        revision = latest
    else:
        revision = Revision.objects.create(
            screenplay=screenplay,
            number=(latest.number + 1) if latest else 1,
            text=text,
            source=source,
            note=note,
        )
    if author is not None:
        revision.authors.add(author)
    if author_ids:
        revision.authors.add(*author_ids)
    # The breakdown, title page and stale frames follow once this commits (script_breakdown_settle).
    screenplay.text = text
    screenplay.save(update_fields=["text", "updated_at"])
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
    return revision


# --- production: locked scene numbers and revision sets (projects/fountain/revisions.py) ------


def _number_scenes(screenplay: Screenplay, doc: Doc, author: User | None) -> None:
    """Write every heading's number into the text (new scenes get 12A, 12B when already locked) and
    remember them all, so one that goes prints as OMITTED."""
    text = crdt.text_of(doc)
    script = fountain.parse(text)
    numbers = revisions.scene_numbers(script, locked=screenplay.scene_numbers_locked)
    _server_edit(screenplay.project, author, crdt.replace_spans(doc, revisions.number_edits(text, script, numbers)))
    known = screenplay.locked_numbers if screenplay.scene_numbers_locked else []
    screenplay.locked_numbers = sorted({*known, *numbers}, key=revisions.number_key)
    screenplay.scene_numbers_locked = True
    screenplay.save(update_fields=["locked_numbers", "scene_numbers_locked", "updated_at"])


def _locked_screenplay(project: Project) -> Screenplay:
    return Screenplay.objects.select_for_update().select_related("project").get(pk=screenplay_for(project).pk)


def scene_numbers_lock(*, access: ProjectAccess) -> Revision:
    """Lock the scene numbers: each heading keeps its number from now on (written into the text as
    a forced number); a scene written later is numbered after the one before it (12A). Locking
    again also locks the new scenes' numbers."""
    with transaction.atomic():
        screenplay = _locked_screenplay(access.project)
        doc = script_doc(access.project)
        _number_scenes(screenplay, doc, access.membership.user)
        revision = _settle(
            access.project,
            doc,
            author=access.membership.user,
            source=RevisionSource.NUMBERS,
            note="Locked scene numbers",
            force_revision=True,
        )
        events.publish_production_changed(project_public_id=access.project.public_id)
    script_breakdown_settle(project=access.project, revision=revision.number)
    return revision


def scene_numbers_unlock(*, access: ProjectAccess) -> Revision:
    """Unlock the scene numbers: the forced numbers leave the text, so scenes are numbered 1, 2, 3 again."""
    with transaction.atomic():
        screenplay = _locked_screenplay(access.project)
        doc = script_doc(access.project)
        text = crdt.text_of(doc)
        edits = revisions.number_edits(text, fountain.parse(text), None)
        _server_edit(access.project, access.membership.user, crdt.replace_spans(doc, edits))
        Screenplay.objects.filter(pk=screenplay.pk).update(scene_numbers_locked=False, locked_numbers=[])
        revision = _settle(
            access.project,
            doc,
            author=access.membership.user,
            source=RevisionSource.NUMBERS,
            note="Unlocked scene numbers (renumbered)",
            force_revision=True,
        )
        events.publish_production_changed(project_public_id=access.project.public_id)
    script_breakdown_settle(project=access.project, revision=revision.number)
    return revision


def revision_set_start(*, access: ProjectAccess) -> RevisionSet:
    """Start the next revision set in the colour order (Blue after the White draft, then Pink ...):
    the script as it stands becomes the set's base, a revision of its own, and changes from here
    print with "*" under the set's colour and date. New scenes' numbers are locked first when the
    numbers are locked."""
    with transaction.atomic():
        screenplay = _locked_screenplay(access.project)
        doc = script_doc(access.project)
        if screenplay.scene_numbers_locked:
            _number_scenes(screenplay, doc, access.membership.user)
        latest = RevisionSet.objects.filter(screenplay=screenplay).order_by("-number").first()
        number = latest.number + 1 if latest else 1
        base = _settle(
            access.project,
            doc,
            author=access.membership.user,
            source=RevisionSource.REVISION_SET,
            note=f"{revisions.revision_colour(number)} revisions started",
            force_revision=True,
        )
        revision_set = RevisionSet.objects.create(
            screenplay=screenplay, number=number, base=base, started_by=access.membership.user
        )
        events.publish_production_changed(project_public_id=access.project.public_id)
    script_breakdown_settle(project=access.project, revision=base.number)
    return revision_set


# --- importing a screenplay file (the upload and the job: projects/script/imports.py) ------------


def script_import_text(*, project: Project, author: User | None, text: str, filename: str, run: JobRun) -> Revision:
    """Put an imported file's text into the script as one CRDT edit and a revision (the breakdown
    follows: script_breakdown_settle). The revision is recorded in the job's checkpoint in the same
    transaction, so a retried job does not import twice."""
    return _replace_text(
        project=project,
        author=author,
        text=text,
        source=RevisionSource.IMPORT,
        note=f"Imported {filename}"[:300],
        run=run,
    )


def revision_restore(*, access: ProjectAccess, revision: Revision) -> Revision:
    """Make an older revision the current text again, as a new revision (nothing is thrown away)."""
    return script_replace_text(
        access=access, text=revision.text, source=RevisionSource.RESTORE, note=f"Restored revision {revision.number}"
    )


# --- generated text, written into the shared document ---------------------------------------


@dataclass(frozen=True)
class JobRun:
    """The job run writing into the script. Each write is recorded in the job's checkpoint in the
    same transaction, so a later attempt (after a worker died) or a retry resumes instead of
    writing the same text twice."""

    job_id: str
    attempt: int


class RunSuperseded(JobCancelled):
    """The job was cancelled or taken over by a later attempt: this run must not write any more."""


def encode_anchor(anchor: bytes) -> str:
    return base64.b64encode(anchor).decode("ascii")


def decode_anchor(text: str) -> bytes:
    return base64.b64decode(text)


def generation_checkpoint(*, run: JobRun) -> dict[str, Any]:
    """What earlier runs of this job wrote into the script (empty for a first run)."""
    return machine.job_checkpoint(public_id=run.job_id)


def _record(run: JobRun, *, record: dict[str, Any] | None = None, written: list[Any] | None = None) -> None:
    # Runs inside the write's transaction, under the screenplay's row lock: one job's records never race.
    checkpoint = machine.job_checkpoint(public_id=run.job_id)
    checkpoint.update(record or {})
    if written is not None:
        checkpoint["written"] = [*checkpoint.get("written", []), written]
    if not machine.job_checkpoint_save(public_id=run.job_id, attempt=run.attempt, checkpoint=checkpoint):
        raise RunSuperseded()


@transaction.atomic
def generation_begin(*, project: Project, headings: list[str], run: JobRun, record: dict[str, Any]) -> list[bytes]:
    """Append scene headings to the script for a generation job; returns an anchor per scene.

    The anchors and `record` (the outline) go into the job's checkpoint with the headings."""
    Screenplay.objects.select_for_update().get(pk=screenplay_for(project).pk)
    doc = script_doc(project)
    update, anchors = crdt.append_sections(doc, headings)
    _record(run, record={**record, "anchors": [encode_anchor(a) for a in anchors], "written": []})
    _server_edit(project, None, update)
    public_id = str(project.public_id)
    transaction.on_commit(lambda: schedule_settle(public_id))
    return anchors


@transaction.atomic
def generation_insert(
    *,
    project: Project,
    anchor: bytes,
    block: str,
    run: JobRun,
    key: list[int] | None = None,
    record: dict[str, Any] | None = None,
) -> None:
    """Insert an accepted block where its anchor points now (after whatever people typed meanwhile).

    The block is recorded in the job's checkpoint under `key` (its scene and round), and `record`
    merged into it, in the same transaction."""
    Screenplay.objects.select_for_update().get(pk=screenplay_for(project).pk)
    doc = script_doc(project)
    _record(run, record=record, written=[*key, block] if key is not None else None)
    _server_edit(project, None, crdt.insert_at_anchor(doc, anchor, block))
    public_id = str(project.public_id)
    transaction.on_commit(lambda: schedule_settle(public_id))


def generation_finish(*, project: Project, requested_by: User | None, note: str) -> Revision:
    """Record the script after a generation job as a revision that says how it was made."""
    with transaction.atomic():
        Screenplay.objects.select_for_update().get(pk=screenplay_for(project).pk)
        revision = _settle(
            project,
            script_doc(project),
            author=requested_by,
            source=RevisionSource.GENERATION,
            note=note[:300],
            force_revision=True,
        )
    script_breakdown_settle(project=project, revision=revision.number)
    return revision


# --- what the text model derives from the script ------------------------------------------


@transaction.atomic
def character_bio_save(
    *, project: Project, name: str, bio: dict[str, str], provenance: dict[str, object]
) -> dict[str, list[str]]:
    """Store a generated bio on a character without overwriting what a person wrote.

    A field is filled when it is empty, or when it still holds the previous generated bio (nobody edited it
    since). A field a person wrote keeps their text: the generated text is kept beside it as a suggestion
    (`bio_provenance["suggested"]`) that the sheet offers with "Use suggestion". What was filled is recorded
    (`replaced`, `written`) so "Undo the bio" can put the earlier text back. Returns the fields written and
    the fields suggested."""
    from projects.characters.services import BIO_FIELDS, same_sheet_text
    from projects.models import Character

    character = Character.objects.select_for_update().get(project=project, name=name)
    earlier = {} if character.bio_provenance.get("undone") else character.bio_provenance
    old_replaced, old_written = dict(earlier.get("replaced") or {}), dict(earlier.get("written") or {})
    replaced: dict[str, str] = {}
    written: dict[str, str] = {}
    suggested: dict[str, str] = {}
    filled: list[str] = []
    for key in BIO_FIELDS:
        current = getattr(character, key)
        # A field that still holds the previous run's text is the machine's: what the person had is that run's record.
        untouched = key in old_written and same_sheet_text(current, old_written[key])
        new = bio.get(key) or ""
        if new and same_sheet_text(new, current):
            new = ""
        if new and (untouched or not current.strip()):
            replaced[key] = old_replaced.get(key, "") if untouched else current
            written[key] = new
            setattr(character, key, new)
            filled.append(key)
        elif untouched:
            replaced[key], written[key] = old_replaced.get(key, ""), old_written[key]
            if new:
                suggested[key] = new
        elif new:
            suggested[key] = new
    character.bio_provenance = dict(provenance)
    if replaced:
        character.bio_provenance.update(replaced=replaced, written=written)
    if suggested:
        character.bio_provenance["suggested"] = suggested
    character.version += 1
    character.save()
    events.publish_character_changed(project_public_id=project.public_id, character_public_id=character.public_id)
    return {"written": filled, "suggested": list(suggested)}


@transaction.atomic
def shot_list_replace(*, scene_id: int, shots: list[dict[str, object]]) -> int:
    """Replace a scene's shot list."""
    from projects.models import Shot

    Shot.objects.filter(scene_id=scene_id).delete()
    Shot.objects.bulk_create(Shot(scene_id=scene_id, position=i, **shot) for i, shot in enumerate(shots))
    return len(shots)


@transaction.atomic
def generation_anchor(*, project: Project, utf16_offset: int | None = None, line: int | None = None) -> bytes:
    """An anchor in the script: at a browser cursor (UTF-16 offset) or at the start of a line."""
    doc = script_doc(project)
    text = crdt.text_of(doc)
    if line is not None:
        lines = text.split("\n")
        index = len("\n".join(lines[: max(0, line - 1)])) + (1 if line > 1 else 0)
    else:
        index = crdt.utf16_to_index(text, utf16_offset or 0)
    return crdt.anchor_at(doc, min(index, len(text)))


def generation_range_text(*, project: Project, start: bytes, end: bytes) -> str:
    return crdt.range_text(script_doc(project), start, end)[2]


@transaction.atomic
def generation_replace(
    *, project: Project, start: bytes, end: bytes, new: str, run: JobRun, record: dict[str, Any]
) -> None:
    """Replace the text between two anchors as one CRDT edit, recording `record` in the job's checkpoint."""
    Screenplay.objects.select_for_update().get(pk=screenplay_for(project).pk)
    _record(run, record=record)
    _server_edit(project, None, crdt.replace_range(script_doc(project), start, end, new))
    public_id = str(project.public_id)
    transaction.on_commit(lambda: schedule_settle(public_id))
