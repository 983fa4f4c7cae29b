"""The parser against the Fountain spec: every element kind, forcing marks, line spans, the writer."""

from __future__ import annotations

from projects import fountain
from projects.fountain.model import Element, Script
from tests.fountain.support import described, same_elements

EVERY_KIND = """Title: The Test
Credit: Written by
Author: Someone
Contact:
    1 Main Street
    Springfield

# Act One
## The Beginning
= Where it begins.

INT. HOUSE - DAY #1A#

[[A note for the director.]]

/* Cut for time:

a deleted line */

Mary enters. She says [[inline note]] nothing.

MARY (V.O.)
(softly)
Hello.
<two spaces>
Still me.

JOHN ^
Hi.

> THE END <

~La la la
~La la

===

.FLASHBACK

!ALL CAPS ACTION LINE

@McCLANE
Yippee.

> FADE OUT.

CUT TO:

EXT. GARDEN - NIGHT #12#
""".replace("<two spaces>", "  ")  # a line of two spaces keeps a speech going


def test_every_kind_of_element_is_recognised_with_its_source_lines() -> None:
    script = fountain.parse(EVERY_KIND)
    assert script.title_page == [
        ("Title", "The Test"),
        ("Credit", "Written by"),
        ("Author", "Someone"),
        ("Contact", "1 Main Street\nSpringfield"),
    ]
    got = [(e.kind, e.text, e.start_line, e.end_line) for e in script.elements]
    assert got == [
        ("section", "Act One", 8, 8),
        ("section", "The Beginning", 9, 9),
        ("synopsis", "Where it begins.", 10, 10),
        ("scene_heading", "INT. HOUSE - DAY", 12, 12),
        ("note", "A note for the director.", 14, 14),
        ("boneyard", " Cut for time:\n\na deleted line ", 16, 18),
        ("action", "Mary enters. She says [[inline note]] nothing.", 20, 20),
        ("character", "MARY (V.O.)", 22, 22),
        ("parenthetical", "(softly)", 23, 23),
        ("dialogue", "Hello.\n\nStill me.", 24, 26),
        ("character", "JOHN", 28, 28),
        ("dialogue", "Hi.", 29, 29),
        ("centered", "THE END", 31, 31),
        ("lyrics", "La la la\nLa la", 33, 34),
        ("page_break", "", 36, 36),
        ("scene_heading", "FLASHBACK", 38, 38),
        ("action", "ALL CAPS ACTION LINE", 40, 40),
        ("character", "McCLANE", 42, 42),
        ("dialogue", "Yippee.", 43, 43),
        ("transition", "FADE OUT.", 45, 45),
        ("transition", "CUT TO:", 47, 47),
        ("scene_heading", "EXT. GARDEN - NIGHT", 49, 49),
    ]
    by_line = {e.start_line: e for e in script.elements}
    assert by_line[12].scene_number == "1A" and by_line[49].scene_number == "12"
    assert by_line[28].dual and not by_line[22].dual
    assert by_line[38].forced and by_line[40].forced and by_line[42].forced and by_line[45].forced
    assert [e.depth for e in script.elements[:2]] == [1, 2]


def test_every_kind_survives_fountain_and_fdx_round_trips() -> None:
    script = fountain.parse(EVERY_KIND)
    again = fountain.parse(fountain.write(script))
    assert described(again.elements) == described(script.elements) and again.title_page == script.title_page
    via_fdx = fountain.read_fdx(fountain.write_fdx(script))
    assert described(via_fdx.elements) == described(script.elements) and via_fdx.title_page == script.title_page


def test_the_breakdown_lists_notes_boneyard_sections_synopses_and_dual_dialogue() -> None:
    result = fountain.breakdown(EVERY_KIND)
    assert result.notes == ["A note for the director.", "inline note"]
    assert result.boneyard == [" Cut for time:\n\na deleted line "]
    assert result.sections == [(1, "Act One"), (2, "The Beginning")] and result.synopses == ["Where it begins."]
    assert result.dual_dialogues == 1 and result.dual_pairs == [("MARY", "JOHN")]
    assert [s.number for s in result.scenes] == ["1A", "2", "12"]
    assert [(s.int_ext, s.location, s.time_of_day) for s in result.scenes] == [
        ("INT", "HOUSE", "DAY"),
        ("INT", "HOUSE", "DAY"),  # ".FLASHBACK" is a shot heading: no place, it stays in the house
        ("EXT", "GARDEN", "NIGHT"),
    ]
    first = result.scenes[0]
    assert (first.start_line, first.end_line) == (12, 36) and first.characters == {"MARY", "JOHN"}
    mary = next(c for c in result.characters if c.name == "MARY")
    assert (mary.first_scene, mary.scene_count, mary.dialogue_lines, mary.dialogue_words) == ("1A", 1, 1, 3)
    assert mary.extensions == {"V.O."}


def test_what_is_not_quite_an_element_stays_action() -> None:
    cases = {
        "INTERIOR DECORATING is hard.": "action",  # INT without a dot or space
        "...and so it goes.": "action",  # two dots never force a heading
        "Bob\nHello.": "action",  # a cue must be upper case
        "/* never closed\n\nstill here": "action",  # half-typed boneyard doesn't swallow the script
        "[[ open note\n\nmore": "action",
        "cut to:": "action",  # transitions are upper case
        "FADE OUT.": "action",  # only "TO:" endings are transitions unless forced
    }
    for source, kind in cases.items():
        assert fountain.parse(source).elements[0].kind == kind, source


def test_headings_take_every_spec_prefix() -> None:
    for heading in ("INT. A", "EXT A", "EST. A", "INT./EXT. A", "INT/EXT A", "I/E A", "int. lowercase"):
        assert fountain.parse(heading).elements[0].kind == "scene_heading", heading
    assert [fountain.split_heading(h)[0] for h in ("INT./EXT. A - DAY", "I/E A - DAY", "EST. A")] == [
        "INT/EXT",
        "I/E",
        "EST",
    ]


def test_cue_names_drop_extensions_and_the_dual_mark() -> None:
    assert fountain.cue_name("MARY (V.O.)") == ("MARY", ["V.O."])
    assert fountain.cue_name("BIG  EDWARD (O.S., PRELAP) (CONT'D)") == ("BIG EDWARD", ["O.S.", "PRELAP", "CONT'D"])
    assert fountain.cue_name("HANS (on the radio) ^") == ("HANS", ["ON THE RADIO"])


def test_elements_made_in_code_write_as_valid_fountain() -> None:
    script = Script(
        elements=[
            Element("scene_heading", "A PLACE"),
            Element("action", "INT. LOOKS LIKE A HEADING"),
            Element("action", "BOB\nlooks like a cue"),
            Element("character", "lower case name"),
            Element("dialogue", "Hi."),
        ]
    )
    text = fountain.write(script)
    assert text.startswith(".A PLACE\n\n!INT. LOOKS LIKE A HEADING\n\n!BOB\n")
    assert same_elements(script, fountain.parse(text))


def test_a_cue_that_looks_like_a_title_page_key_stays_a_cue() -> None:
    script = fountain.parse("@TITLE: ONE\nHello.")
    assert [e.kind for e in script.elements] == ["character", "dialogue"] and not script.title_page
    assert same_elements(script, fountain.parse(fountain.write(script)))
