"""The library of parametric sets, props and materials that set specs are made from. Pure Python.

Coordinates are Blender's: metres, Z up, the floor at z=0, the set centred on the origin, the camera
usually on the -Y side looking towards +Y. Rotations are in degrees. A prop is one mesh made of
primitive parts (`prop_parts`), so the renderer needs no per-prop code.
"""

from __future__ import annotations

import math
import random
from typing import Any

TIMES = ("dawn", "day", "dusk", "night")
WEATHERS = ("clear", "overcast", "rain", "fog", "snow")
SHOT_TYPES = ("wide", "medium", "close-up", "ots", "insert")
LIGHT_KINDS = ("point", "spot", "area")
POSES = ("standing", "sitting")
WALLS = ("back", "left", "right")

Vec = tuple[float, float, float]
# (shape, centre, dims, material role, rotation in degrees); shapes: box (sx, sy, sz), cyl (r, r, h),
# cone (r_bottom, r_top, h), sphere (r,), ico (r,). Role "main" is the prop's own material.
Part = tuple[str, Vec, tuple[float, ...], str, Vec]

LOCATION_TYPES: dict[str, dict[str, Any]] = {
    "interior_room": {"interior": True, "dims": (6.0, 5.0, 2.7), "stage": (0.0, 0.0)},
    "diner_bar": {"interior": True, "dims": (9.0, 7.0, 3.2), "stage": (0.0, -0.2)},
    "office": {"interior": True, "dims": (8.0, 7.0, 2.8), "stage": (0.0, -0.6)},
    "street_night": {"interior": False, "dims": (14.0, 60.0, 12.0), "stage": (-3.0, 3.0)},
    "forest": {"interior": False, "dims": (50.0, 50.0, 9.0), "stage": (0.0, 0.0)},
    "beach": {"interior": False, "dims": (60.0, 60.0, 1.0), "stage": (0.0, 0.0)},
    "car_interior": {"interior": True, "dims": (1.5, 2.4, 1.25), "stage": (0.0, 0.1)},
}
SHELL_MATERIALS: dict[str, tuple[str, ...]] = {
    "interior": ("floor", "wall", "ceiling"),
    "street_night": ("ground", "road", "sidewalk"),
    "forest": ("ground",),
    "beach": ("ground", "water"),
    "car_interior": ("ground", "car_shell"),
}


def shell_materials(location_type: str) -> tuple[str, ...]:
    """Material names the renderer needs for the fixed geometry of this location type."""
    if location_type in SHELL_MATERIALS:
        return SHELL_MATERIALS[location_type]
    return SHELL_MATERIALS["interior"]


def _m(rgb: Vec, rough: float = 0.6, metal: float = 0.0, emit: Vec | None = None, power: float = 0.0) -> dict:
    out: dict[str, Any] = {"base_color": list(rgb), "roughness": rough, "metallic": metal}
    if emit is not None:
        out["emission"], out["emission_strength"] = list(emit), power
    return out


