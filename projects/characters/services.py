"""Writes about characters: the sheet, hand-added characters, designed faces and the chosen identity.

Every change bumps the character's version (so two people saving the sheet at once can't overwrite
each other) and is published after commit to the character's group and the project's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from projects import events
from projects.characters.selectors import is_main
from projects.fountain.names import clean_name, fit_name
from projects.models import CHARACTER_NAME_LENGTH, Character, Portrait, Project
from projects.teams.selectors import ProjectAccess

SHEET_FIELDS = ("description", "look", "personality", "wants", "needs", "key_actions", "notes", "voice")
BIO_FIELDS = ("look", "personality", "wants", "needs", "key_actions")  # what the generated bio writes


def same_sheet_text(a: str, b: str) -> bool:
    """Equal as sheet text: saving the sheet through a browser turns newlines into CRLF and strips the ends."""

    def norm(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))

    return norm(a) == norm(b)


def _changed(character: Character) -> None:
    events.publish_character_changed(
        project_public_id=character.project.public_id, character_public_id=character.public_id
    )


@transaction.atomic
def character_create(*, access: ProjectAccess, name: str, description: str = "") -> Character:
    """Add a character by hand (Fountain cues are upper case, so the name is too)."""
    clean = fit_name(clean_name(name).upper(), CHARACTER_NAME_LENGTH)
    if not clean:
        raise ValidationError("Give the character a name.")
    if Character.objects.filter(project=access.project, name=clean).exists():
        raise ValidationError(f"{clean} is already in the cast.")
    try:
        with transaction.atomic():
            character = Character.objects.create(
                project=access.project,
                name=clean,
                description=description,
                in_script=False,
                added_by_hand=True,
            )
    except IntegrityError as exc:
        raise ValidationError(f"{clean} is already in the cast.") from exc
    _changed(character)
    return character


@transaction.atomic
def character_update(*, access: ProjectAccess, character: Character, version: int, fields: dict[str, str]) -> Character:
    """Save the sheet's text, unless someone else saved it since `version` was read."""
    current = Character.objects.select_for_update().select_related("project").get(pk=character.pk)
    if current.version != version:
        raise ValidationError(
            "Someone else saved this sheet while you were editing it. Your text is still in the form: "
            "compare it with theirs below, then save again."
        )
    for key in SHEET_FIELDS:
        if key in fields:
            setattr(current, key, fields[key])
    current.version += 1
    current.save()
    _changed(current)
    return current


@transaction.atomic
def character_bio_undo(*, access: ProjectAccess, character: Character) -> list[str]:
    """Put back the sheet text the last generated bio replaced; fields edited since keep their new text.

    Returns the fields restored."""
    current = Character.objects.select_for_update().select_related("project").get(pk=character.pk)
    replaced = dict(current.bio_provenance.get("replaced") or {})
    written = dict(current.bio_provenance.get("written") or {})
    if not replaced:
        raise ValidationError("There is no generated bio to undo on this sheet.")
    restored = []
    for key, old in replaced.items():
        if key in BIO_FIELDS and (key not in written or same_sheet_text(getattr(current, key), written[key])):
            setattr(current, key, old)
            restored.append(key)
    current.bio_provenance = {k: v for k, v in current.bio_provenance.items() if k not in ("replaced", "written")}
    current.bio_provenance["undone"] = True
    current.version += 1
    current.save()
    _changed(current)
    return restored


@transaction.atomic
def character_bio_suggestion(*, access: ProjectAccess, character: Character, field: str, use: bool) -> Character:
    """Use a generated bio's suggestion for a field a person wrote (undo puts their text back), or dismiss it."""
    current = Character.objects.select_for_update().select_related("project").get(pk=character.pk)
    provenance = dict(current.bio_provenance)
    suggested = dict(provenance.get("suggested") or {})
    if field not in BIO_FIELDS or field not in suggested:
        raise ValidationError("There is no suggestion for that field any more.")
    text = suggested.pop(field)
    if use:
        replaced = dict(provenance.get("replaced") or {})
        written = dict(provenance.get("written") or {})
        replaced[field], written[field] = getattr(current, field), text
        provenance.update(replaced=replaced, written=written)
        provenance.pop("undone", None)
        setattr(current, field, text)
    provenance["suggested"] = suggested
    if not suggested:
        del provenance["suggested"]
    current.bio_provenance = provenance
    current.version += 1
    current.save()
    _changed(current)
    return current


def portrait_fingerprint(portrait: Portrait) -> list[float]:
    """The face's fingerprint, measured from its picture (and kept) when it has none yet: faces drawn before
    fingerprints existed, or brought in by an archive."""
    if portrait.fingerprint:
        return list(portrait.fingerprint)
    import numpy as np
    from PIL import Image

    from generation.engines import face_identity
    from projects.media import project_file

    source = project_file(portrait.character.project.public_id, portrait.image)
    if source is None:
        return []
    with Image.open(source) as image:
        pixels = np.asarray(image.convert("RGB"))
    try:
        found = face_identity.cached_fingerprinter().fingerprint(pixels)
    except face_identity.FaceIdentityError:
        return []
    portrait.fingerprint = face_identity.as_list(found)
    Portrait.objects.filter(pk=portrait.pk).update(fingerprint=portrait.fingerprint)
    return list(portrait.fingerprint)


