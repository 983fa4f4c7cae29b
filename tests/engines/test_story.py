# SPDX-License-Identifier: GPL-3.0-or-later
"""The logline's story, read by code (no model, no Django): people, places, premise nouns, the beat
outline, and the checks on what a model writes inside it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generation.engines.story import extract, mention_of, noun_pattern, plan, valid_heading
from generation.engines.story.checks import contradicts_time, narrates, stray_names

# logline, the cues of its people, places (in headings), premise nouns (a subset is enough)
STORIES: list[tuple[str, list[str], list[str], list[str]]] = [
    (
        "A retired lighthouse keeper finds a message in a bottle written by his late wife.",
        ["LIGHTHOUSE KEEPER", "WIFE"],
        ["LIGHTHOUSE"],
        ["message", "bottle"],
    ),
    ("A son learns his father's tall tales.", ["SON", "FATHER"], [], ["tales"]),
    (
        "A retired boxer teaches his granddaughter to fight the night before her first bout.",
        ["RETIRED BOXER", "GRANDDAUGHTER"],
        [],
        ["bout"],
    ),
    (
        "A retired ferryman must carry his estranged daughter across a flooded river before nightfall.",
        ["RETIRED FERRYMAN", "DAUGHTER"],
        ["FLOODED RIVER"],
        [],
    ),
    (
        "A projectionist discovers the last reel of a lost film is still being shot.",
        ["PROJECTIONIST"],
        [],
        ["reel", "film"],
    ),
    ("Emma, a retired cop, hunts the man who burned her diner.", ["EMMA", "MAN"], ["DINER"], []),
    ("A retired cop named Joe guards a stolen painting.", ["JOE"], [], ["painting"]),
    ("Her brother Tom hides a gun in the attic.", ["TOM"], ["ATTIC"], ["gun"]),
    (
        "Two sisters argue over their father's will in a snowed-in farmhouse.",
        ["OLDER SISTER", "YOUNGER SISTER", "FATHER"],
        ["SNOWED-IN FARMHOUSE"],
        [],
    ),
    (
        "A fisherman's son steals his boat and an oil lamp to find his missing father at sea.",
        ["SON", "FISHERMAN", "FATHER"],
        ["BOAT", "SEA"],
        ["lamp"],
    ),
    (
        "Detective Ruiz and her rookie partner chase a forger through Paris.",
        ["DETECTIVE RUIZ", "PARTNER", "FORGER"],
        ["PARIS"],
        [],
    ),
    ("A chef loses her sense of taste the night of a big review.", ["CHEF"], [], ["review"]),
    ("A night-shift nurse meets the same patient twice.", ["NIGHT-SHIFT NURSE", "PATIENT"], [], []),
    (
        "Marcus, a street musician, finds a violin that plays by itself in a pawnshop.",
        ["MARCUS"],
        ["PAWNSHOP"],
        ["violin"],
    ),
    (
        "A grieving father and his young son camp in the woods to find the wolf that took their dog.",
        ["FATHER", "SON"],
        ["WOODS"],
        ["wolf", "dog"],
    ),
    (
        "Nadia, a radio operator on a remote island, hears her missing brother's voice in a storm.",
        ["NADIA", "BROTHER"],
        ["REMOTE ISLAND"],
        ["voice", "storm"],
    ),
    (
        "A disgraced pilot must fly a cargo plane full of medicine through a storm to a cut-off island.",
        ["DISGRACED PILOT"],
        ["CARGO PLANE", "CUT-OFF ISLAND"],
        ["storm"],
    ),
    (
        "A young astronaut hears knocking on the hull of her space station.",
        ["YOUNG ASTRONAUT"],
        ["SPACE STATION"],
        ["hull"],
    ),
    (
        "A widow and her teenage grandson drive a stolen taxi across the desert to bury a box of letters.",
        ["WIDOW", "TEENAGE GRANDSON"],
        ["TAXI", "DESERT"],
        ["box"],
    ),
    (
        "An old beekeeper teaches a runaway girl to tend the hives on a mountain farm.",
        ["OLD BEEKEEPER", "RUNAWAY GIRL"],
        ["FARM"],
        ["hives"],
    ),
    (
        "Two rival bakers are snowed in together at a mountain inn on the night of a baking contest.",
        ["FIRST BAKER", "SECOND BAKER"],
        ["INN"],
        ["contest"],
    ),
    ("A hotel maid discovers a guest's suitcase full of old love letters.", ["HOTEL MAID", "GUEST"], ["HOTEL"], []),
    ("Emma and Walter, two old rivals, meet again at a funeral.", ["EMMA", "WALTER"], [], ["funeral"]),
    ("A loose-lipped intern at the LA Lakers leaks a secret trade.", ["LOOSE-LIPPED INTERN"], ["LA LAKERS"], ["trade"]),
    (
        "A shy librarian and a charming thief plan to steal a rare map from the city museum.",
        ["SHY LIBRARIAN", "CHARMING THIEF"],
        ["MUSEUM"],
        ["map"],
    ),
    ("An arsonist returns to the town he burned.", ["ARSONIST"], ["TOWN"], []),
]
LOGLINES = [s[0] for s in STORIES]


@pytest.mark.parametrize(("logline", "people", "places", "nouns"), STORIES)
def test_the_logline_s_people_places_and_nouns_are_read_by_code(
    logline: str, people: list[str], places: list[str], nouns: list[str]
) -> None:
    story = extract(logline)
    assert [p.cue for p in story.people] == people
    assert set(places) <= {p.name for p in story.places}
    assert set(nouns) <= set(story.nouns)
    # Nothing a reader would call a time, a verb or a prompt word becomes a person or a place.
    for word in ("NIGHT", "DAY", "LOOSE", "LAX", "SECRET", "NIGHTFALL"):
        assert all(word not in p.cue.split() for p in story.people)
        assert all(word != p.name for p in story.places)


def test_a_role_becomes_a_cue_and_a_name_keeps_the_role() -> None:
    cop = extract("A retired cop hunts a killer.").people[0]
    assert (cop.cue, cop.mention, cop.role) == ("RETIRED COP", "the retired cop", "retired cop")
    emma = extract("Emma, a retired cop, hunts a killer.").people[0]
    assert (emma.cue, emma.mention, emma.role) == ("EMMA", "Emma", "retired cop")
    assert extract("A man and his late wife.").people[1].cue == "WIFE"


@pytest.mark.parametrize("logline", LOGLINES)
@pytest.mark.parametrize("count", [1, 3, 5, 8])
def test_the_outline_keeps_the_logline_s_story_in_every_beat(logline: str, count: int) -> None:
    planned = plan(logline, count, seed=3)
    story = planned.story
    beats = planned.beats
    assert len(beats) == count
    assert all(valid_heading(b.heading) for b in beats), [b.heading for b in beats]
    cast = [p.cue for p in planned.cast]
    people_in_beats = {cue for b in beats for cue in b.people}
    assert set(people_in_beats) <= set(cast)
    if count >= 3:
        # Everyone the logline names is in some scene (at most four), and so is every place it names.
        assert {p.cue for p in story.people[:4]} <= people_in_beats
        assert all(any(p.name in b.heading for b in beats) for p in story.places[:count])
    for beat in beats:
        assert len(beat.people) >= 2  # someone to speak to
        assert all(noun_pattern(n).search(beat.summary) for n in beat.nouns), beat
        assert any(mention_of(c).lower() in beat.summary.lower() for c in beat.people), beat
        assert "\n" not in beat.summary
    assert plan(logline, count, seed=3) == planned  # the same seed, the same outline


def test_three_scenes_are_setup_turn_resolution_and_more_scenes_get_more_beats() -> None:
    logline = STORIES[0][0]
    assert [b.kind for b in plan(logline, 3).beats] == ["setup", "turn", "resolution"]
    assert [b.kind for b in plan(logline, 5).beats] == ["setup", "inciting", "complication", "turn", "resolution"]
    kinds = [b.kind for b in plan(logline, 8).beats]
    assert kinds[0] == "setup" and kinds[-1] == "resolution" and len(set(kinds)) == 7


def test_times_run_in_clock_order_to_the_peak_the_logline_names() -> None:
    ferry = plan("A retired ferryman must carry his estranged daughter across a flooded river before nightfall.", 3)
    assert [b.heading.rsplit(" - ", 1)[1] for b in ferry.beats][1] == "DUSK"
    boxer = plan("A retired boxer teaches his granddaughter to fight the night before her first bout.", 3)
    assert boxer.beats[1].heading.endswith(" - NIGHT")
    assert not boxer.beats[0].heading.endswith(("NIGHT", "EVENING"))


def test_a_logline_with_one_person_gets_a_second_one_introduced_on_purpose() -> None:
    planned = plan("A projectionist discovers the last reel of a lost film is still being shot.", 3, seed=5)
    assert [p.cue for p in planned.story.people] == ["PROJECTIONIST"]
    introduced = planned.cast[1]
    assert introduced.cue.isalpha() and introduced.role
    first = next(b for b in planned.beats if introduced.cue in b.people)
    assert f"{introduced.mention} is {introduced.role}." in first.summary
    assert sum(f"is {introduced.role}." in b.summary for b in planned.beats) == 1


@pytest.mark.parametrize(
    ("heading", "valid"),
    [
        ("INT. LIGHTHOUSE - NIGHT", True),
        ("EXT. FLOODED RIVER - DUSK", True),
        ("INT./EXT. CAR - CONTINUOUS", True),
        ("INT. SHERIFF'S OFFICE - LATER", True),
        ("INT. NIGHT - DAY", False),
        ("EXT. MONDAY AFTERNOON - DAY", False),
        ("INT. KITCHEN - NOON", False),
        ("INT KITCHEN - DAY", False),
        ("I/E. CAR - DAY", False),
        ("INT. KITCHEN", False),
    ],
)
def test_heading_validity(heading: str, valid: bool) -> None:
    assert valid_heading(heading) is valid


@pytest.mark.parametrize(
    "line",
    [
        "I never meant to hurt you, Emma said gently.",
        "We can go now, he replied.",
        "She looked at the sea and waited for the boat.",
        "He walked to the door without a word.",
        'He says "leave it" and turns away.',
        "Walter nods and pours the tea.",
        "The keeper smiled at the old photograph.",
        "This was the moment she'd always dreamed of, but it turned into a nightmare.",
        "Everything changed when they moved to the coast.",
    ],
)
def test_a_speech_that_narrates_is_caught(line: str) -> None:
    assert narrates(line, ["WALTER", "EMMA", "the keeper"])


@pytest.mark.parametrize(
    "line",
    [
        "I never meant to hurt you.",
        "You said you would come back before the tide.",
        "She was my sister, and you know it.",
        "Why did you keep the letter all these years?",
        "Don't go out there tonight.",
        "It was raining the day we met.",
        "Why did he leave the boat at the pier?",
        "Tell him she was right all along.",
        "Nobody believes he stole the painting.",
    ],
)
def test_a_speech_that_speaks_passes(line: str) -> None:
    assert not narrates(line, ["WALTER", "EMMA"])


def test_stray_names_are_the_ones_nobody_gave() -> None:
    allowed = ["A retired lighthouse keeper finds a message in a bottle.", "LIGHTHOUSE KEEPER", "NORA"]
    assert stray_names("Sarah opens the door and looks at Nora.", allowed) == ["Sarah"]
    assert stray_names("The keeper hands Nora the bottle.", allowed) == []
    assert stray_names("It rains. The keeper waits by the Lamp House.", allowed) == ["Lamp", "House"]
    assert stray_names("I told you. OK? God knows I tried.", allowed) == []


def test_a_paragraph_whose_time_argues_with_its_heading_is_caught() -> None:
    assert contradicts_time("Monday afternoon, the keeper climbs the stairs.", "DAY")
    assert contradicts_time("The afternoon sun beats on the glass.", "NIGHT")
    assert contradicts_time("The sun had set long ago.", "MORNING")
    assert contradicts_time("He looks out over the water as the sun rises.", "NIGHT")
    assert contradicts_time("The sun comes up behind the pier.", "DUSK")
    assert not contradicts_time("The moon hangs over the water.", "NIGHT")
    assert not contradicts_time("The keeper climbs the stairs.", "DAY")


def test_premise_nouns_match_singular_and_plural() -> None:
    assert noun_pattern("tales").search("He tells a tale.")
    assert noun_pattern("bottle").search("Two bottles roll.")
    assert not noun_pattern("map").search("A mapping error.")
    assert re.sub(noun_pattern("box"), "X", "a box, two boxes") == "a X, two X"


def test_the_quality_bench_measures_a_run_against_an_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import script_quality
    from tests.fake_llm import fake_llm

    with fake_llm() as server, pytest.MonkeyPatch.context() as patch:
        argv = ["script_quality", "--endpoint", server.url, "--model-name", "fake", "--loglines", "3"]
        patch.setattr("sys.argv", argv)
        script_quality.main()
    out = capsys.readouterr().out
    assert "loglines 3, scenes 9, outline: json-schema" in out
    assert "CPU seconds per scene" in out
    for target in ("recall 100.0%", "valid headings 100.0%", "invented names 0", "adherence 100.0%"):
        assert target in out, out


@given(st.text(min_size=10, max_size=200), st.integers(1, 8), st.integers(0, 2**31 - 1))
@settings(max_examples=200, deadline=None)
def test_any_text_gets_an_outline_with_valid_headings_and_people(logline: str, count: int, seed: int) -> None:
    planned = plan(logline, count, seed)
    assert len(planned.beats) == count
    assert all(valid_heading(b.heading) for b in planned.beats), [b.heading for b in planned.beats]
    assert all(len(b.people) >= 2 and b.summary for b in planned.beats)