MATERIALS: dict[str, dict[str, Any]] = {
    "floor": _m((0.42, 0.3, 0.2), 0.5),
    "wall": _m((0.78, 0.74, 0.66), 0.9),
    "ceiling": _m((0.85, 0.85, 0.82), 0.9),
    "ground": _m((0.3, 0.3, 0.3), 0.9),
    "road": _m((0.08, 0.08, 0.09), 0.8),
    "sidewalk": _m((0.45, 0.44, 0.42), 0.85),
    "water": _m((0.03, 0.16, 0.24), 0.05),
    "car_shell": _m((0.12, 0.13, 0.15), 0.5),
    "wood": _m((0.45, 0.28, 0.14), 0.55),
    "dark_wood": _m((0.22, 0.13, 0.07), 0.5),
    "metal": _m((0.7, 0.7, 0.72), 0.3, 1.0),
    "dark": _m((0.05, 0.05, 0.06), 0.5),
    "fabric": _m((0.25, 0.32, 0.5), 0.95),
    "leather": _m((0.35, 0.12, 0.08), 0.45),
    "vinyl_red": _m((0.6, 0.05, 0.06), 0.35),
    "chrome": _m((0.85, 0.85, 0.88), 0.15, 1.0),
    "counter": _m((0.78, 0.76, 0.7), 0.3),
    "plastic": _m((0.8, 0.8, 0.78), 0.4),
    "lamp_shade": _m((0.95, 0.88, 0.7), 0.8, 0.0, (1.0, 0.8, 0.55), 0.0),
    "neon": _m((0.9, 0.15, 0.6), 0.3, 0.0, (1.0, 0.15, 0.65), 6.0),
    "screen": _m((0.05, 0.07, 0.1), 0.2, 0.0, (0.55, 0.75, 1.0), 0.0),
    "window": _m((0.12, 0.15, 0.2), 0.15, 0.0, (1.0, 0.78, 0.45), 0.0),
    "glass": _m((0.04, 0.05, 0.07), 0.05, 0.3),
    "brick": _m((0.42, 0.2, 0.14), 0.85),
    "concrete": _m((0.5, 0.49, 0.46), 0.9),
    "car_paint": _m((0.5, 0.08, 0.06), 0.25, 0.6),
    "bark": _m((0.2, 0.13, 0.08), 0.95),
    "leaves": _m((0.1, 0.3, 0.08), 0.8),
    "rock": _m((0.38, 0.37, 0.35), 0.9),
    "paper": _m((0.92, 0.9, 0.84), 0.9),
    "fire": _m((1.0, 0.45, 0.1), 0.9, 0.0, (1.0, 0.45, 0.1), 8.0),
}

SMALL_PROPS = ("cup", "bottle", "phone", "paper", "book", "gun", "key", "box", "briefcase", "candle", "laptop")
PROP_KEYWORDS: dict[str, tuple[str, ...]] = {
    "table": ("table",),
    "chair": ("chair", "armchair"),
    "desk": ("desk",),
    "lamp": ("lamp",),
    "bench": ("bench",),
    "car": ("car", "truck", "taxi", "sedan", "van"),
    "tree": ("tree", "trees", "oak", "pine"),
    "rock": ("rock", "rocks", "boulder", "stone"),
    "counter": ("counter",),
    "stool": ("stool", "stools"),
    "sofa": ("sofa", "couch"),
    "bed": ("bed",),
    "bookshelf": ("bookshelf", "bookcase", "shelves"),
    "cup": ("cup", "mug", "coffee", "tea"),
    "bottle": ("bottle", "whiskey", "beer", "wine", "bourbon"),
    "phone": ("phone", "cellphone", "smartphone"),
    "paper": ("letter", "note", "envelope", "paper", "papers", "document", "photo", "photograph", "map"),
    "book": ("book", "notebook", "diary", "journal"),
    "gun": ("gun", "pistol", "revolver", "handgun"),
    "key": ("key", "keys"),
    "box": ("box", "package", "parcel", "crate"),
    "briefcase": ("briefcase", "suitcase", "bag"),
    "candle": ("candle", "candles"),
    "laptop": ("laptop", "computer"),
}
PROP_MATERIAL: dict[str, str] = {
    "table": "wood",
    "chair": "wood",
    "desk": "dark_wood",
    "lamp": "lamp_shade",
    "bench": "wood",
    "car": "car_paint",
    "tree": "leaves",
    "rock": "rock",
    "counter": "counter",
    "stool": "vinyl_red",
    "sofa": "fabric",
    "bed": "fabric",
    "bookshelf": "dark_wood",
    "cup": "plastic",
    "bottle": "dark",
    "phone": "dark",
    "paper": "paper",
    "book": "leather",
    "gun": "dark",
    "key": "metal",
    "box": "wood",
    "briefcase": "leather",
    "candle": "paper",
    "laptop": "metal",
    "building": "brick",
    "streetlamp": "dark",
    "neon": "neon",
    "booth": "vinyl_red",
    "monitor": "screen",
    "cabinet": "metal",
    "rug": "fabric",
    "door": "dark_wood",
    "car_seat": "leather",
    "dashboard": "dark",
    "steering_wheel": "dark",
    "pendant": "lamp_shade",
    "campfire": "fire",
    "driftwood": "bark",
    "umbrella": "vinyl_red",
}
# Height of the surface small props stand on.
SURFACES: dict[str, float] = {"table": 0.75, "desk": 0.75, "counter": 1.05, "dashboard": 0.75, "bench": 0.45}


