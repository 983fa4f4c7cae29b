"""Production revisions in the Fountain engine: locked scene numbers, the colour order, "*" on changed lines."""

from __future__ import annotations

from projects import fountain
from projects.fountain.pdf import MARK_FROM_EDGE, PAPER, Revised, export_pdf
from projects.fountain.revisions import (
    changes_since,
    numbered_text,
    omitted_numbers,
    revision_colour,
    scene_numbers,
)
from tests.fountain.support import printed_pieces

SCRIPT = (
    "INT. DINER - NIGHT\n\nEdward waits.\n\nEDWARD\nCoffee.\n\n"
    "EXT. RIVER - DAY\n\nWill skims a stone.\n\nWILL\nHe lied.\n\n"
    "INT. CAR - NIGHT\n\nRain.\n"
)
STAR_X = PAPER["letter"][0] - MARK_FROM_EDGE


def stars(data: bytes) -> list[tuple[int, float]]:
    """(page, y) of every revision asterisk in the right margin."""
    return [(n, y) for n, page in enumerate(printed_pieces(data)) for x, y, text in page if text == "*" and x == STAR_X]


def y_of(data: bytes, wanted: str) -> tuple[int, float]:
    return next((n, y) for n, page in enumerate(printed_pieces(data)) for _, y, text in page if text == wanted)


def test_revision_sets_follow_the_industry_colour_order() -> None:
    names = [revision_colour(n) for n in range(20)]
    assert names[:9] == ["White", "Blue", "Pink", "Yellow", "Green", "Goldenrod", "Buff", "Salmon", "Cherry"]
    assert names[9:12] == ["2nd White", "2nd Blue", "2nd Pink"]
    assert names[18:] == ["3rd White", "3rd Blue"]
    assert revision_colour(9 * 20 + 1) == "21st Blue"


def test_locked_numbers_stay_and_inserted_scenes_take_letters() -> None:
    script = fountain.parse(SCRIPT)
    locked_text = numbered_text(SCRIPT, script, scene_numbers(script))
    assert "INT. DINER - NIGHT #1#" in locked_text and "INT. CAR - NIGHT #3#" in locked_text
    # Two scenes written between 1 and 2, one before the first: 1A, 1B and A1; the rest keep theirs.
    grown = locked_text.replace("EXT. RIVER", "INT. HALL - DAY\n\nSteps.\n\nINT. STAIRS - DAY\n\nUp.\n\nEXT. RIVER")
    grown = "EXT. ROAD - DAY\n\nDust.\n\n" + grown
    assert scene_numbers(fountain.parse(grown), locked=True) == ["A1", "1", "1A", "1B", "2", "3"]
    # Unlocked, the same text counts them again, and taking the numbers out renumbers 1..6.
    plain = numbered_text(grown, fountain.parse(grown), None)
    assert "#" not in plain and scene_numbers(fountain.parse(plain)) == ["1", "2", "3", "4", "5", "6"]
    # After 1A comes 1B even when 1B is taken further on: the next free one is 1BA... never a duplicate.
    taken = "INT. A - DAY #1#\n\nINT. B - DAY #1A#\n\nINT. NEW - DAY\n\nINT. C - DAY #1B#\n"
    assert scene_numbers(fountain.parse(taken), locked=True) == ["1", "1A", "1BA", "1B"]
    assert omitted_numbers(["1", "2", "2A", "10"], ["1", "10"]) == ["2", "2A"]


def test_the_pdf_prints_locked_numbers_and_omitted_scenes_in_both_margins() -> None:
    script = fountain.parse(SCRIPT)
    locked = numbered_text(SCRIPT, script, scene_numbers(script))
    # Scene 2 is cut and a scene is written after 3.
    start, end = locked.index("EXT. RIVER"), locked.index("INT. CAR")
    text = locked[:start] + locked[end:] + "\nINT. BARN - DAY\n\nHay.\n"
    data = export_pdf(text, revised=Revised(locked_numbers=["1", "2", "3"]))
    page = printed_pieces(data)[0]
    rows = {y: sorted((x, t) for x, yy, t in page if yy == y) for _, y, _ in page}
    numbered = [[t for _, t in row] for _, row in sorted(rows.items(), reverse=True) if row[0][0] == 0.75]
    assert numbered == [
        ["1", "INT. DINER - NIGHT", "1"],
        ["2", "OMITTED", "2"],
        ["3", "INT. CAR - NIGHT", "3"],
        ["3A", "INT. BARN - DAY", "3A"],
    ]


