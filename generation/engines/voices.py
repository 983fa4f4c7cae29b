"""Scratch voices for dialogue, fully offline, with espeak-ng. No Django imports here.

Each character gets a consistent voice derived from its name alone (a hash picks an espeak-ng
variant, a pitch and a speed), so the same name sounds the same in every scene and every render,
with no voice table to store. `synthesize` cleans Fountain markup out of a line and writes a WAV.

The engine is the `espeak-ng` command (Debian package `espeak-ng`), run as a subprocess: each line
is a separate process, so nothing leaks between jobs and a crash cannot take the worker down.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .base import JobFailed

ESPEAK = "espeak-ng"
INSTALL_HINT = "espeak-ng is not installed on the worker: apt-get install espeak-ng"
LANGUAGE = "en-us"
TIMEOUT_SECONDS = 60.0

# espeak-ng voice variants (data/voices/!v) that stay intelligible; the pool a character's name picks from.
CHARACTER_VARIANTS = (
    "m1", "m2", "m3", "m4", "m5", "m6", "m7",
    "f1", "f2", "f3", "f4", "f5",
    "klatt", "klatt2", "klatt3",
    "adam", "david", "edward", "john", "linda", "steph", "robert", "paul", "iven",
)  # fmt: skip
NARRATOR_VARIANTS = ("m7", "f2", "m2", "f4")
PITCH_RANGE = (30, 70)  # espeak-ng -p, 0..99
SPEED_RANGE = (150, 175)  # espeak-ng -s, words per minute
NARRATOR_PITCH = 42
NARRATOR_SPEED = 148

# A character cue's extensions: JOHN (V.O.), JOHN (CONT'D), JOHN ^ (dual dialogue), @McCLANE.
_CUE_EXTENSION = re.compile(r"\(.*?\)|\^")


class VoiceError(JobFailed):
    """The scratch voice cannot be made; the message says what to do (install the engine, fix the text)."""


@dataclass(frozen=True)
class Voice:
    """A scratch voice: `engine_voice` is espeak-ng's `-v` ("en-us+m3"), pitch is `-p`, speed `-s` (wpm)."""

    engine_voice: str
    pitch: int
    speed: int
    label: str