def _legs(w: float, d: float, h: float, r: float = 0.025) -> list[Part]:
    return [
        ("box", (sx * (w / 2 - r), sy * (d / 2 - r), h / 2), (2 * r, 2 * r, h), "main", (0, 0, 0))
        for sx in (-1, 1)
        for sy in (-1, 1)
    ]


def _base_parts(kind: str) -> list[Part]:
    o: Vec = (0.0, 0.0, 0.0)
    if kind == "table":
        return [("box", (0, 0, 0.725), (1.2, 0.8, 0.05), "main", o), *_legs(1.1, 0.7, 0.7)]
    if kind == "desk":
        return [
            ("box", (0, 0, 0.725), (1.4, 0.7, 0.05), "main", o),
            ("box", (-0.6, 0, 0.35), (0.05, 0.65, 0.7), "main", o),
            ("box", (0.45, 0, 0.35), (0.4, 0.65, 0.7), "main", o),
        ]
    if kind == "chair":
        return [
            ("box", (0, 0, 0.45), (0.45, 0.45, 0.05), "main", o),
            ("box", (0, 0.2, 0.7), (0.45, 0.04, 0.5), "main", o),
            *_legs(0.45, 0.45, 0.43),
        ]
    if kind == "stool":
        return [
            ("cyl", (0, 0, 0.72), (0.18, 0.18, 0.07), "main", o),
            ("cyl", (0, 0, 0.36), (0.03, 0.03, 0.72), "chrome", o),
            ("cyl", (0, 0, 0.02), (0.2, 0.2, 0.04), "chrome", o),
        ]
    if kind == "counter":
        return [("box", (0, 0, 0.5), (3.0, 0.6, 1.0), "wood", o), ("box", (0, 0, 1.025), (3.1, 0.7, 0.05), "main", o)]
    if kind == "lamp":
        return [
            ("cyl", (0, 0, 0.02), (0.15, 0.15, 0.04), "dark", o),
            ("cyl", (0, 0, 0.75), (0.015, 0.015, 1.45), "metal", o),
            ("cone", (0, 0, 1.5), (0.22, 0.13, 0.28), "main", o),
        ]
    if kind == "pendant":
        return [
            ("cyl", (0, 0, 0.5), (0.006, 0.006, 1.0), "dark", o),
            ("cone", (0, 0, -0.1), (0.2, 0.05, 0.2), "main", o),
        ]
    if kind == "tree":
        return [
            ("cyl", (0, 0, 1.25), (0.15, 0.1, 2.5), "bark", o),
            ("cone", (0, 0, 3.6), (1.3, 0.0, 3.6), "main", o),
            ("cone", (0, 0, 2.5), (1.6, 0.3, 1.8), "main", o),
        ]
    if kind == "rock":
        return [("ico", (0, 0, 0.2), (0.5,), "main", o)]
    if kind == "car":
        wheels: list[Part] = [
            ("cyl", (sx * 0.8, sy * 1.35, 0.33), (0.33, 0.33, 0.22), "dark", (0, 90, 0))
            for sx in (-1, 1)
            for sy in (-1, 1)
        ]
        return [
            ("box", (0, 0, 0.65), (1.8, 4.3, 0.65), "main", o),
            ("box", (0, -0.2, 1.22), (1.6, 2.2, 0.5), "glass", o),
            *wheels,
        ]
    if kind == "bench":
        return [
            ("box", (0, 0, 0.45), (1.6, 0.45, 0.05), "main", o),
            ("box", (0, 0.2, 0.7), (1.6, 0.04, 0.35), "main", o),
            *_legs(1.5, 0.4, 0.43),
        ]
    if kind == "sofa":
        return [
            ("box", (0, 0, 0.22), (2.0, 0.9, 0.44), "main", o),
            ("box", (0, 0.35, 0.6), (2.0, 0.2, 0.5), "main", o),
            ("box", (-0.92, 0, 0.55), (0.16, 0.9, 0.3), "main", o),
            ("box", (0.92, 0, 0.55), (0.16, 0.9, 0.3), "main", o),
        ]
    if kind == "bed":
        return [
            ("box", (0, 0, 0.25), (1.6, 2.0, 0.5), "main", o),
            ("box", (0, 0.95, 0.55), (1.6, 0.08, 1.1), "dark_wood", o),
            ("box", (0, 0.7, 0.56), (1.2, 0.35, 0.12), "paper", o),
        ]
    if kind == "bookshelf":
        shelves: list[Part] = [("box", (0, 0, 0.02 + 0.45 * i), (1.0, 0.35, 0.03), "main", o) for i in range(5)]
        books: list[Part] = [("box", (0, -0.02, 0.2 + 0.45 * i), (0.9, 0.25, 0.33), "leather", o) for i in range(4)]
        return [*shelves, *books, ("box", (0, 0.17, 0.95), (1.0, 0.02, 1.9), "main", o)]
    if kind == "booth":
        return [
            ("box", (0, 0, 0.22), (1.2, 0.55, 0.44), "main", o),
            ("box", (0, 0.25, 0.75), (1.2, 0.12, 0.65), "main", o),
        ]
    if kind == "monitor":
        return [
            ("box", (0, 0, 0.22), (0.55, 0.04, 0.34), "main", o),
            ("box", (0, 0.03, 0.05), (0.2, 0.15, 0.02), "dark", o),
        ]
    if kind == "cabinet":
        return [("box", (0, 0, 0.65), (0.5, 0.6, 1.3), "main", o)]
    if kind == "rug":
        return [("box", (0, 0, 0.005), (2.2, 1.5, 0.01), "main", o)]
    if kind == "door":
        return [("box", (0, 0, 1.05), (0.9, 0.06, 2.1), "main", o), ("sphere", (0.35, -0.05, 1.0), (0.03,), "metal", o)]
    if kind == "streetlamp":
        return [
            ("cyl", (0, 0, 2.5), (0.07, 0.05, 5.0), "main", o),
            ("box", (0.5, 0, 4.95), (1.1, 0.08, 0.08), "main", o),
            ("cone", (1.0, 0, 4.85), (0.25, 0.08, 0.2), "lamp_shade", o),
        ]
    if kind == "neon":
        return [("box", (0, 0, 0), (1.4, 0.05, 0.35), "main", o)]
    if kind == "car_seat":
        return [
            ("box", (0, 0, 0.2), (0.5, 0.55, 0.14), "main", o),
            ("box", (0, -0.3, 0.55), (0.5, 0.14, 0.65), "main", o),
        ]
    if kind == "dashboard":
        return [("box", (0, 0, 0.6), (1.5, 0.45, 0.3), "main", o)]
    if kind == "steering_wheel":
        return [("cyl", (0, 0, 0), (0.19, 0.19, 0.04), "main", (65, 0, 0))]
    if kind == "campfire":
        logs: list[Part] = [("cyl", (0, 0, 0.08), (0.06, 0.06, 0.7), "bark", (90, 0, a)) for a in (0, 60, 120)]
        return [*logs, ("cone", (0, 0, 0.3), (0.22, 0.0, 0.5), "main", o)]
    if kind == "driftwood":
        return [("cyl", (0, 0, 0.12), (0.12, 0.08, 2.2), "main", (0, 90, 0))]
    if kind == "umbrella":
        return [
            ("cyl", (0, 0, 1.1), (0.025, 0.025, 2.2), "metal", o),
            ("cone", (0, 0, 2.1), (1.1, 0.0, 0.45), "main", o),
        ]
    small: dict[str, Part] = {
        "cup": ("cyl", (0, 0, 0.05), (0.04, 0.045, 0.1), "main", o),
        "bottle": ("cyl", (0, 0, 0.15), (0.035, 0.035, 0.3), "main", o),
        "phone": ("box", (0, 0, 0.005), (0.075, 0.15, 0.01), "main", o),
        "paper": ("box", (0, 0, 0.001), (0.21, 0.3, 0.002), "main", o),
        "book": ("box", (0, 0, 0.02), (0.17, 0.24, 0.04), "main", o),
        "gun": ("box", (0, 0, 0.015), (0.2, 0.035, 0.03), "main", o),
        "key": ("box", (0, 0, 0.003), (0.07, 0.025, 0.006), "main", o),
        "box": ("box", (0, 0, 0.125), (0.4, 0.3, 0.25), "main", o),
        "briefcase": ("box", (0, 0, 0.17), (0.45, 0.12, 0.33), "main", o),
        "candle": ("cyl", (0, 0, 0.08), (0.025, 0.025, 0.16), "main", o),
        "laptop": ("box", (0, 0, 0.01), (0.33, 0.23, 0.02), "main", o),
    }
    if kind == "gun":
        return [small["gun"], ("box", (-0.07, 0, 0.015), (0.05, 0.035, 0.1), "main", (0, 0, 0))]
    if kind == "laptop":
        return [small["laptop"], ("box", (0, 0.11, 0.12), (0.33, 0.01, 0.22), "screen", (0, 0, 0))]
    if kind in small:
        return [small[kind]]
    raise KeyError(kind)


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
    out: list[Part] = []
    for shape, (cx, cy, cz), dims, role, rot in _base_parts(kind):
        if shape == "box":
            dims = (dims[0] * sx, dims[1] * sy, dims[2] * sz)
        elif shape in ("cyl", "cone"):
            dims = (dims[0] * sx, dims[1] * sx, dims[2] * sz)
        else:
            dims = (dims[0] * max(sx, sy, sz),)
        out.append((shape, (cx * sx, cy * sy, cz * sz), dims, role, rot))
    return out


