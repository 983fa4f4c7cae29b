"""The parametric sets: one layout per location type (props, practical lights, windows), drawn from a seed.

Coordinates are Blender's: metres, Z up, the floor at z=0, the set centred on the origin, the camera usually
on the -Y side looking towards +Y, so furniture keeps to the back and side walls and the stage stays clear.
Each layout takes the set's size, a random generator and `lit` (1 at night, 0 by day: practicals' power).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from generation.engines.setlibrary.props import Vec, light, prop

WARM, SODIUM, COOL = (1.0, 0.72, 0.45), (1.0, 0.6, 0.3), (0.85, 0.92, 1.0)
Layout = tuple[list[dict], list[dict], list[dict]]
LayoutFn = Callable[[Vec, random.Random, float], Layout]
LAYOUTS: dict[str, LayoutFn] = {}


def _layout(*kinds: str) -> Callable[[LayoutFn], LayoutFn]:
    def register(fn: LayoutFn) -> LayoutFn:
        for kind in kinds:
            LAYOUTS[kind] = fn
        return fn

    return register


def _window(wall: str, offset: float, width: float, height: float, sill: float) -> dict:
    return {"wall": wall, "offset": offset, "width": width, "height": height, "sill": sill}


def _ceiling(h: float, lit: float, xs: tuple[float, ...] = (0.0,), y: float = 0.5, colour: Vec = WARM) -> list[dict]:
    return [light(f"ceiling light {i + 1}", "point", (x, y, h - 0.3), colour, 35 * lit, 0.1) for i, x in enumerate(xs)]


@_layout("interior_room")
def interior_room(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [_window("back", -1.2, 1.6, 1.3, 0.9)]
    props = [
        prop("table", 0.2, 1.3),
        prop("chair", -0.6, 1.8, yaw=0),
        prop("chair", 0.9, 1.8, yaw=0),
        prop("rug", 0.2, 1.2),
        prop("sofa", -w / 2 + 0.5, 0.2, yaw=90),
        prop("bookshelf", 1.9, d / 2 - 0.2),
        prop("lamp", -w / 2 + 0.4, d / 2 - 0.4),
        prop("door", w / 2 - 0.03, -0.8, yaw=90),
        prop("cup", 0.4, 1.3, 0.75),
    ]
    lights = [
        light("floor lamp", "point", (-w / 2 + 0.4, d / 2 - 0.4, 1.5), WARM, 60 * lit, 0.15),
        light("ceiling bulb", "point", (0.0, 0.5, h - 0.3), WARM, 35 * lit, 0.1),
    ]
    return props, lights, windows


@_layout("living_room")
def living_room(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [_window("back", -1.3, 1.6, 1.3, 0.9)]
    props = [
        prop("coffee_table", 0.3, d / 2 - 1.7),
        prop("sofa", 0.3, d / 2 - 0.7, yaw=0),
        prop("rug", 0.3, d / 2 - 1.6),
        prop("chair", -w / 2 + 0.7, 0.4, yaw=-90, mat="fabric", scale=(1.3, 1.3, 1.0)),
        prop("tv", w / 2 - 0.35, 0.6, yaw=90),
        prop("bookshelf", -w / 2 + 0.25, d / 2 - 1.0, yaw=-90),
        prop("lamp", w / 2 - 0.4, d / 2 - 0.4),
        prop("plant", -w / 2 + 0.4, d / 2 - 0.35),
        prop("door", w / 2 - 0.03, -1.4, yaw=90),
        prop("cup", 0.5, d / 2 - 1.7, 0.445),
    ]
    lights = [light("floor lamp", "point", (w / 2 - 0.4, d / 2 - 0.4, 1.5), WARM, 60 * lit, 0.15), *_ceiling(h, lit)]
    return props, lights, windows


@_layout("kitchen")
def kitchen(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    back = d / 2 - 0.33
    windows = [_window("back", 0.6, 1.2, 1.0, 1.15)]
    props = [
        prop("counter", 0.6, back, scale=(0.75, 1.0, 0.88), mat="counter"),
        prop("sink", 0.6, back),
        prop("stove", -1.0, back),
        prop("fridge", -w / 2 + 0.45, back - 0.05),
        prop("cabinet", 1.2, back + 0.05, 1.5, scale=(2.6, 0.6, 0.55), mat="wood"),
        prop("cabinet", -0.2, back + 0.05, 1.5, scale=(1.6, 0.6, 0.55), mat="wood"),
        prop("table", w / 2 - 1.1, -0.3, yaw=90, scale=(0.9, 1.0, 1.0)),
        prop("chair", w / 2 - 0.55, -0.3, yaw=90),
        prop("chair", w / 2 - 1.65, -0.3, yaw=-90),
        prop("cup", w / 2 - 1.1, -0.2, 0.75),
        prop("pendant", w / 2 - 1.1, -0.3, h - 1.0),
    ]
    lights = [light("pendant", "point", (w / 2 - 1.1, -0.3, h - 1.15), WARM, 45 * lit, 0.1), *_ceiling(h, lit, y=0.8)]
    return props, lights, windows


@_layout("bedroom")
def bedroom(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [_window("left", 0.3, 1.4, 1.3, 0.9)]
    bed_y = d / 2 - 1.05
    props = [
        prop("bed", 0.2, bed_y),
        prop("nightstand", -0.9, d / 2 - 0.3),
        prop("nightstand", 1.3, d / 2 - 0.3),
        prop("lamp", -0.9, d / 2 - 0.3, 0.54, scale=(0.6, 0.6, 0.4)),
        prop("lamp", 1.3, d / 2 - 0.3, 0.54, scale=(0.6, 0.6, 0.4)),
        prop("wardrobe", w / 2 - 0.35, 0.3, yaw=90),
        prop("rug", 0.2, bed_y - 1.4, scale=(0.8, 0.7, 1.0)),
        prop("mirror", w / 2 - 0.05, -1.2, yaw=90),
        prop("chair", -w / 2 + 0.5, -0.9, yaw=-60),
    ]
    lights = [
        light("bedside lamp", "point", (-0.9, d / 2 - 0.3, 1.1), WARM, 30 * lit, 0.1),
        light("bedside lamp 2", "point", (1.3, d / 2 - 0.3, 1.1), WARM, 30 * lit, 0.1),
        *_ceiling(h, lit, y=0.0),
    ]
    return props, lights, windows


@_layout("bathroom")
def bathroom(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [_window("back", -0.9, 0.6, 0.6, 1.5)]
    props = [
        prop("bathtub", -w / 2 + 0.45, d / 2 - 0.9),
        prop("curtain", -w / 2 + 0.85, d / 2 - 0.9, yaw=90, scale=(0.85, 1.0, 1.0)),
        prop("toilet", 0.3, d / 2 - 0.3),
        prop("sink", w / 2 - 0.3, 0.2, yaw=90, scale=(0.8, 0.8, 1.0)),
        prop("mirror", w / 2 - 0.03, 0.2, yaw=90),
        prop("towel", w / 2 - 0.05, d / 2 - 0.7, 0.9, yaw=90, scale=(0.6, 0.5, 1.0)),
        prop("rug", 0.0, 0.0, scale=(0.35, 0.4, 1.0), mat="fabric"),
        prop("door", -w / 2 + 0.03, -0.6, yaw=-90),
    ]
    lights = [
        light("mirror light", "point", (w / 2 - 0.25, 0.2, 2.1), COOL, 30 + 30 * lit, 0.1),
        *_ceiling(h, lit, y=0.0),
    ]
    return props, lights, windows


@_layout("hallway")
def hallway(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    props = [prop("rug", 0.0, 0.2, scale=(0.45, 4.5, 1.0), mat="vinyl_red")]
    for i, y in enumerate((-2.5, 0.0, 2.5)):
        side = -1 if i % 2 else 1
        props.append(prop("door", side * (w / 2 - 0.03), y, yaw=90 * side))
        props.append(prop("door", -side * (w / 2 - 0.03), y + 1.2, yaw=-90 * side))
    props += [
        prop("stairs", w / 2 - 0.6, d / 2 - 3.8),
        prop("table", -w / 2 + 0.3, -1.2, scale=(0.35, 0.5, 1.1), yaw=90),
        prop("lamp", -w / 2 + 0.3, -1.2, 0.82, scale=(0.5, 0.5, 0.35)),
        prop("plant", -w / 2 + 0.3, d / 2 - 0.3),
        prop("clock", 0.0, d / 2 - 0.03, 1.9),
    ]
    props += [prop("pendant", 0.0, y, h - 0.6) for y in (-2.5, 0.5, 3.0)]
    lights = [light(f"hall light {i + 1}", "point", (0.0, y, h - 0.75), WARM, 30 + 30 * lit, 0.1)
              for i, y in enumerate((-2.5, 0.5, 3.0))]  # fmt: skip
    return props, lights, []


@_layout("office")
def office(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    props: list[dict] = []
    windows = [_window("back", 0.0, 4.5, 1.6, 0.8)]
    for i, (x, y) in enumerate(((-1.6, 0.9), (1.6, 0.9), (-1.6, 2.4), (1.6, 2.4))):
        props += [prop("desk", x, y, yaw=180), prop("chair", x, y - 0.6, yaw=180), prop("monitor", x, y + 0.1, 0.75)]
        if i == 0:
            props.append(prop("paper", x - 0.3, y - 0.1, 0.75))
    props += [prop("cabinet", w / 2 - 0.3, -1.0 + 0.55 * i, yaw=90) for i in range(3)]
    props += [prop("door", -w / 2 + 0.03, -1.5, yaw=-90), prop("lamp", -w / 2 + 0.5, d / 2 - 0.5)]
    lights = [
        light(f"ceiling panel {i + 1}", "area", (x, 1.2, h - 0.05), COOL, 60 + 90 * lit, 1.0, (x, 1.2, 0.0))
        for i, x in enumerate((-2.0, 2.0))
    ]
    lights.append(light("desk lamp", "point", (-w / 2 + 0.5, d / 2 - 0.5, 1.5), WARM, 50 * lit, 0.15))
    return props, lights, windows


@_layout("classroom")
def classroom(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [_window("left", y, 1.6, 1.5, 0.9) for y in (-2.0, 0.5, 3.0)]
    props = [
        prop("blackboard", 0.0, d / 2 - 0.05),
        prop("desk", 2.3, d / 2 - 1.4, yaw=180),
        prop("chair", 2.3, d / 2 - 0.8, yaw=180),
        prop("clock", 0.0, d / 2 - 0.03, 2.55),
        prop("bookshelf", w / 2 - 0.25, 0.0, yaw=90),
        prop("door", w / 2 - 0.03, -2.5, yaw=90),
        prop("book", 2.1, d / 2 - 1.4, 0.75),
    ]
    props += [prop("school_desk", x, y, yaw=180) for x in (-2.4, -0.8, 0.8, 2.4) for y in (-0.4, -1.7, -3.0)]
    lights = [light(f"ceiling panel {i + 1}", "area", (x, 0.0, h - 0.05), COOL, 80 + 80 * lit, 1.2, (x, 0.0, 0.0))
              for i, x in enumerate((-2.0, 2.0))]  # fmt: skip
    return props, lights, windows


@_layout("hospital")
def hospital(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [_window("back", -1.6, 1.4, 1.2, 1.0)]
    props = [
        prop("hospital_bed", 0.6, d / 2 - 1.2),
        prop("iv_stand", 1.4, d / 2 - 0.9),
        prop("cabinet", -0.4, d / 2 - 0.3, scale=(1.0, 0.8, 0.7), mat="porcelain"),
        prop("monitor", -0.4, d / 2 - 0.3, 0.91),
        prop("curtain", -w / 2 + 0.9, d / 2 - 1.2, yaw=90, scale=(1.0, 1.0, 1.0)),
        prop("chair", 1.9, 0.3, yaw=-120, mat="vinyl_red"),
        prop("sink", w / 2 - 0.3, -0.8, yaw=90, scale=(0.8, 0.8, 1.0)),
        prop("door", -w / 2 + 0.03, -1.5, yaw=-90),
    ]
    lights = [light("ceiling panel", "area", (0.3, 0.5, h - 0.05), COOL, 90 + 60 * lit, 1.2, (0.3, 0.5, 0.0)),
              light("bed light", "point", (0.6, d / 2 - 0.4, 1.6), WARM, 15 * lit, 0.1)]  # fmt: skip
    return props, lights, windows


@_layout("diner_bar")
def diner_bar(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    cy = d / 2 - 1.4
    windows = [_window("left", 0.0, 4.0, 1.4, 1.0)]
    props = [
        prop("counter", 0.5, cy, scale=(1.8, 1, 1)),
        prop("bookshelf", 0.5, d / 2 - 0.2, scale=(3, 1, 1)),
        prop("neon", 0.5, d / 2 - 0.04, 2.6, mat="neon"),
        prop("bottle", 0.1, cy, 1.05),
        prop("cup", 1.2, cy, 1.05),
    ]
    props += [prop("stool", -1.9 + 0.9 * i, cy - 0.65) for i in range(6)]
    for i in range(3):
        y = -d / 2 + 1.2 + i * 1.7
        props += [
            prop("booth", -w / 2 + 0.9, y - 0.6, yaw=180),
            prop("booth", -w / 2 + 0.9, y + 0.6),
            prop("table", -w / 2 + 0.9, y, scale=(0.9, 0.7, 1)),
        ]
    lights = []
    for i in range(3):
        props.append(prop("pendant", -0.9 + 1.4 * i, cy, h - 1.0))
        lights.append(light(f"pendant {i + 1}", "point", (-0.9 + 1.4 * i, cy, h - 1.15), WARM, 40 + 40 * lit, 0.1))
    lights.append(light("neon", "point", (0.5, d / 2 - 0.4, 2.6), (1.0, 0.2, 0.65), 25 + 25 * lit, 0.3))
    return props, lights, windows


@_layout("shop")
def shop(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [_window("left", -1.5, 3.5, 1.8, 0.6)]
    props = [prop("shelf", x, y) for x in (-2.4, 0.2) for y in (1.2, 2.6)]
    props += [prop("fridge", x, d / 2 - 0.4, mat="glass") for x in (-3.0, -2.1, -1.2)]
    props += [
        prop("counter", w / 2 - 1.3, -1.6, yaw=90, scale=(0.8, 1.0, 1.0)),
        prop("cash_register", w / 2 - 1.3, -1.2, 1.05, yaw=-90),
        prop("neon", 1.6, d / 2 - 0.04, 2.5, mat="neon"),
        prop("box", w / 2 - 0.5, 1.0, scale=(1.2, 1.2, 1.2)),
        prop("box", w / 2 - 0.5, 1.6, scale=(1.0, 1.0, 1.6)),
        prop("door", -w / 2 + 0.03, -2.6, yaw=-90, mat="glass"),
    ]
    lights = [light(f"ceiling panel {i + 1}", "area", (x, 1.0, h - 0.05), COOL, 90 + 60 * lit, 1.2, (x, 1.0, 0.0))
              for i, x in enumerate((-2.0, 2.0))]  # fmt: skip
    lights.append(light("neon", "point", (1.6, d / 2 - 0.4, 2.5), (1.0, 0.2, 0.65), 20 + 20 * lit, 0.3))
    return props, lights, windows


@_layout("warehouse")
def warehouse(dims: Vec, rng: random.Random, lit: float) -> Layout:
    _, d, h = dims
    windows = [_window("left", y, 2.5, 1.0, 4.6) for y in (-3.0, 1.0, 5.0)]
    props = [prop("shelf", x, y, scale=(1.5, 1.4, 2.6)) for x in (-5.0, 5.0) for y in (0.5, 3.5)]
    props += [prop("garage_door", 0.0, d / 2 - 0.05, scale=(1.6, 1.0, 1.8))]
    props += [prop("pallet", rng.uniform(-3, 3), rng.uniform(2.5, 5.0), yaw=rng.uniform(-20, 20)) for _ in range(3)]
    props += [prop("crate", -2.6 + 0.75 * i, 1.8, 0.7 * (i % 2)) for i in range(4)]
    props += [prop("barrel", 3.0 + 0.65 * i, -1.5) for i in range(3)]
    props += [prop("forklift", -3.0, -1.0, yaw=30)]
    props += [prop("pendant", x, 1.5, h - 1.2, scale=(2, 2, 1)) for x in (-4.0, 0.0, 4.0)]
    lights = [light(f"work light {i + 1}", "point", (x, 1.5, h - 1.5), SODIUM, 150 + 150 * lit, 0.2)
              for i, x in enumerate((-4.0, 0.0, 4.0))]  # fmt: skip
    return props, lights, windows


@_layout("garage")
def garage(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    props = [
        prop("car", 1.2, 0.7, mat="car_paint"),
        prop("garage_door", 1.2, d / 2 - 0.05),
        prop("workbench", -w / 2 + 0.4, 1.0, yaw=-90),
        prop("shelf", -w / 2 + 0.3, -1.6, yaw=-90, scale=(0.8, 0.9, 1.1)),
        prop("tire", w / 2 - 0.5, -2.2),
        prop("tire", w / 2 - 0.5, -2.2, 0.24),
        prop("barrel", -w / 2 + 0.5, d / 2 - 0.5),
        prop("lamp", -w / 2 + 0.4, 1.0, 0.94, scale=(0.5, 0.5, 0.35)),
        prop("door", -1.6, -d / 2 + 0.03),
    ]
    props += [prop("pendant", x, 0.5, h - 0.8) for x in (-1.2, 1.2)]
    lights = [light(f"strip light {i + 1}", "point", (x, 0.5, h - 0.95), COOL, 60 + 60 * lit, 0.2)
              for i, x in enumerate((-1.2, 1.2))]  # fmt: skip
    return props, lights, []


@_layout("church")
def church(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    props = [prop("altar", 0.0, d / 2 - 1.6), prop("lectern", 2.2, d / 2 - 2.8, yaw=200)]
    props += [prop("pew", sx * 2.4, y) for sx in (-1, 1) for y in (-6.0, -4.5, -3.0, -1.5, 0.0, 1.5)]
    props += [prop("rug", 0.0, -1.0, scale=(0.6, 8.0, 1.0), mat="vinyl_red")]
    props += [prop("candle", x, d / 2 - 1.6, 1.04, scale=(1.5, 1.5, 1.5)) for x in (-0.8, 0.8)]
    props += [prop("neon", sx * (w / 2 - 0.04), y, 3.2, yaw=90, scale=(1.0, 1.0, 8.0), mat="stained_glass")
              for sx in (-1, 1) for y in (-4.0, 0.0, 4.0)]  # fmt: skip
    props += [prop("neon", 0.0, d / 2 - 0.04, 5.2, scale=(1.4, 1.0, 9.0), mat="stained_glass")]
    lights = [
        light("altar light", "spot", (0.0, d / 2 - 5.0, h - 1.0), WARM, 300 + 200 * lit, 0.3, (0, d / 2 - 1.6, 1.0))
    ]
    lights += [light(f"candle {i + 1}", "point", (x, d / 2 - 1.6, 1.35), WARM, 5 + 20 * lit, 0.05)
               for i, x in enumerate((-0.8, 0.8))]  # fmt: skip
    return props, lights, []


@_layout("car_interior")
def car_interior(dims: Vec, rng: random.Random, lit: float) -> Layout:
    _, d, _ = dims
    props = [
        prop("dashboard", 0.0, d / 2 - 0.35),
        prop("steering_wheel", -0.38, d / 2 - 0.72, 0.68),
        prop("car_seat", -0.38, 0.0),
        prop("car_seat", 0.38, 0.0),
        prop("car_seat", 0.0, -0.95, scale=(2.6, 1, 1)),
    ]
    for i in range(6):
        side = -1 if i % 2 else 1
        props.append(prop("building", side * 14, -10 + 9 * i, yaw=-side * 90, scale=(8, 8, rng.uniform(8, 16))))
    props.append(prop("mirror", 0.0, d / 2 - 0.62, -0.3, scale=(0.3, 1.0, 0.12)))  # the rear-view mirror
    props.append(prop("gear_stick", 0.0, d / 2 - 0.95, 0.1))
    lights = [
        light("dashboard glow", "area", (0.0, d / 2 - 0.6, 0.9), (0.6, 0.8, 1.0), 2 + 4 * lit, 0.6, (0, 0, 1.1)),
        light("passing street light", "point", (3.0, 2.0, 4.0), SODIUM, 120 * lit, 0.3),
    ]
    return props, lights, []


@_layout("street_night")
def street_night(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    road = w / 2 - 3.5
    props: list[dict] = []
    lights: list[dict] = []
    for side in (-1, 1):
        y = -15.0
        while y < d - 15:
            bw, bh = rng.uniform(6, 12), rng.uniform(h * 0.6, h * 1.4)
            mat = rng.choice(("brick", "concrete", "brick"))
            props.append(prop("building", side * (w / 2 + 4), y + bw / 2, yaw=-side * 90, scale=(bw, 8, bh), mat=mat))
            y += bw + rng.uniform(0.0, 1.5)
        for i in range(4):
            ly = -8.0 + 12 * i + (6 if side > 0 else 0)
            props.append(prop("streetlamp", side * (road + 2.6), ly, yaw=90 + 90 * side))
            lights.append(
                light(f"street lamp {side}/{i}", "point", (side * (road + 1.6), ly, 4.8), SODIUM, 100 * lit, 0.3)
            )
    props += [
        prop("car", road - 0.9, 9.0 + rng.uniform(-2, 2)),
        prop("car", -road + 0.9, 18.0, yaw=180),
        prop("bench", -road - 2.5, 6.0, yaw=90),
        prop("neon", -w / 2 + 0.05, 9.0, 3.5, yaw=90),
    ]
    lights.append(light("neon", "point", (-w / 2 + 0.5, 9.0, 3.5), (1.0, 0.2, 0.65), 150 * lit, 0.3))
    return props, lights, []


@_layout("street")
def street(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, _, _ = dims
    props, lights, windows = street_night(dims, rng, lit)
    road = w / 2 - 3.5
    props += [
        prop("traffic_light", road + 0.4, 14.0, yaw=180),
        prop("traffic_light", -road - 0.4, 22.0),
        prop("hydrant", -road - 0.6, 2.0),
        prop("mailbox", road + 1.2, 5.0, mat="vinyl_red"),
        prop("bicycle", -road - 1.0, 10.5, yaw=15),
    ]
    return props, lights, windows


@_layout("house_exterior")
def house_exterior(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [
        prop("house", 0.0, 9.0),
        prop("rug", 0.0, 4.2, scale=(2.4, 2.6, 1.0), mat="stone"),  # the patio
        prop("table", 1.6, 3.9),
        prop("chair", 1.0, 3.6, yaw=60),
        prop("chair", 2.3, 3.5, yaw=-60),
        prop("umbrella", 1.6, 3.9),
        prop("lounge_chair", -2.4, 3.4, yaw=20, mat="vinyl_red"),
        prop("hedge", -6.5, 5.0, yaw=90),
        prop("fence", 6.5, 4.0, yaw=90),
        prop("fence", 6.5, 0.0, yaw=90),
        prop("mailbox", -5.5, -2.5),
        prop("tree", -8.5, 9.0, scale=(1.3, 1.3, 1.5)),
        prop("tree", 9.0, 13.0, scale=(1.2, 1.2, 1.4)),
        prop("plant", -1.2, 5.6),
    ]
    lights = [light("porch light", "point", (0.0, 5.4, 2.6), WARM, 80 * lit, 0.15)]
    return props, lights, []


@_layout("pool")
def pool(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [
        prop("pool", 0.0, 4.6, yaw=90),
        prop("diving_board", 4.6, 4.6, yaw=90),
        prop("lounge_chair", -3.0, 1.4, yaw=10, mat="plastic"),
        prop("lounge_chair", -4.2, 1.5, yaw=-10, mat="plastic"),
        prop("umbrella", -3.6, 2.2),
        prop("table", 3.0, 1.2, scale=(0.6, 0.6, 1.0), mat="plastic"),
        prop("towel", -3.0, 1.4, 0.34, yaw=10, scale=(0.7, 0.9, 1.0)),
        prop("house", 0.0, 14.0, mat="siding"),
        prop("hedge", -8.0, 6.0, yaw=90, scale=(2.0, 1.0, 1.4)),
        prop("hedge", 8.0, 6.0, yaw=90, scale=(2.0, 1.0, 1.4)),
        prop("plant", 3.8, 0.2),
    ]
    lights = [light("pool light", "point", (0.0, 4.6, 0.1), (0.5, 0.85, 1.0), 120 * lit, 0.5),
              light("patio light", "point", (0.0, 10.2, 2.6), WARM, 80 * lit, 0.15)]  # fmt: skip
    return props, lights, []


def _beach_base(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [prop("rock", rng.uniform(-9, 9), rng.uniform(3, 8), scale=(rng.uniform(1, 3),) * 3) for _ in range(5)]
    props.append(prop("driftwood", 2.2, 1.5, yaw=rng.uniform(0, 60)))
    lights: list[dict] = []
    if lit > 0:
        props.append(prop("campfire", -1.6, 1.8))
        lights.append(light("bonfire", "point", (-1.6, 1.8, 0.5), (1.0, 0.5, 0.2), 300 * lit, 0.3))
    else:
        props += [prop("umbrella", -2.5, 2.5), prop("bench", -2.5, 1.8, mat="plastic")]
    return props, lights, []


@_layout("beach")
def beach(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props, lights, windows = _beach_base(dims, rng, lit)
    props += [
        prop("lifeguard_tower", 6.5, 4.0, yaw=-20),
        prop("towel", -1.0, 3.0, yaw=15),
        prop("dune", -14.0, -4.0, mat="sand"),
        prop("dune", 15.0, -2.0, mat="sand"),
        prop("bag", -0.6, 3.4),
    ]
    return props, lights, windows


@_layout("harbor")
def harbor(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [
        prop("pier", 4.0, 13.0, -0.9),
        prop("boat", -3.5, 8.0, -0.5, yaw=rng.uniform(-10, 10)),
        prop("boat", 8.0, 12.0, -0.5, yaw=180 + rng.uniform(-10, 10), mat="vinyl_red"),
        prop("lighthouse", -16.0, 45.0),
        prop("rock", -16.0, 45.0, -0.5, scale=(6.0, 6.0, 3.0)),
        prop("buoy", 1.0, 18.0, -0.6),
        prop("rope_coil", 1.2, 1.2),
        prop("crate", -4.5, 0.6),
        prop("crate", -3.8, 0.4, yaw=20),
        prop("barrel", 3.2, 0.4),
        prop("streetlamp", -6.0, 1.4, yaw=0),
    ]
    props += [prop("bollard", x, 1.7) for x in (-6.5, -1.5, 2.5, 6.5)]
    lights = [light("quay lamp", "point", (-5.0, 1.4, 4.8), SODIUM, 120 * lit, 0.3),
              light("lighthouse", "point", (-16.0, 45.0, 11.6), (1.0, 0.9, 0.6), 400 + 3000 * lit, 0.5)]  # fmt: skip
    return props, lights, []


@_layout("river_lake")
def river_lake(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [
        prop("reeds", x, 3.0 + rng.uniform(-0.3, 0.3), scale=(1.0, 1.0, rng.uniform(0.8, 1.3)))
        for x in (-6, -4.5, 3.5, 5.5, 7)
    ]
    props += [prop("tree", x, 44.0 + rng.uniform(0, 8), scale=(2.0, 2.0, 2.4)) for x in range(-40, 41, 7)]
    props += [prop("tree", sx * rng.uniform(9, 14), rng.uniform(-2, 6), scale=(1.3, 1.3, 1.5)) for sx in (-1, 1, -1)]
    props += [
        prop("pier", 4.5, 6.0, -0.5, scale=(0.5, 0.4, 0.6)),
        prop("boat", 2.0, 7.0, -0.2, yaw=80, scale=(0.45, 0.55, 0.5), mat="wood"),
        prop("rock", -2.5, 2.6, scale=(1.5, 1.5, 1.0)),
        prop("log", -4.0, 1.2, yaw=30),
        prop("bush", 6.5, 1.5),
    ]
    lights = [light("lantern", "point", (4.5, 3.0, 1.2), WARM, 60 * lit, 0.1)] if lit > 0 else []
    return props, lights, []


def _forest_base(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, _, h = dims
    props: list[dict] = []
    lights: list[dict] = []
    for _ in range(44):
        a, r = rng.uniform(0, 2 * math.pi), rng.uniform(4.5, w / 2)
        x, y = r * math.cos(a), r * math.sin(a)
        if y < 0 and abs(x) < 5 and r < 16:
            continue  # keep the camera's side of the clearing open
        s = rng.uniform(0.8, 1.4) * h / 9
        props.append(prop("tree", x, y, yaw=rng.uniform(0, 360), scale=(s, s, s * rng.uniform(0.9, 1.2))))
    props += [prop("rock", rng.uniform(-4, 4), rng.uniform(2, 6), scale=(rng.uniform(0.8, 2),) * 3) for _ in range(4)]
    if lit > 0:
        props.append(prop("campfire", 0.8, 1.6))
        lights.append(light("campfire", "point", (0.8, 1.6, 0.5), (1.0, 0.5, 0.2), 250 * lit, 0.3))
    return props, lights, []


@_layout("forest")
def forest(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props, lights, windows = _forest_base(dims, rng, lit)
    props += [prop("log", -2.2, 2.4, yaw=rng.uniform(-40, 40)), prop("stump", 2.6, 3.2), prop("stump", -3.4, 5.5)]
    props += [prop("bush", rng.uniform(-7, 7), rng.uniform(3, 9), scale=(rng.uniform(0.7, 1.3),) * 3) for _ in range(5)]
    return props, lights, windows


@_layout("field")
def field(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [prop("fence", x, 6.0) for x in (-10.0, -6.0, -2.0, 6.0, 10.0)]
    props += [prop("haybale", rng.uniform(-12, 12), rng.uniform(8, 20), yaw=rng.uniform(0, 180)) for _ in range(5)]
    props += [
        prop("tree", 5.0, 12.0, scale=(1.6, 1.6, 1.4), mat="leaves"),
        prop("barn", -14.0, 32.0, yaw=20),
        prop("scarecrow", -4.0, 10.0),
        prop("bush", 8.0, 4.0),
        prop("rug", 0.0, 10.0, scale=(1.2, 14.0, 1.0), mat="dirt"),  # a dirt track across the field
    ]
    props += [prop("tree", x, 60.0 + rng.uniform(0, 10), scale=(1.8, 1.8, 1.6)) for x in range(-50, 51, 9)]
    lights = [light("barn light", "point", (-14.0, 26.5, 4.0), WARM, 150 * lit, 0.2)] if lit > 0 else []
    return props, lights, []


@_layout("desert")
def desert(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [
        prop("dune", rng.uniform(-25, 25), rng.uniform(12, 30), scale=(rng.uniform(1.0, 2.0),) * 3) for _ in range(5)
    ]
    props += [prop("cactus", x, y, yaw=rng.uniform(0, 360)) for x, y in ((-4.0, 4.0), (5.0, 6.5), (-9.0, 10.0))]
    props += [prop("rock", rng.uniform(-8, 8), rng.uniform(2, 8), scale=(rng.uniform(0.6, 1.6),) * 3) for _ in range(4)]
    props += [prop("mesa", x, 120.0, scale=(1.0, 1.0, rng.uniform(1.0, 1.8))) for x in (-60.0, 25.0)]
    props += [prop("tree", 3.0, 12.0, scale=(0.8, 0.8, 0.9), mat="bark")]  # a dead tree
    if lit > 0:
        props.append(prop("campfire", 1.0, 2.0))
    lights = [light("campfire", "point", (1.0, 2.0, 0.5), (1.0, 0.5, 0.2), 250 * lit, 0.3)] if lit > 0 else []
    return props, lights, []


@_layout("mountain")
def mountain(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [
        prop("mountain", x, 110.0 + rng.uniform(0, 30), scale=(s, s, s))
        for x, s in ((-50.0, 1.2), (20.0, 1.6), (80.0, 1.0))
    ]
    props += [
        prop("tree", rng.uniform(-18, 18), rng.uniform(6, 25), scale=(1.0, 1.0, rng.uniform(1.0, 1.5)))
        for _ in range(12)
    ]
    props += [prop("rock", rng.uniform(-6, 6), rng.uniform(1.5, 6), scale=(rng.uniform(1, 2.5),) * 3) for _ in range(5)]
    props += [prop("railing", 0.0, 4.0), prop("bench", -3.0, 3.0, mat="wood"), prop("stump", 3.5, 2.5)]
    lights: list[dict] = []
    return props, lights, []


@_layout("rooftop")
def rooftop(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, _ = dims
    props = [
        prop("parapet", 0.0, d / 2),
        prop("parapet", -w / 2, 0.0, yaw=90, scale=(d / 10, 1.0, 1.0)),
        prop("parapet", w / 2, 0.0, yaw=90, scale=(d / 10, 1.0, 1.0)),
        prop("water_tank", -3.0, 3.0),
        prop("ac_unit", 3.0, 2.5),
        prop("ac_unit", 3.0, 1.2),
        prop("antenna", 4.0, 4.0),
        prop("stair_hut", -3.5, -1.5),
    ]
    for i in range(14):
        a = 2 * math.pi * i / 14
        r = rng.uniform(16, 30)
        x, y = r * math.sin(a), 8 + r * math.cos(a)
        if y < -4:
            continue
        props.append(
            prop("building", x, y, -40.0, yaw=math.degrees(-a), scale=(rng.uniform(8, 14), 10, rng.uniform(34, 52)))
        )
    lights = [light("roof lamp", "point", (-3.5, -2.9, 2.4), WARM, 60 * lit, 0.1)]
    return props, lights, []


@_layout("boat")
def boat(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props = [
        prop("rug", 0.0, 3.0, -0.01, scale=(2.4, 10.0, 1.0), mat="wood"),  # the deck
        prop("box", 0.0, 3.0, -1.6, scale=(12.0, 52.0, 6.4), mat="hull"),  # the hull under it
        prop("railing", -2.6, 0.0, yaw=90),
        prop("railing", 2.6, 0.0, yaw=90),
        prop("railing", -2.6, 4.0, yaw=90),
        prop("railing", 2.6, 4.0, yaw=90),
        prop("mast", 0.0, 5.0),
        prop("helm", 0.0, 9.5, yaw=180),
        prop("stair_hut", 0.0, 11.0, mat="hull"),
        prop("rope_coil", -1.6, 1.5),
        prop("crate", 1.7, 2.5),
        prop("buoy", 6.0, 14.0, -1.0),
        prop("buoy", -9.0, 22.0, -1.0),
    ]
    lights = [light("mast light", "point", (0.0, 5.0, 7.8), WARM, 80 * lit, 0.1),
              light("cabin light", "point", (0.0, 9.5, 2.4), WARM, 50 * lit, 0.1)]  # fmt: skip
    return props, lights, []
