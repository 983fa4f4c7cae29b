"""The PDF: industry layout (Courier 12, margins, indents), pagination and the real script's length."""

from __future__ import annotations

import io
import os
import random
import re
import string
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from projects import fountain
from projects.fountain.model import CHARACTER, SCENE_HEADING
from projects.fountain.pdf import LINES_PER_PAGE, blocks_of, page_count, paginate
from tests.fountain.support import fixture, fonts_by_text


def positions(page: object) -> dict[str, tuple[float, float]]:
    """Where each piece of text starts on a page, in inches from the left and from the top."""
    found: dict[str, tuple[float, float]] = {}
    height = float(page.mediabox.height)  # type: ignore[attr-defined]

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.setdefault(text.strip(), (tm[4] / 72, (height - tm[5]) / 72))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def words_of(text: str) -> Counter[str]:
    return Counter(word.lower() for word in WORD.findall(text))


def printed_words(data: bytes) -> Counter[str]:
    """The words a PDF prints inside its pages (text set below the bottom edge is in the file, not on paper)."""
    found: Counter[str] = Counter()
    for page in PdfReader(io.BytesIO(data)).pages:
        height = float(page.mediabox.height)

        def visit(text: str, cm: object, tm: list[float], font: object, size: float, height: float = height) -> None:
            if 36 <= tm[5] <= height:  # the baseline sits on the paper, above half an inch from its foot
                found.update(words_of(text))

        page.extract_text(visitor_text=visit)
    return found


def assert_prints_every_word(source: str) -> None:
    data = fountain.export_pdf(source)
    missing = words_of(source) - printed_words(data)
    assert not missing, f"{sum(missing.values())} words never print: {list(missing)[:10]}"
    assert all(len(page) <= LINES_PER_PAGE for page in paginate(blocks_of(fountain.parse(source), scene_numbers=False)))


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
    assert re.search(rb"/BaseFont /\w+\+CourierPrime", data)  # Courier Prime, embedded
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
    faces = fonts_by_text(data)
    assert len({faces[text].indirect_reference for text in ("She is", "very", "quiet")}) == 3
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "very" in text and "**" not in text and "fix this" not in text and "old" not in text


def test_a_monologue_over_two_pages_prints_every_word_and_breaks_at_each_page() -> None:
    speech = " ".join(f"word{n}" for n in range(1020))
    source = f"INT. ROOM - DAY\n\nMARY\n{speech}\n"
    assert_prints_every_word(source)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(fountain.export_pdf(source))).pages)
    assert text.count("(MORE)") == text.count("MARY (CONT'D)") >= 3


def test_a_very_long_action_paragraph_prints_every_word() -> None:
    assert_prints_every_word("INT. ROOM - DAY\n\n" + " ".join(f"word{n}" for n in range(2500)) + "\n")


def test_a_long_speech_after_a_short_one_on_a_full_page_prints_every_word() -> None:
    filler = "\n\n".join(f"Action line {n}." for n in range(20))
    speech = "\n(beat)\n".join(" ".join(f"part{p}word{n}" for n in range(60)) for p in range(12))
    assert_prints_every_word(f"INT. ROOM - DAY\n\n{filler}\n\nBOB\n{speech}\n\nEXT. YARD - NIGHT\n\nThe end.\n")


def paragraphs(most: int) -> st.SearchStrategy[str]:
    """Lower-case words of 1 to 14 letters, as often pages long as a line or two (a seeded random
    draws the words: hypothesis would keep its own lists short)."""

    def words(count: int, seed: int) -> str:
        rng = random.Random(seed)
        return " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 14))) for _ in range(count))

    return st.builds(words, st.integers(1, most), st.integers(0, 2**32))


action = paragraphs(1500)
speech = st.tuples(
    st.sampled_from(["ANN", "BOB (V.O.)", "DR. JONES"]),
    st.lists(paragraphs(700), min_size=1, max_size=4),
).map(lambda cue_parts: cue_parts[0] + "\n" + "\n(quietly)\n".join(cue_parts[1]))
heading = st.sampled_from(["INT. ROOM - DAY", "EXT. STREET - NIGHT", ".THE CAR"])
screenplays = st.lists(st.one_of(action, speech, heading), min_size=1, max_size=8).map("\n\n".join)


@settings(max_examples=int(os.environ.get("FOUNTAIN_EXAMPLES", "200")) // 8, deadline=None)
@given(screenplays)
def test_every_word_of_a_screenplay_prints_on_a_page(source: str) -> None:
    assert_prints_every_word(source)
