"""Names as the studio stores them: one spelling for look-alikes, distinct names kept distinct in a column."""

from __future__ import annotations

from projects import fountain
from projects.fountain.names import clean_name, fit_name


def test_look_alike_names_clean_to_one_spelling() -> None:
    assert clean_name("B\u200bOB") == "BOB"  # a zero-width space inside
    assert clean_name("\u200fBOB\u200e") == "BOB"  # right-to-left and left-to-right marks
    assert clean_name("\ufeffＢＯＢ") == "BOB"  # a byte-order mark, full-width letters
    assert clean_name("  MARY \t  JANE ") == "MARY JANE"
    assert clean_name("내가 \u00a0 누구") == "내가 누구"  # other scripts stay as they are


def test_fitted_names_keep_to_the_column_and_stay_distinct() -> None:
    assert fit_name("EDWARD", 200) == "EDWARD"
    one, two = "A" * 200 + " THE FIRST", "A" * 200 + " THE SECOND"
    fitted = fit_name(one, 200)
    assert len(fitted) == 200 and fitted.startswith("A" * 150)
    assert fit_name(one, 200) == fitted  # the same name always fits the same way
    assert fit_name(two, 200) != fitted and len(fit_name(two, 200)) == 200
    assert fit_name(fitted, 200) == fitted  # a fitted name fits itself


def test_cues_that_differ_only_in_invisible_marks_are_one_character() -> None:
    result = fountain.breakdown(
        "INT. ROOM - DAY\n\nBOB\nHi.\n\nB\u200bOB\nHello.\n\n\u200fBOB\nHey.\n\nEXT. PARK\u200b - DAY\n\nX\n\n"
        "EXT. PARK - NIGHT\n\nY\n"
    )
    assert [(c.name, c.dialogue_lines) for c in result.characters] == [("BOB", 3)]
    assert [place.name for place in result.locations] == ["PARK", "ROOM"]
