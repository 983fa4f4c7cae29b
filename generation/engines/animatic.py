"""Storyboard stills + scratch audio -> an animatic MP4 (H.264 + AAC), with PyAV. No Django imports here.

The timeline is a list of `Clip`s (one still each, held for its duration, optionally dissolving in
from the previous still), an optional `TitleCard` in front, `Cue`s (captions) and `Sound`s (WAVs,
e.g. the scratch voices from `voices.synthesize`). `render_animatic` encodes it; `write_vtt` /
`write_srt` give the captions as side files; `probe` reads back what a file holds.

Speed on a small CPU comes from doing little per frame: each still is fitted to the frame size
once, a held still (and its caption) is converted to YUV once and the same frame re-sent to the
encoder, and only dissolve frames and caption changes are composed anew. x264 runs at a fast
preset; 640x360 renders several times faster than 1280x720.

Heavy imports (av, numpy, PIL) happen inside the functions.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from .base import JobCancelled, JobFailed

if TYPE_CHECKING:
    import numpy as np
    from av.audio.stream import AudioStream
    from av.video.stream import VideoStream
    from PIL import ImageFont

AUDIO_RATE = 48000
AUDIO_BITRATE = 128_000
H264_ENCODERS = ("libx264", "libopenh264", "h264")
FAST_SIZE = (640, 360)
BACKGROUND = (14, 14, 18)  # title card
LETTERBOX = (0, 0, 0)
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
# DejaVu Sans has Latin, Greek and Cyrillic but no Chinese, Japanese or Korean: text with wide
# (CJK) characters is drawn in Noto Sans CJK (Debian fonts-noto-cjk), searched for under these.
CJK_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts")
CJK_FONT_FILES = {False: "NotoSansCJK-Regular.ttc", True: "NotoSansCJK-Bold.ttc"}
CJK_FONT_INDEX = 2  # Noto Sans CJK SC in the collection
PROGRESS_STEPS = 20
CANCEL_CHECK_SECONDS = 0.2

# Camera moves over a held still: a crop window within the still, eased from start to end of the shot.
MOVES = ("static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down", "parallax")
MOVE_ZOOM = 1.15  # the most a move crops in; less where the still is not that much larger than the film
PARALLAX_SHIFT = 0.5  # share of the crop margin the nearest things slide beyond the farthest
PARALLAX_LAYERS = 24  # bands of nearness painted far to near
EDGE_JUMP = 0.2  # a step in nearness this large between neighbours is an edge between a thing and what is behind

# Duration planning.
WORDS_PER_SECOND = 2.5
ACTION_BEAT_SECONDS = 1.0
ACTION_WORDS_PER_SECOND = 4.0
ACTION_CAP_SECONDS = 6.0


class AnimaticError(JobFailed):
    """The animatic cannot be rendered as asked (a missing still, no clips); the message says why."""


class AnimaticCancelled(JobCancelled):
    """`should_stop()` said stop; the partial output was removed."""


T = TypeVar("T")


def _from_dict(cls: type[T], data: dict[str, Any]) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Clip:
    """One still held for `duration` seconds.

    `transition` is INTO this clip from the previous one: "dissolve" blends from the previous
    picture (the title card, or black for the very first clip) over the first
    `transition_seconds` of this clip, so the film's length stays the sum of the durations.
    """

    image: str
    duration: float
    transition: Literal["cut", "dissolve"] = "cut"
    transition_seconds: float = 0.5
    label: str = ""
    move: str = "static"  # one of MOVES: how the camera moves over the still while it holds
    depth: str = ""  # the still's depth pass (16-bit PNG, 0 = nearest), for the "parallax" move

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clip:
        return _from_dict(cls, data)


@dataclass
class Cue:
    """A caption from `start` to `end` seconds (relative to the first clip, not the title card)."""

    start: float
    end: float
    text: str
    speaker: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cue:
        return _from_dict(cls, data)


@dataclass
class Sound:
    """A WAV (any format FFmpeg reads) starting at `start` seconds (relative to the first clip)."""

    start: float
    wav: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sound:
        return _from_dict(cls, data)


@dataclass
class TitleCard:
    title: str
    subtitle: str = ""
    seconds: float = 3.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TitleCard:
        return _from_dict(cls, data)


@dataclass
class CreditsCard:
    """The end card: what made the film. Each credit is (heading, detail), e.g. ("Faces: DCGAN", "Licence: MIT. …")."""

    credits: list[tuple[str, str]] = field(default_factory=list)
    heading: str = "Made with"
    footnote: str = ""
    seconds: float = 5.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CreditsCard:
        card = _from_dict(cls, data)
        card.credits = [(str(a), str(b)) for a, b in card.credits]
        return card

    @staticmethod
    def seconds_for(count: int) -> float:
        """Long enough to read: 3 s plus 1.5 s a credit, at most 12 s."""
        return min(12.0, 3.0 + 1.5 * count)


# ---------------------------------------------------------------------------------------------
# Duration planning


def speech_seconds(words: int) -> float:
    """Seconds to speak `words` words at `WORDS_PER_SECOND` (2.5 words/s, an unhurried read)."""
    return max(0, words) / WORDS_PER_SECOND


def shot_seconds(dialogue_words: int, action_words: int, *, minimum: float = 1.5) -> float:
    """How long to hold a shot: its dialogue spoken at 2.5 words/s plus an action beat.

    The beat is 1 s plus the action description read at 4 words/s, capped at 6 s (a long
    paragraph of action does not hold one still forever). The result is at least `minimum`
    and rounded to 1/100 s. E.g. 10 dialogue words + 8 action words -> 4 + 1 + 2 = 7 s.
    """
    beat = min(ACTION_CAP_SECONDS, ACTION_BEAT_SECONDS + max(0, action_words) / ACTION_WORDS_PER_SECOND)
    return round(max(minimum, speech_seconds(dialogue_words) + beat), 2)


def plan_durations(shots: Iterable[tuple[int, int]], *, minimum: float = 1.5) -> list[float]:
    """`shot_seconds` for each (dialogue_words, action_words) pair."""
    return [shot_seconds(d, a, minimum=minimum) for d, a in shots]


# ---------------------------------------------------------------------------------------------
# Captions as files


def _timestamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{ms:03d}"


def _ordered(cues: Iterable[Cue]) -> list[Cue]:
    return sorted((c for c in cues if c.end > c.start and c.text.strip()), key=lambda c: (c.start, c.end))


def write_vtt(cues: Iterable[Cue], *, offset: float = 0.0) -> str:
    """WebVTT text: `00:00:01.500 --> 00:00:03.000`, the speaker as a `<v NAME>` voice span.

    Pass `offset=result["title_seconds"]` to line the captions up with a film that has a title card.
    """
    blocks = ["WEBVTT", ""]
    for n, cue in enumerate(_ordered(cues), 1):
        text = "\n".join(_vtt_escape(line) for line in cue.text.strip().splitlines() if line.strip())
        speaker = " ".join(cue.speaker.replace(">", " ").replace("<", " ").replace("&", " ").split())
        if speaker:
            text = f"<v {speaker}>{text}"
        times = f"{_timestamp(cue.start + offset, '.')} --> {_timestamp(cue.end + offset, '.')}"
        blocks += [str(n), times, text, ""]
    return "\n".join(blocks)


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")


def write_srt(cues: Iterable[Cue], *, offset: float = 0.0) -> str:
    """SubRip text: `00:00:01,500 --> 00:00:03,000`, the speaker as a `NAME: ` prefix."""
    blocks: list[str] = []
    for n, cue in enumerate(_ordered(cues), 1):
        text = "\n".join(line for line in cue.text.strip().splitlines() if line.strip())
        if cue.speaker.strip():
            text = f"{cue.speaker.strip()}: {text}"
        times = f"{_timestamp(cue.start + offset, ',')} --> {_timestamp(cue.end + offset, ',')}"
        blocks += [str(n), times, text, ""]
    return "\n".join(blocks)


def caption_text(cue: Cue) -> str:
    """What a burned-in caption shows: "NAME: text"."""
    text = " ".join(cue.text.split())
    return f"{cue.speaker.strip()}: {text}" if cue.speaker.strip() else text


# ---------------------------------------------------------------------------------------------
# Pictures


@lru_cache(maxsize=32)
def _font(size: int, bold: bool = True, cjk: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    if cjk:
        return ImageFont.truetype(str(_cjk_font_path(bold)), size, index=CJK_FONT_INDEX)
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _cjk_font_path(bold: bool) -> Path:
    for folder in CJK_FONT_DIRS:
        for root, _dirs, files in os.walk(folder):
            if CJK_FONT_FILES[bold] in files:
                return Path(root) / CJK_FONT_FILES[bold]
    raise AnimaticError(
        "Titles and captions in Chinese, Japanese or Korean need the Noto Sans CJK font "
        f"({CJK_FONT_FILES[bold]}), which is not installed: install the Debian package fonts-noto-cjk."
    )


def _needs_cjk(text: str) -> bool:
    """Whether text has wide (Chinese, Japanese, Korean) characters, which DejaVu Sans lacks."""
    import unicodedata

    return not text.isascii() and any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def _wrap(text: str, font: Any, max_width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if not line or font.getlength(candidate) <= max_width:
                line = candidate
            else:
                lines.append(line)
                line = word
            while font.getlength(line) > max_width and len(line) > 1:  # a word wider than the line
                cut = len(line) - 1
                while cut > 1 and font.getlength(line[:cut]) > max_width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def title_card_image(card: TitleCard, size: tuple[int, int]) -> np.ndarray:
    """The title card as an RGB array: dark background, the title large and centred, subtitle below."""
    import numpy as np
    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    title_font = _font(max(12, round(height * 0.095)), bold=True, cjk=_needs_cjk(card.title))
    sub_font = _font(max(10, round(height * 0.045)), bold=False, cjk=_needs_cjk(card.subtitle))
    rows: list[tuple[str, Any, tuple[int, int, int], float]] = []
    for line in _wrap(card.title.strip(), title_font, width * 0.86):
        rows.append((line, title_font, (245, 245, 240), height * 0.115))
    if card.subtitle.strip():
        rows.append(("", sub_font, (0, 0, 0), height * 0.04))
        for line in _wrap(card.subtitle.strip(), sub_font, width * 0.8):
            rows.append((line, sub_font, (175, 178, 190), height * 0.06))
    y = (height - sum(r[3] for r in rows)) / 2
    for text, font, colour, advance in rows:
        if text:
            draw.text((width / 2, y + advance / 2), text, font=font, fill=colour, anchor="mm")
        y += advance
    return np.asarray(image).copy()


def credits_card_image(card: CreditsCard, size: tuple[int, int]) -> np.ndarray:
    """The end card as an RGB array: the heading, each credit's heading and wrapped detail, the footnote at the foot.

    The type shrinks until everything fits the frame.
    """
    import numpy as np
    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    scale = 1.0
    while True:
        heading_font = _font(max(10, round(height * 0.07 * scale)), bold=True)
        name_font = _font(max(8, round(height * 0.042 * scale)), bold=True)
        detail_font = _font(max(7, round(height * 0.032 * scale)), bold=False)
        foot_font = _font(max(7, round(height * 0.028 * scale)), bold=False)
        rows: list[tuple[str, Any, tuple[int, int, int], float]] = [
            (card.heading, heading_font, (245, 245, 240), height * 0.1 * scale)
        ]
        for name, detail in card.credits:
            rows.append(("", detail_font, BACKGROUND, height * 0.02 * scale))
            for line in _wrap(" ".join(name.split()), name_font, width * 0.86):
                rows.append((line, name_font, (235, 235, 230), height * 0.055 * scale))
            for line in _wrap(" ".join(detail.split()), detail_font, width * 0.86):
                rows.append((line, detail_font, (175, 178, 190), height * 0.043 * scale))
        if card.footnote.strip():
            rows.append(("", foot_font, BACKGROUND, height * 0.04 * scale))
            for line in _wrap(" ".join(card.footnote.split()), foot_font, width * 0.86):
                rows.append((line, foot_font, (140, 143, 155), height * 0.038 * scale))
        if sum(r[3] for r in rows) <= height * 0.92 or scale < 0.3:
            break
        scale *= 0.9
    y = (height - sum(r[3] for r in rows)) / 2
    for text, font, colour, advance in rows:
        if text:
            draw.text((width / 2, y + advance / 2), text, font=font, fill=colour, anchor="mm")
        y += advance
    return np.asarray(image).copy()


def fit_image(path: str | Path, size: tuple[int, int]) -> np.ndarray:
    """A still fitted inside `size` (aspect kept, letterboxed/pillarboxed in black) as an RGB array."""
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
    except FileNotFoundError as exc:
        raise AnimaticError(f"storyboard still not found: {path}") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise AnimaticError(f"cannot read storyboard still {path}: {exc}") from exc
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, LETTERBOX)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    if image.size != size:
        image = ImageOps.pad(image, size, method=Image.Resampling.LANCZOS, color=LETTERBOX)
    return np.asarray(image).copy()


class _CaptionPainter:
    """Bottom-centre captions: white text on a dark translucent box, wrapped; cached per text."""

    def __init__(self, size: tuple[int, int]):
        self.width, self.height = size
        self.font_size = max(12, round(self.height / 19))
        self._cache: OrderedDict[str, tuple[int, int, np.ndarray, np.ndarray]] = OrderedDict()

    def patch(self, text: str) -> tuple[int, int, np.ndarray, np.ndarray]:
        """(x, y, premultiplied rgb float32, 1 - alpha float32) for the caption box."""
        hit = self._cache.get(text)
        if hit is not None:
            self._cache.move_to_end(text)
            return hit
        import numpy as np
        from PIL import Image, ImageDraw

        font = _font(self.font_size, bold=True, cjk=_needs_cjk(text))
        lines = _wrap(text, font, self.width * 0.84)[:4]
        ascent, descent = font.getmetrics() if hasattr(font, "getmetrics") else (getattr(font, "size", 12), 0)
        line_h = round((ascent + descent) * 1.15)
        pad_x, pad_y = round(self.height * 0.025), round(self.height * 0.015)
        text_w = max(round(font.getlength(line)) for line in lines)
        box_w = min(self.width, text_w + 2 * pad_x)
        box_h = min(self.height, line_h * len(lines) + 2 * pad_y)
        box = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 175))
        draw = ImageDraw.Draw(box)
        for i, line in enumerate(lines):
            draw.text((box_w / 2, pad_y + line_h * (i + 0.5)), line, font=font, fill=(255, 255, 255, 255), anchor="mm")
        rgba = np.asarray(box).astype(np.float32) / 255.0
        alpha = rgba[..., 3:4]
        premult = rgba[..., :3] * alpha * 255.0
        x = (self.width - box_w) // 2
        y = max(0, self.height - round(self.height * 0.055) - box_h)
        entry = (x, y, premult, 1.0 - alpha)
        self._cache[text] = entry
        if len(self._cache) > 16:
            self._cache.popitem(last=False)
        return entry

    def apply(self, frame: np.ndarray, text: str) -> np.ndarray:
        import numpy as np

        x, y, premult, keep = self.patch(text)
        out = frame.copy()
        h, w = keep.shape[:2]
        region = out[y : y + h, x : x + w].astype(np.float32)
        out[y : y + h, x : x + w] = np.clip(region * keep + premult + 0.5, 0, 255).astype(np.uint8)
        return out


def _blend(previous: np.ndarray, current: np.ndarray, alpha: float) -> np.ndarray:
    import numpy as np

    weight = round(alpha * 256)
    mixed = previous.astype(np.uint16) * (256 - weight) + current.astype(np.uint16) * weight + 128
    return (mixed >> 8).astype(np.uint8)


# ---------------------------------------------------------------------------------------------
# Sound


def load_audio(path: str | Path, rate: int = AUDIO_RATE) -> np.ndarray:
    """Decode any audio file FFmpeg reads to mono float32 at `rate`."""
    import av
    import numpy as np

    if not Path(path).is_file():
        raise AnimaticError(f"sound file not found: {path}")
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise AnimaticError(f"no audio stream in {path}")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError as exc:
        raise AnimaticError(f"cannot read sound {path}: {exc}") from exc
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32, copy=False)


def mix_sounds(
    sounds: Sequence[Sound],
    total_samples: int,
    *,
    offset: float = 0.0,
    rate: int = AUDIO_RATE,
    check: Callable[[], None] = lambda: None,
) -> np.ndarray:
    """All `sounds` summed into one mono float32 track of exactly `total_samples`, silence elsewhere."""
    import numpy as np

    track = np.zeros(total_samples, dtype=np.float32)
    for sound in sounds:
        check()
        samples = load_audio(sound.wav, rate)
        start = round((sound.start + offset) * rate)
        lo, hi = max(0, start), min(total_samples, start + len(samples))
        if hi > lo:
            track[lo:hi] += samples[lo - start : hi - start]
    peak = float(np.max(np.abs(track))) if total_samples else 0.0
    if peak > 1.0:  # overlapping lines: scale down rather than clip
        track /= peak
    return track


# ---------------------------------------------------------------------------------------------
# Encoding


@lru_cache(maxsize=1)
def video_encoder() -> str:
    """The first H.264 encoder PyAV's FFmpeg has: libx264 (the PyAV wheels bundle it), else libopenh264."""
    import av

    for name in H264_ENCODERS:
        try:
            codec = av.codec.Codec(name, "w")
        except (av.FFmpegError, ValueError):  # UnknownCodecError is a ValueError
            continue
        if codec.name in ("libx264", "libopenh264") or "264" in codec.long_name:
            return codec.name
    raise AnimaticError("this FFmpeg build has no H.264 encoder (need libx264 or libopenh264 in PyAV)")


