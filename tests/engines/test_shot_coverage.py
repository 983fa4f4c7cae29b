"""Coverage follows the scene: every speech lands in some shot, and a long scene merges beats instead of dropping
its ending (no engine model: the shot plan from the scene's structure)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from generation.engines.breakdown_writing import MAX_SHOTS, plan_shots
from projects import fountain
from projects.fountain.breakdown import breakdown

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "screenplays"


def _elements(text: str) -> list[tuple[str, str, int, int]]:
    return [(e.kind, e.text, e.start_line, e.end_line) for e in fountain.parse(text).elements]


def _uncovered(elements: list[tuple[str, str, int, int]], plans: list) -> list[str]:  # type: ignore[type-arg]
    return [
        text
        for kind, text, start, end in elements
        if kind == "dialogue" and not any(p.start_line <= start and end <= p.end_line for p in plans)
    ]


def test_a_long_scene_keeps_every_speech_and_its_punchline() -> None:
    lines = ["INT. KITCHEN - DAY", "", "Mara and Joe stand at the counter.", ""]
    for i in range(20):
        lines += ["MARA" if i % 2 == 0 else "JOE", f"Line number {i + 1}.", ""]
    lines += ["MARA", "And that's the punchline.", "", "Joe laughs."]
    elements = _elements("\n".join(lines))
    plans = plan_shots(elements, ["MARA", "JOE"])
    assert len(plans) == MAX_SHOTS == 12
    assert plans[0].shot_type == "wide"
    assert _uncovered(elements, plans) == []
    assert "And that's the punchline." in plans[-1].source or any("punchline" in p.source for p in plans[-2:])
    starts = [p.start_line for p in plans]
    assert starts == sorted(starts)  # in script order, no shot overlapping the next
    assert all(a.end_line < b.start_line for a, b in itertools.pairwise(plans))


def test_a_short_scene_gets_a_shot_per_beat() -> None:
    text = (
        "EXT. PATIO - DAY\n\nBrick sits with a beer.\n\nSTEEL\nBeer's ready!\n\nBRICK\nAre they cold?\n\n"
        "A can hisses open.\n"
    )
    plans = plan_shots(_elements(text), ["BRICK", "STEEL"])
    assert [(p.shot_type, p.subjects) for p in plans] == [
        ("wide", ["BRICK", "STEEL"]),
        ("ots", ["STEEL", "BRICK"]),
        ("close-up", ["BRICK"]),
        ("insert", []),
    ]


@pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"the shared screenplay fixtures are absent ({FIXTURES})")
def test_every_speech_of_brick_and_steel_is_in_some_shot() -> None:
    text = (FIXTURES / "Brick-and-Steel.fountain").read_text()
    lines = text.split("\n")
    speeches = 0
    for scene in breakdown(text).scenes:
        body = "\n".join(lines[scene.start_line - 1 : scene.end_line])
        offset = scene.start_line - 1
        elements = [(k, t, s + offset, e + offset) for k, t, s, e in _elements(body)]
        plans = plan_shots(elements, list(scene.characters))
        assert len(plans) <= MAX_SHOTS
        assert _uncovered(elements, plans) == [], scene.heading
        speeches += sum(k == "dialogue" for k, *_ in elements)
    assert speeches >= 15
    first = breakdown(text).scenes[0]
    body = "\n".join(lines[first.start_line - 1 : first.end_line])
    assert any("Screw retirement." in p.source for p in plan_shots(_elements(body), list(first.characters)))
