"""The cut for an editor: CMX 3600 EDL, FCPXML and OpenTimelineIO, all written by OpenTimelineIO. No Django.

`cut_timeline` builds one `opentimelineio` Timeline: a video track of stills (each clip referencing its own
frame file under `frames/`, gaps where nothing plays, cross dissolves kept as transitions), a "Voices" audio
track (one clip a scratch line, under `audio/`) and a "Music" track (under `music/`). The EDL comes from the
`otio-cmx3600-adapter`, the FCPXML from the `otio-fcpx-xml-adapter` and the .otio from OTIO's own JSON; every
media path is relative, so the timeline opens beside its folders (the animatic's "all assets" zip).

Times are seconds on the record timeline. Every boundary is rounded to a frame on its own (absolute, not
accumulated lengths), so long cuts never drift. A dissolve on a clip starts at that clip's record in and runs
`transition_seconds` into it, with the outgoing clip held over it (a still has unlimited handles); a dissolve
with nothing just before it is a dissolve from black. Clips shorter than a frame are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

if TYPE_CHECKING:
    import opentimelineio as otio

Transition = Literal["cut", "dissolve"]
FRAMES_DIR, AUDIO_DIR, MUSIC_DIR = "frames", "audio", "music"  # relative media folders the timelines name
CROSS_DISSOLVE_UID = "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"
RECORD_START_HOURS = 1  # record timecode starts at 01:00:00:00, as editors expect
STILL_HOURS = 1  # a still's available range: an hour of handles


@dataclass
class EditClip:
    """One still on the record timeline, and how it comes in. `source_file` is its file under frames/."""

    name: str
    source_file: str
    start: float
    duration: float
    transition: Transition = "cut"
    transition_seconds: float = 0.0
    note: str = ""


@dataclass
class AudioClip:
    """A sound on the record timeline: `file` under audio/ (voices) or music/ (the score), `offset` into the file."""

    name: str
    file: str
    start: float
    duration: float
    offset: float = 0.0


@dataclass(frozen=True)
class _Cut:
    clip: EditClip
    rec_in: int
    rec_out: int
    length: int
    dissolve: int


def _frames(seconds: float, fps: int) -> int:
    """Seconds to the nearest frame, rounded as the animatic renderer rounds (Python's round)."""
    return round(seconds * fps)


def _layout(clips: Sequence[EditClip], fps: int) -> list[_Cut]:
    """Sort clips by start and resolve them to frames; an overlapped clip is trimmed at the next one's start."""
    if fps <= 0:
        raise ValueError("fps must be positive")
    if any(c.start < 0 or c.duration < 0 or c.transition_seconds < 0 for c in clips):
        raise ValueError("clip start, duration and transition_seconds must not be negative")
    ordered = sorted(clips, key=lambda c: c.start)
    ins = [_frames(c.start, fps) for c in ordered]
    cuts: list[_Cut] = []
    for i, clip in enumerate(ordered):
        rec_out = _frames(clip.start + clip.duration, fps)
        if i + 1 < len(ordered):
            rec_out = min(rec_out, ins[i + 1])
        if rec_out <= ins[i]:
            continue
        wanted = _frames(clip.transition_seconds, fps) if clip.transition == "dissolve" else 0
        cuts.append(_Cut(clip, ins[i], rec_out, rec_out - ins[i], max(0, min(wanted, rec_out - ins[i]))))
    return cuts


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cut_timeline(
    clips: Sequence[EditClip],
    *,
    title: str,
    fps: int = 24,
    voices: Sequence[AudioClip] = (),
    music: Sequence[AudioClip] = (),
) -> otio.schema.Timeline:
    """The cut as an OpenTimelineIO timeline: V1 (stills, gaps, dissolves), then the Voices and Music tracks."""
    import opentimelineio as otio

    def rt(frames: int) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(frames, fps)

    def span(start: int, length: int) -> otio.opentime.TimeRange:
        return otio.opentime.TimeRange(rt(start), rt(length))

    timeline = otio.schema.Timeline(name=_one_line(title) or "Untitled")
    timeline.global_start_time = rt(RECORD_START_HOURS * 3600 * fps)
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    position = 0
    for cut in _layout(clips, fps):
        if cut.rec_in > position:
            video.append(otio.schema.Gap(source_range=span(0, cut.rec_in - position)))
        if cut.dissolve:
            video.append(
                otio.schema.Transition(
                    name="Cross Dissolve",
                    transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                    in_offset=rt(0),
                    out_offset=rt(cut.dissolve),
                )
            )
        reference = otio.schema.ExternalReference(
            target_url=quote(f"{FRAMES_DIR}/{cut.clip.source_file}"),
            available_range=span(0, STILL_HOURS * 3600 * fps),
        )
        reference.name = cut.clip.source_file
        item = otio.schema.Clip(
            name=_one_line(cut.clip.name), media_reference=reference, source_range=span(0, cut.length)
        )
        if cut.clip.note.strip():
            item.metadata["filmstudio"] = {"note": cut.clip.note}
        video.append(item)
        position = cut.rec_out
    timeline.tracks.append(video)
    for name, folder, sounds in (("Voices", AUDIO_DIR, voices), ("Music", MUSIC_DIR, music)):
        if sounds:
            timeline.tracks.append(_audio_track(name, folder, sounds, fps))
    return timeline


def _audio_track(name: str, folder: str, sounds: Sequence[AudioClip], fps: int) -> otio.schema.Track:
    import opentimelineio as otio

    track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Audio)
    position = 0
    for sound in sorted(sounds, key=lambda s: s.start):
        rec_in, rec_out = max(position, _frames(sound.start, fps)), _frames(sound.start + sound.duration, fps)
        if rec_out <= rec_in:
            continue
        if rec_in > position:
            track.append(
                otio.schema.Gap(
                    source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(rec_in - position, fps))
                )
            )
        first = _frames(sound.offset, fps) + rec_in - _frames(sound.start, fps)
        reference = otio.schema.ExternalReference(
            target_url=quote(f"{folder}/{sound.file}"),
            available_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(0, fps), otio.opentime.RationalTime(first + rec_out - rec_in, fps)
            ),
        )
        reference.name = sound.file
        track.append(
            otio.schema.Clip(
                name=_one_line(sound.name) or PurePosixPath(sound.file).stem,
                media_reference=reference,
                source_range=otio.opentime.TimeRange(
                    otio.opentime.RationalTime(first, fps), otio.opentime.RationalTime(rec_out - rec_in, fps)
                ),
            )
        )
        position = rec_out
    return track


