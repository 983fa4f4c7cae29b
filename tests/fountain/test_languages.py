"""Screenplays in other scripts: a Chinese screenplay round-trips, breaks down and prints; Cyrillic and
Greek print as themselves; a missing font is a clear error, never a page of question marks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from projects import fountain
from projects.fountain import fonts
from tests.fountain.support import described, fonts_by_text

CHINESE = """Title: 归来
Author: 王小明

内景。客厅 - 夜

李明坐在沙发上，看着窗外的雨。

@李明
你回来了？

@王芳
(轻声)
嗯，我回来了。

外景。街道 - 日

王芳走在街上，手里拿着一把伞。

@李明 (画外音)
等等我！
"""


def printed_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_chinese_screenplay_round_trips() -> None:
    script = fountain.parse(CHINESE)
    assert [(e.kind, e.text) for e in script.elements][:4] == [
        ("scene_heading", "内景。客厅 - 夜"),
        ("action", "李明坐在沙发上，看着窗外的雨。"),
        ("character", "李明"),
        ("dialogue", "你回来了？"),
    ]
    written = fountain.write(script)
    again = fountain.parse(written)
    assert described(again.elements) == described(script.elements) and again.title_page == script.title_page
    assert "内景。客厅 - 夜" in written.split("\n")  # written as it was, not forced with "."
    via_fdx = fountain.read_fdx(fountain.write_fdx(script))
    assert described(via_fdx.elements) == described(script.elements)


def test_a_chinese_screenplay_breaks_down() -> None:
    result = fountain.breakdown(CHINESE)
    assert [(s.int_ext, s.location, s.time_of_day) for s in result.scenes] == [
        ("INT", "客厅", "夜"),
        ("EXT", "街道", "日"),
    ]
    assert [(c.name, c.dialogue_lines, c.scene_count) for c in result.characters] == [("李明", 2, 2), ("王芳", 1, 1)]
    assert [c.dialogue_words for c in result.characters] == [7, 5]  # each Chinese character counts as a word
    assert result.characters[0].extensions == {"画外音"}
    assert [place.name for place in result.locations] == ["客厅", "街道"]
    assert all(scene.eighths >= 1 for scene in result.scenes)


def test_a_chinese_screenplay_prints_in_its_own_characters() -> None:
    data = fountain.export_pdf(CHINESE)
    text = printed_text(data)
    for words in ("归来", "内景。客厅 - 夜", "李明坐在沙发上，看着窗外的雨。", "你回来了？", "(轻声)", "李明 (画外音)"):
        assert words in text, words
    assert "?" not in text
    # Wide characters take two columns: a long line of them wraps inside the margins.
    wide = fountain.export_pdf("内景。客厅 - 夜\n\n" + "雨" * 200 + "\n")
    lines = [line for line in printed_text(wide).split("\n") if "雨" in line]
    assert len(lines) >= 7 and all(len(line) <= 30 for line in lines)


def test_cyrillic_and_greek_print_as_themselves() -> None:
    source = ".КВАРТИРА - НОЧЬ\n\nАнна смотрит в окно.\n\nАННА\nГде ты был?\n\n.ΣΠΙΤΙ - ΜΕΡΑ\n\nΗ Ελένη γελάει.\n"
    text = printed_text(fountain.export_pdf(source))
    for words in ("КВАРТИРА - НОЧЬ", "Анна смотрит в окно.", "АННА", "Где ты был?", "ΣΠΙΤΙ - ΜΕΡΑ", "Η Ελένη γελάει."):
        assert words in text, words
    assert "?" not in text.replace("Где ты был?", "")


def test_the_pdf_embeds_courier_prime_and_only_the_fallbacks_it_needs() -> None:
    latin = fountain.export_pdf("INT. ROOM - DAY\n\nShe is **very** *quiet*. Café, naïve – “quoted”.\n")
    used = fonts_by_text(latin)
    faces = [used[text] for text in ("She is", "very", "quiet")]  # regular, bold, italic
    assert len({face.indirect_reference for face in faces}) == 3
    for face in faces:
        assert "CourierPrime" in face["/BaseFont"] and face["/Encoding"] == "/Identity-H"
        descriptor = face["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # embedded, with TrueType outlines
    assert b"NotoSansMonoCJK" not in latin and b"DejaVuSansMono" not in latin
    assert "Café, naïve – “quoted”." in printed_text(latin)
    assert b"NotoSansMonoCJK" in fountain.export_pdf(CHINESE)
    assert b"DejaVuSansMono" in fountain.export_pdf("INT. ROOM - DAY\n\nАнна.\n")


@pytest.fixture
def no_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))
    fonts.font_path.cache_clear()
    yield
    fonts.font_path.cache_clear()


def test_a_missing_font_is_a_clear_error(no_fonts: None) -> None:
    with pytest.raises(fountain.ScreenplayFontMissing, match=r"Courier Prime.*fonts-courier-prime"):
        fountain.export_pdf("INT. ROOM - DAY\n\nHello.\n")
