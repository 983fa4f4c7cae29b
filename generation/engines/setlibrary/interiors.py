"""The interior sets (rooms, the car): furniture keeps to the back and side walls, the stage stays clear."""

from __future__ import annotations

import random

from generation.engines.setlibrary.places import COOL, SODIUM, WARM, Layout, ceiling, layout_of, window
from generation.engines.setlibrary.props import Vec, light, prop


@layout_of("interior_room")
def interior_room(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [window("back", -1.2, 1.6, 1.3, 0.9)]
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


@layout_of("living_room")
def living_room(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [window("back", -1.3, 1.6, 1.3, 0.9)]
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
    lights = [light("floor lamp", "point", (w / 2 - 0.4, d / 2 - 0.4, 1.5), WARM, 60 * lit, 0.15), *ceiling(h, lit)]
    return props, lights, windows


@layout_of("kitchen")
def kitchen(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    back = d / 2 - 0.33
    windows = [window("back", 0.6, 1.2, 1.0, 1.15)]
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
    lights = [light("pendant", "point", (w / 2 - 1.1, -0.3, h - 1.15), WARM, 45 * lit, 0.1), *ceiling(h, lit, y=0.8)]
    return props, lights, windows


@layout_of("bedroom")
def bedroom(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [window("left", 0.3, 1.4, 1.3, 0.9)]
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
        *ceiling(h, lit, y=0.0),
    ]
    return props, lights, windows


@layout_of("bathroom")
def bathroom(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [window("back", -0.9, 0.6, 0.6, 1.5)]
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
        *ceiling(h, lit, y=0.0),
    ]
    return props, lights, windows


@layout_of("hallway")
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


@layout_of("office")
def office(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    props: list[dict] = []
    windows = [window("back", 0.0, 4.5, 1.6, 0.8)]
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


@layout_of("classroom")
def classroom(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [window("left", y, 1.6, 1.5, 0.9) for y in (-2.0, 0.5, 3.0)]
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


@layout_of("hospital")
def hospital(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [window("back", -1.6, 1.4, 1.2, 1.0)]
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


@layout_of("diner_bar")
def diner_bar(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    cy = d / 2 - 1.4
    windows = [window("left", 0.0, 4.0, 1.4, 1.0)]
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


@layout_of("shop")
def shop(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, h = dims
    windows = [window("left", -1.5, 3.5, 1.8, 0.6)]
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


@layout_of("warehouse")
def warehouse(dims: Vec, rng: random.Random, lit: float) -> Layout:
    _, d, h = dims
    windows = [window("left", y, 2.5, 1.0, 4.6) for y in (-3.0, 1.0, 5.0)]
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


@layout_of("garage")
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


@layout_of("church")
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


@layout_of("car_interior")
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
