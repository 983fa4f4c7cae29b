"""The breakdown: scene numbers and lengths, characters, locations."""

from __future__ import annotations

from projects import fountain

SCRIPT = """INT. KITCHEN - DAY

Ann cooks.

ANN
Dinner!

BOB (O.S.)
Coming.

EXT. GARDEN - NIGHT #5A#

BOB
(whispering)
Ann?

ANN (CONT'D)
Here.

INT. KITCHEN - NIGHT

{long}
"""


def test_scenes_number_themselves_unless_forced_and_measure_eighths() -> None:
    long_action = "\n\n".join("A line of action that fills one printed line of the page." for _ in range(27))
    result = fountain.breakdown(fountain.parse(SCRIPT.format(long=long_action)))
    assert [s.number for s in result.scenes] == ["1", "5A", "3"]
    assert [(s.int_ext, s.location, s.time_of_day) for s in result.scenes] == [
        ("INT", "KITCHEN", "DAY"),
        ("EXT", "GARDEN", "NIGHT"),
        ("INT", "KITCHEN", "NIGHT"),
    ]
    assert [(s.start_line, s.end_line) for s in result.scenes] == [(1, 9), (11, 18), (20, 74)]
    short, _, full = result.scenes
    assert 1 <= short.eighths <= 2  # a few lines: an eighth or two
    assert full.eighths == 8  # 1 heading + 27 action paragraphs with a blank line each: about a page


def test_characters_and_locations() -> None:
    result = fountain.breakdown(SCRIPT.format(long="The end."))
    ann, bob = result.characters
    assert (ann.name, ann.first_scene, ann.scene_count, ann.dialogue_lines, ann.dialogue_words) == ("ANN", "1", 2, 2, 2)
    assert ann.extensions == {"CONT'D"} and bob.extensions == {"O.S."} and bob.scenes == {"1", "5A"}
    kitchen, garden = result.locations
    assert (kitchen.name, kitchen.scenes, kitchen.int_ext, kitchen.times_of_day) == (
        "KITCHEN",
        ["1", "3"],
        {"INT"},
        {"DAY", "NIGHT"},
    )
    assert (garden.name, garden.scenes) == ("GARDEN", ["5A"])
    assert result.scenes[1].characters == {"ANN", "BOB"}


def test_headings_split_into_int_ext_location_and_time() -> None:
    cases = {
        "INT. HOUSE - DAY": ("INT", "HOUSE", "DAY"),
        "INT./EXT. CAR - MOVING - NIGHT": ("INT/EXT", "CAR - MOVING", "NIGHT"),
        "I/E  TRUCK - DAWN": ("I/E", "TRUCK", "DAWN"),
        "EXT. FLAT, DAY": ("EXT", "FLAT", "DAY"),
        "EXT. PARIS, FRANCE": ("EXT", "PARIS, FRANCE", ""),  # no time word after the comma
        "FLASHBACK": ("", "FLASHBACK", ""),
    }
    for heading, expected in cases.items():
        assert fountain.split_heading(heading) == expected, heading


def test_a_heading_peels_its_continuity_off_before_the_time_of_day() -> None:
    cases = {
        "EXT. BY THE RIVER - NIGHT - CONTINUOUS": ("EXT", "BY THE RIVER", "NIGHT", "CONTINUOUS"),
        "INT. BIG TOP - NIGHT [CONTINUOUS]": ("INT", "BIG TOP", "NIGHT", "CONTINUOUS"),
        "INT. HOUSE - DAY (CONTINUED)": ("INT", "HOUSE", "DAY", "CONTINUED"),
        "EXT. NAK'S HOUSE, CONTINUED": ("EXT", "NAK'S HOUSE", "", "CONTINUED"),  # CONTINUED is never a time
        "INT. HOUSE - CONTINUED": ("INT", "HOUSE", "", "CONTINUED"),
        "INT. HOUSE - CONTINUOUS": ("INT", "HOUSE", "CONTINUOUS", ""),  # alone, it still says when
        "INT./EXT. CAR - MOVING - NIGHT": ("INT/EXT", "CAR - MOVING", "NIGHT", ""),
        "EXT. PARK,": ("EXT", "PARK", "", ""),  # trailing commas go
        "EXT. PARK - DAY,": ("EXT", "PARK", "DAY", ""),
        "INT. WILL'S BEDROOM - NIGHT (1973)": ("INT", "WILL'S BEDROOM", "NIGHT (1973)", ""),
    }
    for heading, expected in cases.items():
        assert tuple(fountain.heading_parts(heading)) == expected, heading
        assert fountain.split_heading(heading) == expected[:3], heading


def test_forced_shot_headings_stay_in_the_place_of_their_scene() -> None:
    result = fountain.breakdown(
        "INT. KITCHEN - NIGHT\n\nAnn cooks.\n\n.SCOTT\n\nHe waits.\n\n"
        ".THE TRUCK SLAMS INTO THE BACK OF THE LEXUS\n\nCrash.\n\n.UNDER THE CHASSIS,\n\nOil.\n\n"
        ".ROOFTOP - DAY\n\nA forced heading with a time is a place of its own.\n"
    )
    assert [(s.int_ext, s.location, s.time_of_day) for s in result.scenes] == [
        ("INT", "KITCHEN", "NIGHT"),
        ("INT", "KITCHEN", "NIGHT"),
        ("INT", "KITCHEN", "NIGHT"),
        ("INT", "KITCHEN", "NIGHT"),
        ("", "ROOFTOP", "DAY"),
    ]
    assert [(place.name, place.scenes) for place in result.locations] == [
        ("KITCHEN", ["1", "2", "3", "4"]),
        ("ROOFTOP", ["5"]),
    ]
    # A shot heading before any place is no place at all.
    assert [place.name for place in fountain.breakdown(".SCOTT\n\nHe waits.\n").locations] == []
