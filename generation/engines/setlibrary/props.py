"""The prop library: each prop is one mesh of primitive parts, so the renderer needs no per-prop code.

A prop's parts are data (`SHAPES`): (shape, centre, dims, material role, rotation in degrees); shapes are
box (sx, sy, sz), cyl (r, r, h), cone (r_bottom, r_top, h), sphere (r,) and ico (r,). Role "main" is the
prop's own material. `PROP_KEYWORDS` are the words of an action that name a prop.
"""

from __future__ import annotations

from typing import Any

Vec = tuple[float, float, float]
Part = tuple[str, Vec, tuple[float, ...], str, Vec]
ZERO: Vec = (0.0, 0.0, 0.0)


def box(centre: Vec, size: Vec, role: str = "main", rot: Vec = ZERO) -> Part:
    return ("box", centre, size, role, rot)


def cyl(centre: Vec, r: float, h: float, role: str = "main", rot: Vec = ZERO, r2: float | None = None) -> Part:
    return ("cyl", centre, (r, r if r2 is None else r2, h), role, rot)


def cone(centre: Vec, r1: float, r2: float, h: float, role: str = "main", rot: Vec = ZERO) -> Part:
    return ("cone", centre, (r1, r2, h), role, rot)


def ball(centre: Vec, r: float, role: str = "main") -> Part:
    return ("sphere", centre, (r,), role, ZERO)


def _legs(w: float, d: float, h: float, r: float = 0.025, role: str = "main") -> list[Part]:
    return [
        box((sx * (w / 2 - r), sy * (d / 2 - r), h / 2), (2 * r, 2 * r, h), role) for sx in (-1, 1) for sy in (-1, 1)
    ]


def _wheels(xs: tuple[float, ...], ys: tuple[float, ...], r: float, width: float = 0.22) -> list[Part]:
    return [cyl((x, y, r), r, width, "dark", (0, 90, 0)) for x in xs for y in ys]


def _car() -> list[Part]:
    return [box((0, 0, 0.65), (1.8, 4.3, 0.65)), box((0, -0.2, 1.22), (1.6, 2.2, 0.5), "glass"),
            *_wheels((-0.8, 0.8), (-1.35, 1.35), 0.33)]  # fmt: skip


def _truck() -> list[Part]:
    return [
        box((0, 2.3, 1.15), (2.2, 1.9, 1.7)),
        box((0, 2.9, 1.55), (2.0, 0.05, 0.7), "glass"),
        box((0, -1.1, 1.6), (2.4, 4.6, 2.6), "metal"),
        *_wheels((-1.0, 1.0), (-2.4, -1.2, 2.4), 0.5, 0.35),
    ]


def _bus() -> list[Part]:
    windows = [
        box((sx * 1.26, y, 2.0), (0.04, 1.2, 0.8), "glass") for sx in (-1, 1) for y in (-4.0, -2.5, -1.0, 0.5, 2.0)
    ]
    return [box((0, 0, 1.75), (2.5, 11.0, 2.9)), box((0, 5.52, 2.0), (2.2, 0.05, 1.2), "glass"), *windows,
            *_wheels((-1.1, 1.1), (-3.8, 3.6), 0.5, 0.3)]  # fmt: skip


def _boat() -> list[Part]:
    return [
        box((0, 0, 0.45), (2.2, 5.0, 0.9)),
        cone((0, 2.9, 0.45), 1.1, 0.05, 0.9, "main", (0, 0, 0)),
        box((0, 0, 0.92), (2.0, 4.8, 0.05), "wood"),
        box((0, -0.8, 1.45), (1.4, 1.5, 1.0), "hull"),
        box((0, -0.05, 1.65), (1.3, 0.04, 0.45), "glass"),
        cyl((0, 0.9, 2.4), 0.05, 3.0, "metal"),
    ]


def _bicycle() -> list[Part]:
    return [
        cyl((0, -0.52, 0.34), 0.34, 0.04, "dark", (0, 90, 0)),
        cyl((0, 0.52, 0.34), 0.34, 0.04, "dark", (0, 90, 0)),
        box((0, 0, 0.55), (0.04, 1.0, 0.04), "main", (25, 0, 0)),
        box((0, -0.25, 0.72), (0.04, 0.04, 0.5)),
        box((0, -0.25, 0.98), (0.12, 0.25, 0.05), "leather"),
        box((0, 0.45, 0.95), (0.55, 0.04, 0.04), "chrome"),
    ]


def _motorcycle() -> list[Part]:
    return [
        cyl((0, -0.7, 0.32), 0.32, 0.12, "dark", (0, 90, 0)),
        cyl((0, 0.7, 0.32), 0.32, 0.12, "dark", (0, 90, 0)),
        box((0, 0, 0.6), (0.35, 1.1, 0.35)),
        box((0, -0.3, 0.85), (0.3, 0.6, 0.12), "leather"),
        box((0, 0.6, 1.0), (0.75, 0.05, 0.05), "chrome"),
    ]


def _pool() -> list[Part]:
    # A swimming pool sunk into a deck: the water's surface just below the deck (props stand on z=0).
    return [
        box((0, 0, 0.02), (4.2, 8.2, 0.06), "water"),
        box((-2.25, 0, 0.05), (0.3, 8.8, 0.1), "tile"),
        box((2.25, 0, 0.05), (0.3, 8.8, 0.1), "tile"),
        box((0, -4.25, 0.05), (4.2, 0.3, 0.1), "tile"),
        box((0, 4.25, 0.05), (4.2, 0.3, 0.1), "tile"),
        cyl((1.85, -3.9, 0.55), 0.02, 1.0, "chrome"),
        cyl((1.55, -3.9, 0.55), 0.02, 1.0, "chrome"),
    ]


