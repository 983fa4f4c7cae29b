"""The library of parametric sets, props and materials that set specs are made from. Pure Python.

Coordinates are Blender's: metres, Z up, the floor at z=0, the set centred on the origin, the camera
usually on the -Y side looking towards +Y. Rotations are in degrees. A prop is one mesh made of
primitive parts (`prop_parts`), so the renderer needs no per-prop code; a set's fixed geometry (room,
ground, road, water) is described here too (`LOCATION_TYPES`), so the renderer needs no per-set code.

`LOCATION_TYPES` are the sets a spec can be built on: every place `setspec.location_type_for` names, plus
`interior_room` and `street_night`, the first library's room and street, kept so stored specs still build.
"""

from __future__ import annotations

import random
from typing import Any

from generation.engines import staging
from generation.engines.setlibrary import exteriors, interiors  # noqa: F401 - they register the layouts
from generation.engines.setlibrary.materials import EXTRA_MATERIALS, MATERIALS
from generation.engines.setlibrary.places import COOL, LAYOUTS, SODIUM, WARM
from generation.engines.setlibrary.props import (
    PROP_KEYWORDS,
    PROP_KINDS,
    PROP_MATERIAL,
    SHAPES,
    SMALL_PROPS,
    SURFACES,
    VEHICLES,
    Part,
    Vec,
    light,
    prop,
    prop_parts,
    prop_roles,
)
from generation.engines.setlibrary.shops import SHOP_COLOURS, SHOP_KINDS, SHOP_LAYOUTS, shop_kind_for

__all__ = [
    "COOL",
    "EXTRA_MATERIALS",
    "LOCATION_TYPES",
    "MATERIALS",
    "PROP_KEYWORDS",
    "PROP_KINDS",
    "PROP_MATERIAL",
    "SHAPES",
    "SHOP_COLOURS",
    "SHOP_KINDS",
    "SMALL_PROPS",
    "SODIUM",
    "SURFACES",
    "VEHICLES",
    "WARM",
    "Part",
    "Vec",
    "layout",
    "light",
    "prop",
    "prop_parts",
    "prop_roles",
    "shell_materials",
    "shop_kind_for",
]

TIMES = ("dawn", "morning", "day", "afternoon", "dusk", "night")
WEATHERS = ("clear", "overcast", "rain", "fog", "snow")
SHOT_TYPES = ("wide", "medium", "close-up", "ots", "insert")
LIGHT_KINDS = ("point", "spot", "area")
POSES = staging.POSES
WALLS = ("back", "left", "right")


def _inside(
    dims: Vec, stage: tuple[float, float], floor: Vec | None = None, wall: Vec | None = None, **kw: Any
) -> dict:
    return {"interior": True, "dims": dims, "stage": stage, "floor": floor, "wall": wall, **kw}


def _outside(ground: Vec, stage: tuple[float, float] = (0.0, 0.0), **kw: Any) -> dict:
    """An exterior: `ground` colour; `water` rectangles ((x, y, z) centre, (w, d, h) size); `road` draws the street;
    `ground_size`/`ground_z` bound the ground (a roof) or sink it (the sea round a boat)."""
    return {"interior": False, "dims": (60.0, 60.0, 9.0), "stage": stage, "ground": ground, **kw}


