"""Brick-and-Steel's scenes are shot in their places, without Blender: the sets the storyboard derives."""

from __future__ import annotations

import pytest

from projects.models import Frame
from tests.conftest import Cast, screenplay
from tests.stages import BRICK_PLACES as PLACES
from tests.stages import load_script, plan_frames, scenes


@pytest.mark.django_db
def test_every_scene_of_brick_and_steel_is_shot_in_its_place(cast: Cast) -> None:
    text = screenplay("Brick-and-Steel.fountain").read_text()
    load_script(cast, text=text)
    frames: dict[str, list[Frame]] = {}
    for scene in scenes(cast):
        frames[scene.heading] = plan_frames(cast, scene, text)
    assert {heading: fs[0].set_spec["location_type"] for heading, fs in frames.items()} == PLACES
    for heading, fs in frames.items():  # every shot of a scene is in the same set
        assert len({f.set_spec["location_type"] for f in fs}) == 1, heading
    pool = frames["EXT. BRICK'S POOL - DAY"][0].set_spec
    for heading in ("SNIPER SCOPE POV", "OPENING TITLES"):
        spec = frames[heading][0].set_spec
        # The very set of the scene before: same size, same pool where it was.
        assert spec["dimensions"] == pool["dimensions"]
        placed = [(p["kind"], p["position"]) for p in spec["props"]]
        assert next((p["kind"], p["position"]) for p in pool["props"] if p["kind"] == "pool") in placed
    garage = frames["INT. GARAGE - DAY"]
    assert all(any(p["kind"] == "car" for p in f.set_spec["props"]) for f in garage)  # Mom's Porsche