def prop(
    kind: str, x: float, y: float, z: float = 0.0, yaw: float = 0.0, scale: Vec = (1, 1, 1), mat: str = ""
) -> dict:
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


WARM, SODIUM, COOL = (1.0, 0.72, 0.45), (1.0, 0.6, 0.3), (0.85, 0.92, 1.0)


def layout(kind: str, dims: Vec, rng: random.Random, lit: float) -> tuple[list[dict], list[dict], list[dict]]:
    """Props, practical lights (power scaled by `lit`: 1 at night, 0 by day) and windows of a location."""
    w, d, h = dims
    props: list[dict] = []
    lights: list[dict] = []
    windows: list[dict] = []
    if kind == "interior_room":
        windows.append({"wall": "back", "offset": -1.2, "width": 1.6, "height": 1.3, "sill": 0.9})
        props += [
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
        lights += [
            light("floor lamp", "point", (-w / 2 + 0.4, d / 2 - 0.4, 1.5), WARM, 60 * lit, 0.15),
            light("ceiling bulb", "point", (0.0, 0.5, h - 0.3), WARM, 35 * lit, 0.1),
        ]
    elif kind == "diner_bar":
        cy = d / 2 - 1.4
        windows.append({"wall": "left", "offset": 0.0, "width": 4.0, "height": 1.4, "sill": 1.0})
        props += [
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
        for i in range(3):
            props.append(prop("pendant", -0.9 + 1.4 * i, cy, h - 1.0))
            lights.append(light(f"pendant {i + 1}", "point", (-0.9 + 1.4 * i, cy, h - 1.15), WARM, 40 + 40 * lit, 0.1))
        lights.append(light("neon", "point", (0.5, d / 2 - 0.4, 2.6), (1.0, 0.2, 0.65), 25 + 25 * lit, 0.3))
    elif kind == "office":
        windows.append({"wall": "back", "offset": 0.0, "width": 4.5, "height": 1.6, "sill": 0.8})
        for i, (x, y) in enumerate(((-1.6, 0.9), (1.6, 0.9), (-1.6, 2.4), (1.6, 2.4))):
            props += [
                prop("desk", x, y, yaw=180),
                prop("chair", x, y - 0.6, yaw=180),
                prop("monitor", x, y + 0.1, 0.75),
            ]
            if i == 0:
                props.append(prop("paper", x - 0.3, y - 0.1, 0.75))
        props += [prop("cabinet", w / 2 - 0.3, -1.0 + 0.55 * i, yaw=90) for i in range(3)]
        props += [prop("door", -w / 2 + 0.03, -1.5, yaw=-90), prop("lamp", -w / 2 + 0.5, d / 2 - 0.5)]
        lights += [
            light(f"ceiling panel {i + 1}", "area", (x, 1.2, h - 0.05), COOL, 60 + 90 * lit, 1.0, (x, 1.2, 0.0))
            for i, x in enumerate((-2.0, 2.0))
        ]
        lights.append(light("desk lamp", "point", (-w / 2 + 0.5, d / 2 - 0.5, 1.5), WARM, 50 * lit, 0.15))
    elif kind == "street_night":
        road = w / 2 - 3.5
        for side in (-1, 1):
            y = -15.0
            while y < d - 15:
                bw, bh = rng.uniform(6, 12), rng.uniform(h * 0.6, h * 1.4)
                mat = rng.choice(("brick", "concrete", "brick"))
                props.append(
                    prop("building", side * (w / 2 + 4), y + bw / 2, yaw=-side * 90, scale=(bw, 8, bh), mat=mat)
                )
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
    elif kind == "forest":
        for _ in range(44):
            a, r = rng.uniform(0, 2 * math.pi), rng.uniform(4.5, w / 2)
            x, y = r * math.cos(a), r * math.sin(a)
            if y < 0 and abs(x) < 5 and r < 16:
                continue  # keep the camera's side of the clearing open
            s = rng.uniform(0.8, 1.4) * h / 9
            props.append(prop("tree", x, y, yaw=rng.uniform(0, 360), scale=(s, s, s * rng.uniform(0.9, 1.2))))
        props += [
            prop("rock", rng.uniform(-4, 4), rng.uniform(2, 6), scale=(rng.uniform(0.8, 2),) * 3) for _ in range(4)
        ]
        if lit > 0:
            props.append(prop("campfire", 0.8, 1.6))
            lights.append(light("campfire", "point", (0.8, 1.6, 0.5), (1.0, 0.5, 0.2), 250 * lit, 0.3))
    elif kind == "beach":
        props += [prop("rock", rng.uniform(-9, 9), rng.uniform(3, 8), scale=(rng.uniform(1, 3),) * 3) for _ in range(5)]
        props.append(prop("driftwood", 2.2, 1.5, yaw=rng.uniform(0, 60)))
        if lit > 0:
            props.append(prop("campfire", -1.6, 1.8))
            lights.append(light("bonfire", "point", (-1.6, 1.8, 0.5), (1.0, 0.5, 0.2), 300 * lit, 0.3))
        else:
            props += [prop("umbrella", -2.5, 2.5), prop("bench", -2.5, 1.8, mat="plastic")]
    elif kind == "car_interior":
        props += [
            prop("dashboard", 0.0, d / 2 - 0.35),
            prop("steering_wheel", -0.38, d / 2 - 0.72, 0.68),
            prop("car_seat", -0.38, 0.0),
            prop("car_seat", 0.38, 0.0),
            prop("car_seat", 0.0, -0.95, scale=(2.6, 1, 1)),
        ]
        for i in range(6):
            side = -1 if i % 2 else 1
            props.append(prop("building", side * 14, -10 + 9 * i, yaw=-side * 90, scale=(8, 8, rng.uniform(8, 16))))
        lights += [
            light("dashboard glow", "area", (0.0, d / 2 - 0.6, 0.9), (0.6, 0.8, 1.0), 2 + 4 * lit, 0.6, (0, 0, 1.1)),
            light("passing street light", "point", (3.0, 2.0, 4.0), SODIUM, 120 * lit, 0.3),
        ]
    return props, lights, windows
