# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads about terms: which models made a project's media (for its exports' credits), and every model a
visitor may know of (for the About page).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from generation import licences, registry
from generation.kinds import kind_label
from generation.models import GenerationJob, JobStatus, ModelEntry
from projects.models import Animatic, Frame, Portrait, Project
from projects.teams.selectors import AnyUser


def _entries_by_name(project: Project, names: set[str]) -> dict[str, ModelEntry]:
    visible = Q(project__isnull=True) | Q(project=project)
    return {e.name: e for e in ModelEntry.objects.filter(visible, name__in=names)} if names else {}


def project_credits(
    *,
    project: Project,
    voices: bool | None = None,
    voice_engines: list[str] | None = None,
    music: bool | None = None,
    music_track: tuple[str, str] | None = None,
) -> list[licences.Credit]:
    """The models that made this project's media, with their licences and their training data's terms.

    Faces from the portraits (and the upscaler that enlarged them), text from the jobs that recorded a
    model in their provenance, stylized frames from their render info, and the scratch voices: from the
    project's latest animatic, or as `voices` (and `voice_engines`: "piper", "espeak") say for an animatic
    being rendered now, and the score (from the latest animatic's timeline, or as `music` says). A model no longer
    registered is still named, with the licence its job recorded where there is one.
    """
    credits: list[licences.Credit] = []
    portraits = Portrait.objects.filter(character__project=project)
    faces = set(portraits.values_list("model_id", "model_name").distinct())
    entries = {e.pk: e for e in ModelEntry.objects.filter(pk__in={pk for pk, _ in faces if pk})}
    by_name = _entries_by_name(project, {name for pk, name in faces if not pk})
    seen: set[str] = set()
    for pk, name in sorted(faces, key=lambda f: f[1]):
        entry = entries.get(pk) if pk else by_name.get(name)
        key = entry.name if entry else name
        if key in seen:
            continue
        seen.add(key)
        if entry is not None:
            credits.append(registry.model_credit(entry, used_for="character faces"))
        else:
            credits.append(licences.Credit("Faces", name, "unknown: the model is no longer registered"))
    upscalers = set(portraits.exclude(upscaler="").values_list("upscaler", flat=True).distinct())
    for terms in licences.UPSCALERS.values():
        if any(terms.location.rsplit("/", 1)[-1] in label for label in upscalers):
            credits.append(terms.as_credit(used_for="upscaled portraits"))

    uses: dict[str, set[str]] = defaultdict(set)
    recorded: dict[str, str] = {}
    jobs = GenerationJob.objects.filter(
        project=project, status=JobStatus.SUCCEEDED, result__provenance__has_key="model"
    ).values_list("kind", "result__provenance__model", "result__provenance__license")
    for kind, name, licence in jobs:
        if isinstance(name, str) and name:
            uses[name].add(kind_label(kind).lower())
            recorded.setdefault(name, licence if isinstance(licence, str) else "")
    stylized = Frame.objects.filter(project=project).exclude(stylized="")
    for name in stylized.values_list("render_info__stylized__model", flat=True).distinct():
        if isinstance(name, str) and name:
            uses[name].add("stylized frames")
    by_name = _entries_by_name(project, set(uses))
    for name in sorted(uses):
        used_for = ", ".join(sorted(uses[name]))
        entry = by_name.get(name)
        if entry is not None:
            credits.append(registry.model_credit(entry, used_for=used_for))
        else:
            licence = recorded.get(name) or "unknown: the model is no longer registered"
            role = "Stylize" if uses[name] == {"stylized frames"} else "Text"
            credits.append(licences.Credit(role, name, licence, used_for=used_for))

    if voices is None:
        film = Animatic.objects.filter(project=project, voices=True).order_by("-created_at").first()
        voices = film is not None
        if film is not None and voice_engines is None:
            voice_engines = film.timeline.get("voice_engines")
    if voices:
        for engine in voice_engines or ["espeak"]:
            credits.append(
                licences.VOICE_TERMS.get(engine, licences.ESPEAK_VOICES).as_credit(used_for="scratch voices")
            )
    if music is None:
        film = Animatic.objects.filter(project=project).order_by("-created_at").first()
        scored = film.timeline.get("music") or [] if film is not None else []
        music = bool(scored)
        own = next((bed for bed in scored if bed.get("supplied_by")), None)
        if own is not None and music_track is None:
            music_track = (str(own["track"]), str(own["supplied_by"]))
    if music and music_track is not None:
        credits.append(licences.supplied_music(*music_track))
    elif music:
        credits.append(licences.SCORE_MUSIC.as_credit(used_for="the score"))
    return credits


def models_for_about(*, user: AnyUser) -> list[licences.Credit]:
    """Every model a visitor may know of: the ones the studio ships, everyone's registered models, and
    (signed in) the models their teams trained. Other teams' models stay private.
    """
    credits = [terms.as_credit() for terms in licences.PACKAGED_MODELS]
    shipped = {terms.location for terms in licences.PACKAGED_MODELS if terms.location}
    visible = Q(project__isnull=True)
    if user.is_authenticated:
        visible |= Q(project__memberships__user=user)
    entries = ModelEntry.objects.filter(visible, enabled=True).exclude(location__in=shipped).distinct()
    credits += [registry.model_credit(entry) for entry in entries.order_by("kind", "name")]
    return credits
