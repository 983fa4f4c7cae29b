"""Rebuild a project's breakdown (scenes, characters, locations) from its Fountain text."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from projects import fountain
from projects.models import Character, Location, Project, Scene


@transaction.atomic
def rebuild_breakdown(project: Project, text: str) -> dict[str, Any]:
    """Replace the scene and location rows; update characters in place (their sheets stay)."""
    result = fountain.breakdown(fountain.parse(text))
    lines = text.split("\n")
    Scene.objects.filter(project=project).delete()
    Scene.objects.bulk_create(
        Scene(
            project=project,
            position=index,
            number=scene.number,
            heading=scene.heading[:500],
            int_ext=scene.int_ext[:20],
            location=scene.location[:300],
            time_of_day=scene.time_of_day[:100],
            eighths=scene.eighths,
            start_line=scene.start_line,
            end_line=scene.end_line,
            characters=sorted(scene.characters),
            synopsis=" ".join(scene.synopses)[:2000],
            content_hash=hashlib.sha256("\n".join(lines[scene.start_line - 1 : scene.end_line]).encode()).hexdigest(),
        )
        for index, scene in enumerate(result.scenes)
    )
    Location.objects.filter(project=project).delete()
    Location.objects.bulk_create(
        Location(
            project=project,
            name=location.name[:300],
            scene_count=len(location.scenes),
            scene_numbers=location.scenes,
            int_ext=sorted(location.int_ext),
            times_of_day=sorted(location.times_of_day),
        )
        for location in result.locations
    )
    existing = {c.name: c for c in Character.objects.filter(project=project)}
    seen = set()
    for found in result.characters:
        seen.add(found.name)
        row = existing.get(found.name) or Character(project=project, name=found.name[:200])
        row.in_script = True
        row.first_scene = found.first_scene
        row.scene_count = found.scene_count
        row.dialogue_lines = found.dialogue_lines
        row.dialogue_words = found.dialogue_words
        row.extensions = sorted(found.extensions)
        row.save()
    Character.objects.filter(project=project, added_by_hand=False).exclude(name__in=seen).update(
        in_script=False, scene_count=0, dialogue_lines=0, dialogue_words=0
    )
    return dict(result.title_page)
