"""Reads about the screenplay: breakdown, revisions, reports. Access comes from ProjectAccess."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from projects.models import Character, Location, Project, Revision, Scene, Screenplay
from projects.teams.selectors import ProjectAccess


def screenplay_get(*, access: ProjectAccess) -> Screenplay:
    screenplay, _ = Screenplay.objects.get_or_create(project=access.project)
    return screenplay


def scene_list(*, access: ProjectAccess) -> QuerySet[Scene]:
    return Scene.objects.filter(project=access.project).order_by("position")


def character_list(*, access: ProjectAccess) -> QuerySet[Character]:
    return Character.objects.filter(project=access.project).order_by("-in_script", "-dialogue_words", "name")


def location_list(*, access: ProjectAccess) -> QuerySet[Location]:
    return Location.objects.filter(project=access.project).order_by("-scene_count", "name")


def revision_list(*, access: ProjectAccess) -> QuerySet[Revision]:
    return Revision.objects.filter(screenplay__project=access.project).prefetch_related("authors").order_by("-number")


def revision_get(*, access: ProjectAccess, public_id: str) -> Revision:
    revision = Revision.objects.filter(screenplay__project=access.project, public_id=public_id).first()
    if revision is None:
        raise Http404("No such revision")
    return revision


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap"
    text: str
    old_line: int | None
    new_line: int | None


def revision_diff(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """Line diff of a revision (old) against another text (new), with a few lines of context."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…", None, None))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", old_lines[i], i + 1, j1 + k + 1) for k, i in enumerate(range(i1, i2))]
                continue
            if tag in ("replace", "delete"):
                lines += [DiffLine("removed", old_lines[i], i + 1, None) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                lines += [DiffLine("added", new_lines[j], None, j + 1) for j in range(j1, j2)]
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
