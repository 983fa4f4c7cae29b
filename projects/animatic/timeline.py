"""The film's timeline and editorial reads, built from the storyboard in script order.

Each rendered frame becomes a clip whose length comes from its script lines (dialogue at 2.5 words a
second plus an action beat) unless an editor set it by hand; the render job stretches a clip whose
scratch voice runs longer. Scenes open with a dissolve; shots within a scene cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from generation import licences
from projects import fountain
from projects.about.selectors import project_credits
from projects.animatic.selectors import frames_in_order
from projects.media import project_file
from projects.models import Frame, Project

if TYPE_CHECKING:
    from generation.engines import animatic

SCENE_DISSOLVE = 0.5
GAP_AFTER_LINE = 0.25


@dataclass
class Line:
    speaker: str
    text: str  # as captioned: emphasis marks, notes and boneyard removed
    words: int  # spoken words (parentheticals are not said)


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
    stale: bool = False  # its script lines changed since it was made
    file: str = ""  # the frame's file name in exports: one per shot, e.g. "s01-03.png"


@dataclass
class Cut:
    """The timeline: clips in script order, and what a director should know before rendering it."""

    clips: list[TimelineClip]
    missing: list[Frame]  # not rendered yet: left out
    removed: list[Frame] = field(default_factory=list)  # their shot left the shot list: left out
    dropped: list[Line] = field(default_factory=list)  # deleted from the script since the frame was made: not said
    unplaced: list[Line] = field(default_factory=list)  # in the script but in no frame (written after the shots)

    @property
    def stale(self) -> list[TimelineClip]:
        return [c for c in self.clips if c.stale]

    def warnings(self) -> list[str]:
        """What is out of date, in words (empty: the cut matches the script)."""
        out = []
        if self.stale:
            names = ", ".join(c.label for c in self.stale[:6]) + (" …" if len(self.stale) > 6 else "")
            out.append(
                f"{len(self.stale)} shot{'s' * (len(self.stale) != 1)} show{'s' * (len(self.stale) == 1)} "
                f"script lines that have changed since they were rendered ({names})."
            )
        if self.dropped:
            out.append(
                f"{len(self.dropped)} line{'s' * (len(self.dropped) != 1)} deleted from the script "
                "will not be voiced or captioned."
            )
        if self.unplaced:
            out.append(
                f"{len(self.unplaced)} line{'s' * (len(self.unplaced) != 1)} of the script are in no shot yet "
                "(written after the shot list): plan the scene's shots again to include them."
            )
        if self.removed:
            out.append(f"{len(self.removed)} frame(s) whose shot was removed from the shot list are left out.")
        return out


def caption_text(text: str) -> str:
    """A speech as captioned: one line, without Fountain emphasis marks, notes or boneyard."""
    plain = fountain.strip_markup(" ".join(text.split()))
    return " ".join(plain.replace("\\*", "*").replace("\\_", "_").split())


def _speeches(source: str) -> tuple[list[tuple[Line, str]], int]:
    """Each stretch of dialogue in a script excerpt as a `Line` with its raw text, and the count of action words.

    A parenthetical ends a stretch ("(pause)" between two lines): both sides are said, the parenthetical is not.
    """
    from generation.engines import voices

    script = fountain.parse(source)
    lines: list[tuple[Line, str]] = []
    action = 0
    speaker = ""
    for element in script.elements:
        if element.kind == "character":
            speaker = voices.canonical_name(element.text)
        elif element.kind == "dialogue" and speaker:
            text = caption_text(element.text)
            if text:
                lines.append((Line(speaker, text, len(voices.clean_text(text).split())), element.text))
        elif element.kind == "action":
            action += len(element.text.split())
            speaker = ""
        elif element.kind in ("scene_heading", "transition", "centered"):
            speaker = ""
    return lines, action


def _lines(source: str) -> tuple[list[Line], int]:
    """Dialogue lines (speaker, words) and the count of action words in a frame's script excerpt."""
    found, action = _speeches(source)
    return [line for line, _ in found], action


def _contains(body: list[str], raw: str) -> bool:
    """Whether a speech's lines appear, whole and in order, in the scene's current lines."""
    wanted = [line.strip() for line in raw.split("\n")]
    lines = [line.strip() for line in body]
    n = len(wanted)
    return any(lines[i : i + n] == wanted for i in range(len(lines) - n + 1))


