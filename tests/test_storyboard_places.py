"""Brick-and-Steel's scenes are shot in their places, without Blender: the sets the storyboard derives."""

from __future__ import annotations

import pytest

from projects.models import Frame
from tests.conftest import Cast
from tests.test_storyboard_stale import BRICK, frames_without_rendering, load_script, scenes

pytestmark = pytest.mark.skipif(not BRICK.is_file(), reason=f"the shared screenplay fixtures are absent ({BRICK})")

PLACES = {
    "EXT. BRICK'S PATIO - DAY": "house_exterior",
    "INT. TRAILER HOME - DAY": "living_room",
    "EXT. BRICK'S POOL - DAY": "pool",
    "SNIPER SCOPE POV": "pool",  # no place: shot in the pool scene's set
    "OPENING TITLES": "pool",
    "EXT. WOODEN SHACK - DAY": "house_exterior",
    "INT. GARAGE - DAY": "garage",
    "EXT. PALATIAL MANSION - DAY": "house_exterior",
}


@pytest.mark.django_db
def test_every_scene_of_brick_and_steel_is_shot_in_its_place(cast: Cast) -> None:
    text = BRICK.read_text()
    load_script(cast, text)
    frames: dict[str, list[Frame]] = {}
    for scene in scenes(cast):
        frames[scene.heading] = frames_without_rendering(cast, scene, text)
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
