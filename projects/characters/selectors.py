"""Reads about characters and their designed faces. Access comes from ProjectAccess."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from projects.media import project_file
from projects.models import Character, Portrait, PortraitKind, Project
from projects.teams.selectors import ProjectAccess, as_uuid


def is_main(character: Character) -> bool:
    """A main character: one who speaks in the script, or one added by hand. Their faces must differ."""
    return character.dialogue_lines > 0 or character.added_by_hand


def steering_text(character: Character) -> str:
    """What the face steering reads: the look, then the description."""
    return " ".join(part for part in (character.look, character.description) if part).strip()


def character_list(*, access: ProjectAccess) -> QuerySet[Character]:
    """The cast, in-script and most-speaking first, with each chosen face in the same query."""
    return (
        Character.objects.filter(project=access.project)
        .select_related("identity")
        .order_by("-in_script", "-dialogue_words", "name")
    )


def character_get(*, access: ProjectAccess, public_id: Any) -> Character:
    character = (
        Character.objects.select_related("identity", "project")
        .filter(project=access.project, public_id=as_uuid(public_id, "character"))
        .first()
    )
    if character is None:
        raise Http404("No such character")
    return character


def portrait_get(*, access: ProjectAccess, public_id: Any) -> Portrait:
    portrait = (
        Portrait.objects.select_related("character")
        .filter(character__project=access.project, public_id=as_uuid(public_id, "portrait"))
        .first()
    )
    if portrait is None:
        raise Http404("No such portrait")
    return portrait


def portrait_batches(*, character: Character, limit: int = 4) -> list[dict[str, Any]]:
    """The latest design runs of a character (grids and strips), newest first, each with its faces.

    Each face carries what its card says: `badges` (✓ sure match, ✗ sure miss, ? not sure, per wanted
    attribute) and `lookalike` (another main character's chosen face it would be taken for, and how close)."""
    from generation.engines import face_identity
    from generation.models import GenerationJob

    jobs = list(GenerationJob.objects.filter(portraits__character=character).distinct().order_by("-created_at")[:limit])
    portraits = Portrait.objects.filter(character=character, job__in=jobs).order_by("index")
    by_job: dict[int, list[Portrait]] = {}
    for portrait in portraits:
        by_job.setdefault(portrait.job_id or 0, []).append(portrait)
    cast = cast_fingerprints(character=character)
    batches = []
    for job in jobs:
        faces = by_job.get(job.pk, [])
        if faces:
            kind = faces[0].kind
            wanted = (job.result or {}).get("wanted") or {}
            for p in faces:
                p.badges = _badges(p, wanted)  # type: ignore[attr-defined]
                near = face_identity.lookalikes(p.fingerprint, cast) if p.fingerprint else []
                p.lookalike = near[0] if near else None  # type: ignore[attr-defined]
            batches.append({"job": job, "kind": kind, "label": PortraitKind(kind).label, "portraits": faces})
    return batches


def _badges(portrait: Portrait, wanted: dict[str, str]) -> list[tuple[str, str, str]]:
    """(symbol, css modifier, "attribute: value") per wanted attribute, in the look's order."""
    names = [f"{k}: {v}" for k, v in wanted.items()] or [*portrait.matched, *portrait.missed]
    out = []
    for name in names:
        if name in portrait.matched:
            out.append(("✓", "ok", name))
        elif name in portrait.missed:
            out.append(("✗", "miss", name))
        else:
            out.append(("?", "unsure", name))
    return out


def cast_fingerprints(*, character: Character) -> dict[str, list[float]]:
    """The other main characters' chosen faces' fingerprints, by name (none when this one isn't main)."""
    if not is_main(character):
        return {}
    found = {}
    for other in (
        Character.objects.filter(project_id=character.project_id, identity__isnull=False)
        .exclude(pk=character.pk)
        .select_related("identity")
    ):
        if is_main(other) and other.identity is not None and other.identity.fingerprint:
            found[other.name] = list(other.identity.fingerprint)
    return found


def identity_history(*, character: Character, limit: int = 12) -> QuerySet[Portrait]:
    """Faces this character has had, most recently chosen first (choose one again to undo)."""
    return Portrait.objects.filter(character=character, chosen_at__isnull=False).order_by("-chosen_at")[:limit]


def character_identity_image(character: Character) -> Path | None:
    """The file of the character's chosen face (upscaled when there is one), for frames and the animatic."""
    if character.identity is None:
        return None
    return project_file(character.project.public_id, character.identity.best_image)


def characters_with_identity(*, access: ProjectAccess) -> QuerySet[Character]:
    return character_list(access=access).filter(identity__isnull=False)


def character_for_job(*, project: Project, public_id: Any) -> Character:
    """A job's character with its chosen face; DoesNotExist once deleted (the job ends quietly)."""
    return Character.objects.select_related("identity").get(project=project, public_id=public_id)


def portrait_for_job(*, project: Project, public_id: Any) -> Portrait:
    return Portrait.objects.select_related("character").get(character__project=project, public_id=public_id)


def character_voices(*, project: Project) -> dict[str, str]:
    """Each character's chosen scratch voice by the name its cues carry ("" where the name picks it)."""
    from generation.engines.voices import canonical_name

    return {canonical_name(n): v for n, v in Character.objects.filter(project=project).values_list("name", "voice")}
