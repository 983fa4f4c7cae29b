"""Reads about the screenplay: breakdown, revisions, reports. Access comes from ProjectAccess."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from projects import fountain
from projects.fountain.pdf import Revised
from projects.fountain.revisions import omitted_numbers, revision_colour
from projects.models import (
    Character,
    Location,
    Project,
    Revision,
    RevisionSet,
    Scene,
    Screenplay,
    ScriptNote,
    ScriptNoteReply,
)
from projects.teams.selectors import ProjectAccess, as_uuid


def screenplay_get(*, access: ProjectAccess) -> Screenplay:
    screenplay, _ = Screenplay.objects.get_or_create(project=access.project)
    return screenplay


def scene_list(*, access: ProjectAccess) -> QuerySet[Scene]:
    return Scene.objects.filter(project=access.project).order_by("position")


def scene_count(*, access: ProjectAccess) -> int:
    return Scene.objects.filter(project=access.project).count()


def scene_page(
    *, access: ProjectAccess, after: int = -1, query: str = "", limit: int
) -> tuple[list[Scene], int | None]:
    """Up to `limit` scenes after a position (those whose heading contains `query`, or whose number
    is it, when given), and the position to ask after for the next page: None on the last."""
    scenes = scene_list(access=access).filter(position__gt=after)
    if query:
        scenes = scenes.filter(Q(heading__icontains=query) | Q(number__iexact=query))
    page = list(scenes.only("position", "number", "heading", "start_line", "eighths")[: limit + 1])
    return page[:limit], (page[limit - 1].position if len(page) > limit else None)


def character_list(*, access: ProjectAccess) -> QuerySet[Character]:
    return Character.objects.filter(project=access.project).order_by("-in_script", "-dialogue_words", "name")


def location_list(*, access: ProjectAccess) -> QuerySet[Location]:
    return Location.objects.filter(project=access.project).order_by("-scene_count", "name")


def revision_list(*, access: ProjectAccess) -> QuerySet[Revision]:
    return Revision.objects.filter(screenplay__project=access.project).prefetch_related("authors").order_by("-number")


def revision_get(*, access: ProjectAccess, public_id: str) -> Revision:
    revision = Revision.objects.filter(
        screenplay__project=access.project, public_id=as_uuid(public_id, "revision")
    ).first()
    if revision is None:
        raise Http404("No such revision")
    return revision


def revision_set_current(*, access: ProjectAccess) -> RevisionSet | None:
    """The revision set in force (the latest started), or None while the script is the White draft."""
    return RevisionSet.objects.filter(screenplay__project=access.project).select_related("base").first()


def omitted_scene_numbers(*, access: ProjectAccess) -> list[str]:
    """Locked scene numbers whose scenes are gone (printed as "12 OMITTED")."""
    screenplay = screenplay_get(access=access)
    if not screenplay.scene_numbers_locked:
        return []
    present = Scene.objects.filter(project=access.project).values_list("number", flat=True)
    return omitted_numbers(list(screenplay.locked_numbers), list(present))


def revision_set_list(*, access: ProjectAccess) -> QuerySet[RevisionSet]:
    return RevisionSet.objects.filter(screenplay__project=access.project).select_related("base", "started_by")


def revision_set_next_name(*, access: ProjectAccess) -> str:
    """The colour of the set a user would start next ("Blue" after the White draft)."""
    current = revision_set_current(access=access)
    return revision_colour(current.number + 1 if current is not None else 1)


# The print form offers the revision sets' starts and this many of the latest revisions to mark changes against.
PRINT_REVISION_CHOICES = 30


def print_choices(*, access: ProjectAccess) -> list[tuple[str, str]]:
    """What a revised print can mark changes against: each set's start, then recent revisions
    (public id, label), the current set's start first."""
    choices = [
        (str(s.base.public_id), f"Start of {s.name} revisions ({s.date_display})")
        for s in revision_set_list(access=access)
    ]
    seen = {public_id for public_id, _ in choices}
    for revision in revision_list(access=access)[:PRINT_REVISION_CHOICES]:
        if str(revision.public_id) not in seen:
            when = timezone.localtime(revision.created_at)
            choices.append((str(revision.public_id), f"Revision {revision.number} ({when:%d %b %Y %H:%M})"))
    return choices