def _house() -> list[Part]:
    windows = [box((x, -3.02, z), (1.1, 0.06, 1.2), "window") for x in (-2.6, 2.6) for z in (1.5, 4.3)]
    return [
        box((0, 0, 2.9), (9.0, 6.0, 5.8), "main"),
        box((0, 0, 6.5), (9.6, 6.6, 0.2), "roof"),
        ("cone", (0, 0, 7.6), (5.2, 0.1, 2.0), "roof", (0, 0, 45)),
        box((0, -3.03, 1.1), (1.0, 0.08, 2.2), "dark_wood"),
        box((0, -3.8, 0.1), (3.0, 1.6, 0.2), "wood"),
        *windows,
        box((0, -3.02, 4.3), (1.1, 0.06, 1.2), "window"),
    ]


def _lighthouse() -> list[Part]:
    stripes = [cyl((0, 0, 2.0 + 4.0 * i), 1.6 - 0.12 * i, 2.0, "vinyl_red", ZERO, 1.5 - 0.12 * i) for i in range(3)]
    return [
        cyl((0, 0, 5.5), 1.7, 11.0, "main", ZERO, 1.2),
        *stripes,
        cyl((0, 0, 11.6), 1.3, 1.2, "glass"),
        box((0, 0, 11.6), (0.6, 0.6, 0.6), "light_beam"),
        cone((0, 0, 12.7), 1.5, 0.1, 1.0, "vinyl_red"),
        cyl((0, 0, 11.0), 1.7, 0.15, "dark"),
    ]


def _mountain() -> list[Part]:
    return [cone((0, 0, 20), 28, 1.5, 40, "rock"), cone((0, 0, 36.5), 8.2, 0.0, 8.0, "snow"),
            cone((14, 6, 12), 16, 1.0, 24, "rock")]  # fmt: skip


