"""The three real screenplays: Fountain and Final Draft imports agree, round trips keep every element."""

from __future__ import annotations

import pytest

from projects import fountain
from tests.fountain.support import FOUNTAIN_ONLY, NAMES, described, fixture, same_elements

# (scenes, characters, locations) each fixture breaks down into, whichever format it came from. Shot
# headings (".SNIPER SCOPE POV", ".SCOTT") are no places, and "BY THE RIVER - NIGHT - CONTINUOUS" or
# "NAK'S HOUSE, CONTINUED" are the places that their headings without the continuity name.
COUNTS = {"Big-Fish": (190, 48, 141), "Brick-and-Steel": (8, 7, 6), "The-Last-Birthday-Card": (48, 12, 22)}


def imported(name: str, ext: str) -> fountain.Script:
    return fountain.parse(fountain.import_screenplay(fixture(name, ext), f"{name}.{ext}"))


@pytest.mark.parametrize("name", NAMES)
def test_fountain_and_fdx_import_to_the_same_scenes_and_characters(name: str) -> None:
    from_fountain, from_fdx = fountain.breakdown(imported(name, "fountain")), fountain.breakdown(imported(name, "fdx"))
    for result in (from_fountain, from_fdx):
        assert (len(result.scenes), len(result.characters), len(result.locations)) == COUNTS[name]
    assert [s.heading for s in from_fountain.scenes] == [s.heading for s in from_fdx.scenes]
    assert [s.number for s in from_fountain.scenes] == [s.number for s in from_fdx.scenes]
    assert [(c.name, c.dialogue_lines, c.dialogue_words, c.scene_count) for c in from_fountain.characters] == [
        (c.name, c.dialogue_lines, c.dialogue_words, c.scene_count) for c in from_fdx.characters
    ]
    assert [loc.name for loc in from_fountain.locations] == [loc.name for loc in from_fdx.locations]


@pytest.mark.parametrize("name", NAMES)
def test_fdx_import_matches_fountain_element_for_element(name: str) -> None:
    # Emphasis comes back from Final Draft's Text Style runs, and a speech split over several
    # Dialogue paragraphs becomes one speech: only the Fountain-only elements differ.
    printed = [e for e in imported(name, "fountain").elements if e.kind not in FOUNTAIN_ONLY]
    assert described(imported(name, "fdx").elements) == described(printed)


@pytest.mark.parametrize("name", NAMES)
def test_round_trips_keep_every_element(name: str) -> None:
    script = fountain.parse(fixture(name, "fountain").decode("utf-8"))
    assert described(fountain.parse(fountain.write(script)).elements) == described(script.elements)
    via_fdx = fountain.parse(fountain.import_screenplay(fountain.export_fdx(script), "roundtrip.fdx"))
    assert same_elements(script, via_fdx)
    assert via_fdx.title_page == script.title_page


@pytest.mark.parametrize("name", NAMES)
def test_source_lines_point_at_the_elements(name: str) -> None:
    source = fixture(name, "fountain").decode("utf-8")
    lines = source.replace("\r\n", "\n").split("\n")
    script = fountain.parse(source)
    for element in script.elements:
        assert 1 <= element.start_line <= element.end_line <= len(lines)
        first = lines[element.start_line - 1]
        if element.kind in ("scene_heading", "character", "transition"):
            assert element.text.split("\n")[0].strip() in first
    starts = [e.start_line for e in script.elements]
    assert starts == sorted(starts)


def test_big_fish_breaks_down_like_a_production_would() -> None:
    result = fountain.breakdown(imported("Big-Fish", "fountain"))
    assert result.title_page["Title"] == "Big Fish" and result.title_page["Author"] == "John August"
    first = result.scenes[0]
    assert (first.number, first.int_ext, first.location, first.time_of_day) == (
        "1",
        "INT",
        "WILL'S BEDROOM",
        "NIGHT (1973)",
    )
    assert first.start_line < first.end_line < result.scenes[1].start_line
    assert 110 <= sum(s.eighths for s in result.scenes) / 8 <= 130  # about 120 pages
    edward = result.characters[0]
    assert (edward.name, edward.first_scene) == ("EDWARD", "1")
    assert {"V.O.", "O.S.", "CONT'D", "PRELAP"} <= edward.extensions  # "(O.S., PRELAP)" is two
    assert edward.scene_count > 80 and edward.dialogue_words > 4000


def test_brick_and_steel_has_its_dual_dialogue_and_forced_elements() -> None:
    script = imported("Brick-and-Steel", "fountain")
    result = fountain.breakdown(script)
    assert result.dual_pairs == [("STEEL", "BRICK")]
    # Shot headings are no places: they stay where the scene before them is.
    assert [(s.int_ext, s.location) for s in result.scenes if s.heading in ("SNIPER SCOPE POV", "OPENING TITLES")] == [
        ("EXT", "BRICK'S POOL"),
        ("EXT", "BRICK'S POOL"),
    ]
    assert "SNIPER SCOPE POV" not in [place.name for place in result.locations]
    kinds = {e.kind for e in script.elements}
    assert {"centered", "transition", "character", "parenthetical"} <= kinds
    assert result.title_page["Title"] == "_**BRICK & STEEL**_\n_**FULL RETIRED**_"


def test_the_last_birthday_card_keeps_its_outline() -> None:
    result = fountain.breakdown(imported("The-Last-Birthday-Card", "fountain"))
    assert result.sections[:3] == [(1, "ACT I"), (2, "Meet Scott"), (3, "Scott's SF Apartment")]
    assert ("ACT II: A New Day" in [text for _, text in result.sections]) and len(result.synopses) == 7
    # Headings written "INT. PLACE, TIME" still give a location and a time of day.
    assert [(s.location, s.time_of_day) for s in result.scenes[:2]] == [
        ("SAN FRANCISCO APARTMENT", "DAY"),
        ("HALLWAY, SCOTT'S APARTMENT BUILDING", "A MOMENT LATER"),
    ]