def main_cast_fingerprints(*, character: Character) -> dict[str, list[float]]:
    """The other main characters' chosen faces' fingerprints by name, measured where missing (none when
    this character isn't main)."""
    if not is_main(character):
        return {}
    found = {}
    for other in (
        Character.objects.filter(project_id=character.project_id, identity__isnull=False)
        .exclude(pk=character.pk)
        .select_related("identity", "project")
    ):
        if is_main(other) and other.identity is not None:
            fingerprint = portrait_fingerprint(other.identity)
            if fingerprint:
                found[other.name] = fingerprint
    return found


def lookalike_of(*, character: Character, portrait: Portrait) -> tuple[str, float] | None:
    """The other main character whose chosen face this one would be taken for (the closest), if any."""
    from generation.engines import face_identity

    others = main_cast_fingerprints(character=character)
    mine = portrait_fingerprint(portrait) if others else []
    near = face_identity.lookalikes(mine, others) if mine else []
    return near[0] if near else None


def character_choose_identity(*, character: Character, portrait: Portrait, allow_lookalike: bool = False) -> Character:
    """Make a portrait the character's face; earlier choices stay in its history (choose one to undo).

    A face that another main character's chosen face would be taken for (fingerprints closer than dlib's
    0.6) is refused unless `allow_lookalike` (twins, a younger self). Fingerprints measured for the check
    are kept even when the choice is refused, so they are measured once."""
    from generation.engines import face_identity

    if portrait.character_id != character.pk:
        raise ValidationError("That portrait belongs to another character.")
    if not allow_lookalike:
        found = lookalike_of(character=character, portrait=portrait)
        if found is not None:
            other, gap = found
            raise ValidationError(
                f"This face looks like {other}'s: their fingerprints are {gap:.2f} apart, and under "
                f"{face_identity.SAME_PERSON} people read two faces as one person. Choose another face for "
                f"{character.name}, or “Choose anyway” if they should look alike (twins, a younger self)."
            )
    return _choose(character, portrait)


@transaction.atomic
def _choose(character: Character, portrait: Portrait) -> Character:
    now = timezone.now()
    Portrait.objects.filter(pk=portrait.pk).update(chosen_at=now)
    Character.objects.filter(pk=character.pk).update(identity=portrait, version=F("version") + 1)
    character.refresh_from_db()
    _changed(character)
    return character


@dataclass(frozen=True)
class NewPortrait:
    index: int
    latent: list[float]
    image: str
    seed: int
    score: float | None = None
    matched: Sequence[str] = ()
    missed: Sequence[str] = ()
    parents: dict[str, Any] | None = None
    fingerprint: Sequence[float] = ()


@transaction.atomic
def portraits_record(
    *,
    project: Project,
    character_public_id: str,
    job_id: int,
    kind: str,
    model: Any,
    model_sha256: str,
    portraits: Sequence[NewPortrait],
) -> list[Portrait]:
    """Store a design run's faces (a retry of the same job replaces its rows rather than adding more)."""
    character = Character.objects.select_related("project").get(project=project, public_id=character_public_id)
    # A retry replaces the rows of its own earlier attempt; a chosen face is never deleted.
    chosen = set(Character.objects.filter(identity__job_id=job_id).values_list("identity_id", flat=True))
    Portrait.objects.filter(job_id=job_id).exclude(pk__in=chosen).exclude(chosen_at__isnull=False).delete()
    kept = set(Portrait.objects.filter(job_id=job_id).values_list("index", flat=True))
    rows = [
        Portrait(
            character=character,
            job_id=job_id,
            index=new.index,
            kind=kind,
            model=model,
            model_name=model.name if model else "",
            model_sha256=model_sha256,
            latent=[round(float(v), 7) for v in new.latent],
            seed=new.seed,
            image=new.image,
            score=new.score,
            matched=list(new.matched),
            missed=list(new.missed),
            parents=new.parents or {},
            fingerprint=list(new.fingerprint),
        )
        for new in portraits
        if new.index not in kept
    ]
    Portrait.objects.bulk_create(rows)
    _changed(character)
    return rows


@transaction.atomic
def portrait_set_upscaled(*, portrait_public_id: str, image: str, upscaler: str) -> Portrait:
    portrait = Portrait.objects.select_related("character__project").get(public_id=portrait_public_id)
    portrait.upscaled = image
    portrait.upscaler = upscaler
    portrait.save(update_fields=["upscaled", "upscaler"])
    Character.objects.filter(pk=portrait.character_id).update(version=F("version") + 1)
    _changed(portrait.character)
    return portrait