def test_a_scene_omitted_since_the_earlier_text_carries_the_asterisk_on_its_omitted_line() -> None:
    script = fountain.parse(SCRIPT)
    locked = numbered_text(SCRIPT, script, scene_numbers(script))
    start, end = locked.index("EXT. RIVER"), locked.index("INT. CAR")
    cut = locked[:start] + locked[end:]  # scene 2 is cut
    data = export_pdf(cut, revised=Revised(since=fountain.parse(locked), locked_numbers=["1", "2", "3"]))
    # The OMITTED line is the change; the scene after it is unchanged and carries none.
    assert stars(data) == [y_of(data, "OMITTED")]
    # Compared with a text from before the numbers were locked (counted 1, 2, 3): the same.
    data = export_pdf(cut, revised=Revised(since=script, locked_numbers=["1", "2", "3"]))
    assert stars(data) == [y_of(data, "OMITTED")]
    # Against a later text in which scene 2 was already omitted, nothing changed: no asterisk.
    data = export_pdf(cut, revised=Revised(since=fountain.parse(cut), locked_numbers=["1", "2", "3"]))
    assert "OMITTED" in [t for page in printed_pieces(data) for _, _, t in page] and stars(data) == []
    # The last scene cut: its OMITTED line at the end carries it too.
    last = locked[: locked.index("INT. CAR")]
    data = export_pdf(last, revised=Revised(since=fountain.parse(locked), locked_numbers=["1", "2", "3"]))
    assert y_of(data, "OMITTED") in stars(data)
    # Without a text to compare against, no marks at all.
    assert stars(export_pdf(cut, revised=Revised(locked_numbers=["1", "2", "3"]))) == []


def test_a_changed_word_marks_only_the_rows_it_changed() -> None:
    long = " ".join(f"word{n}" for n in range(60))  # about six printed rows of action
    old = f"INT. ROOM - DAY\n\n{long}\n\nBOB\nHello.\n"
    new = old.replace("word55", "WORD55")
    changes = changes_since(fountain.parse(old), fountain.parse(new))
    assert list(changes.replaced) == [1] and not changes.after_removal
    data = export_pdf(new, revised=Revised(since=fountain.parse(old)))
    row = next(y for n, page in enumerate(printed_pieces(data)) for _, y, t in page if "WORD55" in t)
    assert stars(data) == [(0, row)]


def test_dual_dialogue_marks_the_row_of_the_changed_side_once() -> None:
    old = "INT. ROOM - DAY\n\nBRICK\nScrew retirement.\n\nSTEEL ^\nNever.\n"
    new = old.replace("Never.", "Not yet.")
    data = export_pdf(new, revised=Revised(since=fountain.parse(old)))
    assert stars(data) == [y_of(data, "Not yet.")]


def test_a_removed_speech_marks_where_it_was() -> None:
    old = SCRIPT
    new = SCRIPT.replace("WILL\nHe lied.\n\n", "")
    data = export_pdf(new, revised=Revised(since=fountain.parse(old)))
    assert stars(data) == [y_of(data, "INT. CAR - NIGHT")]


def test_the_title_page_and_revised_pages_name_the_revision() -> None:
    body = "".join(f"INT. ROOM {n} - DAY\n\nThing {n} happens.\n\n" for n in range(40))
    old = "Title: Big Fish\nAuthor: Someone\nDraft date: 1 Dec 2026\n\n" + body
    new = old.replace("Thing 39 happens.", "Thing 39 happens again.")
    data = export_pdf(new, revised=Revised(since=fountain.parse(old), name="Blue", date="6 Dec 2026"))
    pages = printed_pieces(data)
    assert "Blue Revision — 6 Dec 2026" in [t for _, _, t in pages[0]]
    assert "1 Dec 2026" in [t for _, _, t in pages[0]]
    headers = [[t for _, y, t in page if y > 10.3] for page in pages[1:]]
    # Only the last page changed: it alone carries the colour and date beside its number.
    assert headers[-1] == ["Blue Rev. 6 Dec 2026    3."]
    assert all("Blue" not in " ".join(h) for h in headers[:-1])
    assert len(stars(data)) == 1