SEA = (((0.0, 157.0, 0.0), (600.0, 300.0, 0.08)),)
# Each set: interior or not, size (width, depth, height), where the people stand, and what its shell looks like.
LOCATION_TYPES: dict[str, dict[str, Any]] = {
    # interiors
    "living_room": _inside((6.5, 6.0, 2.7), (0.0, 0.2), description="a living room with a sofa, a TV and a rug"),
    "kitchen": _inside((5.5, 5.4, 2.6), (-0.2, 0.2), (0.75, 0.72, 0.66), (0.9, 0.86, 0.72),
                       description="a kitchen with a fridge, a stove, a sink and a table"),
    "bedroom": _inside((5.2, 5.4, 2.6), (-0.6, 0.0), (0.5, 0.36, 0.24), (0.7, 0.72, 0.8),
                       description="a bedroom with a bed, nightstands and a wardrobe"),
    "bathroom": _inside((3.6, 4.0, 2.5), (0.2, 0.4), (0.8, 0.8, 0.82), (0.7, 0.82, 0.84),
                        description="a bathroom with a bathtub, a toilet, a sink and a mirror"),
    "hallway": _inside((2.6, 9.0, 2.7), (0.0, 0.5), (0.38, 0.26, 0.16), (0.8, 0.76, 0.62),
                       description="a hallway or lobby with doors, stairs and a runner rug"),
    "office": _inside((8.0, 7.0, 2.8), (0.0, -0.6), (0.3, 0.32, 0.35), (0.8, 0.8, 0.78),
                      description="an office with desks, computers and filing cabinets"),
    "classroom": _inside((9.0, 8.0, 3.0), (0.0, 1.6), (0.45, 0.42, 0.36), (0.85, 0.82, 0.7),
                         description="a classroom with a blackboard and rows of school desks"),
    "hospital": _inside((6.0, 6.0, 2.8), (-0.6, 0.3), (0.7, 0.72, 0.72), (0.72, 0.85, 0.8),
                        description="a hospital room with a bed, a drip stand and a monitor"),
    "diner_bar": _inside((9.0, 7.0, 3.2), (0.0, -0.2), (0.55, 0.1, 0.1), (0.85, 0.8, 0.6),
                         description="a diner or bar with a counter, stools, booths and bottles"),
    "shop": _inside((9.0, 8.0, 3.2), (0.0, -1.2), (0.75, 0.75, 0.72), (0.9, 0.9, 0.86),
                    description="a shop with shelves of goods, coolers and a till on the counter"),
    "warehouse": _inside((16.0, 14.0, 7.0), (0.0, -1.2), (0.45, 0.45, 0.43), (0.55, 0.55, 0.52),
                         description="a warehouse with racks, pallets, crates and a forklift"),
    "garage": _inside((7.0, 7.0, 3.0), (-1.4, -0.2), (0.5, 0.5, 0.48), (0.7, 0.7, 0.66),
                      description="a garage with a car, a workbench, tools and tyres"),
    "church": _inside((12.0, 18.0, 8.0), (0.0, 2.8), (0.5, 0.46, 0.4), (0.82, 0.78, 0.7),
                      description="a church with pews, an altar, candles and stained glass"),
    "car_interior": _inside((1.5, 2.4, 1.25), (0.0, 0.1), ground=(0.1, 0.1, 0.11),
                            description="the inside of a car: seats, dashboard and steering wheel"),
    # exteriors
    "street": _outside((0.45, 0.44, 0.42), (-3.0, 3.0), road=True, dims=(14.0, 60.0, 12.0),
                       description="a city street with buildings, street lamps and parked cars"),
    "house_exterior": _outside((0.22, 0.4, 0.14), (0.0, 2.0), description="a house front with a patio and a lawn"),
    "pool": _outside((0.72, 0.7, 0.64), (0.0, 1.0), description="a swimming pool with loungers and a diving board"),
    "beach": _outside((0.62, 0.55, 0.4), water=SEA, dims=(60.0, 60.0, 1.0),
                      description="a sandy beach by the sea with rocks and driftwood"),
    "harbor": _outside((0.5, 0.49, 0.46), water=(((0.0, 152.0, 0.0), (600.0, 300.0, 0.08)),),
                       description="a harbour quay with a pier, moored boats and a lighthouse"),
    "river_lake": _outside((0.2, 0.34, 0.12), water=(((0.0, 21.75, 0.0), (600.0, 36.5, 0.08)),),
                           description="the bank of a river or lake with reeds and trees"),
    "forest": _outside((0.16, 0.26, 0.09), dims=(50.0, 50.0, 9.0), description="a forest clearing among tall trees"),
    "field": _outside((0.3, 0.45, 0.16), description="an open field or farm with fences and hay bales"),
    "desert": _outside((0.78, 0.62, 0.4), description="a desert with dunes, cacti and distant mesas"),
    "mountain": _outside((0.36, 0.34, 0.3), description="a mountain lookout with peaks, rocks and pines"),
    "rooftop": _outside((0.45, 0.45, 0.44), ground_size=(12.0, 12.0), dims=(12.0, 12.0, 9.0),
                        description="a flat city rooftop with a water tank and vents"),
    "boat": _outside((0.03, 0.16, 0.24), (0.0, 2.0), ground_z=-1.0,
                     description="the deck of a boat at sea with a mast and railings"),
    # the first library's room and street: stored specs name them
    "interior_room": _inside((6.0, 5.0, 2.7), (0.0, 0.0), legacy=True, description="a room"),
    "street_night": _outside((0.45, 0.44, 0.42), (-3.0, 3.0), road=True, dims=(14.0, 60.0, 12.0), legacy=True,
                             description="a city street"),
}  # fmt: skip
INTERIOR_TYPES = tuple(k for k, v in LOCATION_TYPES.items() if v["interior"] and not v.get("legacy"))
EXTERIOR_TYPES = tuple(k for k, v in LOCATION_TYPES.items() if not v["interior"] and not v.get("legacy"))


def shell_materials(location_type: str) -> tuple[str, ...]:
    """Material names the renderer needs for the fixed geometry of this location type."""
    info = LOCATION_TYPES[location_type]
    if location_type == "car_interior":
        return ("ground", "car_shell")
    if info["interior"]:
        return ("floor", "wall", "ceiling")
    return ("ground", *(("road", "sidewalk") if info.get("road") else ()), *(("water",) if info.get("water") else ()))


def layout(
    kind: str, dims: Vec, rng: random.Random, lit: float, shop_kind: str = ""
) -> tuple[list[dict], list[dict], list[dict]]:
    """Props, practical lights (power scaled by `lit`: 1 at night, 0 by day) and windows of a location; a shop
    of a `shop_kind` (`SHOP_KINDS`) is dressed for what it sells."""
    if kind == "shop" and shop_kind:
        return SHOP_LAYOUTS[shop_kind](dims, rng, lit)
    return LAYOUTS[kind](dims, rng, lit)