def to_otio(
    clips: Sequence[EditClip],
    *,
    title: str,
    fps: int = 24,
    voices: Sequence[AudioClip] = (),
    music: Sequence[AudioClip] = (),
) -> str:
    """OpenTimelineIO JSON (.otio) of the cut, written by OTIO itself."""
    import opentimelineio as otio

    timeline = cut_timeline(clips, title=title, fps=fps, voices=voices, music=music)
    return str(otio.adapters.write_to_string(timeline, "otio_json"))


_TIMECODES = re.compile(r"(\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d)\s*$")


def to_edl(
    clips: Sequence[EditClip],
    *,
    title: str,
    fps: int = 24,
    voices: Sequence[AudioClip] = (),
    music: Sequence[AudioClip] = (),
) -> str:
    """A CMX 3600 EDL (non-drop frame, record from 01:00:00:00) by the OTIO CMX 3600 adapter.

    Each event's reel is its frame file's name (the adapter shortens it to 8 characters and notes the full
    name and path); dissolves are D events. The adapter writes picture events only: the sound is in the
    FCPXML and the .otio.
    """
    import opentimelineio as otio

    timeline = cut_timeline(clips, title=title, fps=fps, voices=voices, music=music)
    text = str(otio.adapters.write_to_string(timeline, "cmx_3600", rate=fps, style="avid"))
    start = RECORD_START_HOURS * 3600 * fps

    def shift(match: re.Match[str]) -> str:
        def tc(value: str) -> str:
            frames = otio.opentime.from_timecode(value, fps).to_frames() + start
            return str(otio.opentime.to_timecode(otio.opentime.RationalTime(frames, fps), fps, drop_frame=False))

        return f"{tc(match.group(1))} {tc(match.group(2))}"

    lines = []
    for line in text.splitlines():
        if line[:3].isdigit():
            line = _TIMECODES.sub(shift, line)
        lines.append(line)
        if line.startswith("TITLE:"):
            lines.append("FCM: NON-DROP FRAME")
    return "\n".join(lines) + "\n"


