"""Rebuild a project's breakdown (scenes, characters, locations) from its Fountain text."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.db.models import F

from projects import fountain
from projects.fountain.names import fit_name
from projects.models import CHARACTER_NAME_LENGTH, LOCATION_NAME_LENGTH, Character, Location, Project, Scene

_SCRIPT_FIELDS = ["in_script", "first_scene", "scene_count", "dialogue_lines", "dialogue_words", "extensions"]


@transaction.atomic
def rebuild_breakdown(project: Project, text: str) -> dict[str, Any]:
    """Replace the scene and location rows; update characters in place (their sheets stay)."""
    result = fountain.breakdown(fountain.parse(text))
    lines = text.split("\n")
    # Scenes keep their rows (and so their shots and frames) while their heading stays: the k-th
    # scene with a heading takes over the k-th row that had it. Positions move in two steps
    # because (project, position) is unique.
    existing: dict[str, list[Scene]] = {}
    for row in Scene.objects.filter(project=project).order_by("position"):
        existing.setdefault(row.heading, []).append(row)
    Scene.objects.filter(project=project).update(position=F("position") + 1_000_000)
    kept: list[int] = []
    for index, scene in enumerate(result.scenes):
        heading = scene.heading[:500]
        row = existing.get(heading, []).pop(0) if existing.get(heading) else Scene(project=project, heading=heading)
        row.position = index
        row.number = scene.number
        row.int_ext = scene.int_ext[:20]
        row.location = fit_name(scene.location, LOCATION_NAME_LENGTH)
        row.time_of_day = scene.time_of_day[:100]
        row.eighths = scene.eighths
        row.start_line = scene.start_line
        row.end_line = scene.end_line
        row.characters = sorted(fit_name(name, CHARACTER_NAME_LENGTH) for name in scene.characters)
        row.synopsis = " ".join(scene.synopses)[:2000]
        row.content_hash = hashlib.sha256("\n".join(lines[scene.start_line - 1 : scene.end_line]).encode()).hexdigest()
        row.save()
        kept.append(row.pk)
    Scene.objects.filter(project=project).exclude(pk__in=kept).delete()
    Location.objects.filter(project=project).delete()
    Location.objects.bulk_create(
        Location(
            project=project,
            name=fit_name(location.name, LOCATION_NAME_LENGTH),
            scene_count=len(location.scenes),
            scene_numbers=location.scenes,
            int_ext=sorted(location.int_ext),
            times_of_day=sorted(location.times_of_day),
        )
        for location in result.locations
    )
    by_name = {c.name: c for c in Character.objects.filter(project=project)}
    seen = set()
    for found in result.characters:
        # A name over the column is stored fitted (its start and a hash), so each import finds its row again.
        name = fit_name(found.name, CHARACTER_NAME_LENGTH)
        seen.add(name)
        person = by_name.get(name) or Character(project=project, name=name)
        person.in_script = True
        person.first_scene = found.first_scene
        person.scene_count = found.scene_count
        person.dialogue_lines = found.dialogue_lines
        person.dialogue_words = found.dialogue_words
        person.extensions = sorted(found.extensions)
        # Only the script's counts: a sheet someone saves meanwhile keeps its text and face.
        person.save(update_fields=_SCRIPT_FIELDS if person.pk else None)
    Character.objects.filter(project=project, added_by_hand=False).exclude(name__in=seen).update(
        in_script=False, scene_count=0, dialogue_lines=0, dialogue_words=0
    )
    return dict(result.title_page)