def frame_file(scene_number: str, position: int, image: str) -> str:
    """The file a frame has in exports: its scene and shot ("s03-02.png"), so no two shots share a name."""
    number = re.sub(r"[^0-9A-Za-z]+", "", scene_number) or "0"
    suffix = Path(image).suffix.lower() or ".png"
    return f"s{number.zfill(2)}-{position + 1:02d}{suffix}"


def build_timeline(project: Project) -> Cut:
    """Clips for every rendered frame in script order, with what is left out and what is out of date.

    A stale frame's lines are said only where they are still in the scene; lines deleted since are dropped.
    """
    from generation.engines import animatic
    from projects.script.models import Screenplay
    from projects.storyboard.selectors import shot_counts

    text = Screenplay.objects.filter(project=project).values_list("text", flat=True).first() or ""
    script_lines = text.split("\n")
    frames = frames_in_order(project)
    shots = shot_counts(scene_ids=list({f.scene_id for f in frames if f.scene_id is not None}))
    cut = Cut(clips=[], missing=[])
    placed: dict[int, list[str]] = {}  # raw speeches each scene's shots hold
    start = 0.0
    last_scene = None
    for frame in frames:
        scene = frame.scene
        assert scene is not None
        if frame.position >= shots.get(scene.pk, 0):
            cut.removed.append(frame)
            continue
        if project_file(project.public_id, frame.shown_image) is None:
            cut.missing.append(frame)
            continue
        body = script_lines[max(0, scene.start_line - 1) : scene.end_line]
        found, action = _speeches(frame.source_text)
        stale = frame.is_stale or (bool(frame.source_text) and not _contains(body, frame.source_text))
        lines = []
        for line, raw in found:
            if stale and not _contains(body, raw):
                cut.dropped.append(line)
            else:
                lines.append(line)
                placed.setdefault(scene.pk, []).append(raw)
        planned = animatic.shot_seconds(sum(line.words for line in lines), action)
        duration = frame.duration_seconds or planned
        transition: Literal["cut", "dissolve"] = (
            "dissolve" if last_scene is not None and scene.pk != last_scene else "cut"
        )
        last_scene = scene.pk
        cut.clips.append(
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
                stale=stale,
                file=frame_file(scene.number, frame.position, frame.shown_image),
            )
        )
        start += duration
    # Speeches of the cut's scenes that no shot holds (written after the shot list was planned).
    scenes = {f.scene.pk: f.scene for f in frames if f.scene is not None and f.scene.pk in placed}
    for pk, scene in scenes.items():
        body = script_lines[max(0, scene.start_line - 1) : scene.end_line]
        held = list(placed[pk])
        for line, raw in _speeches("\n".join(body))[0]:
            if raw in held:
                held.remove(raw)
            else:
                cut.unplaced.append(line)
    return cut


def place_lines(
    clips: list[TimelineClip],
    *,
    voice: Callable[[TimelineClip, int, Line], tuple[float, str]] | None = None,
) -> tuple[list[animatic.Cue], list[animatic.Sound]]:
    """Every clip's lines as captions (and scratch voices), one after another from the clip's start.

    `voice(clip, n, line)` says line n of the clip and returns (seconds, WAV path); without it a line
    takes its words at 2.5 words a second and is silent. A clip opening with a dissolve speaks after it;
    a clip whose lines take longer than planned is stretched (unless its length was set by hand), and
    every clip after it moves along.
    """
    from generation.engines import animatic

    cues: list[animatic.Cue] = []
    sounds: list[animatic.Sound] = []
    start = 0.0
    for clip in clips:
        clip.start = round(start, 3)
        at = clip.start + (SCENE_DISSOLVE if clip.transition == "dissolve" else 0.0)
        for n, line in enumerate(clip.lines):
            seconds = animatic.speech_seconds(line.words)
            if voice is not None:
                seconds, wav = voice(clip, n, line)
                sounds.append(animatic.Sound(start=at, wav=wav))
            cues.append(
                animatic.Cue(start=round(at, 3), end=round(at + seconds, 3), text=line.text, speaker=line.speaker)
            )
            at += seconds + GAP_AFTER_LINE
        needed = at - clip.start
        if needed > clip.duration and not clip.manual:
            clip.duration = round(needed, 3)
        start = clip.start + clip.duration
    return cues, sounds


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
                "frame_file": frame_file(scene.number, frame.position, frame.shown_image) if frame.shown_image else "",
            }
        )
    return rows