def to_fcpxml(
    clips: Sequence[EditClip],
    *,
    title: str,
    fps: int = 24,
    width: int = 1280,
    height: int = 720,
    voices: Sequence[AudioClip] = (),
    music: Sequence[AudioClip] = (),
) -> str:
    """FCPXML by the OTIO FCP X adapter: stills and their audio lanes, with the cut's cross dissolves added.

    The adapter writes no transitions and no frame size, so both are put into its document here: a Cross
    Dissolve in the spine at each dissolving clip's record in, and the sequence format's width and height.
    """
    import opentimelineio as otio

    # The adapter hangs each sound under the picture it starts in: sound past the last picture is cut off.
    cuts = _layout(clips, fps)
    end = cuts[-1].rec_out / fps if cuts else 0.0

    def trimmed(sounds: Sequence[AudioClip]) -> list[AudioClip]:
        kept = [s for s in sounds if s.start < end]
        return [AudioClip(s.name, s.file, s.start, min(s.duration, end - s.start), s.offset) for s in kept]

    timeline = cut_timeline(clips, title=title, fps=fps, voices=trimmed(voices), music=trimmed(music))
    for item in timeline.find_clips():  # the adapter looks clips up by name in XPath, which quotes break
        item.name = item.name.replace("'", "’").replace('"', "”")
    text = str(otio.adapters.write_to_string(timeline, "fcpx_xml"))
    header, _, body = text.partition("<fcpxml")
    root = ET.fromstring("<fcpxml" + body)  # noqa: S314 (the adapter's own output)
    resources = root.find("resources")
    assert resources is not None
    for element in resources.iter("format"):
        element.set("width", str(width))
        element.set("height", str(height))
    dissolves = {c.rec_in: c.dissolve for c in _layout(clips, fps) if c.dissolve}
    if dissolves:
        ET.SubElement(resources, "effect", id="r-dissolve", name="Cross Dissolve", uid=CROSS_DISSOLVE_UID)
        for spine in root.iter("spine"):
            if spine.get("lane"):
                continue
            for index, item in reversed(list(enumerate(spine))):
                at = _fcp_frames(item.get("offset"), fps)
                if at in dissolves and item.tag != "transition":
                    transition = ET.Element(
                        "transition", name="Cross Dissolve", offset=item.get("offset", "0s"),
                        duration=f"{dissolves[at]}/{fps}s",
                    )  # fmt: skip
                    ET.SubElement(transition, "filter-video", ref="r-dissolve", name="Cross Dissolve")
                    spine.insert(index, transition)
    ET.indent(root, space="    ")
    return header + ET.tostring(root, encoding="unicode") + "\n"


def _fcp_frames(value: str | None, fps: int) -> int | None:
    """An FCPXML rational time ("5/2s", "0s") in frames at `fps`."""
    from fractions import Fraction

    if not value or not value.endswith("s"):
        return None
    return round(Fraction(value[:-1]) * fps)


def read_cut(path: str, fps: int = 24) -> otio.schema.Timeline:
    """A timeline file read back by OpenTimelineIO (the adapter is chosen by its suffix)."""
    import opentimelineio as otio

    return otio.adapters.read_from_file(path, rate=fps) if path.endswith(".edl") else otio.adapters.read_from_file(path)
