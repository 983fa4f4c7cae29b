"""The PDF: industry layout (Courier 12, margins, indents), pagination and the real script's length."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from projects import fountain
from projects.fountain.model import CHARACTER, SCENE_HEADING
from projects.fountain.pdf import LINES_PER_PAGE, blocks_of, page_count, paginate
from tests.fountain.support import fixture


def positions(page: object) -> dict[str, tuple[float, float]]:
    """Where each piece of text starts on a page, in inches from the left and from the top."""
    found: dict[str, tuple[float, float]] = {}
    height = float(page.mediabox.height)  # type: ignore[attr-defined]

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.setdefault(text.strip(), (tm[4] / 72, (height - tm[5]) / 72))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


def test_big_fish_prints_to_about_its_industry_length() -> None:
    script = fountain.parse(fixture("Big-Fish", "fountain").decode("utf-8"))
    data = fountain.export_pdf(script)
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert page_count(data) == pages
    assert 105 <= pages <= 135, pages  # the shooting script runs about 120 pages (123 with the title page)
    text = "".join(page.extract_text() for page in reader.pages[5:60])
    assert "(MORE)" in text and "EDWARD (CONT'D)" in text
    a4 = PdfReader(io.BytesIO(fountain.export_pdf(script, paper="a4", scene_numbers=True)))
    assert (round(float(a4.pages[0].mediabox.width)), round(float(a4.pages[0].mediabox.height))) == (595, 842)
    assert abs(len(a4.pages) - pages) <= 3


def test_pages_hold_about_55_lines_and_never_strand_a_heading() -> None:
    script = fountain.parse(fixture("Big-Fish", "fountain").decode("utf-8"))
    pages = paginate(blocks_of(script, scene_numbers=False))
    assert all(len(page) <= LINES_PER_PAGE for page in pages)
    assert sum(len(page) for page in pages) / len(pages) > 45  # pages are full, not ragged
    for page in pages:
        printed = [line for line in page if line is not None]
        assert printed[-1].kind != SCENE_HEADING
        # A page never ends on a cue with its speech on the next page.
        assert printed[-1].kind != CHARACTER or printed[-1].text == "(MORE)"


def test_the_layout_uses_courier_and_screenplay_indents() -> None:
    source = "INT. ROOM - DAY\n\nA man waits.\n\nBOB\n(quietly)\nHello.\n\nCUT TO:\n\n> THE END <\n"
    data = fountain.export_pdf(source, scene_numbers=True)  # Fountain text is accepted as well as a Script
    assert b"/BaseFont /Courier" in data
    found = positions(PdfReader(io.BytesIO(data)).pages[0])
    x, baseline = found["INT. ROOM - DAY"]
    assert x == pytest.approx(1.5, abs=0.01) and 1.0 < baseline < 1.0 + 1 / 6  # the first line under a 1in top margin
    assert found["A man waits."][0] == pytest.approx(1.5, abs=0.01)
    assert found["BOB"][0] == pytest.approx(3.7, abs=0.01)
    assert found["(quietly)"][0] == pytest.approx(3.1, abs=0.01)
    assert found["Hello."][0] == pytest.approx(2.5, abs=0.01)
    assert found["CUT TO:"][0] + 0.7 == pytest.approx(8.5 - 1.0, abs=0.01)  # right-aligned at the margin
    assert found["THE END"][0] == pytest.approx(1.5 + (6.0 - 0.7) / 2, abs=0.01)
    # Scene numbers in both margins, on the heading's line.
    numbers = []
    PdfReader(io.BytesIO(data)).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: (
            numbers.append(round(tm[4] / 72, 2)) if text.strip() == "1" else None
        )
    )
    assert numbers == [0.75, 7.6]


def test_page_numbers_start_on_page_two_and_the_title_page_comes_first() -> None:
    body = "\n\n".join(f"INT. ROOM {n} - DAY\n\nSomething happens, at length, in room {n}." for n in range(40))
    data = fountain.export_pdf("Title: Long Day\nAuthor: Someone\n\n" + body)
    reader = PdfReader(io.BytesIO(data))
    title, first, second = (positions(reader.pages[i]) for i in range(3))
    assert "LONG DAY" in title and "Someone" in title
    assert not [t for t in first if t.endswith(".") and t[:-1].isdigit()]
    assert second["2."][0] == pytest.approx(8.5 - 1.0 - 0.2, abs=0.01) and second["2."][1] < 1.0


def test_a_long_speech_breaks_with_more_and_contd() -> None:
    speech = "\n".join(f"Line {n} of a speech that goes on." for n in range(80))
    data = fountain.export_pdf(f"INT. ROOM - DAY\n\nMARY (V.O.)\n{speech}\n")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    first, second = positions(reader.pages[0]), positions(reader.pages[1])
    assert first["(MORE)"][0] == pytest.approx(3.7, abs=0.01)
    x, baseline = second["MARY (CONT'D)"]
    assert x == pytest.approx(3.7, abs=0.01) and 1.0 < baseline < 1.0 + 1 / 6


def test_dual_dialogue_prints_side_by_side() -> None:
    data = fountain.export_pdf("INT. ROOM - DAY\n\nBRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n")
    page = PdfReader(io.BytesIO(data)).pages[0]
    found: list[tuple[str, float, float]] = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: found.append((text.strip(), tm[4] / 72, tm[5])))
    cues = {text: (x, y) for text, x, y in found if text in ("BRICK", "STEEL")}
    assert cues["BRICK"][0] < 4.25 < cues["STEEL"][0] and cues["BRICK"][1] == cues["STEEL"][1]


def test_emphasis_prints_in_bold_italic_and_underline_and_notes_do_not_print() -> None:
    data = fountain.export_pdf("INT. ROOM - DAY\n\nShe is **very** *quiet* _here_. [[fix this]]\n\n/* old */\n")
    assert b"/BaseFont /Courier-Bold" in data and b"/BaseFont /Courier-Oblique" in data
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "very" in text and "**" not in text and "fix this" not in text and "old" not in text