SHAPES: dict[str, list[Part]] = {
    "table": [box((0, 0, 0.725), (1.2, 0.8, 0.05)), *_legs(1.1, 0.7, 0.7)],
    "desk": [
        box((0, 0, 0.725), (1.4, 0.7, 0.05)),
        box((-0.6, 0, 0.35), (0.05, 0.65, 0.7)),
        box((0.45, 0, 0.35), (0.4, 0.65, 0.7)),
    ],
    "chair": [box((0, 0, 0.45), (0.45, 0.45, 0.05)), box((0, 0.2, 0.7), (0.45, 0.04, 0.5)), *_legs(0.45, 0.45, 0.43)],
    "stool": [
        cyl((0, 0, 0.72), 0.18, 0.07),
        cyl((0, 0, 0.36), 0.03, 0.72, "chrome"),
        cyl((0, 0, 0.02), 0.2, 0.04, "chrome"),
    ],
    "counter": [box((0, 0, 0.5), (3.0, 0.6, 1.0), "wood"), box((0, 0, 1.025), (3.1, 0.7, 0.05))],
    "lamp": [
        cyl((0, 0, 0.02), 0.15, 0.04, "dark"),
        cyl((0, 0, 0.75), 0.015, 1.45, "metal"),
        cone((0, 0, 1.5), 0.22, 0.13, 0.28),
    ],
    "pendant": [cyl((0, 0, 0.5), 0.006, 1.0, "dark"), cone((0, 0, -0.1), 0.2, 0.05, 0.2)],
    "tree": [
        cyl((0, 0, 1.25), 0.15, 2.5, "bark", ZERO, 0.1),
        cone((0, 0, 3.6), 1.3, 0.0, 3.6),
        cone((0, 0, 2.5), 1.6, 0.3, 1.8),
    ],
    "rock": [("ico", (0, 0, 0.2), (0.5,), "main", ZERO)],
    "car": _car(),
    "bench": [box((0, 0, 0.45), (1.6, 0.45, 0.05)), box((0, 0.2, 0.7), (1.6, 0.04, 0.35)), *_legs(1.5, 0.4, 0.43)],
    "sofa": [
        box((0, 0, 0.22), (2.0, 0.9, 0.44)),
        box((0, 0.35, 0.6), (2.0, 0.2, 0.5)),
        box((-0.92, 0, 0.55), (0.16, 0.9, 0.3)),
        box((0.92, 0, 0.55), (0.16, 0.9, 0.3)),
    ],
    "bed": [
        box((0, 0, 0.25), (1.6, 2.0, 0.5)),
        box((0, 0.95, 0.55), (1.6, 0.08, 1.1), "dark_wood"),
        box((0, 0.7, 0.56), (1.2, 0.35, 0.12), "paper"),
    ],
    "bookshelf": [
        *(box((0, 0, 0.02 + 0.45 * i), (1.0, 0.35, 0.03)) for i in range(5)),
        *(box((0, -0.02, 0.2 + 0.45 * i), (0.9, 0.25, 0.33), "leather") for i in range(4)),
        box((0, 0.17, 0.95), (1.0, 0.02, 1.9)),
    ],
    "booth": [box((0, 0, 0.22), (1.2, 0.55, 0.44)), box((0, 0.25, 0.75), (1.2, 0.12, 0.65))],
    "monitor": [box((0, 0, 0.22), (0.55, 0.04, 0.34)), box((0, 0.03, 0.05), (0.2, 0.15, 0.02), "dark")],
    "cabinet": [box((0, 0, 0.65), (0.5, 0.6, 1.3))],
    "rug": [box((0, 0, 0.005), (2.2, 1.5, 0.01))],
    "door": [box((0, 0, 1.05), (0.9, 0.06, 2.1)), ball((0.35, -0.05, 1.0), 0.03, "metal")],
    "streetlamp": [
        cyl((0, 0, 2.5), 0.07, 5.0, "main", ZERO, 0.05),
        box((0.5, 0, 4.95), (1.1, 0.08, 0.08)),
        cone((1.0, 0, 4.85), 0.25, 0.08, 0.2, "lamp_shade"),
    ],
    "neon": [box((0, 0, 0), (1.4, 0.05, 0.35))],
    "car_seat": [box((0, 0, 0.2), (0.5, 0.55, 0.14)), box((0, -0.3, 0.55), (0.5, 0.14, 0.65))],
    "dashboard": [box((0, 0, 0.6), (1.5, 0.45, 0.3))],
    "steering_wheel": [cyl((0, 0, 0), 0.19, 0.04, "main", (65, 0, 0))],
    "campfire": [
        *(cyl((0, 0, 0.08), 0.06, 0.7, "bark", (90, 0, a)) for a in (0, 60, 120)),
        cone((0, 0, 0.3), 0.22, 0.0, 0.5),
    ],
    "driftwood": [cyl((0, 0, 0.12), 0.12, 2.2, "main", (0, 90, 0), 0.08)],
    "umbrella": [cyl((0, 0, 1.1), 0.025, 2.2, "metal"), cone((0, 0, 2.1), 1.1, 0.0, 0.45)],
    # Small props (they stand on the nearest table, desk or counter).
    "cup": [cyl((0, 0, 0.05), 0.04, 0.1, "main", ZERO, 0.045)],
    "bottle": [cyl((0, 0, 0.11), 0.035, 0.22), cyl((0, 0, 0.255), 0.013, 0.07, "main")],
    "phone": [box((0, 0, 0.005), (0.075, 0.15, 0.01)), box((0, 0, 0.0105), (0.065, 0.13, 0.001), "screen")],
    "paper": [box((0, 0, 0.001), (0.21, 0.3, 0.002))],
    "book": [box((0, 0, 0.02), (0.17, 0.24, 0.04))],
    "gun": [box((0, 0, 0.015), (0.2, 0.035, 0.03)), box((-0.07, 0, 0.015), (0.05, 0.035, 0.1))],
    "key": [box((0, 0, 0.003), (0.07, 0.025, 0.006))],
    "box": [box((0, 0, 0.125), (0.4, 0.3, 0.25))],
    "briefcase": [box((0, 0, 0.17), (0.45, 0.12, 0.33))],
    "candle": [cyl((0, 0, 0.08), 0.025, 0.16), cone((0, 0, 0.18), 0.012, 0.0, 0.04, "fire")],
    "laptop": [box((0, 0, 0.01), (0.33, 0.23, 0.02)), box((0, 0.11, 0.12), (0.33, 0.01, 0.22), "screen")],
    "glass": [cyl((0, 0, 0.06), 0.035, 0.12, "main", ZERO, 0.04), cyl((0, 0, 0.04), 0.03, 0.07, "yellow")],
    "sunglasses": [
        box((-0.04, 0, 0.02), (0.05, 0.01, 0.035)),
        box((0.04, 0, 0.02), (0.05, 0.01, 0.035)),
        box((0, 0, 0.03), (0.03, 0.01, 0.006), "metal"),
        box((0, 0.06, 0.03), (0.14, 0.12, 0.004), "metal"),
    ],
    "rifle": [
        box((0, 0, 0.03), (0.9, 0.04, 0.05)),
        box((-0.38, 0, 0.0), (0.28, 0.045, 0.12), "wood"),
        box((0.1, 0, 0.07), (0.3, 0.03, 0.04), "dark"),
    ],
    "knife": [
        box((0.06, 0, 0.004), (0.14, 0.025, 0.004), "chrome"),
        box((-0.05, 0, 0.008), (0.1, 0.025, 0.016), "dark"),
    ],
    "money": [box((0, 0, 0.01), (0.16, 0.07, 0.02), "grass")],
    "bag": [box((0, 0, 0.2), (0.5, 0.3, 0.4)), box((0, 0, 0.45), (0.3, 0.02, 0.1), "dark")],
    "radio": [box((0, 0, 0.1), (0.3, 0.1, 0.2)), cyl((0.08, -0.051, 0.1), 0.05, 0.01, "dark", (90, 0, 0))],
    "tv": [
        box((0, 0, 0.55), (1.3, 0.06, 0.75), "dark"),
        box((0, -0.035, 0.55), (1.22, 0.01, 0.68), "screen"),
        box((0, 0, 0.09), (0.4, 0.25, 0.18), "dark"),
        box((0, 0, 0.0), (1.6, 0.45, 0.02), "wood"),
    ],
    "fridge": [box((0, 0, 0.9), (0.8, 0.7, 1.8)), box((0.33, -0.36, 1.1), (0.03, 0.03, 0.5), "chrome")],
    "stove": [
        box((0, 0, 0.45), (0.75, 0.65, 0.9)),
        *(cyl((x, y, 0.91), 0.09, 0.01, "dark") for x in (-0.18, 0.18) for y in (-0.15, 0.15)),
        box((0, -0.33, 0.45), (0.6, 0.02, 0.4), "glass"),
    ],
    "sink": [
        box((0, 0, 0.43), (0.8, 0.55, 0.86), "wood"),
        box((0, 0, 0.88), (0.82, 0.58, 0.04), "counter"),
        box((0, -0.02, 0.875), (0.5, 0.38, 0.03), "chrome"),
        cyl((0, 0.2, 1.0), 0.015, 0.25, "chrome"),
    ],
    "toilet": [
        box((0, 0.22, 0.62), (0.4, 0.18, 0.4)),
        cyl((0, -0.05, 0.2), 0.2, 0.4, "main", ZERO, 0.16),
        cyl((0, -0.05, 0.41), 0.21, 0.03),
    ],
    "bathtub": [box((0, 0, 0.28), (0.8, 1.7, 0.56)), box((0, 0, 0.5), (0.62, 1.5, 0.14), "water")],
    "mirror": [box((0, 0, 1.5), (0.7, 0.03, 0.9), "glass"), box((0, 0.01, 1.5), (0.78, 0.02, 0.98), "chrome")],
    "wardrobe": [
        box((0, 0, 1.0), (1.2, 0.6, 2.0)),
        box((0, -0.305, 1.0), (0.01, 0.01, 1.8), "dark"),
        ball((-0.06, -0.31, 1.05), 0.025, "metal"),
        ball((0.06, -0.31, 1.05), 0.025, "metal"),
    ],
    "nightstand": [box((0, 0, 0.27), (0.45, 0.4, 0.54)), box((0, -0.2, 0.38), (0.35, 0.01, 0.15), "dark_wood")],
    "coffee_table": [box((0, 0, 0.42), (1.1, 0.6, 0.05)), *_legs(1.0, 0.5, 0.4)],
    "hospital_bed": [
        box((0, 0, 0.55), (0.95, 2.05, 0.2), "porcelain"),
        box((0, 0, 0.3), (0.9, 2.0, 0.05), "chrome"),
        box((0, 0.95, 0.85), (0.95, 0.05, 0.7), "chrome"),
        box((0, 0.6, 0.7), (0.6, 0.35, 0.12), "paper"),
        *_legs(0.9, 1.95, 0.3, 0.02, "chrome"),
    ],
    "iv_stand": [
        cyl((0, 0, 0.9), 0.012, 1.8, "chrome"),
        cyl((0, 0, 0.03), 0.25, 0.04, "chrome"),
        box((0, 0, 1.65), (0.12, 0.04, 0.2), "glass"),
    ],
    "curtain": [box((0, 0, 1.15), (2.0, 0.04, 2.0)), cyl((0, 0, 2.2), 0.015, 2.1, "chrome", (0, 90, 0))],
    "shelf": [
        *(box((0, 0, 0.05 + 0.5 * i), (2.0, 0.5, 0.03), "steel") for i in range(4)),
        *(
            box((x, 0, 0.2 + 0.5 * i), (0.35, 0.35, 0.28), "goods" if (i + int(x * 2)) % 2 else "goods_blue")
            for i in range(4)
            for x in (-0.7, 0.0, 0.7)
        ),
        box((-1.0, 0, 0.85), (0.04, 0.5, 1.7), "steel"),
        box((1.0, 0, 0.85), (0.04, 0.5, 1.7), "steel"),
    ],
    "cash_register": [box((0, 0, 0.08), (0.4, 0.4, 0.16), "dark"), box((0, 0.1, 0.25), (0.3, 0.04, 0.2), "screen")],
    "pew": [
        box((0, 0, 0.45), (3.0, 0.45, 0.06)),
        box((0, 0.22, 0.75), (3.0, 0.05, 0.6)),
        box((-1.48, 0, 0.45), (0.06, 0.5, 0.9)),
        box((1.48, 0, 0.45), (0.06, 0.5, 0.9)),
    ],
    "altar": [
        box((0, 0, 0.5), (2.2, 0.9, 1.0), "stone"),
        box((0, 0, 1.02), (2.4, 1.0, 0.04), "canvas"),
        box((0, 0.3, 2.3), (0.12, 0.08, 1.6), "gold"),
        box((0, 0.3, 2.6), (0.8, 0.08, 0.12), "gold"),
    ],
    "lectern": [box((0, 0, 0.55), (0.5, 0.4, 1.1)), box((0, -0.05, 1.15), (0.6, 0.5, 0.05), "main", (-15, 0, 0))],
    "blackboard": [
        box((0, 0, 1.5), (3.6, 0.04, 1.2), "chalkboard"),
        box((0, -0.05, 0.88), (3.6, 0.1, 0.04), "wood"),
        box((0, 0.01, 1.5), (3.75, 0.03, 1.35), "wood"),
    ],
    "school_desk": [
        box((0, 0, 0.72), (0.7, 0.5, 0.04)),
        *_legs(0.65, 0.45, 0.7, 0.02, "steel"),
        box((0, 0.55, 0.45), (0.4, 0.4, 0.04), "wood"),
        box((0, 0.75, 0.7), (0.4, 0.03, 0.4), "wood"),
    ],
    "clock": [cyl((0, 0, 0), 0.18, 0.04, "paper", (90, 0, 0)), box((0, -0.025, 0.05), (0.015, 0.005, 0.12), "dark")],
    "pallet": [box((0, 0, 0.07), (1.2, 1.0, 0.14), "wood"), box((0, 0, 0.55), (1.1, 0.9, 0.82), "canvas")],
    "crate": [box((0, 0, 0.35), (0.7, 0.7, 0.7), "wood"), box((0, -0.355, 0.35), (0.72, 0.01, 0.1), "dark_wood")],
    "barrel": [cyl((0, 0, 0.45), 0.3, 0.9), cyl((0, 0, 0.2), 0.31, 0.05, "dark"), cyl((0, 0, 0.7), 0.31, 0.05, "dark")],
    "forklift": [
        box((0, 0, 0.7), (1.1, 1.8, 0.9), "yellow"),
        box((0, -0.2, 1.7), (1.0, 1.0, 0.06), "dark"),
        *(box((x, -0.3, 1.2), (0.05, 0.05, 1.0), "dark") for x in (-0.45, 0.45)),
        box((0, -1.05, 1.2), (0.8, 0.1, 2.2), "steel"),
        box((0, -1.5, 0.1), (0.7, 0.9, 0.05), "steel"),
        *_wheels((-0.5, 0.5), (-0.6, 0.6), 0.28, 0.2),
    ],
    "workbench": [
        box((0, 0, 0.9), (2.0, 0.7, 0.08), "wood"),
        *_legs(1.9, 0.6, 0.86, 0.04, "steel"),
        box((0, 0.33, 1.5), (2.0, 0.04, 1.1), "dark_wood"),
        box((-0.5, 0, 0.99), (0.35, 0.2, 0.1), "vinyl_red"),
    ],
    "tire": [cyl((0, 0, 0.12), 0.33, 0.24, "rubber"), cyl((0, 0, 0.125), 0.18, 0.245, "metal")],
    "garage_door": [
        box((0, 0, 1.15), (3.0, 0.08, 2.3), "siding"),
        *(box((0, -0.045, 0.3 + 0.5 * i), (2.9, 0.01, 0.04), "dark") for i in range(4)),
    ],
    "house": _house(),
    "fence": [
        *(box((x, 0, 0.5), (0.08, 0.08, 1.0)) for x in (-1.9, -0.95, 0.0, 0.95, 1.9)),
        box((0, 0, 0.35), (4.0, 0.04, 0.1)),
        box((0, 0, 0.85), (4.0, 0.04, 0.1)),
    ],
    "hedge": [box((0, 0, 0.6), (3.0, 0.8, 1.2), "leaves")],
    "mailbox": [cyl((0, 0, 0.5), 0.04, 1.0, "dark_wood"), box((0, 0, 1.1), (0.2, 0.45, 0.22))],
    "lounge_chair": [
        box((0, 0, 0.3), (0.7, 1.9, 0.08)),
        box((0, 0.8, 0.6), (0.7, 0.4, 0.08), "main", (-55, 0, 0)),
        *_legs(0.6, 1.7, 0.28, 0.02, "chrome"),
    ],
    "diving_board": [box((0, 0, 0.5), (0.55, 2.6, 0.07), "canvas"), box((0, 1.0, 0.25), (0.5, 0.5, 0.5), "concrete")],
    "pool": _pool(),
    "lifeguard_tower": [
        *_legs(1.4, 1.4, 2.0, 0.06, "wood"),
        box((0, 0, 2.05), (1.5, 1.5, 0.1), "wood"),
        box((0, 0, 2.9), (1.6, 1.6, 0.1), "vinyl_red"),
        box((0, -0.7, 1.0), (0.5, 0.06, 2.0), "wood", (30, 0, 0)),
    ],
    "towel": [box((0, 0, 0.005), (0.9, 1.7, 0.01), "vinyl_red")],
    "pier": [
        box((0, 0, 1.0), (3.0, 20.0, 0.15), "wood"),
        *(cyl((sx * 1.4, y, 0.0), 0.12, 2.6, "bark") for sx in (-1, 1) for y in (-9, -5, -1, 3, 7)),
    ],
    "bollard": [cyl((0, 0, 0.3), 0.15, 0.6, "dark"), cyl((0, 0, 0.62), 0.2, 0.06, "dark")],
    "boat": _boat(),
    "lighthouse": _lighthouse(),
    "buoy": [cone((0, 0, 0.5), 0.4, 0.1, 1.0, "vinyl_red"), ball((0, 0, 1.05), 0.1, "light_beam")],
    "rope_coil": [cyl((0, 0, 0.05), 0.3, 0.1, "rope"), cyl((0, 0, 0.11), 0.22, 0.05, "rope")],
    "reeds": [
        *(
            cyl((x, y, 0.6), 0.02, 1.2, "main")
            for x, y in ((0, 0), (0.2, 0.1), (-0.15, 0.2), (0.1, -0.2), (-0.25, -0.1))
        )
    ],
    "log": [cyl((0, 0, 0.2), 0.2, 2.5, "bark", (0, 90, 0))],
    "bush": [ball((0, 0, 0.4), 0.6, "leaves"), ball((0.4, 0.2, 0.3), 0.45, "leaves")],
    "stump": [cyl((0, 0, 0.25), 0.3, 0.5, "bark", ZERO, 0.35), cyl((0, 0, 0.505), 0.28, 0.01, "wood")],
    "haybale": [cyl((0, 0, 0.6), 0.6, 1.2, "main", (0, 90, 0))],
    "barn": [
        box((0, 0, 2.5), (8.0, 10.0, 5.0)),
        ("cone", (0, 0, 6.0), (6.4, 0.1, 2.4), "roof", (0, 0, 45)),
        box((0, -5.02, 1.8), (3.0, 0.06, 3.6), "paper"),
        box((0, -5.04, 1.8), (2.6, 0.06, 3.2), "vinyl_red"),
    ],
    "scarecrow": [
        cyl((0, 0, 0.9), 0.04, 1.8, "wood"),
        box((0, 0, 1.45), (1.2, 0.06, 0.06), "wood"),
        box((0, 0, 1.3), (0.4, 0.2, 0.5), "canvas"),
        ball((0, 0, 1.75), 0.15, "canvas"),
    ],
    "cactus": [
        cyl((0, 0, 1.2), 0.2, 2.4),
        cyl((0.35, 0, 1.4), 0.12, 0.8),
        box((0.2, 0, 1.0), (0.3, 0.2, 0.2)),
        cyl((-0.3, 0, 1.7), 0.1, 0.6),
        box((-0.18, 0, 1.4), (0.25, 0.18, 0.18)),
    ],
    "dune": [("sphere", (0, 0, 0), (7.0, 4.0, 1.6), "main", ZERO)],
    "mesa": [cyl((0, 0, 6.0), 14.0, 12.0, "main", ZERO, 10.0)],
    "mountain": _mountain(),
    "parapet": [box((0, 0, 0.55), (10.0, 0.3, 1.1))],
    "water_tank": [
        *_legs(2.2, 2.2, 2.0, 0.08, "steel"),
        cyl((0, 0, 3.3), 1.3, 2.6, "wood"),
        cone((0, 0, 4.9), 1.4, 0.1, 0.7, "dark"),
    ],
    "ac_unit": [box((0, 0, 0.5), (1.2, 0.9, 1.0), "steel"), cyl((0, 0, 1.01), 0.35, 0.02, "dark")],
    "antenna": [
        cyl((0, 0, 2.0), 0.04, 4.0, "metal"),
        box((0, 0, 3.2), (1.2, 0.03, 0.03), "metal"),
        box((0, 0, 2.6), (0.9, 0.03, 0.03), "metal"),
    ],
    "stair_hut": [box((0, 0, 1.3), (2.2, 2.4, 2.6), "brick"), box((0, -1.22, 1.05), (0.9, 0.06, 2.1), "dark_wood")],
    "mast": [
        cyl((0, 0, 4.0), 0.08, 8.0, "wood"),
        box((0, 0.9, 3.2), (0.04, 1.8, 5.5), "canvas"),
        box((0, 1.0, 1.3), (0.1, 2.2, 0.1), "wood"),
    ],
    "railing": [
        *(cyl((x, 0, 0.5), 0.025, 1.0, "chrome") for x in (-2.0, -1.0, 0.0, 1.0, 2.0)),
        cyl((0, 0, 1.0), 0.03, 4.0, "chrome", (0, 90, 0)),
    ],
    "helm": [cyl((0, 0, 1.1), 0.35, 0.05, "wood", (75, 0, 0)), box((0, 0.05, 0.55), (0.3, 0.3, 1.1), "wood")],
    "gravestone": [box((0, 0, 0.45), (0.6, 0.15, 0.9), "stone"), cyl((0, 0, 0.9), 0.3, 0.15, "stone", (90, 0, 0))],
    "tent": [cone((0, 0, 1.1), 1.6, 0.02, 2.2, "canvas")],
    "bridge": [
        box((0, 0, 2.2), (4.0, 30.0, 0.4), "concrete"),
        box((-2.0, 0, 2.9), (0.1, 30.0, 1.0), "steel"),
        box((2.0, 0, 2.9), (0.1, 30.0, 1.0), "steel"),
        box((0, -6, 1.0), (3.0, 1.0, 2.0), "concrete"),
        box((0, 6, 1.0), (3.0, 1.0, 2.0), "concrete"),
    ],
    "traffic_light": [
        cyl((0, 0, 1.6), 0.06, 3.2, "dark"),
        box((0, 0, 3.5), (0.3, 0.25, 0.8), "dark"),
        ball((0, -0.14, 3.75), 0.08, "vinyl_red"),
        ball((0, -0.14, 3.25), 0.08, "leaves"),
    ],
    "hydrant": [cyl((0, 0, 0.35), 0.12, 0.7, "vinyl_red"), ball((0, 0, 0.72), 0.12, "vinyl_red")],
    "window": [
        box((0, 0, 1.55), (1.4, 0.08, 1.4), "dark_wood"),
        box((0, -0.01, 1.55), (1.25, 0.08, 1.25), "window"),
        box((0, -0.06, 0.85), (1.5, 0.15, 0.05), "dark_wood"),
    ],
    "truck": _truck(),
    "bus": _bus(),
    "bicycle": _bicycle(),
    "motorcycle": _motorcycle(),
    "gear_stick": [
        box((0, 0, 0.12), (0.22, 0.3, 0.24), "dark"),
        cyl((0, 0, 0.35), 0.012, 0.25, "chrome"),
        ball((0, 0, 0.48), 0.035, "leather"),
    ],
    "stairs": [
        *(box((0, 0.3 * i, 0.09 * (i + 1)), (1.1, 0.3, 0.18 * (i + 1)), "main", ZERO) for i in range(12)),
        box((0.58, 1.8, 1.6), (0.05, 3.6, 0.05), "dark_wood", (-31, 0, 0)),
    ],
    "plant": [cyl((0, 0, 0.2), 0.2, 0.4, "rust", ZERO, 0.15), ball((0, 0, 0.7), 0.35, "leaves")],
}

