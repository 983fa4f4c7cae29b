"""The film's timeline and editorial reads, built from the storyboard in script order.

Each rendered frame becomes a clip whose length comes from its script lines (dialogue at 2.5 words a
second plus an action beat) unless an editor set it by hand; the render job stretches a clip whose
scratch voice runs longer. Scenes open with a dissolve; shots within a scene cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generation import licences
from projects import fountain
from projects.about.selectors import project_credits
from projects.animatic.selectors import frames_in_order
from projects.media import project_file
from projects.models import Frame, Project

SCENE_DISSOLVE = 0.5
GAP_AFTER_LINE = 0.25


@dataclass
class Line:
    speaker: str
    text: str
    words: int


@dataclass
class TimelineClip:
    frame: str  # public id
    image: str  # under the project's media folder
    label: str
    scene: str
    scene_heading: str
    position: int
    start: float
    duration: float
    planned: float  # from the script (before voices stretched it)
    manual: bool
    transition: Literal["cut", "dissolve"]
    lines: list[Line] = field(default_factory=list)
    notes: str = ""


def _lines(source: str) -> tuple[list[Line], int]:
    """Dialogue lines (speaker, words) and the count of action words in a frame's script excerpt."""
    script = fountain.parse(source)
    lines: list[Line] = []
    action = 0
    speaker = ""
    for element in script.elements:
        if element.kind == "character":
            speaker = re.sub(r"\(.*?\)", "", element.text).replace("^", "").strip().upper()
        elif element.kind == "dialogue" and speaker:
            text = " ".join(element.text.split())
            lines.append(Line(speaker, text, len(text.split())))
        elif element.kind == "action":
            action += len(element.text.split())
    return lines, action


def build_timeline(project: Project) -> tuple[list[TimelineClip], list[Frame]]:
    """Clips for every rendered frame in script order, and the frames left out (not rendered yet)."""
    from generation.engines import animatic

    clips: list[TimelineClip] = []
    missing: list[Frame] = []
    start = 0.0
    last_scene = None
    for frame in frames_in_order(project):
        if project_file(project.public_id, frame.shown_image) is None:
            missing.append(frame)
            continue
        lines, action = _lines(frame.source_text)
        planned = animatic.shot_seconds(sum(line.words for line in lines), action)
        duration = frame.duration_seconds or planned
        scene = frame.scene
        assert scene is not None
        transition: Literal["cut", "dissolve"] = (
            "dissolve" if last_scene is not None and scene.pk != last_scene else "cut"
        )
        last_scene = scene.pk
        clips.append(
            TimelineClip(
                frame=str(frame.public_id),
                image=frame.shown_image,
                label=f"{scene.number}-{frame.position + 1} {frame.get_shot_type_display().upper()}",
                scene=str(scene.public_id),
                scene_heading=scene.heading,
                position=frame.position,
                start=round(start, 3),
                duration=round(duration, 3),
                planned=round(planned, 3),
                manual=frame.duration_seconds is not None,
                transition=transition,
                lines=lines,
                notes=frame.description,
            )
        )
        start += duration
    return clips, missing


def storyboard_pdf_bytes(project: Project, *, paper: str = "a4") -> bytes:
    """The storyboard as a PDF: frames with shot notes, the script excerpt and open notes, scene by scene."""
    from generation.engines import editorial

    scenes: dict[int, Any] = {}
    for frame in frames_in_order(project):
        scene = frame.scene
        assert scene is not None
        entry = scenes.setdefault(scene.pk, editorial.PdfScene(heading=scene.heading, number=scene.number, frames=[]))
        image = project_file(project.public_id, frame.shown_image)
        subjects = f" · {', '.join(frame.subjects)}" if frame.subjects else ""
        entry.frames.append(
            editorial.PdfFrame(
                image=str(image) if image else "",
                label=f"{frame.position + 1}. {frame.get_shot_type_display()} · {frame.lens_mm} mm{subjects}",
                notes=frame.description,
                excerpt=frame.source_text,
                comments=[
                    f"{c.author.get_username() if c.author else 'someone'}: {c.body}"
                    for c in frame.open_comments_list  # type: ignore[attr-defined]
                ],
            )
        )
    credits = [(f"{c.role}: {c.name}", c.detail) for c in project_credits(project=project)]
    return editorial.storyboard_pdf(
        title=project.title,
        scenes=list(scenes.values()),
        paper=paper,
        credits=credits,
        footnote=licences.CREDITS_FOOTNOTE,
    )


def shot_list_rows(project: Project) -> list[dict[str, object]]:
    from generation.engines import animatic

    rows: list[dict[str, object]] = []
    for frame in frames_in_order(project):
        scene = frame.scene
        assert scene is not None
        lines, action = _lines(frame.source_text)
        rows.append(
            {
                "scene": scene.number,
                "scene_heading": scene.heading,
                "shot": frame.position + 1,
                "shot_type": frame.get_shot_type_display(),
                "camera_angle": frame.camera_angle,
                "lens_mm": frame.lens_mm,
                "subjects": ", ".join(frame.subjects),
                "description": frame.description,
                "script_lines": f"{frame.start_line}-{frame.end_line}" if frame.start_line else "",
                "duration_seconds": round(
                    frame.duration_seconds or animatic.shot_seconds(sum(x.words for x in lines), action), 2
                ),
                "stale": "yes" if frame.is_stale else "",
                "frame_file": Path(frame.shown_image).name if frame.shown_image else "",
            }
        )
    return rows
