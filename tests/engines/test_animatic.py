"""The animatic engine end to end: real stills, real espeak-ng voices, real H.264/AAC files read back with PyAV."""

from __future__ import annotations

import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw

from generation.engines import animatic as A
from generation.engines import voices as V

FPS = 24
SIZE = (640, 360)
RED, CYAN, WHITE = (200, 60, 40), (40, 180, 220), (235, 235, 235)
TITLE = A.TitleCard("The Long Night", "scratch animatic", seconds=1.0)
LINES = [("ANNA", "(quietly) Where were you last night?"), ("BEN", "Out. *Just* out.")]
CUES = [A.Cue(0.2, 1.6, "Where were you last night?", "ANNA"), A.Cue(2.6, 3.8, "Out. Just out.", "BEN")]
needs_espeak = pytest.mark.skipif(not V.available(), reason=V.INSTALL_HINT)


@dataclass
class Film:
    path: Path
    plain: Path
    result: dict[str, Any]
    sounds: list[A.Sound]
    wav_seconds: list[float]
    checks: list[float]


def still(path: Path, colour: tuple[int, int, int], size: tuple[int, int]) -> str:
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 10, size[1] // 10), fill=(10, 10, 10))  # a corner mark
    image.save(path)
    return str(path)


def tone(path: Path, seconds: float) -> float:
    """A stand-in line when espeak-ng is missing (the voice tests skip then; the film tests still run)."""
    t = np.arange(round(seconds * 22050)) / 22050
    pcm = (0.4 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(22050)
        handle.writeframes(pcm.tobytes())
    return seconds


@pytest.fixture(scope="module")
def film(tmp_path_factory: pytest.TempPathFactory) -> Film:
    root = tmp_path_factory.mktemp("animatic")
    clips = [
        A.Clip(still(root / "a.png", RED, (800, 450)), 2.0, label="A"),
        A.Clip(still(root / "b.png", CYAN, (800, 450)), 2.0, "dissolve", 0.5, label="B"),
        A.Clip(still(root / "c.png", WHITE, (300, 400)), 1.5, label="C"),  # portrait: pillarboxed
    ]
    sounds, seconds = [], []
    for (name, line), cue in zip(LINES, CUES, strict=True):
        wav = root / f"{name}.wav"
        seconds.append(V.synthesize(line, V.voice_for(name), wav) if V.available() else tone(wav, 1.0))
        sounds.append(A.Sound(cue.start, str(wav)))
    checks: list[float] = []

    def should_stop() -> bool:
        checks.append(time.monotonic())
        return False

    def render(name: str, burn: bool, stop: Callable[[], bool] = lambda: False) -> dict[str, Any]:
        return A.render_animatic(
            clips, out_path=root / name, size=SIZE, fps=FPS, title=TITLE, cues=CUES, sounds=sounds,
            burn_captions=burn, should_stop=stop,
        )  # fmt: skip

    result = render("film.mp4", True, should_stop)
    render("plain.mp4", False)
    return Film(root / "film.mp4", root / "plain.mp4", result, sounds, seconds, checks)


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def audio(path: Path) -> tuple[np.ndarray, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        chunks = [f.to_ndarray().mean(axis=0) for f in container.decode(stream)]
    return np.concatenate(chunks), rate


def centre(frame: np.ndarray) -> np.ndarray:
    h, w = frame.shape[:2]
    return frame[h // 3 : 2 * h // 3, w // 3 : 2 * w // 3].reshape(-1, 3).mean(axis=0)


def frame_at(film_seconds: float) -> int:
    return round(film_seconds * FPS)


def test_render_gives_h264_aac_of_the_planned_length(film: Film) -> None:
    info = A.probe(film.path)
    expected = TITLE.seconds + 2.0 + 2.0 + 1.5
    assert abs(info["duration"] - expected) <= 1 / FPS
    assert abs(info["audio_duration"] - expected) <= 1 / FPS
    assert (info["video_codec"], info["audio_codec"]) == ("h264", "aac")
    assert (info["width"], info["height"], info["pix_fmt"]) == (640, 360, "yuv420p")
    assert info["fps"] == FPS and info["frames"] == round(expected * FPS) == film.result["frames"]
    assert (info["sample_rate"], info["channels"]) == (48000, 1)
    assert film.result["title_seconds"] == 1.0 and film.result["video_encoder"] in A.H264_ENCODERS
    head = film.path.read_bytes()[:4096]
    assert b"moov" in head, "+faststart puts the index first"
    assert not list(film.path.parent.glob("*.part")), "no temp files left"
    gaps = np.diff(film.checks)
    assert len(film.checks) >= 2 and (gaps < 0.5).all()


def test_title_card_comes_first_and_stills_are_fitted(film: Film) -> None:
    video = frames(film.plain)
    card = video[frame_at(0.5)]
    assert card.mean() < 60 and card.max() > 200, "dark card with bright text"
    assert np.abs(centre(video[frame_at(1.5)]) - RED).max() < 8, "the first clip starts after the card"
    portrait = video[frame_at(6.2)]
    assert portrait[:, :100].max() < 20 and portrait[:, -100:].max() < 20, "pillarboxed in black"
    assert np.abs(centre(portrait) - WHITE).max() < 8


def test_dissolve_blends_and_cut_does_not(film: Film) -> None:
    video = frames(film.plain)
    start_b = frame_at(1.0 + 2.0)  # B dissolves in over 12 frames
    halfway = centre(video[start_b + 6])
    alpha = 7 / 13
    assert np.abs(halfway - (np.array(RED) * (1 - alpha) + np.array(CYAN) * alpha)).max() < 12
    assert all(min(r, c) + 20 < h < max(r, c) - 20 for r, c, h in zip(RED, CYAN, halfway, strict=True))
    assert np.abs(centre(video[start_b - 1]) - RED).max() < 8, "A is untouched before the dissolve"
    assert np.abs(centre(video[start_b + 12]) - CYAN).max() < 8, "B is fully in after it"
    start_c = frame_at(1.0 + 4.0)
    assert np.abs(centre(video[start_c - 1]) - CYAN).max() < 8
    assert np.abs(centre(video[start_c]) - WHITE).max() < 8, "a cut is a hard switch"


def test_captions_are_burned_in_only_at_the_bottom_and_only_during_a_cue(film: Film) -> None:
    burned, plain = frames(film.path), frames(film.plain)
    assert len(burned) == len(plain)

    def diff(i: int, rows: slice) -> float:
        return float(np.abs(burned[i][rows].astype(int) - plain[i][rows].astype(int)).mean())

    bottom, top = slice(int(SIZE[1] * 0.72), None), slice(0, int(SIZE[1] * 0.6))
    during = frame_at(1.0 + 0.9)  # inside ANNA's cue (0.2-1.6 after the card)
    assert diff(during, bottom) > 8
    assert diff(during, top) < 1.5
    for outside in (frame_at(0.5), frame_at(1.0 + 2.2), frame_at(1.0 + 5.0)):  # card, gap, after the last cue
        assert diff(outside, slice(None)) < 1.5


def test_vtt_and_srt_match_the_cues() -> None:
    assert A.write_vtt(CUES) == (
        "WEBVTT\n\n"
        "1\n00:00:00.200 --> 00:00:01.600\n<v ANNA>Where were you last night?\n\n"
        "2\n00:00:02.600 --> 00:00:03.800\n<v BEN>Out. Just out.\n"
    )
    assert A.write_srt(CUES) == (
        "1\n00:00:00,200 --> 00:00:01,600\nANNA: Where were you last night?\n\n"
        "2\n00:00:02,600 --> 00:00:03,800\nBEN: Out. Just out.\n"
    )
    late = [A.Cue(3661.5, 3662.25, "a < b & c"), A.Cue(0, 0, "empty")]
    assert A.write_vtt(late, offset=1.0) == "WEBVTT\n\n1\n01:01:02.500 --> 01:01:03.250\na &lt; b &amp; c\n"
    assert A.write_srt(late) == "1\n01:01:01,500 --> 01:01:02,250\na < b & c\n"


def test_audio_has_sound_where_placed_and_silence_elsewhere(film: Film) -> None:
    samples, rate = audio(film.path)
    assert abs(len(samples) / rate - film.result["duration"]) <= 1 / FPS
    window = rate // 20
    rms = np.sqrt(np.mean(samples[: len(samples) // window * window].reshape(-1, window) ** 2, axis=1))
    times = np.arange(len(rms)) / 20
    spans = [
        (TITLE.seconds + s.start, TITLE.seconds + s.start + n)
        for s, n in zip(film.sounds, film.wav_seconds, strict=True)
    ]
    for start, end in spans:
        assert rms[(times >= start) & (times < end)].max() > 0.02
    quiet = np.ones(len(rms), bool)
    for start, end in spans:
        quiet &= ~((times > start - 0.1) & (times < end + 0.1))
    assert quiet[times < TITLE.seconds].all(), "the title card is silent"
    assert rms[quiet].max() < 0.002


def test_cancel_stops_and_leaves_nothing(tmp_path: Path) -> None:
    image = still(tmp_path / "s.png", RED, (320, 180))
    clips = [A.Clip(image, 3.0, "dissolve") for _ in range(20)]
    polls: list[int] = []
    progress: list[float] = []

    def should_stop() -> bool:
        polls.append(len(progress))
        return len(polls) >= 3

    out = tmp_path / "cancelled.mp4"
    with pytest.raises(A.AnimaticCancelled):
        A.render_animatic(
            clips, out_path=out, size=SIZE, should_stop=should_stop, on_progress=lambda f, m: progress.append(f)
        )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.png"]
    assert max(progress) < 1.0


def test_progress_is_throttled_and_errors_are_clear(tmp_path: Path) -> None:
    image = still(tmp_path / "s.png", RED, (320, 180))
    seen: list[tuple[float, str]] = []
    result = A.render_animatic(
        [A.Clip(image, 4.0)], out_path=tmp_path / "p.mp4", size=(320, 180), on_progress=lambda f, m: seen.append((f, m))
    )
    fractions = [f for f, _ in seen]
    assert result["frames"] == 96 and 5 <= len(seen) <= 25
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    with pytest.raises(A.AnimaticError, match="not found"):
        A.render_animatic([A.Clip(str(tmp_path / "missing.png"), 1.0)], out_path=tmp_path / "m.mp4", size=(320, 180))
    assert not (tmp_path / "m.mp4").exists() and not list(tmp_path.glob("*.part"))


def test_the_end_card_credits_the_models_after_the_last_clip_and_the_file_carries_them(tmp_path: Path) -> None:
    image = still(tmp_path / "s.png", RED, (320, 180))
    card = A.CreditsCard(
        [("Faces: DCGAN faces", "Licence: MIT. Training data DigiFace-1M: non-commercial research only.")]
        + [(f"Voices: voice {n}", "Licence: GPL-3.0-or-later. " * 4) for n in range(6)],  # long: the type shrinks
        footnote="Honour their terms.",
        seconds=2.0,
    )
    out = tmp_path / "credits.mp4"
    result = A.render_animatic(
        [A.Clip(image, 1.0)], out_path=out, size=(320, 180), credits=card, metadata={"comment": "Faces: DCGAN faces"}
    )
    assert result["credits_seconds"] == 2.0 and result["frames"] == 72
    info = A.probe(out)
    assert abs(info["duration"] - 3.0) <= 1 / FPS and abs(info["audio_duration"] - 3.0) <= 1 / FPS
    assert info["metadata"]["comment"] == "Faces: DCGAN faces"
    video = frames(out)
    assert np.abs(centre(video[FPS - 1]) - RED).max() < 8, "the clip plays in full"
    faded = centre(video[FPS + 3])  # fading from the clip into the card
    assert faded[0] < RED[0] - 20
    expected = A.credits_card_image(card, (320, 180)).astype(int)
    last = video[-1].astype(int)
    assert np.abs(last - expected).mean() < 4, "the last frame is the credits card"
    assert expected[:, :, 0].max() > 200 and (expected.sum(axis=2) > 300).mean() > 0.01, "bright text on it"


def test_duration_planning() -> None:
    assert A.speech_seconds(10) == 4.0
    assert A.shot_seconds(10, 8) == 7.0
    assert A.shot_seconds(0, 0) == 1.5
    assert A.shot_seconds(0, 400) == 6.0
    assert A.plan_durations([(5, 0), (0, 4)]) == [3.0, 2.0]


def test_same_name_same_voice_and_different_names_differ() -> None:
    assert V.voice_for("ANNA") == V.voice_for("anna") == V.voice_for("Anna (V.O.)") == V.voice_for("@ANNA (CONT'D)")
    cast = ["ANNA", "BEN", "DETECTIVE RAMIREZ", "MRS. HALE", "THE KID", "OLD MAN", "NURSE", "DRIVER"]
    voices = [V.voice_for(name) for name in cast]
    assert len(set(voices)) == len(cast)
    assert V.voice_for("ANNA") != V.voice_for("BEN")
    many = [V.voice_for(f"EXTRA {i}") for i in range(300)]
    assert all(30 <= v.pitch <= 70 and 150 <= v.speed <= 175 for v in many)
    assert len({v.engine_voice for v in many}) == len(V.CHARACTER_VARIANTS)
    assigned = V.assign_voices(
        cast, neural=False
    )  # espeak-ng's variants (Piper's presets: tests/engines/test_voices.py)
    assert len({v.engine_voice for v in assigned.values()}) == len(cast)
    assert V.assign_voices(reversed(cast), neural=False) == assigned
    narrator = V.voice_for("NARRATOR", narrator=True)
    assert narrator == V.voice_for("NARRATOR", narrator=True) and narrator.speed < 150


def test_clean_text_drops_fountain_markup() -> None:
    line = "(quietly) I *never* said _that_. [[fix later]] /* cut */ Okay? (beat) Fine."
    assert V.clean_text(line) == "I never said that. Okay? Fine."


@needs_espeak
def test_synthesize_writes_a_wav_of_the_returned_length(tmp_path: Path) -> None:
    out = tmp_path / "line.wav"
    seconds = V.synthesize("(angry) I told you *twice* already.", V.voice_for("BEN"), out)
    with wave.open(str(out)) as handle:
        assert abs(seconds - handle.getnframes() / handle.getframerate()) < 0.01
    assert 0.8 < seconds < 5.0
    assert V.synthesize("(beat)", V.voice_for("BEN"), tmp_path / "empty.wav") == 0.0
    slow, fast = V.Voice("en-us+m3", 50, 120, "slow"), V.Voice("en-us+m3", 50, 200, "fast")
    text = "The quick brown fox jumps over the lazy dog."
    assert V.synthesize(text, slow, tmp_path / "s.wav") > V.synthesize(text, fast, tmp_path / "f.wav")


def test_missing_engine_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(V, "ESPEAK", "espeak-ng-not-here")
    monkeypatch.setattr(V, "piper_available", lambda: False)
    assert not V.available()
    with pytest.raises(V.VoiceError, match=r"apt-get install espeak-ng"):
        V.synthesize("Hello.", V.voice_for("ANNA"), tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()


def test_title_cards_and_captions_draw_chinese_japanese_and_korean_glyphs() -> None:
    # A font without these glyphs draws the same empty box for each: two different texts of the same
    # length would give the same picture.
    for one, other in (("客厅里的雨", "街道上的伞"), ("こんにちは", "さようなら"), ("안녕하세요", "잘가세요요")):
        first, second = (A.title_card_image(A.TitleCard(text), SIZE) for text in (one, other))
        assert not np.array_equal(first, second)
        painter = A._CaptionPainter(SIZE)
        assert not np.array_equal(painter.patch(one)[2], painter.patch(other)[2])
    # Cyrillic and Greek too (DejaVu Sans has them).
    assert not np.array_equal(
        A.title_card_image(A.TitleCard("Где ты был"), SIZE), A.title_card_image(A.TitleCard("Πού ήσουν;"), SIZE)
    )


def test_a_missing_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(A, "CJK_FONT_DIRS", (str(tmp_path),))
    A._font.cache_clear()
    try:
        with pytest.raises(A.AnimaticError, match="fonts-noto-cjk"):
            A.title_card_image(A.TitleCard("客厅"), SIZE)
        A.title_card_image(A.TitleCard("The Long Night"), SIZE)  # Latin titles don't need it
    finally:
        A._font.cache_clear()