SMALL_PROPS = ("cup", "bottle", "phone", "paper", "book", "gun", "key", "box", "briefcase", "candle", "laptop",
               "glass", "sunglasses", "rifle", "knife", "money", "radio", "bag")  # fmt: skip
VEHICLES = ("car", "truck", "bus", "boat", "bicycle", "motorcycle")
# Action words naming a prop; the first matching kind wins for a word, so longer and rarer words come first.
PROP_KEYWORDS: dict[str, tuple[str, ...]] = {
    "table": ("table",),
    "chair": ("chair", "armchair", "chairs"),
    "desk": ("desk",),
    "lamp": ("lamp", "lamps"),
    "bench": ("bench",),
    "truck": ("truck", "pickup", "lorry", "semi", "van", "trucks"),
    "bus": ("bus", "coach", "buses"),
    "bicycle": ("bicycle", "bike", "bikes", "bicycles", "cycle"),
    "motorcycle": ("motorcycle", "motorbike", "scooter", "harley"),
    "boat": ("boat", "boats", "rowboat", "yacht", "sailboat", "dinghy", "canoe", "kayak", "speedboat", "ferry"),
    "car": (
        "car",
        "cars",
        "taxi",
        "cab",
        "sedan",
        "porsche",
        "chevy",
        "chevrolet",
        "cadillac",
        "mazda",
        "lexus",
        "jeep",
        "limo",
        "limousine",
        "convertible",
        "mustang",
        "ferrari",
        "volkswagen",
        "vw",
        "buick",
        "ford",
        "toyota",
        "honda",
        "bmw",
        "mercedes",
        "corvette",
        "suv",
        "landcruiser",
        "gti",
    ),
    "tree": ("tree", "trees", "oak", "pine"),
    "rock": ("rock", "rocks", "boulder", "stone"),
    "counter": ("counter", "bar top"),
    "stool": ("stool", "stools"),
    "sofa": ("sofa", "couch"),
    "bed": ("bed",),
    "bookshelf": ("bookshelf", "bookcase", "shelves"),
    "cup": ("cup", "mug", "coffee", "tea"),
    "bottle": ("bottle", "bottles", "whiskey", "beer", "beers", "wine", "bourbon", "booze"),
    "glass": ("glass", "glasses", "tumbler", "martini", "cocktail", "shot glass"),
    "sunglasses": ("sunglasses", "shades"),
    "phone": ("phone", "cellphone", "smartphone", "telephone", "receiver"),
    "paper": ("letter", "note", "envelope", "paper", "papers", "document", "photo", "photograph", "map", "card"),
    "book": ("book", "notebook", "diary", "journal"),
    "rifle": ("rifle", "shotgun", "sniper", "scope"),
    "gun": ("gun", "guns", "pistol", "revolver", "handgun", "firearm"),
    "knife": ("knife", "dagger", "blade"),
    "money": ("money", "cash", "bills", "wad"),
    "key": ("key", "keys"),
    "box": ("box", "package", "parcel"),
    "crate": ("crate", "crates"),
    "briefcase": ("briefcase", "suitcase"),
    "bag": ("bag", "backpack", "duffel", "purse"),
    "candle": ("candle", "candles"),
    "laptop": ("laptop", "computer"),
    "radio": ("radio", "walkie"),
    "tv": ("tv", "television", "tube"),
    "fridge": ("fridge", "refrigerator", "cooler"),
    "stove": ("stove", "oven"),
    "sink": ("sink",),
    "toilet": ("toilet",),
    "bathtub": ("bathtub", "tub", "bath"),
    "mirror": ("mirror",),
    "door": ("door", "doors", "doorway", "screen door"),
    "window": ("window", "windows"),
    "pool": ("pool", "swimming pool"),
    "fence": ("fence",),
    "barrel": ("barrel", "barrels", "drum"),
    "tent": ("tent",),
    "gravestone": ("grave", "gravestone", "headstone", "tombstone"),
    "campfire": ("campfire", "bonfire", "fire"),
    "umbrella": ("umbrella", "parasol"),
    "tire": ("tire", "tyre", "tires"),
    "lighthouse": ("lighthouse",),
    "haybale": ("hay", "haybale"),
    "cactus": ("cactus", "cacti"),
    "plant": ("plant", "plants", "houseplant"),
    "clock": ("clock",),
}
PROP_MATERIAL: dict[str, str] = {
    "table": "wood", "chair": "wood", "desk": "dark_wood", "lamp": "lamp_shade", "bench": "wood",
    "car": "car_paint", "tree": "leaves", "rock": "rock", "counter": "counter", "stool": "vinyl_red",
    "sofa": "fabric", "bed": "fabric", "bookshelf": "dark_wood", "cup": "plastic", "bottle": "bottle_glass",
    "phone": "dark", "paper": "paper", "book": "leather", "gun": "dark", "key": "metal", "box": "wood",
    "briefcase": "leather", "candle": "paper", "laptop": "metal", "building": "brick", "streetlamp": "dark",
    "neon": "neon", "booth": "vinyl_red", "monitor": "screen", "cabinet": "metal", "rug": "fabric",
    "door": "dark_wood", "car_seat": "leather", "dashboard": "dark", "steering_wheel": "dark",
    "pendant": "lamp_shade", "campfire": "fire", "driftwood": "bark", "umbrella": "vinyl_red",
    "glass": "glass", "sunglasses": "dark", "rifle": "dark", "knife": "chrome", "money": "paper", "bag": "leather",
    "radio": "dark", "tv": "dark", "fridge": "porcelain", "stove": "porcelain", "sink": "wood", "toilet": "porcelain",
    "bathtub": "porcelain", "mirror": "glass", "wardrobe": "wood", "nightstand": "wood", "coffee_table": "wood",
    "hospital_bed": "chrome", "iv_stand": "chrome", "curtain": "hospital", "shelf": "steel", "cash_register": "dark",
    "pew": "dark_wood", "altar": "stone", "lectern": "dark_wood", "blackboard": "chalkboard",
    "school_desk": "wood", "clock": "dark", "pallet": "wood", "crate": "wood", "barrel": "rust", "forklift": "yellow",
    "workbench": "wood", "tire": "rubber", "garage_door": "siding", "house": "siding", "fence": "paper",
    "hedge": "leaves", "mailbox": "dark", "lounge_chair": "plastic", "diving_board": "canvas", "pool": "tile",
    "lifeguard_tower": "wood", "towel": "vinyl_red", "pier": "wood", "bollard": "dark", "boat": "hull",
    "lighthouse": "paper", "buoy": "vinyl_red", "rope_coil": "rope", "reeds": "grass", "log": "bark",
    "bush": "leaves", "stump": "bark", "haybale": "yellow", "barn": "vinyl_red", "scarecrow": "canvas",
    "cactus": "cactus", "dune": "sand", "mesa": "rust", "mountain": "rock", "parapet": "concrete",
    "water_tank": "wood", "ac_unit": "steel", "antenna": "metal", "stair_hut": "brick", "mast": "wood",
    "railing": "chrome", "helm": "wood", "gravestone": "stone", "tent": "canvas", "bridge": "concrete",
    "traffic_light": "dark", "hydrant": "vinyl_red", "window": "dark_wood", "truck": "truck_paint",
    "bus": "bus_paint", "bicycle": "vinyl_red", "motorcycle": "dark", "plant": "leaves", "stairs": "wood",
    "gear_stick": "dark",
}  # fmt: skip
# Height of the surface small props stand on.
SURFACES: dict[str, float] = {
    "table": 0.75, "desk": 0.75, "counter": 1.05, "dashboard": 0.75, "bench": 0.45, "coffee_table": 0.445,
    "nightstand": 0.54, "workbench": 0.94, "school_desk": 0.74, "altar": 1.04, "crate": 0.7,
}  # fmt: skip

