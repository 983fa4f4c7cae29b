"""The parametric sets: one layout per location type (props, practical lights, windows), drawn from a seed.

The layouts themselves are in `interiors` and `exteriors`; each registers itself in `LAYOUTS` by name.

Coordinates are Blender's: metres, Z up, the floor at z=0, the set centred on the origin, the camera usually
on the -Y side looking towards +Y, so furniture keeps to the back and side walls and the stage stays clear.
Each layout takes the set's size, a random generator and `lit` (1 at night, 0 by day: practicals' power).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from generation.engines.setlibrary.props import Vec, light

WARM, SODIUM, COOL = (1.0, 0.72, 0.45), (1.0, 0.6, 0.3), (0.85, 0.92, 1.0)
Layout = tuple[list[dict], list[dict], list[dict]]
LayoutFn = Callable[[Vec, random.Random, float], Layout]
LAYOUTS: dict[str, LayoutFn] = {}


def layout_of(*kinds: str) -> Callable[[LayoutFn], LayoutFn]:
    def register(fn: LayoutFn) -> LayoutFn:
        for kind in kinds:
            LAYOUTS[kind] = fn
        return fn

    return register


def window(wall: str, offset: float, width: float, height: float, sill: float) -> dict:
    return {"wall": wall, "offset": offset, "width": width, "height": height, "sill": sill}


def ceiling(h: float, lit: float, xs: tuple[float, ...] = (0.0,), y: float = 0.5, colour: Vec = WARM) -> list[dict]:
    return [light(f"ceiling light {i + 1}", "point", (x, y, h - 0.3), colour, 35 * lit, 0.1) for i, x in enumerate(xs)]