def script_print(*, access: ProjectAccess, since: str | None) -> tuple[str, Revised]:
    """The text to print and how to print it as a production revision: numbers locked or not, the
    set in force, and the text whose changes get "*" (`since`: a revision's public id, or "none";
    by default the current set's start, and no marks before any set)."""
    screenplay = screenplay_get(access=access)
    current = revision_set_current(access=access)
    base: Revision | None = None
    if since and since != "none":
        base = revision_get(access=access, public_id=since)
    elif not since and current is not None:
        base = current.base
    revised = Revised(
        since=fountain.parse(base.text) if base is not None else None,
        name=current.name if current is not None else "",
        date=current.date_display if current is not None else "",
        locked_numbers=list(screenplay.locked_numbers) if screenplay.scene_numbers_locked else None,
    )
    return screenplay.text, revised


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap"
    text: str
    old_line: int | None
    new_line: int | None


# Past this many lines between the common head and tail (both sides together) the page offers both
# versions to download instead: the diff would be slow to make and too long to read on a page.
DIFF_MAX_LINES = 20_000


def revision_diff(old: str, new: str, *, context: int = 3) -> list[DiffLine] | None:
    """Line diff of a revision (old) against another text (new), with a few lines of context;
    None when the lines between the common head and tail are too many to compare on a page."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while tail < min(len(old_lines), len(new_lines)) - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    if (len(old_lines) - head - tail) + (len(new_lines) - head - tail) > DIFF_MAX_LINES:
        return None
    # Only the changed middle goes to difflib, with the context lines either side of it. autojunk
    # sets aside lines that make up over 1% of the text (blank lines, "CUT TO:") as anchors: without
    # it, every blank line matches every other and 8,000 lines took seconds (bench/diff.py).
    start = max(0, head - context)
    old_end, new_end = len(old_lines) - max(0, tail - context), len(new_lines) - max(0, tail - context)
    a, b = old_lines[start:old_end], new_lines[start:new_end]
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=True)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…", None, None))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", a[i1 + k], start + i1 + k + 1, start + j1 + k + 1) for k in range(i2 - i1)]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("removed", a[i], start + i + 1, None) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                lines += [DiffLine("added", b[j], None, start + j + 1) for j in range(j1, j2)]
    return lines


def scene_at(*, project: Project, position: int) -> Scene | None:
    """The scene at a 1-based position in the script (for a job that names a scene by number)."""
    return Scene.objects.filter(project=project, position=position - 1).first()


def characters_for_bios(*, project: Project, names: list[str], limit: int = 5) -> list[Character]:
    """The characters a bios job writes for: the named ones, or those with the most dialogue."""
    chosen = Character.objects.filter(project=project, in_script=True)
    if names:
        chosen = chosen.filter(name__in=names)
    return list(chosen.order_by("-dialogue_words", "name")[:limit])


def script_text(*, project: Project) -> str:
    """The script's settled Fountain text (empty before anyone wrote)."""
    return Screenplay.objects.filter(project=project).values_list("text", flat=True).first() or ""


def script_upload_read(*, project: Project, upload: str) -> bytes | None:
    """An uploaded screenplay waiting for its import job (None once it is gone)."""
    from projects.media import script_upload_path

    try:
        return script_upload_path(project.public_id, upload).read_bytes()
    except FileNotFoundError:
        return None


def breakdown_counts(*, project: Project) -> dict[str, int]:
    """How many scenes, characters in the script and locations the breakdown has."""
    return {
        "scenes": Scene.objects.filter(project=project).count(),
        "characters": Character.objects.filter(project=project, in_script=True).count(),
        "locations": Location.objects.filter(project=project).count(),
    }


def note_list(*, access: ProjectAccess) -> QuerySet[ScriptNote]:
    """The script's notes, open ones first, each with its thread, people and mentions (every member reads them)."""
    replies = ScriptNoteReply.objects.select_related("author").prefetch_related("mentions").order_by("created_at", "id")
    return (
        ScriptNote.objects.filter(screenplay__project=access.project)
        .select_related("author", "resolved_by")
        .prefetch_related("mentions", Prefetch("replies", queryset=replies))
        .order_by("resolved", "created_at", "id")
    )


def note_get(*, access: ProjectAccess, public_id: object) -> ScriptNote:
    note = ScriptNote.objects.filter(screenplay__project=access.project, public_id=as_uuid(public_id, "note")).first()
    if note is None:
        raise Http404("No such note")
    return note


def note_reply_get(*, access: ProjectAccess, public_id: object) -> ScriptNoteReply:
    reply = ScriptNoteReply.objects.filter(
        note__screenplay__project=access.project, public_id=as_uuid(public_id, "reply")
    ).first()
    if reply is None:
        raise Http404("No such reply")
    return reply


def note_mentions_user(note: ScriptNote, user_id: int) -> bool:
    """Whether a note (fetched by note_list) or a reply in its thread mentions the user."""
    return any(u.pk == user_id for u in note.mentions.all()) or any(
        u.pk == user_id for reply in note.replies.all() for u in reply.mentions.all()
    )
