"""Reads for the Studio page's pipeline overview: script → characters → storyboard → animatic, with pictures.

A handful of queries whatever the project's size: counts are aggregated, pictures are limited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from projects.models import Animatic, Character, Frame, Revision, Scene, Screenplay, Shot, pages_display
from projects.teams.selectors import ProjectAccess

FACES_SHOWN = 8
FRAMES_SHOWN = 6


@dataclass
class Stage:
    """One step of the pipeline: how far it is, what to look at, and what to do next."""

    key: str
    title: str
    done: bool
    summary: str
    detail: str = ""
    pictures: list[tuple[str, str]] = field(default_factory=list)  # (media path, caption)


@dataclass
class Overview:
    stages: list[Stage]
    next_key: str  # the first stage that is not done ("" when the film is made)
    scene_count: int = 0
    frame_count: int = 0
    rendered_count: int = 0
    latest_animatic: Animatic | None = None
    faceless: Character | None = None  # the character to design next: the one with the most dialogue and no face


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def project_overview(*, access: ProjectAccess) -> Overview:
    project = access.project
    screenplay = Screenplay.objects.filter(project=project).only("text", "updated_at").first()
    text = screenplay.text if screenplay else ""
    scenes = Scene.objects.filter(project=project).aggregate(n=Count("id"), eighths=Sum("eighths"))
    scene_count, eighths = scenes["n"] or 0, scenes["eighths"] or 0
    revisions = Revision.objects.filter(screenplay__project=project).count()
    words = len(text.split())
    script = Stage(
        key="script",
        title="Script",
        done=scene_count > 0,
        summary=(
            f"{_plural(scene_count, 'scene')} · {pages_display(eighths)} pages · {_plural(words, 'word')}"
            if scene_count
            else ("No scenes yet" if not text.strip() else "Text but no scene headings yet (INT. / EXT.)")
        ),
        detail=_plural(revisions, "revision") if revisions else "",
    )

    characters = Character.objects.filter(project=project).filter(Q(in_script=True) | Q(added_by_hand=True))
    counts = characters.aggregate(n=Count("id"), faces=Count("id", filter=Q(identity__isnull=False)))
    cast_count, with_face = counts["n"] or 0, counts["faces"] or 0
    faces = [
        (c.identity.best_image, c.name)
        for c in characters.filter(identity__isnull=False)
        .select_related("identity")
        .order_by("-dialogue_words", "name")[:FACES_SHOWN]
        if c.identity is not None
    ]
    faceless = characters.filter(identity__isnull=True).order_by("-dialogue_words", "name").first()
    cast = Stage(
        key="characters",
        title="Characters",
        done=cast_count > 0 and with_face == cast_count,
        summary=(
            f"{with_face} of {_plural(cast_count, 'character')} have a face" if cast_count else "No characters yet"
        ),
        detail="" if cast_count else "They appear as the script cues them, or add them by hand",
        pictures=faces,
    )

    # The storyboard as it stands: frames of shots still in their scene's shot list (frames of removed shots
    # and of scenes that left the script are kept for reference, stale, and never re-rendered).
    frames = Frame.objects.filter(project=project, scene__isnull=False).filter(
        Exists(Shot.objects.filter(scene=OuterRef("scene"), position=OuterRef("position")))
    )
    fc = frames.aggregate(
        n=Count("id"),
        rendered=Count("id", filter=~Q(image="") & Q(rendered_spec_version=F("spec_version"))),
        stale=Count("id", filter=Q(is_stale=True)),
    )
    frame_count, rendered, stale = fc["n"] or 0, fc["rendered"] or 0, fc["stale"] or 0
    shot_count = Shot.objects.filter(scene__project=project).count()
    latest = [
        (f.shown_image, f"{f.scene_heading} · {f.get_shot_type_display()}")
        for f in frames.exclude(image="")
        .order_by("-rendered_at", "-id")
        .only("image", "stylized", "scene_heading", "shot_type")[:FRAMES_SHOWN]
    ]
    board_parts = [f"{rendered} of {_plural(frame_count, 'frame')} rendered"] if frame_count else []
    if stale:
        board_parts.append(f"{stale} stale")
    storyboard = Stage(
        key="storyboard",
        title="Storyboard",
        done=frame_count > 0 and rendered == frame_count and not stale,
        summary=" · ".join(board_parts) or "No frames yet",
        detail=_plural(shot_count, "planned shot") if shot_count else "",
        pictures=latest,
    )

    film = Animatic.objects.filter(project=project).exclude(video="").order_by("-created_at").first()
    newer_frames = bool(film and frames.filter(rendered_at__gt=film.created_at).exists())
    animatic = Stage(
        key="animatic",
        title="Animatic",
        done=film is not None and not newer_frames,
        summary=(
            f"{int(film.duration_seconds // 60)}:{int(film.duration_seconds % 60):02d} film, {film.width}×{film.height}"
            if film
            else "Not rendered yet"
        ),
        detail="frames changed since it was rendered" if newer_frames else "",
    )
    stages = [script, cast, storyboard, animatic]
    next_key = next((s.key for s in stages if not s.done), "")
    return Overview(
        stages=stages,
        next_key=next_key,
        scene_count=scene_count,
        frame_count=frame_count,
        rendered_count=rendered,
        latest_animatic=film,
        faceless=faceless,
    )
