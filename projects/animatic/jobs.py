"""Job runners and builders for the finished film: the timeline, the animatic MP4 and editorial exports.

The timeline is built from the storyboard in script order: each rendered frame becomes a clip whose
length comes from its script lines (dialogue at 2.5 words a second plus an action beat) unless an
editor set it by hand, stretched if a scratch voice runs longer. Scenes open with a dissolve; shots
within a scene cut. Dialogue becomes captions (and scratch voices, one consistent voice per character).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from generation import kinds
from generation.engines.base import JobCancelled, JobContext, JobFailed
from generation.kinds import JobKind
from projects import fountain
from projects.animatic import forms
from projects.media import project_file
from projects.models import Animatic, Frame, Project

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


def frames_in_order(project: Project) -> list[Frame]:
    return list(
        Frame.objects.filter(project=project, scene__isnull=False)
        .select_related("scene")
        .order_by("scene__position", "position")
    )


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


def render_animatic(params: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """The film as an MP4 (H.264 + AAC): title card, frames in script order, captions, scratch voices."""
    from generation.engines import animatic, editorial, voices
    from projects.animatic import services as animatic_services

    project = Project.objects.get(public_id=ctx.project_id)
    clips, missing = build_timeline(project)
    if not clips:
        raise JobFailed("No rendered frames yet: render the storyboard (Storyboard tab) first.")
    width, height = (1280, 720) if int(params.get("size", 640)) >= 1280 else (640, 360)
    fps = 24
    use_voices = bool(params.get("voices", True))
    if use_voices and not voices.available():
        raise JobFailed("Scratch voices need espeak-ng on the worker (apt-get install espeak-ng), or turn voices off.")

    # Voices first: a line that takes longer to say than planned stretches its shot (unless set by hand).
    sounds: list[animatic.Sound] = []
    cues: list[animatic.Cue] = []
    speech_dir = ctx.output_dir / "voices"
    total_lines = sum(len(c.lines) for c in clips)
    said = 0
    start = 0.0
    for clip in clips:
        clip.start = round(start, 3)
        at = clip.start + (SCENE_DISSOLVE if clip.transition == "dissolve" else 0.0)
        for n, line in enumerate(clip.lines):
            ctx.check_cancelled()
            seconds = animatic.speech_seconds(line.words)
            if use_voices:
                wav = speech_dir / f"{clip.frame}-{n}.wav"
                wav.parent.mkdir(parents=True, exist_ok=True)
                try:
                    seconds = voices.synthesize(line.text, voices.voice_for(line.speaker), wav)
                except voices.VoiceError as exc:
                    raise JobFailed(str(exc)) from exc
                sounds.append(animatic.Sound(start=at, wav=str(wav)))
            cues.append(
                animatic.Cue(start=round(at, 3), end=round(at + seconds, 3), text=line.text, speaker=line.speaker)
            )
            at += seconds + GAP_AFTER_LINE
            said += 1
            ctx.report(0.25 * said / max(1, total_lines), 1.0, f"Voicing line {said} of {total_lines}", None)
        needed = at - clip.start
        if needed > clip.duration and not clip.manual:
            clip.duration = round(needed, 3)
        start = clip.start + clip.duration

    title = animatic.TitleCard(title=project.title, subtitle=project.logline[:160], seconds=3.0)
    out = ctx.output_dir / "animatic.mp4"

    def progress(fraction: float, message: str) -> None:
        ctx.report(0.25 + 0.7 * fraction, 1.0, f"Encoding: {message}", None)

    try:
        info = animatic.render_animatic(
            [
                animatic.Clip(
                    image=str(project_file(project.public_id, c.image)),
                    duration=c.duration,
                    transition=c.transition,
                    transition_seconds=SCENE_DISSOLVE,
                    label=c.label,
                )
                for c in clips
            ],
            out_path=out,
            size=(width, height),
            fps=fps,
            title=title,
            cues=cues,
            sounds=sounds,
            burn_captions=bool(params.get("burn_captions", False)),
            on_progress=progress,
            should_stop=ctx.cancelled,
        )
    except animatic.AnimaticCancelled as exc:
        raise JobCancelled() from exc
    offset = float(info.get("title_seconds", title.seconds))
    shifted = [animatic.Cue(c.start + offset, c.end + offset, c.text, c.speaker) for c in cues]
    ctx.write_file("captions.vtt", animatic.write_vtt(shifted).encode())
    ctx.write_file("captions.srt", animatic.write_srt(shifted).encode())
    edit = [
        editorial.EditClip(
            name=c.label,
            source_file=Path(c.image).name,
            start=c.start + offset,
            duration=c.duration,
            transition=c.transition,
            transition_seconds=SCENE_DISSOLVE if c.transition == "dissolve" else 0.0,
            note=c.notes[:200],
        )
        for c in clips
    ]
    ctx.write_file("timeline.edl", editorial.to_edl(edit, title=project.title, fps=fps).encode())
    ctx.write_file(
        "timeline.fcpxml", editorial.to_fcpxml(edit, title=project.title, fps=fps, width=width, height=height).encode()
    )
    ctx.write_file("timeline.otio", editorial.to_otio(edit, title=project.title, fps=fps).encode())
    timeline = {
        "title_seconds": offset,
        "clips": [asdict(c) for c in clips],
        "cues": [asdict(c) for c in shifted],
        "missing": [str(f.public_id) for f in missing],
    }
    folder = f"jobs/{ctx.job_id}"
    film = animatic_services.animatic_record(
        project=project,
        job_public_id=ctx.job_id,
        files={
            "video": f"{folder}/animatic.mp4",
            "captions_vtt": f"{folder}/captions.vtt",
            "captions_srt": f"{folder}/captions.srt",
            "edl": f"{folder}/timeline.edl",
            "fcpxml": f"{folder}/timeline.fcpxml",
        },
        info=info,
        timeline=timeline,
        burn_captions=bool(params.get("burn_captions", False)),
        voices=use_voices,
    )
    return {
        "summary": [
            ["Length", f"{info['duration']:.1f} s ({len(clips)} shots)"],
            ["Picture", f"{info['width']}x{info['height']} at {fps} fps, {info['video_codec']}"],
            ["Sound", f"{info['audio_codec']}, {len(sounds)} scratch line(s)" if use_voices else "none"],
            ["Captions", f"{len(cues)} line(s)" + (", burned in" if params.get("burn_captions") else "")],
            *([["Left out", f"{len(missing)} frame(s) not rendered yet"]] if missing else []),
        ],
        "files": [
            {"name": "animatic.mp4", "label": "Animatic (MP4)"},
            {"name": "captions.vtt", "label": "Captions (WebVTT)"},
            {"name": "captions.srt", "label": "Captions (SRT)"},
            {"name": "timeline.edl", "label": "Timeline (CMX 3600 EDL)"},
            {"name": "timeline.fcpxml", "label": "Timeline (FCPXML)"},
            {"name": "timeline.otio", "label": "Timeline (OpenTimelineIO)"},
        ],
        "animatic": str(film.public_id),
    }


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
                    for c in frame.comments.filter(resolved=False).select_related("author")
                ],
            )
        )
    return editorial.storyboard_pdf(title=project.title, scenes=list(scenes.values()), paper=paper)


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


def latest_animatic(project: Project) -> Animatic | None:
    return Animatic.objects.filter(project=project).exclude(video="").order_by("-created_at").first()


kinds.register(
    JobKind(
        name="render_animatic",
        label="Render animatic",
        description="The film as an MP4: title card, frames in script order, captions and scratch voices.",
        params_form=forms.RenderAnimaticParams,
        runner=render_animatic,
        on_studio_form=False,
    ),
)
