"""The exterior sets: streets, the house front, water, wild places, a roof and a boat's deck."""

from __future__ import annotations

import math
import random

from generation.engines.setlibrary.places import SODIUM, WARM, Layout, layout_of
from generation.engines.setlibrary.props import Vec, light, prop


@layout_of("street_night")
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


@layout_of("street")
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


@layout_of("house_exterior")
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


@layout_of("pool")
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


@layout_of("beach")
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


@layout_of("harbor")
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


@layout_of("river_lake")
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


@layout_of("forest")
def forest(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props, lights, windows = _forest_base(dims, rng, lit)
    props += [prop("log", -2.2, 2.4, yaw=rng.uniform(-40, 40)), prop("stump", 2.6, 3.2), prop("stump", -3.4, 5.5)]
    props += [prop("bush", rng.uniform(-7, 7), rng.uniform(3, 9), scale=(rng.uniform(0.7, 1.3),) * 3) for _ in range(5)]
    return props, lights, windows


@layout_of("field")
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


@layout_of("desert")
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


@layout_of("mountain")
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


@layout_of("rooftop")
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


@layout_of("boat")
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
