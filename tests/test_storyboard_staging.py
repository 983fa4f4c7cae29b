"""Real screenplays staged without Blender: a frame's subjects are exactly the people its set places, and a
wide shows them whole at a readable size."""

from __future__ import annotations

from pathlib import Path

import pytest

from generation.engines import physique
from generation.engines.setschema import validate_set_spec
from projects.models import Frame
from tests.conftest import Cast, screenplay
from tests.framing import figure_share
from tests.stages import load_script, plan_frames, scenes


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Brick-and-Steel.fountain", "The-Last-Birthday-Card.fountain"])
def test_every_frames_subjects_are_exactly_the_people_in_its_set(cast: Cast, name: str) -> None:
    text = screenplay(name).read_text()
    load_script(cast, text=text)
    frames: list[Frame] = []
    for scene in scenes(cast):
        frames += plan_frames(cast, scene, text)
    assert len(frames) >= 10
    with_people = wides = 0
    for frame in frames:
        placed = [c["name"] for c in frame.set_spec["characters"]]
        assert len(placed) == len({p.upper() for p in placed}), (frame.scene_heading, placed)  # nobody twice
        assert sorted(p.upper() for p in placed) == sorted({s.upper() for s in frame.subjects}), (
            frame.scene_heading,
            frame.shot_type,
            frame.subjects,
            placed,
        )
        with_people += bool(placed)
        spec = validate_set_spec(frame.set_spec)
        if frame.shot_type == "wide" and spec.characters:
            wides += 1
            shares = []
            for fig in spec.characters:
                share, box = figure_share(spec, fig)
                assert box[0] >= -1.05 and box[2] <= 1.05, (frame.scene_heading, fig.name, box)  # whole, across
                shares.append(share)
            assert max(shares) >= 0.25, (frame.scene_heading, shares)
        focus = spec.camera.focus
        if placed and frame.shot_type != "insert":
            assert focus in placed, (frame.scene_heading, focus, placed)
    assert with_people >= len(frames) // 2 and wides >= 2
    # Each character wears one colour in every shot, and the people of a frame wear colours far apart.
    worn: dict[str, set[tuple[float, ...]]] = {}
    for frame in frames:
        spec = validate_set_spec(frame.set_spec)
        for fig in spec.characters:
            worn.setdefault(fig.name.upper(), set()).add(tuple(fig.color))
        for i, a in enumerate(spec.characters):
            for b in spec.characters[i + 1 :]:
                assert physique.colour_distance(a.color, b.color) >= physique.MIN_COSTUME_DISTANCE, (
                    frame.scene_heading,
                    a.name,
                    b.name,
                )
    assert worn and all(len(colours) == 1 for colours in worn.values()), worn


@pytest.mark.django_db
def test_figures_nobody_designed_take_their_sex_and_age_from_the_script(cast: Cast) -> None:
    """MARIA has no look: "her face. She had always been..." (beside the landlord, whose name says he is a man)
    makes her a woman. Brick-and-Steel's "retired police detective" and "fellow retiree" make Brick and Steel old
    men; nobody there turns into a woman or a child."""
    bodies: dict[str, set[tuple[str | None, tuple[float, ...] | None]]] = {}
    for name in ("generated-3-scene.fountain", "Brick-and-Steel.fountain"):
        path = Path(__file__).parent / "data" / name if name.startswith("generated") else screenplay(name)
        text = path.read_text()
        load_script(cast, text=text)
        for scene in scenes(cast):
            for frame in plan_frames(cast, scene, text):
                for fig in validate_set_spec(frame.set_spec).characters:
                    colour = tuple(fig.hair_color) if fig.hair_color else None
                    bodies.setdefault(fig.name.upper(), set()).add((fig.body, colour))
    assert {b for b, _ in bodies["MARIA"]} == {"woman"}
    assert {b for b, _ in bodies["GREEDY LANDLORD"]} == {"man"}
    for name in ("BRICK", "STEEL"):
        assert bodies[name] == {("man", tuple(physique.HAIR_COLOURS["gray"]))}, bodies[name]
    assert all(b in ("man", None) for name, seen in bodies.items() if name != "MARIA" for b, _ in seen), bodies
