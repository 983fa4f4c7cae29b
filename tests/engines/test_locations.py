"""Which set a real scene heading gets: a table of headings from real screenplays, with the set a storyboard
artist would build for each, read the way the studio reads them (the Fountain breakdown's heading, INT/EXT,
location and the scene's own lines).

The screenplays are the three public samples in shared/fixtures/screenplays (distributed in the examples of the
MIT-licensed screenplain project): Stu Maschwitz's "Brick & Steel", "The Last Birthday Card", and John August's
"Big Fish". Where the classifier and the table disagree the table stays as a person would judge it: the test
reports its accuracy and passes at 90%.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generation.engines.locations import LOCATION_TYPES, choose_location
from generation.engines.setspec import location_type_for
from projects.fountain.breakdown import breakdown

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "screenplays"

EXPECTED: dict[str, dict[str, str]] = {
    "Brick-and-Steel.fountain": {
        "EXT. BRICK'S PATIO - DAY": "house_exterior",
        "INT. TRAILER HOME - DAY": "living_room",
        "EXT. BRICK'S POOL - DAY": "pool",
        "SNIPER SCOPE POV": "none",
        "OPENING TITLES": "none",
        "EXT. WOODEN SHACK - DAY": "house_exterior",
        "INT. GARAGE - DAY": "garage",
        "EXT. PALATIAL MANSION - DAY": "house_exterior",
    },
    "The-Last-Birthday-Card.fountain": {
        "INT. SAN FRANCISCO APARTMENT, DAY": "living_room",
        "INT. HALLWAY, SCOTT'S APARTMENT BUILDING, A MOMENT LATER": "hallway",
        "BACK IN THE APARTMENT": "living_room",
        "INT. BAXTER'S SAN FRANCISCO APARTMENT, SAME": "living_room",
        "INT. SAUSALITO HOME, THE NEXT MORNING": "living_room",
        "NAK'S BEDROOM": "bedroom",
        "EXT. NAK'S HOUSE, CONTINUED": "house_exterior",
        "A LAND ROVER DEFENDER 90 AND A VOLKSWAGON GTI.": "none",
        "EXT. GOLDEN GATE BRIDGE": "street",
        "EXT. SAN FRANCISCO BUSINESS DISTRICT, LATER THAT MORNING": "street",
        "INT. HOFF AND SPIRNHOLD LOBBY, CONTINUED": "hallway",
        "EXT. HOFF AND SPIRNHOLD BUILDING, CONTINUED": "street",
        "INT. VW GTI, NORTHBOUND ON THE GOLDEN GATE BRIDGE, MINUTES LATER": "car_interior",
        "EXT. SCOTT'S APARTMENT, A BIT LATER": "street",
        "INT. PALACE HOTEL LOBBY, A BIT LATER": "hallway",
        "INT. PALACE HOTEL RM 412, SAME": "bedroom",
        "INT. BATHROOM": "bathroom",
        "INT. 4TH FLOOR HALLWAY, SAME": "hallway",
        "INT. LANDCRUISER, DRIVING -- A BIT LATER": "car_interior",
        "INT. SOUTHERN EXPOSURE GALLERY, SOUTH OF MARKET": "shop",
        "INSIDE": "none",
        "OUTSIDE,": "none",
        "THE PAIR, DRINKING BEER IN THE LIVING ROOM.": "living_room",
        "ON THE TV": "none",
        "INT. THE BOSS'S OFFICE, A SECOND LATER": "office",
        "SCOTT, IN BAXTER'S KITCHEN": "kitchen",
        "THE FINGER": "none",
        "SCOTT": "none",
        "EXT. MARIN HILLSIDE, THE NEXT DAY": "field",
        "UNDER THE CHASSIS OF THE MAZDA,": "none",
        "THE TRUCK": "none",
        "THE TRUCK SLAMS INTO THE BACK OF THE LEXUS DOING FORTY": "none",
        "BACK ON NAK AND SCOTT": "none",
        "INT. SCOTT'S NEW APARTMENT, A FEW DAYS LATER": "living_room",
    },
    "Big-Fish.fountain": {
        "INT. WILL'S BEDROOM - NIGHT (1973)": "bedroom",
        "EXT. CAMPFIRE - NIGHT (1977)": "forest",
        "INT. BLOOM FRONT HALL - NIGHT (1987)": "hallway",
        "INT. TINY PARIS RESTAURANT (LA RUE 14°) - NIGHT (1998)": "diner_bar",
        "EXT. OUTSIDE LA RUE 14° - NIGHT": "street",
        "INT. A.P. NEWSROOM (PARIS) - DAY": "office",
        "INT. BLOOM HOUSE KITCHEN - DAY": "kitchen",
        "INT. BLOOM HOUSE MASTER BEDROOM - NIGHT": "bedroom",
        "EXT. BLOOM BACK YARD - NIGHT [CONTINUOUS]": "house_exterior",
        "EXT. RIVER - DAY": "river_lake",
        "INT. HOSPITAL ROOM - DAY": "hospital",
        "INT. HOSPITAL HALLWAY - DAY": "hallway",
        "INT. HALF-DARK PARIS APARTMENT - (PRESENT) DAY": "living_room",
        "INT. AIR FRANCE 747 - NIGHT": "car_interior",
        "INT. BLOOM HOUSE - NIGHT": "living_room",
        "EXT. FIELD AT THE SWAMP EDGE - NIGHT": "field",
        "EXT. A CREEPY OLD HOUSE - NIGHT": "house_exterior",
        "EXT. BACK AT THE GATE - NIGHT": "house_exterior",
        "EXT. FRONT PORCH OF HOUSE - DAY": "house_exterior",
        "INT. FRATERNITY HOUSE BATHROOM - DAY": "bathroom",
        "EXT. AT THE OLD WOMAN'S DOOR - NIGHT": "house_exterior",
        "INT. KITCHEN - DAY": "kitchen",
        "INT. FOYER - DAY": "hallway",
        "INT. UPSTAIRS HALLWAY - DAY": "hallway",
        "INT. GUEST ROOM - DAY": "bedroom",
        "INT. TINY CHURCH - DAY": "church",
        "EXT. BASEBALL FIELD - DAY": "field",
        "EXT. SCHOOL FIELDS - DAY": "field",
        "EXT. NEIGHBORHOOD - DAY": "street",
        "EXT. TOWN - DAY": "street",
        "INT. SCIENCE FAIR - DAY": "classroom",
        "EXT. FARM - DAY": "field",
        "EXT. SHEEP PEN - DAY": "field",
        "EXT. COURT HOUSE - DAY": "street",
        "EXT. HILL OUTSIDE ASHTON - DAY": "field",
        "EXT. MAIN STREET OF ASHTON - DAY": "street",
        "EXT. DIRT ROAD - DAY": "field",
        "EXT. THE DARK FOREST - DAY [LATER]": "forest",
        "EXT. UNDER A TREE - DUSK": "forest",
        "EXT. BY THE RIVER - NIGHT": "river_lake",
        "EXT. PATH BACK TO TOWN - NIGHT": "field",
        "INT. DINING ROOM - NIGHT": "living_room",
        "INT. GROCERY STORE - NIGHT": "shop",
        "INT. AT THE CHECKOUT - NIGHT": "shop",
        "EXT. OLYMPIA CIRCUS - NIGHT": "field",
        "EXT. DIRT PARKING LOT - NIGHT": "street",
        "INT. STABLES - DAY": "warehouse",
        "INT. WOODS - DAWN": "forest",
        "EXT. AUBURN UNIVERSITY - DAY": "street",
        "EXT. SORORITY HOUSE - DAY": "house_exterior",
        "INT. SORORITY HOUSE FOYER - DAY": "hallway",
        "INT. LECTURE HALL - DAY": "classroom",
        "EXT. QUAD - DAY": "field",
        "INT. ARMY AIRPLANE - NIGHT": "car_interior",
        "EXT. TEMPLETON FAMILY HOUSE - DAY": "house_exterior",
        "EXT. BEHIND THE TEMPLETON HOUSE - DAY": "house_exterior",
        "INT. WILL AND JOSEPHINE'S ROOM - DAY": "bedroom",
        "EXT. BACKYARD - DAY": "house_exterior",
        "INT. BASEMENT STORAGE AREA - DAY": "warehouse",
        "INT. DOWNTOWN OFFICE - DAY [STORY]": "office",
        "EXT. COUNTY FAIR - DAY [STORY]": "field",
        "EXT. A COUNTRY ROAD - DAY": "field",
        "EXT. TRAILER PARK - DAY": "house_exterior",
        "EXT. HORIZON SAVINGS & LOAN - DAY": "street",
        "INT. HORIZON SAVINGS & LOAN - DAY": "office",
        "INT. EDWARD'S CAR - DAY": "car_interior",
        "EXT. TEXAS ROAD - DAY": "field",
        "EXT. EDWARD'S CAR - NIGHT": "street",
        "EXT. ASHTON GAS - DAY": "street",
        "INT. JENNY'S KITCHEN - DAY": "kitchen",
        "EXT. ROAD IN THE SWAMP - DAY": "field",
        "INT. SHACK - DAY": "living_room",
        "EXT. SHACK - DAY": "house_exterior",
        "EXT. SWAMP - ANOTHER DAY": "river_lake",
        "EXT. SPECTRE - DAY": "street",
        "INT./EXT. VARIOUS LOCATIONS - DAY": "none",
        "INT. ELEVATOR - DAY": "hallway",
        "EXT. PARKING LOT - DAY": "street",
        "EXT. GLENVILLE BLVD. - DAY [STORY VERSION]": "street",
        "INT. CHEVY - DAY": "car_interior",
        "EXT. RIVERSIDE - DAY": "river_lake",
        "INT. HOSPITAL RECEPTION - DAY": "hallway",
        "EXT. CEMETERY / GRAVESIDE - DAY": "field",
        "EXT. CEMETERY - DAY [LATER]": "field",
        "EXT. GRADUATION STAGE - DAY": "field",
    },
}


def _cases() -> list[tuple[str, str, str, str, str]]:
    """(heading, int_ext, location, action, expected) for every scene of the fixtures the table names."""
    cases = []
    for name, table in EXPECTED.items():
        text = (FIXTURES / name).read_text()
        lines = text.replace("\r\n", "\n").split("\n")
        seen = set()
        for scene in breakdown(text).scenes:
            if scene.heading in table and scene.heading not in seen:
                seen.add(scene.heading)
                action = "\n".join(lines[scene.start_line : scene.end_line])
                cases.append((scene.heading, scene.int_ext, scene.location, action, table[scene.heading]))
        assert seen == set(table), f"{name}: headings not found: {sorted(set(table) - seen)}"
    return cases


pytestmark = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"the shared screenplay fixtures are absent ({FIXTURES})")


def test_real_screenplay_headings_get_the_right_set(capsys: pytest.CaptureFixture[str]) -> None:
    cases = _cases()
    assert len(cases) >= 80
    misses = []
    for heading, int_ext, location, action, expected in cases:
        assert expected in LOCATION_TYPES
        got = location_type_for(heading, int_ext, location, action)
        if got != expected:
            misses.append(f"  {heading!r}: {got} (expected {expected})")
    accuracy = 1 - len(misses) / len(cases)
    with capsys.disabled():
        print(f"\nlocation table: {len(cases) - len(misses)}/{len(cases)} headings right ({accuracy:.1%})")
        print("\n".join(misses))
    assert accuracy >= 0.9, "\n".join(misses)


def test_a_word_no_list_has_is_reported_not_guessed() -> None:
    spectre = choose_location("EXT. SPECTRE - DAY", "EXT", "SPECTRE")
    assert spectre.type == "street" and spectre.how == "default"
    assert any("unmatched place words 'spectre'" in note for note in spectre.notes)
    # A close word no list has is read by the embeddings, and the notes say so.
    jail = choose_location("INT. PENITENTIARY - NIGHT", "INT", "PENITENTIARY")
    assert jail.how == "heading (embedding)" and jail.type == "warehouse", jail
    assert any("by embedding" in note for note in jail.notes)


def test_headings_that_are_no_place_are_shot_in_the_previous_set() -> None:
    for heading in ("OPENING TITLES", "MONTAGE", "BLACK.", "INTERCUT - PHONE CALL", "SNIPER SCOPE POV",
                    "INSERT - THE LETTER", "CLOSE ON THE GUN", "ANGLE ON MARA", "SERIES OF SHOTS"):  # fmt: skip
        assert location_type_for(heading, "", "", "") == "none", heading
    assert location_type_for("EXT. BEACH - MONTAGE", "EXT", "BEACH", "") == "beach"