def canonical_name(name: str) -> str:
    """The character a cue names, without extensions: "@mcclane (V.O.) (CONT'D)" -> "MCCLANE"."""
    bare = _CUE_EXTENSION.sub(" ", name).strip().lstrip("@").strip()
    return " ".join(bare.upper().split())


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _voice_from_digest(key: str, digest: int) -> Voice:
    variants = len(CHARACTER_VARIANTS)
    pitches = PITCH_RANGE[1] - PITCH_RANGE[0] + 1
    speeds = SPEED_RANGE[1] - SPEED_RANGE[0] + 1
    variant = CHARACTER_VARIANTS[digest % variants]
    pitch = PITCH_RANGE[0] + (digest // variants) % pitches
    speed = SPEED_RANGE[0] + (digest // (variants * pitches)) % speeds
    return Voice(f"{LANGUAGE}+{variant}", pitch, speed, f"{key.title() or 'Unnamed'} ({variant}, p{pitch}, s{speed})")


def voice_for(name: str, *, narrator: bool = False) -> Voice:
    """The voice for a character, the same for the same name every time (case and cue extensions ignored).

    A hash of the name picks one of `CHARACTER_VARIANTS`, a pitch in `PITCH_RANGE` and a speed in
    `SPEED_RANGE`: 24 x 41 x 26 combinations, so two names rarely share all three (and differ in
    at least the pitch or speed when they share a variant). `assign_voices` guarantees distinct
    variants within one cast. `narrator=True` gives a steadier, slower voice for action lines and
    titles, still chosen by name (so different narrators differ).
    """
    key = canonical_name(name)
    digest = _digest(key)
    if narrator:
        variant = NARRATOR_VARIANTS[digest % len(NARRATOR_VARIANTS)]
        return Voice(f"{LANGUAGE}+{variant}", NARRATOR_PITCH, NARRATOR_SPEED, f"Narrator ({variant})")
    return _voice_from_digest(key, digest)


def assign_voices(names: Iterable[str]) -> dict[str, Voice]:
    """Voices for a whole cast, each `voice_for(name)` unless two would share a variant.

    Names are settled in sorted order; a name whose variant is taken re-hashes ("NAME#1", ...) until
    it finds a free one (or, with more characters than variants, one not also matching pitch and
    speed). Stable for a given cast; adding a character can only move the characters after it.
    """
    result: dict[str, Voice] = {}
    taken: set[str] = set()
    seen: set[tuple[str, int, int]] = set()
    for name in sorted(set(names), key=canonical_name):
        key = canonical_name(name)
        voice = voice_for(name)
        salt = 0
        while salt < 64 and (
            voice.engine_voice in taken if len(taken) < len(CHARACTER_VARIANTS) else _triple(voice) in seen
        ):
            salt += 1
            voice = _voice_from_digest(key, _digest(f"{key}#{salt}"))
        result[name] = voice
        taken.add(voice.engine_voice)
        seen.add(_triple(voice))
    return result


def _triple(voice: Voice) -> tuple[str, int, int]:
    return (voice.engine_voice, voice.pitch, voice.speed)


_BONEYARD = re.compile(r"/\*.*?\*/", re.S)
_NOTE = re.compile(r"\[\[.*?\]\]", re.S)
_PAREN = re.compile(r"\([^()]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_)(?=\S)(.+?)(?<=\S)\1")
_MARKS = re.compile(r"[*_~^>]|<(?=\s)|\\")


def clean_text(text: str) -> str:
    """A dialogue line as it should be spoken: no parentheticals, notes, boneyard or emphasis marks."""
    out = _BONEYARD.sub(" ", text)
    out = _NOTE.sub(" ", out)
    previous = None
    while previous != out:  # nested parentheticals
        previous, out = out, _PAREN.sub(" ", out)
    out = _EMPHASIS.sub(r"\2", out)
    out = _MARKS.sub(" ", out)
    return " ".join(out.split())


def available() -> bool:
    """Whether the espeak-ng command is on this machine."""
    return shutil.which(ESPEAK) is not None


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as handle:
        rate = handle.getframerate()
        return handle.getnframes() / rate if rate else 0.0


def synthesize(text: str, voice: Voice, out_wav: Path) -> float:
    """Speak `text` (Fountain markup removed) with `voice` into `out_wav`; returns the seconds of audio.

    The WAV (mono, 16-bit, 22.05 kHz) is written atomically. A line with nothing left to say after
    cleaning ("(beat)") gives an empty WAV and 0.0. Raises `VoiceError` when espeak-ng is missing
    or fails.
    """
    out_wav = Path(out_wav)
    binary = shutil.which(ESPEAK)
    if binary is None:
        raise VoiceError(INSTALL_HINT)
    spoken = clean_text(text)
    out_wav.parent.mkdir(parents=True, exist_ok=True)
    # espeak-ng silently writes nothing to a path longer than ~200 characters, so it writes to a short
    # temporary name and the file is moved into place afterwards.
    fd, tmp_name = tempfile.mkstemp(prefix="fs-voice-", suffix=".wav")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if spoken:
            cmd = [binary, "-v", voice.engine_voice, "-p", str(voice.pitch), "-s", str(voice.speed), "-w", str(tmp)]
            try:
                proc = subprocess.run(
                    [*cmd, "--stdin"],
                    input=spoken.encode("utf-8"),
                    capture_output=True,
                    timeout=TIMEOUT_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise VoiceError(f"espeak-ng took longer than {TIMEOUT_SECONDS:.0f} s on one line") from exc
            if proc.returncode != 0 or tmp.stat().st_size == 0:
                detail = proc.stderr.decode("utf-8", "replace").strip() or f"exit status {proc.returncode}"
                raise VoiceError(f"espeak-ng failed for voice {voice.engine_voice}: {detail}")
        else:
            with wave.open(str(tmp), "wb") as handle:
                handle.setnchannels(1)
                handle.setsampwidth(2)
                handle.setframerate(22050)
        seconds = wav_seconds(tmp)
        shutil.move(str(tmp), out_wav)
    finally:
        tmp.unlink(missing_ok=True)
    return seconds
