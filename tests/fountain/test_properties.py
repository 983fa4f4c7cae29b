"""Property tests: the parser takes any text without crashing, and what it makes writes back losslessly."""

from __future__ import annotations

import os

from hypothesis import example, given, settings
from hypothesis import strategies as st

from projects import fountain
from projects.fountain.emphasis import fountain_of, runs
from projects.fountain.fdx import XML_INVALID
from tests.fountain.support import described

EXAMPLES = int(os.environ.get("FOUNTAIN_EXAMPLES", "200"))

# Lines that mean something in Fountain, mixed with arbitrary text, so that the generated
# documents hit every element kind and the places where they meet.
fountain_lines = st.sampled_from(
    [
        "Title: A",
        "Author: B",
        "    indented value",
        "INT. ROOM - DAY",
        "EXT. STREET - NIGHT #4A#",
        ".FORCED HEADING",
        "BOB",
        "ALICE (O.S.)",
        "JOHN ^",
        "@McCOY",
        "(beat)",
        "Hello there.",
        "Some *action*, with **bold** and _underlined_ words.",
        "CUT TO:",
        "> FADE OUT.",
        "> THE END <",
        "# Act",
        "## Sequence",
        "= synopsis",
        "[[note]]",
        "[[note that",
        "goes on]]",
        "/* bone",
        "yard */",
        "===",
        "~lyric",
        "!FORCED ACTION",
        "",
        "",
        "",
        "  ",
        "\t",
    ]
) | st.text(max_size=30)

documents = st.lists(fountain_lines, max_size=40).map("\n".join)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=300))
def test_the_parser_takes_arbitrary_text_and_round_trips_it(source: str) -> None:
    script = fountain.parse(source)
    again = fountain.parse(fountain.write(script))
    assert described(again.elements) == described(script.elements)
    assert again.title_page == script.title_page
    fountain.breakdown(script)


@settings(max_examples=EXAMPLES, deadline=None)
@given(documents)
def test_screenplay_like_text_round_trips_through_fountain(source: str) -> None:
    script = fountain.parse(source)
    written = fountain.write(script)
    again = fountain.parse(written)
    assert described(again.elements) == described(script.elements), written
    assert again.title_page == script.title_page
    assert fountain.write(again) == written  # writing is stable after one pass
    for element in script.elements:
        assert 1 <= element.start_line <= element.end_line


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(documents)
@example("!")  # cases hypothesis found once: an empty forced action,
@example("===\n\n===")  # two page breaks in a row,
@example("INT. ROOM - DAY\nTitle: A\n  \n(beat)")  # a blank line closing a speech before a parenthetical
def test_screenplay_like_text_round_trips_through_final_draft(source: str) -> None:
    # XML 1.0 cannot carry control characters at all; the FDX writer drops them, so leave them out.
    script = fountain.parse(XML_INVALID.sub("", source))
    via_fdx = fountain.parse(fountain.import_screenplay(fountain.export_fdx(script), "x.fdx"))
    assert described(via_fdx.elements) == described(script.elements)
    assert via_fdx.title_page == script.title_page


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet="ab *_\\\n", max_size=40))
def test_emphasis_runs_write_back_to_the_same_text(text: str) -> None:
    parts = runs(text)
    if parts is not None:
        assert fountain_of(parts) == text