def _even(value: int) -> int:
    return max(16, int(value) // 2 * 2)


def _smooth(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


def _canvas_size(still: tuple[int, int], film: tuple[int, int]) -> tuple[int, int]:
    """The film's aspect at the still's own resolution, never smaller than the film (a small still is only
    enlarged to the film's size, so a move never crops into enlarged pixels)."""
    width, height = film
    scale = max(1.0, min(still[0] / width, still[1] / height))
    return max(width, round(width * scale)), max(height, round(height * scale))


def move_room(still: tuple[int, int], film: tuple[int, int]) -> float:
    """How far a camera move can crop into a still of this size (pixels) in a film of that size: from 1.0 (it
    must hold still) to `MOVE_ZOOM`. A still needs `MOVE_ZOOM` times the film's width for a full move."""
    canvas = _canvas_size(still, film)
    return min(MOVE_ZOOM, canvas[0] / film[0], canvas[1] / film[1])


def can_move(still: tuple[int, int], film: tuple[int, int]) -> bool:
    return move_room(still, film) > 1.005


class _Mover:
    """A camera move over one still: the frame at time t (0..1) as an RGB array of the film's size.

    The still is kept at its own resolution (letterboxed to the film's aspect), and every frame is a crop of
    it at least the film's size: a move zooms at most `MOVE_ZOOM` and never past the still's own pixels, so it
    never shows an edge or enlarges the render. A still no larger than the film cannot move (`moves` False).
    """

    def __init__(self, clip: Clip, size: tuple[int, int]):
        import numpy as np
        from PIL import Image, ImageOps

        self.size = size
        self.move = clip.move
        width, height = size
        with Image.open(clip.image) as opened:
            still = ImageOps.exif_transpose(opened).convert("RGB")
        canvas = _canvas_size((still.width, still.height), size)
        self.canvas = ImageOps.pad(still, canvas, method=Image.Resampling.LANCZOS, color=LETTERBOX)
        self.zoom = min(MOVE_ZOOM, canvas[0] / width, canvas[1] / height)
        self.moves = clip.move in MOVES and clip.move != "static" and can_move(still.size, size)
        self.near: np.ndarray | None = None
        if self.moves and clip.move == "parallax" and clip.depth and Path(clip.depth).is_file():
            with Image.open(clip.depth) as opened:
                depth = ImageOps.pad(opened.convert("I"), canvas, method=Image.Resampling.BILINEAR, color=65535)
            far = np.asarray(depth, dtype=np.float32) / 65535.0
            near = np.clip(1.0 - far, 0.0, 1.0)
            # The render's colours are antialiased but its depth is not: a thing's edge pixels (part thing, part
            # what is behind it) carry the far depth and would stay behind as an outline. Across a depth edge,
            # pixels within 2 of a much nearer one travel with it.
            grown = near.copy()
            for dy in (-1, 0, 1):
                for dx in (-2, -1, 0, 1, 2):
                    shifted = np.roll(np.roll(near, dy, axis=0), dx, axis=1)
                    np.maximum(grown, shifted, out=grown)
            self.near = np.where(grown - near > EDGE_JUMP, grown, near)
            self.pixels = np.asarray(self.canvas)

    def window(self, t: float) -> tuple[float, float, float, float]:
        """The crop (left, top, right, bottom) in the still's pixels at time t."""
        cw, ch = self.canvas.size
        small = 1 / self.zoom
        s, cx, cy = small, 0.5, 0.5
        margin = (1 - small) / 2
        e = _smooth(t)
        if self.move == "push_in":
            s = 1 - (1 - small) * e
        elif self.move == "pull_out":
            s = small + (1 - small) * e
        elif self.move == "pan_left":
            cx = 0.5 + margin - 2 * margin * e
        elif self.move == "pan_right":
            cx = 0.5 - margin + 2 * margin * e
        elif self.move == "tilt_up":
            cy = 0.5 + margin - 2 * margin * e
        elif self.move == "tilt_down":
            cy = 0.5 - margin + 2 * margin * e
        elif self.move == "parallax":
            cx = 0.5 - margin / 2 + margin * e
        w, h = cw * s, ch * s
        left = min(max(0.0, cx * cw - w / 2), cw - w)
        top = min(max(0.0, cy * ch - h / 2), ch - h)
        return left, top, left + w, top + h

    def frame(self, t: float) -> np.ndarray:
        import numpy as np
        from PIL import Image

        left, top, right, bottom = self.window(t)
        width, height = self.size
        if self.near is None:
            image = self.canvas.resize(self.size, Image.Resampling.BILINEAR, box=(left, top, right, bottom))
            return np.asarray(image).copy()
        # 2.5D: as the camera drifts sideways, near pixels slide against the far ones by their nearness. Each
        # pixel is carried to where it lands (the nearest wins where two land on one spot), and the background
        # a near thing uncovers is filled from the far side along its row: no ghosts, no streaks.
        cw, ch = self.canvas.size
        xs = left + (np.arange(width, dtype=np.float32) + 0.5) * (right - left) / width
        ys = top + (np.arange(height, dtype=np.float32) + 0.5) * (bottom - top) / height
        yi = np.clip(ys.astype(np.int32), 0, ch - 1)[:, None]
        xi = np.clip(xs.astype(np.int32), 0, cw - 1)[None, :]
        spare = (cw - (right - left)) / 2  # the crop's margin on each side, at the centre
        shift = (_smooth(t) - 0.5) * 2 * PARALLAX_SHIFT * spare * width / (right - left)  # in film pixels
        near = self.near[yi, xi]
        colours = self.pixels[yi, xi].reshape(-1, 3)
        cols = np.arange(width, dtype=np.int32)[None, :] + np.rint(shift * near).astype(np.int32)
        inside = ((cols >= 0) & (cols < width)).ravel()
        rows = np.arange(height, dtype=np.int32)[:, None]
        landing = (rows * width + cols).ravel()
        # Painted far to near in PARALLAX_LAYERS bands of nearness, so nearer bands cover farther ones (within a
        # band, two pixels landing on one spot are the same surface: either will do).
        band = np.minimum((near.ravel() * PARALLAX_LAYERS).astype(np.int16), PARALLAX_LAYERS - 1)
        band[~inside] = -1
        order = np.argsort(band, kind="stable")
        edges = np.searchsorted(band[order], np.arange(PARALLAX_LAYERS + 1))
        out = np.zeros((height * width, 3), dtype=np.uint8)
        filled = np.zeros(height * width, dtype=bool)
        for k in range(PARALLAX_LAYERS):
            these = order[edges[k] : edges[k + 1]]
            if len(these):
                out[landing[these]] = colours[these]
                filled[landing[these]] = True
        out, filled = out.reshape(height, width, 3), filled.reshape(height, width)
        if filled.all():
            return out
        at = np.arange(width, dtype=np.int32)[None, :]
        from_left = np.maximum.accumulate(np.where(filled, at, -1), axis=1)
        from_right = np.minimum.accumulate(np.where(filled, at, width)[:, ::-1], axis=1)[:, ::-1]
        # Near things moving right uncover what lies to their left, and the other way round.
        take = (
            np.where(from_left >= 0, from_left, from_right)
            if shift >= 0
            else np.where(from_right < width, from_right, from_left)
        )
        take = np.clip(take, 0, width - 1)
        return out[np.arange(height)[:, None], take]


@dataclass
class _Segment:
    """A run of frames showing one picture: the title card (clip -1) or a clip."""

    clip: int
    first: int
    last: int  # exclusive
    picture: str  # cache key for the still
    dissolve_frames: int = 0
    previous: str | None = None  # picture dissolved from; "" for black


def _plan(clips: Sequence[Clip], fps: int, title_frames: int, credits_frames: int = 0) -> tuple[list[_Segment], int]:
    segments: list[_Segment] = []
    if title_frames:
        segments.append(_Segment(-1, 0, title_frames, "#title"))
    elapsed = 0.0
    for k, clip in enumerate(clips):
        if not clip.duration > 0 or not math.isfinite(clip.duration):
            raise AnimaticError(f"clip {k + 1} ({clip.label or clip.image}) needs a positive duration")
        first = title_frames + round(elapsed * fps)
        elapsed += clip.duration
        last = title_frames + round(elapsed * fps)
        segment = _Segment(k, first, last, clip.image)
        if clip.transition == "dissolve" and clip.transition_seconds > 0:
            segment.dissolve_frames = min(last - first, round(clip.transition_seconds * fps))
            segment.previous = segments[-1].picture if segments else ""
        elif clip.transition not in ("cut", "dissolve"):
            raise AnimaticError(f"clip {k + 1}: unknown transition {clip.transition!r} (use cut or dissolve)")
        segments.append(segment)
    end = title_frames + round(elapsed * fps)
    if credits_frames:  # the end card fades in from the last picture over half a second
        card = _Segment(-2, end, end + credits_frames, "#credits", min(credits_frames, round(fps / 2)))
        card.previous = segments[-1].picture if segments else ""
        segments.append(card)
    return segments, end + credits_frames


def render_animatic(
    clips: Sequence[Clip],
    *,
    out_path: str | Path,
    size: tuple[int, int] = (1280, 720),
    fps: int = 24,
    title: TitleCard | None = None,
    cues: Sequence[Cue] = (),
    sounds: Sequence[Sound] = (),
    music: Sequence[Sound] = (),
    burn_captions: bool = False,
    credits: CreditsCard | None = None,
    metadata: dict[str, str] | None = None,
    on_progress: Callable[[float, str], None] = lambda fraction, message: None,
    should_stop: Callable[[], bool] = lambda: False,
    preset: str = "veryfast",
    crf: int = 23,
) -> dict[str, Any]:
    """Encode the timeline to an MP4 (H.264 yuv420p + AAC 48 kHz mono, +faststart) at `out_path`.

    Timing: the title card (if any) comes first and lasts `title.seconds` rounded to whole frames;
    everything after it is shifted by that offset, returned as `title_seconds`. The `cues` and
    `sounds` passed in are relative to the START OF THE FIRST CLIP (not of the file), so they need
    no change when a title card is added or removed; use `write_vtt(cues, offset=title_seconds)`
    for side captions that match the file. Clip k starts at the sum of the durations before it
    (rounded to the frame grid, so the total never drifts); the film lasts
    `title_seconds + sum(durations)` to within half a frame, and the audio track is exactly as
    long as the video.

    `music` are the score's beds (e.g. one per scene from `music.write_bed`), laid under the `sounds` and
    ducked wherever a voice speaks (`music.mix`), so the dialogue stays louder than the bed.

    `credits` adds an end card after the last clip (fading in from it) for `credits.seconds`, returned as
    `credits_seconds`; `metadata` goes into the MP4's own tags (title, comment, copyright…).

    Stills are fitted inside `size` (made even) with black bars. `burn_captions` draws the cues
    into the picture (bottom centre, white on a dark box). `on_progress(fraction, message)` is
    called about 20 times; `should_stop()` is polled every 0.2 s and raises `AnimaticCancelled`
    (no file is left behind). The file is written to a temp name beside `out_path` and renamed.
    `preset`/`crf` are x264's (veryfast/23: quick, fine for stills; ultrafast is ~2x faster, larger).

    Returns {"duration", "frames", "width", "height", "fps", "video_codec", "audio_codec",
    "video_encoder", "title_seconds", "credits_seconds", "bytes"}.
    """
    import av
    import numpy as np

    out_path = Path(out_path)
    width, height = _even(size[0]), _even(size[1])
    frame_size = (width, height)
    fps = int(fps)
    if fps <= 0:
        raise AnimaticError("fps must be positive")
    title_frames = round(title.seconds * fps) if title is not None and title.seconds > 0 else 0
    offset = title_frames / fps
    credits_frames = round(credits.seconds * fps) if credits is not None and credits.seconds > 0 else 0
    segments, total_frames = _plan(clips, fps, title_frames, credits_frames)
    if total_frames <= 0:
        raise AnimaticError("nothing to render: add at least one clip or a title card")

    last_check = 0.0

    def check(force: bool = False) -> None:
        nonlocal last_check
        now = time.monotonic()
        if force or now - last_check >= CANCEL_CHECK_SECONDS:
            last_check = now
            if should_stop():
                raise AnimaticCancelled("animatic render cancelled")

    check(force=True)
    on_progress(0.0, "Mixing sound")
    total_samples = round(total_frames * AUDIO_RATE / fps)
    audio = mix_sounds(sounds, total_samples, offset=offset, check=lambda: check(force=True))
    if music:
        from . import music as score

        beds = []
        for bed in music:
            check(force=True)
            beds.append((round((bed.start + offset) * AUDIO_RATE), load_audio(bed.wav, AUDIO_RATE)))
        audio = score.mix(audio, beds, AUDIO_RATE)

    # Captions on the frame grid: for each frame, the cues showing (only when burning them in).
    caption_at: list[str] = [""] * total_frames
    if burn_captions:
        painter = _CaptionPainter(frame_size)
        for cue in _ordered(cues):
            first = max(0, math.ceil((cue.start + offset) * fps - 1e-9))
            last = min(total_frames, math.ceil((cue.end + offset) * fps - 1e-9))
            for i in range(first, last):
                caption_at[i] = f"{caption_at[i]}\n{caption_text(cue)}".strip()

    pictures: OrderedDict[str, np.ndarray] = OrderedDict()

    def picture(key: str) -> np.ndarray:
        if key in pictures:
            pictures.move_to_end(key)
            return pictures[key]
        if key == "#title":
            assert title is not None
            array = title_card_image(title, frame_size)
        elif key == "#credits":
            assert credits is not None
            array = credits_card_image(credits, frame_size)
        elif key == "":
            array = np.zeros((height, width, 3), dtype=np.uint8)
        else:
            array = fit_image(key, frame_size)
        pictures[key] = array
        if len(pictures) > 4:
            pictures.popitem(last=False)
        return array

    encoder = video_encoder()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.stem}.", suffix=".mp4.part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
            container.metadata.update(metadata or {})
            options = {"preset": preset, "crf": str(crf)} if encoder == "libx264" else {}
            vstream = cast("VideoStream", container.add_stream(encoder, rate=fps, options=options))
            vstream.width, vstream.height, vstream.pix_fmt = width, height, "yuv420p"
            vctx = vstream.codec_context
            vctx.gop_size = fps * 4  # a keyframe at least every 4 s for seeking (x264 adds more at cuts)
            vctx.color_range, vctx.colorspace, vctx.color_primaries, vctx.color_trc = 1, 1, 1, 1  # BT.709, TV
            if encoder != "libx264":
                vctx.bit_rate = 4_000_000 if height > 480 else 1_500_000
            astream = cast("AudioStream", container.add_stream("aac", rate=AUDIO_RATE))
            astream.layout = "mono"
            astream.bit_rate = AUDIO_BITRATE
            video_tb = Fraction(1, fps)
            audio_tb = Fraction(1, AUDIO_RATE)
            chunk = 1024
            audio_cursor = 0

            def push_audio(until: int) -> None:
                nonlocal audio_cursor
                while audio_cursor + chunk <= until or (until >= total_samples and audio_cursor < total_samples):
                    end = min(total_samples, audio_cursor + chunk)
                    aframe = av.AudioFrame.from_ndarray(
                        audio[audio_cursor:end].reshape(1, -1), format="flt", layout="mono"
                    )
                    aframe.sample_rate = AUDIO_RATE
                    aframe.pts = audio_cursor
                    aframe.time_base = audio_tb
                    container.mux(astream.encode(aframe))
                    audio_cursor = end

            on_progress(0.0, f"Encoding {total_frames} frames")
            last_key: tuple[Any, ...] | None = None
            vframe: av.VideoFrame | None = None
            next_mark = 1
            previous_end: np.ndarray | None = None  # the last picture shown, where a dissolve starts
            for segment in segments:
                mover = None
                if segment.clip >= 0 and clips[segment.clip].move not in ("", "static"):
                    mover = _Mover(clips[segment.clip], frame_size)
                    mover = mover if mover.moves else None
                length = max(1, segment.last - segment.first - 1)
                for i in range(segment.first, segment.last):
                    check()
                    j = i - segment.first
                    step = j if j < segment.dissolve_frames else -1
                    moment = j if mover is not None else None
                    key = (segment.picture, segment.previous if step >= 0 else None, step, moment, caption_at[i])
                    if key != last_key or vframe is None:
                        rgb = mover.frame(j / length) if mover is not None else picture(segment.picture)
                        if step >= 0 and segment.previous is not None:
                            alpha = (step + 1) / (segment.dissolve_frames + 1)
                            before = previous_end if segment.previous and previous_end is not None else None
                            rgb = _blend(picture(segment.previous) if before is None else before, rgb, alpha)
                        if caption_at[i]:
                            rgb = painter.apply(rgb, caption_at[i])
                        vframe = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(
                            format="yuv420p", dst_colorspace="ITU709", dst_color_range="MPEG"
                        )
                        last_key = key
                    vframe.pts = i
                    vframe.time_base = video_tb
                    container.mux(vstream.encode(vframe))
                    push_audio(round((i + 1) * AUDIO_RATE / fps))
                    done = (i + 1) / total_frames
                    if done * PROGRESS_STEPS >= next_mark and i + 1 < total_frames:
                        next_mark = math.floor(done * PROGRESS_STEPS) + 1
                        on_progress(done, f"Encoded frame {i + 1} of {total_frames}")
                previous_end = mover.frame(1.0) if mover is not None else picture(segment.picture)
            check(force=True)
            push_audio(total_samples)
            on_progress(1.0, "Finishing the file")
            container.mux(vstream.encode(None))
            container.mux(astream.encode(None))
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    on_progress(1.0, "Done")
    return {
        "duration": total_frames / fps,
        "frames": total_frames,
        "width": width,
        "height": height,
        "fps": fps,
        "video_codec": "h264",
        "video_encoder": encoder,
        "audio_codec": "aac",
        "title_seconds": offset,
        "credits_seconds": credits_frames / fps,
        "bytes": out_path.stat().st_size,
    }


def probe(path: str | Path) -> dict[str, Any]:
    """What a media file holds, read with PyAV.

    {"duration" (s), "video_codec", "width", "height", "fps", "frames", "pix_fmt",
    "audio_codec", "sample_rate", "channels", "audio_duration" (s), "video_duration" (s)};
    the audio fields are None when there is no audio stream; "metadata" holds the file's tags.
    """
    import av

    info: dict[str, Any] = {
        "duration": None,
        "video_codec": None,
        "width": None,
        "height": None,
        "fps": None,
        "frames": None,
        "pix_fmt": None,
        "video_duration": None,
        "audio_codec": None,
        "sample_rate": None,
        "channels": None,
        "audio_duration": None,
    }
    with av.open(str(path)) as container:
        info["metadata"] = dict(container.metadata)
        if container.duration is not None:
            info["duration"] = container.duration / 1_000_000
        if container.streams.video:
            v = container.streams.video[0]
            info.update(
                video_codec=v.codec_context.name,
                width=v.codec_context.width,
                height=v.codec_context.height,
                fps=float(v.average_rate) if v.average_rate else None,
                frames=v.frames or None,
                pix_fmt=v.codec_context.pix_fmt,
                video_duration=float(v.duration * v.time_base) if v.duration and v.time_base else None,
            )
        if container.streams.audio:
            a = container.streams.audio[0]
            info.update(
                audio_codec=a.codec_context.name,
                sample_rate=a.codec_context.sample_rate,
                channels=a.codec_context.layout.nb_channels,
                audio_duration=float(a.duration * a.time_base) if a.duration and a.time_base else None,
            )
    return info
