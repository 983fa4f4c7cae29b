"""Editorial exports: EDL, FCPXML, OTIO, shot-list CSV and the storyboard PDF. No Django, no database."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import time
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from generation.engines import editorial
from generation.engines.editorial import (
    SHOT_LIST_COLUMNS,
    AudioClip,
    EditClip,
    PdfFrame,
    PdfScene,
    shot_list_csv,
    storyboard_pdf,
    to_edl,
    to_fcpxml,
    to_otio,
)


def cut(durations: list[float], dissolves: dict[int, float] | None = None) -> list[EditClip]:
    """Clips laid end to end; `dissolves` maps a clip index to its dissolve-in seconds."""
    clips, start = [], 0.0
    for i, seconds in enumerate(durations):
        fade = (dissolves or {}).get(i, 0.0)
        clips.append(
            EditClip(f"1-{i + 1} SHOT", f"frame-{i + 1:04d}.png", start, seconds, "dissolve" if fade else "cut", fade)
        )
        start += seconds
    return clips


def events(edl: str) -> list[list[str]]:
    """The event lines of an EDL, split into fields."""
    return [line.split() for line in edl.splitlines() if line[:3].isdigit()]


def test_edl_timecodes_are_exact_with_a_dissolve() -> None:
    edl = to_edl(cut([2.5, 1.0, 3.25], {1: 0.5}), title="Night Shift")
    lines = edl.splitlines()
    assert lines[:2] == ["TITLE: Night Shift", "FCM: NON-DROP FRAME"]
    rows = [row for row in events(edl)]
    assert rows[0][2:] == ["V", "C", "00:00:00:00", "00:00:02:12", "01:00:00:00", "01:00:02:12"]
    assert rows[1][2:] == ["V", "C", "00:00:02:12", "00:00:02:12", "01:00:02:12", "01:00:02:12"]
    assert rows[2][2:] == ["V", "D", "012", "00:00:00:00", "00:00:01:00", "01:00:02:12", "01:00:03:12"]
    assert rows[3][2:] == ["V", "C", "00:00:00:00", "00:00:03:06", "01:00:03:12", "01:00:06:18"]
    assert len({e[0] for e in rows}) == 3
    assert "* FROM CLIP NAME:  1-1 SHOT" in lines and "* TO CLIP NAME:  1-2 SHOT" in lines
    # Each event names its own still, by a relative path.
    assert "* FROM CLIP: frames/frame-0003.png" in lines and "* TO CLIP: frames/frame-0002.png" in lines


def test_edl_does_not_drift_over_a_long_cut() -> None:
    clips = cut([1.37] * 100)
    rows = events(to_edl(clips, title="Long"))
    assert len(rows) == 100
    total = round(sum(c.duration for c in clips) * 24)
    assert rows[-1][-1] == "01:02:17:00" and total == 2 * 60 * 24 + 17 * 24
    assert all(a[-1] == b[-2] for a, b in itertools.pairwise(rows))


def test_edl_dissolve_from_black_and_trimmed_overlap() -> None:
    clips = [
        EditClip("A", "a.png", 0, 3.0, "dissolve", 1.0),
        EditClip("B", "b.png", 2.0, 1.0),
        EditClip("C", "c", 3, 0),
    ]
    rows = events(to_edl(clips, title="T", fps=25))
    assert rows[0][1:] == ["BL", "V", "C", *["00:00:00:00"] * 2, *["01:00:00:00"] * 2]
    assert rows[1][3:5] == ["D", "025"] and rows[1][-1] == "01:00:02:00"
    assert rows[2][-2:] == ["01:00:02:00", "01:00:03:00"] and len(rows) == 3
    with pytest.raises(ValueError):
        to_edl([EditClip("X", "x.png", -1, 1)], title="T")


def seconds(value: str | None) -> Fraction:
    """An FCPXML rational time in seconds."""
    assert value is not None and value.endswith("s")
    return Fraction(value[:-1])


def child(parent: ET.Element, path: str) -> ET.Element:
    """The element at `path`, which must exist."""
    found = parent.find(path)
    assert found is not None, path
    return found


def test_fcpxml_parses_and_times_add_up() -> None:
    clips = cut([2.5, 1.0, 3.25], {1: 0.5})
    voices = [AudioClip("WILL: Don't.", "line-01.wav", 0.5, 1.25), AudioClip("ANN: Go.", "line-02.wav", 6.0, 1.0)]
    xml = to_fcpxml(clips, title="Night & Day", voices=voices, music=[AudioClip("calm", "calm.mp3", 0, 6.75)])
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>')
    root = ET.fromstring(xml.split("\n", 2)[2])  # noqa: S314 (our own output)
    assert root.tag == "fcpxml"
    fmt = child(root, "resources/format")
    assert seconds(fmt.get("frameDuration")) == Fraction(1, 24) and (fmt.get("width"), fmt.get("height")) == (
        "1280",
        "720",
    )
    stills = [a for a in root.iter("asset") if a.get("hasVideo") == "1"]
    assert [a.get("src") for a in stills] == [f"frames/frame-000{i}.png" for i in (1, 2, 3)]
    sounds = [a.get("src") for a in root.iter("asset") if a.get("hasAudio") == "1"]
    assert sounds == ["audio/line-01.wav", "audio/line-02.wav", "music/calm.mp3"]
    spine = child(root, "project/sequence/spine")
    shots = spine.findall("clip")
    transitions = spine.findall("transition")
    assert len(shots) == 3 and len(transitions) == 1
    assert transitions[0].get("name") == "Cross Dissolve" and child(transitions[0], "filter-video").get("ref")
    assert seconds(transitions[0].get("offset")) == Fraction(60, 24)
    assert seconds(transitions[0].get("duration")) == Fraction(12, 24)
    assert [seconds(c.get("duration")) for c in shots] == [Fraction(60, 24), Fraction(24, 24), Fraction(78, 24)]
    position = Fraction(0)
    for element in (e for e in spine if e.tag in ("clip", "gap")):
        assert seconds(element.get("offset")) == position
        position += seconds(element.get("duration"))
    lanes = [(e.get("name"), e.get("lane")) for e in root.iter("clip") if e.get("lane")]
    assert lanes == [("WILL: Don’t.", "-1"), ("calm", "-2"), ("ANN: Go.", "-1")]
    # Sound past the last picture is cut off there.
    assert [seconds(e.get("duration")) for e in root.iter("clip") if e.get("name") == "ANN: Go."] == [Fraction(18, 24)]


def test_otio_json_is_a_timeline_whose_durations_sum() -> None:
    clips = cut([2.5, 1.0, 3.25], {1: 0.5})
    clips[1].start += 1.0  # leaves a one-second gap before the dissolve
    clips[2].start += 1.0
    doc = json.loads(to_otio(clips, title="Night", fps=24, voices=[AudioClip("A: hi", "a.wav", 0.5, 1.0)]))
    assert doc["OTIO_SCHEMA"].startswith("Timeline.") and doc["tracks"]["OTIO_SCHEMA"].startswith("Stack.")
    video, voices = doc["tracks"]["children"]
    assert video["kind"] == "Video" and voices["kind"] == "Audio" and voices["name"] == "Voices"
    kinds = [item["OTIO_SCHEMA"].split(".")[0] for item in video["children"]]
    assert kinds == ["Clip", "Gap", "Transition", "Clip", "Clip"]
    timed = [item for item in video["children"] if not item["OTIO_SCHEMA"].startswith("Transition")]
    assert sum(item["source_range"]["duration"]["value"] for item in timed) == (2.5 + 1 + 1 + 3.25) * 24
    transition = video["children"][2]
    assert transition["out_offset"]["value"] == 12 and transition["in_offset"]["value"] == 0
    urls = [c["media_references"]["DEFAULT_MEDIA"]["target_url"] for c in timed if c["OTIO_SCHEMA"].startswith("Clip")]
    assert urls == ["frames/frame-0001.png", "frames/frame-0002.png", "frames/frame-0003.png"]
    assert [c["OTIO_SCHEMA"].split(".")[0] for c in voices["children"]] == ["Gap", "Clip"]


def test_otio_read_back_gives_the_same_cut(tmp_path: Path) -> None:
    import opentimelineio as otio

    clips = cut([2.5, 1.0, 3.25], {1: 0.5})
    voices = [AudioClip("WILL: no", "s01-01-1.wav", 0.5, 1.25), AudioClip("ANN: yes", "s01-03-1.wav", 4.0, 1.0)]
    path = tmp_path / "cut.otio"
    path.write_text(to_otio(clips, title="Night", voices=voices, music=[AudioClip("calm", "calm.mp3", 0, 6.75)]))
    back = otio.adapters.read_from_file(str(path))
    made = editorial.cut_timeline(
        clips, title="Night", fps=24, voices=voices, music=[AudioClip("calm", "calm.mp3", 0, 6.75)]
    )
    assert back.is_equivalent_to(made)
    video, spoken, music = back.tracks
    shots = list(video.find_clips())
    assert [c.media_reference.target_url for c in shots] == [f"frames/{c.source_file}" for c in clips]
    assert [c.duration().to_frames() for c in shots] == [60, 24, 78]
    assert [c.media_reference.target_url for c in spoken.find_clips()] == ["audio/s01-01-1.wav", "audio/s01-03-1.wav"]
    assert [spoken.range_of_child(c).start_time.to_frames() for c in spoken.find_clips()] == [12, 96]
    assert [c.media_reference.target_url for c in music.find_clips()] == ["music/calm.mp3"]
    assert len([t for t in video if isinstance(t, otio.schema.Transition)]) == 1


def test_shot_list_csv_round_trips_awkward_text() -> None:
    rows: list[dict[str, object]] = [
        {
            "scene": "1", "scene_heading": "INT. KITCHEN - NIGHT", "shot": 1, "shot_type": "Close-up",
            "camera_angle": "low", "lens_mm": 85, "subjects": ["WILL", "MARY"],
            "description": 'He says "no, never",\nthen leaves; café ☕', "script_lines": "WILL\nNo.",
            "duration_seconds": 2.5, "stale": True, "frame_file": "frame-0001.png",
        },
        {"scene": "2", "shot": 1, "description": "=HYPERLINK(evil)", "stale": False, "unknown": "dropped"},
    ]  # fmt: skip
    text = shot_list_csv(rows)
    assert text.startswith("scene,scene_heading,shot,") and "\r\n" in text
    parsed = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(parsed[0]) == list(SHOT_LIST_COLUMNS)
    assert parsed[0]["description"] == 'He says "no, never",\nthen leaves; café ☕'
    assert (parsed[0]["subjects"], parsed[0]["stale"], parsed[0]["duration_seconds"]) == ("WILL; MARY", "yes", "2.5")
    assert parsed[1]["scene_heading"] == "" and parsed[1]["stale"] == "no"
    excel = shot_list_csv(rows, excel=True)
    assert excel.startswith("\ufeffscene,")
    assert list(csv.DictReader(io.StringIO(excel[1:], newline="")))[1]["description"] == "'=HYPERLINK(evil)"


def png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (320, 180)) -> str:
    """A small solid PNG."""
    Image.new("RGB", size, colour).save(path)
    return str(path)


def test_storyboard_pdf_pages_text_and_images(tmp_path: Path) -> None:
    images = [png(tmp_path / f"f{i}.png", (40 * i, 90, 160)) for i in range(4)]
    Image.new("RGBA", (200, 200), (255, 0, 0, 128)).save(tmp_path / "alpha.png")
    long = "A very long note that keeps going and going " * 20
    first = [
        PdfFrame(images[i % 4], f"{i + 1}. Close-up · 85 mm · WILL", long, "WILL\nNo. " * 30, ["ok"]) for i in range(7)
    ]
    first[2] = PdfFrame("", "3. Wide · 24 mm · MARY", "not yet drawn", "", [])
    first[3] = PdfFrame(str(tmp_path / "missing.png"), "4. Insert · 50 mm · KETTLE", "", "", [])
    scenes = [
        PdfScene("INT. KITCHEN - NIGHT", "1", first),
        PdfScene(
            "EXT. ROOFTOP - DAWN", "2", [PdfFrame(str(tmp_path / "alpha.png"), "1. Two-shot · 35 mm", "", "", [])]
        ),
        PdfScene("INT. EMPTY HALL - DAY", "3", []),
    ]
    data = storyboard_pdf(title="The Long Night", scenes=scenes)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 + math.ceil(7 / 6) + 1 + 1
    texts = [page.extract_text() for page in reader.pages]
    assert "The Long Night" in texts[0] and "3 scenes" in texts[0]
    assert "INT. KITCHEN - NIGHT" in texts[1] and "(continued)" in texts[2] and "EXT. ROOFTOP - DAWN" in texts[3]
    assert "1. Close-up · 85 mm · WILL" in texts[1] and "4. Insert · 50 mm · KETTLE" in texts[1]
    assert "not rendered" in texts[1] and "image missing" in texts[1] and "…" in texts[1]
    assert "page 2 of 5" in texts[1] and "page 5 of 5" in texts[4]
    assert len(reader.pages[1].images) == 2  # two distinct pictures on the page, each embedded once
    assert reader.pages[3].images and not reader.pages[4].images
    letter = PdfReader(io.BytesIO(storyboard_pdf(title="T", scenes=scenes[1:2], paper="Letter")))
    assert round(float(letter.pages[0].mediabox.width)) == 792
    with pytest.raises(ValueError):
        storyboard_pdf(title="T", scenes=[], paper="A3")


def test_storyboard_pdf_ends_with_the_models_that_made_it(tmp_path: Path) -> None:
    scenes = [PdfScene("INT. KITCHEN - NIGHT", "1", [PdfFrame(png(tmp_path / "f.png", (9, 9, 9)), "1. Wide")])]
    credits = [
        ("Faces: DCGAN faces (embedded)", "Licence: MIT. Training data DigiFace-1M: non-commercial research only."),
        ("Text: SmolLM2-135M-Instruct (embedded)", "Licence: Apache-2.0. Made: write screenplay."),
    ]
    reader = PdfReader(io.BytesIO(storyboard_pdf(title="T", scenes=scenes, credits=credits, footnote="Honour them.")))
    assert len(reader.pages) == 3
    last = " ".join(reader.pages[-1].extract_text().split())
    assert last.startswith("Made with")
    for heading, detail in credits:
        assert heading in last and detail in last
    assert "Honour them." in last and "page 3 of 3" in last
    # Without credits there is no such page.
    assert len(PdfReader(io.BytesIO(storyboard_pdf(title="T", scenes=scenes))).pages) == 2


def test_storyboard_pdf_non_latin_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = PdfFrame(
        png(tmp_path / "a.png", (10, 20, 30)),
        "1. Gros plan · 85 mm · ŽOFIE",
        "Ωμέγα “quoted” — ok",
        "ЖЕНЯ\nПривет.",
        [],
    )
    reader = PdfReader(
        io.BytesIO(storyboard_pdf(title="Noc – Ночь", scenes=[PdfScene("INT. DŮM – NOC", "1", [frame])]))
    )
    text = reader.pages[1].extract_text()
    assert "INT. DŮM – NOC" in text and "ŽOFIE" in text and "Привет." in text and len(reader.pages) == 2
    monkeypatch.setattr(editorial, "DEJAVU_DIR", tmp_path / "no-fonts")  # core fonts only: replaced, not a crash
    reader = PdfReader(
        io.BytesIO(storyboard_pdf(title="Noc – Ночь", scenes=[PdfScene("INT. DŮM – NOC", "1", [frame])]))
    )
    text = reader.pages[1].extract_text()
    assert "INT. DUM – NOC" in text and "ŽOFIE" in text and "??????." in text and "“quoted”" in text


def test_storyboard_pdf_fifty_frames_is_fast(tmp_path: Path) -> None:
    images = [png(tmp_path / f"f{i}.png", (i * 5, 100, 200 - i * 3), (1280, 720)) for i in range(10)]
    frames = [
        PdfFrame(images[i % 10], f"{i + 1}. Medium · 50 mm", "Pan left. " * 8, "WILL\nLine. " * 8, [])
        for i in range(50)
    ]
    scenes = [PdfScene(f"INT. ROOM {s} - DAY", str(s + 1), frames[s * 10 : s * 10 + 10]) for s in range(5)]
    started = time.perf_counter()
    data = storyboard_pdf(title="Fifty", scenes=scenes)
    assert time.perf_counter() - started < 5
    assert len(PdfReader(io.BytesIO(data)).pages) == 1 + 5 * 2


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_excel_shot_list_defuses_every_formula_start(start: str) -> None:
    """A cell starting like a formula (a leading minus too: -2+3+cmd|' /C calc'!A0) is quoted for Excel."""
    cell = f"{start}2+3+cmd|' /C calc'!A0"
    excel = shot_list_csv([{"scene": "1", "shot": 1, "description": cell}], excel=True)
    row = next(iter(csv.DictReader(io.StringIO(excel[1:], newline=""))))
    assert row["description"] == "'" + cell
    assert row["scene"] == "1"