PROP_KINDS: tuple[str, ...] = tuple(sorted({*PROP_MATERIAL, *SMALL_PROPS}))


def prop_parts(kind: str, scale: Vec) -> list[Part]:
    """The primitive parts of a prop at this scale (scale is baked in, so windows keep their size)."""
    sx, sy, sz = scale
    if kind == "building":
        parts: list[Part] = [("box", (0, 0, sz / 2), (sx, sy, sz), "main", (0, 0, 0))]
        cols, rows = max(1, int(sx / 2.5)), max(1, int((sz - 1.0) / 3.0))
        for c in range(cols):
            for r in range(rows):
                x = -sx / 2 + (c + 0.5) * sx / cols
                parts.append(("box", (x, -sy / 2 - 0.02, 2.0 + r * 3.0), (1.2, 0.06, 1.5), "window", (0, 0, 0)))
        return parts
    if kind not in SHAPES:
        raise KeyError(kind)
    out: list[Part] = []
    for shape, (cx, cy, cz), dims, role, rot in SHAPES[kind]:
        if shape == "box":
            dims = (dims[0] * sx, dims[1] * sy, dims[2] * sz)
        elif shape in ("cyl", "cone"):
            dims = (dims[0] * sx, dims[1] * sx, dims[2] * sz)
        elif shape == "sphere" and len(dims) == 3:
            dims = (dims[0] * sx, dims[1] * sy, dims[2] * sz)
        else:
            dims = (dims[0] * max(sx, sy, sz),)
        out.append((shape, (cx * sx, cy * sy, cz * sz), dims, role, rot))
    return out


def prop_roles(kind: str) -> set[str]:
    """The material roles a prop's parts use besides its own ("main")."""
    if kind == "building":
        return {"window"}
    return {part[3] for part in SHAPES[kind] if part[3] != "main"}


def prop(
    kind: str, x: float, y: float, z: float = 0.0, yaw: float = 0.0, scale: Vec = (1, 1, 1), mat: str = ""
) -> dict[str, Any]:
    """One prop entry of a set spec."""
    return {
        "kind": kind,
        "position": [round(x, 3), round(y, 3), round(z, 3)],
        "rotation": [0.0, 0.0, round(yaw, 1)],
        "scale": [round(s, 3) for s in scale],
        "material": mat or PROP_MATERIAL.get(kind, "wood"),
    }


def light(name: str, kind: str, pos: Vec, color: Vec, power: float, size: float = 0.1, aim: Vec | None = None) -> dict:
    """One practical light entry (point/spot/area); `aim` is the point a spot or area light faces."""
    return {
        "name": name,
        "kind": kind,
        "position": [round(v, 3) for v in pos],
        "color": list(color),
        "power": round(power, 1),
        "size": size,
        "aim": [round(v, 3) for v in (aim or (pos[0], pos[1], 0.0))],
    }
