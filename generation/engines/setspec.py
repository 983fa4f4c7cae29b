"""Set specs: a screenplay scene and shot turned into a parametric 3D set (JSON). Pure Python, no bpy.

`derive_set_spec` picks a location from the library in `setlibrary`, lights it for the time of day and
weather, places props and figures and frames the camera for the shot, and returns a checked `SetSpec`.
The spec's models and its one check (`validate_set_spec`) live in `setschema`.
"""

from __future__ import annotations

import copy
import math
import random
import re
import zlib
from typing import Any

from generation.engines import holding, physique, staging
from generation.engines import setlibrary as lib
from generation.engines.locations import LOCATION_TYPES, LocationChoice, choose_location
from generation.engines.setlibrary import LIGHT_KINDS, POSES, SHOT_TYPES, TIMES, WEATHERS
from generation.engines.setschema import (
    Camera,
    CharacterFigure,
    Dimensions,
    Figure,
    Fog,
    Lights,
    Material,
    Practical,
    Prop,
    RenderSettings,
    SetSpec,
    SetSpecError,
    ShotInfo,
    Sky,
    Sun,
    Window,
    validate_set_spec,
)

# Interiors big enough to hold the vehicle an action names (a car in a garage, a truck in a warehouse).
BIG_ROOMS = ("garage", "warehouse")
WALL_FEATURES = ("window", "door")  # used where the set has them, never standing free
OUTDOOR_ONLY = ("pool", "tent", "lighthouse", "haybale", "cactus", "gravestone")
BEHIND = ("pool", "tent", "lighthouse")  # big things the action names stand behind the people
WIDE_FIGURE_SHARE = 1 / 3  # of the frame's height, for the people of a wide shot
DEFAULT_LENS = {"wide": 24.0, "medium": 35.0, "close-up": 50.0, "ots": 45.0, "insert": 50.0}
__all__ = [
    "LIGHT_KINDS",
    "LOCATION_TYPES",
    "POSES",
    "SHOT_TYPES",
    "TIMES",
    "WEATHERS",
    "Camera",
    "CharacterFigure",
    "Figure",
    "Material",
    "SetSpec",
    "SetSpecError",
    "ShotInfo",
    "derive_set_spec",
    "figure_metrics",
    "location_type_for",
    "validate_set_spec",
]
PALETTE = physique.PALETTE


def _has(text: str, *words: str) -> bool:
    return any(re.search(rf"\b{w}\b", text) for w in words)


def location_type_for(heading: str, int_ext: str, location: str, action: str = "") -> str:
    """The library set for a scene heading: one of `LOCATION_TYPES` (`none`: not a place, shoot it in the
    previous scene's set). Place words of the heading first, then embeddings for words no list has, then the
    action's; `locations.choose_location` also says why and what it could not match."""
    return choose_location(heading, int_ext, location, action).type


def normalize_time(time_of_day: str) -> str:
    """DAWN/MORNING/DAY/AFTERNOON/DUSK/NIGHT from a heading's time (EARLY MORNING->morning, LATE AFTERNOON->
    afternoon, EVENING->dusk, CONTINUOUS->day, ...)."""
    t = time_of_day.lower()
    if _has(t, "dawn", "sunrise", "daybreak", "first light"):
        return "dawn"
    if _has(t, "night", "midnight", "late night", "nighttime", "evening late"):
        return "night"
    if _has(t, "dusk", "sunset", "twilight", "evening", "magic hour", "sundown"):
        return "dusk"
    if _has(t, "morning", "mornings", "breakfast"):
        return "morning"
    if _has(t, "afternoon", "afternoons"):
        return "afternoon"
    return "day"


def weather_for(text: str) -> str:
    """clear/overcast/rain/fog/snow from keywords in the heading and action."""
    t = text.lower()
    for weather, words in (
        ("rain", ("rain", "raining", "rains", "downpour", "drizzle", "storm", "thunder")),
        ("snow", ("snow", "snowing", "snows", "blizzard", "flurries", "sleet")),
        ("fog", ("fog", "foggy", "mist", "misty", "haze", "hazy", "smoke", "smoky")),
        ("overcast", ("overcast", "cloudy", "clouds", "grey sky", "gray sky", "gloomy")),
    ):
        if _has(t, *words):
            return weather
    return "clear"


def _sun_sky(tod: str, weather: str, rng: random.Random) -> tuple[Sun, Sky]:
    # The hour reads from the sun's height, side and colour and the sky's: a morning sun low from behind the
    # set, to one side, warm white, so the long shadows fall towards the camera, under a pale sky; an afternoon
    # one a little lower and warmer than noon's; dusk orange-pink under a purple-blue sky; night a weak blue
    # moon under a near-black one.
    strength, elev, az, col = {
        "dawn": (2.0, 8.0, 100.0, (1.0, 0.7, 0.5)),
        "morning": (3.2, 14.0, 25.0, (1.0, 0.86, 0.68)),
        "day": (4.0, 50.0, 225.0, (1.0, 0.96, 0.9)),
        "afternoon": (3.6, 28.0, 320.0, (1.0, 0.88, 0.7)),
        "dusk": (1.8, 6.0, 255.0, (1.0, 0.5, 0.32)),
        "night": (0.12, 35.0, 200.0, (0.6, 0.7, 1.0)),
    }[tod]
    sky_col, sky_str = {
        "dawn": ((0.75, 0.6, 0.65), 0.6),
        "morning": ((0.7, 0.76, 0.85), 0.85),
        "day": ((0.45, 0.62, 0.9), 1.0),
        "afternoon": ((0.56, 0.64, 0.8), 0.95),
        "dusk": ((0.44, 0.34, 0.62), 0.45),
        "night": ((0.03, 0.04, 0.09), 0.3),
    }[tod]
    dim = {"clear": 1.0, "overcast": 0.25, "rain": 0.12, "fog": 0.35, "snow": 0.45}[weather]
    if weather != "clear" and tod != "night":
        grey = {"overcast": 0.62, "rain": 0.38, "fog": 0.7, "snow": 0.78}[weather]
        grey *= {"day": 1.0, "morning": 0.9, "afternoon": 0.9}.get(tod, 0.6)
        sky_col = (grey * 0.97, grey, grey * 1.03)
        sky_str *= 1.3 if weather != "rain" else 0.9
    sun = Sun(
        strength=round(strength * dim, 3),
        elevation=round(elev + rng.uniform(-4, 4), 1),
        azimuth=round(az + rng.uniform(-25, 25), 1),
        color=list(col),
    )
    return sun, Sky(color=[round(c, 3) for c in sky_col], strength=sky_str)


def _materials(
    kind: str, tod: str, weather: str, lit: float, props: list[dict], shop_kind: str = ""
) -> dict[str, Material]:
    """The base materials, the set's colours (ground, floor, walls; a shop's its kind's), and the extra ones its
    props use."""
    mats: dict[str, Any] = copy.deepcopy(lib.MATERIALS)
    info = lib.LOCATION_TYPES[kind]
    if info.get("ground"):
        mats["ground"]["base_color"] = list(info["ground"])
    wall, floor = lib.SHOP_COLOURS.get(shop_kind, (info.get("wall"), info.get("floor")))
    if floor:
        mats["floor"]["base_color"] = list(floor)
    if wall:
        mats["wall"]["base_color"] = list(wall)
    used = {p["material"] for p in props} | {role for p in props for role in lib.prop_roles(p["kind"])}
    for name in sorted(used & set(lib.EXTRA_MATERIALS)):
        mats[name] = copy.deepcopy(lib.EXTRA_MATERIALS[name])
    mats["window"]["emission_strength"] = round(0.35 * lit, 2)
    mats["lamp_shade"]["emission_strength"] = round(4.0 * lit, 2)
    mats["screen"]["emission_strength"] = 0.6 + 1.2 * lit
    wet = ("ground", "road", "sidewalk") if kind not in ("beach", "boat", "desert") else ()
    for name in wet:
        if weather == "rain":
            m = mats[name]
            m["roughness"], m["base_color"] = 0.12, [round(c * 0.6, 3) for c in m["base_color"]]
        elif weather == "snow":
            mats[name]["base_color"], mats[name]["roughness"] = [0.88, 0.9, 0.94], 0.7
    return {name: Material.model_validate(m) for name, m in mats.items()}


def figure_joints(fig: Figure) -> dict[str, staging.PosedBone]:
    """The figure's bones posed, on the ground and turned the way it faces (world metres)."""
    pos = (fig.position[0], fig.position[1], fig.position[2])
    return staging.joints(fig.pose, fig.height, fig.build or 1.0, pos, fig.facing, fig.seat_height, fig.body or "man")


def figure_metrics(fig: Figure) -> dict[str, float]:
    """Heights (metres, world z) of a posed figure's hip, shoulder, head centre and head top, the head centre's
    x and y, and its scale (1 for a person 1.75 m tall)."""
    bones = figure_joints(fig)
    head = staging.head_centre(bones)
    shoulder = (bones["upper_arm.L"].head[2] + bones["upper_arm.R"].head[2]) / 2
    points = staging.outline(bones, fig.height)
    top = max(p[2] for p in points)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return {
        "s": fig.height / 1.75,
        "hip": bones["hips"].head[2],
        "shoulder": shoulder,
        "head": head[2],
        "top": top,
        "head_x": head[0],
        "head_y": head[1],
        "length": max(max(xs) - min(xs), max(ys) - min(ys)),  # across the floor: a lying body's length
    }


def forward(fig: Figure) -> tuple[float, float]:
    """The horizontal direction a figure faces (facing 0 looks towards -Y)."""
    return staging.forward(fig.facing)


_yaw_towards = staging.yaw_towards
MOVING = ("walking", "running")


def _figures(
    kind: str,
    stage: tuple[float, float],
    chars: list[CharacterFigure],
    action: str,
    scene_action: str,
    speaker: str,
) -> list[Figure]:
    sx, sy = stage
    names = [c.name for c in chars]
    poses = [staging.pose_for(c.name, action, scene_action, names) for c in chars]
    n, out = len(chars), []
    embrace = n >= 2 and poses.count("embracing") >= 2
    # Clothes that tell the frame's people apart; a character's colour comes from their name (or is given).
    colours = physique.costume_colours(names, {c.name: c.colour for c in chars if c.colour})
    for i, ch in enumerate(chars):
        # A character's body, height, build and hair come from their look, name and script: the same every shot.
        h = zlib.crc32(ch.name.upper().encode())
        body = physique.read_physique(ch.name, ch.look, ch.script)
        height, build, colour = body.height, body.build, colours[ch.name]
        pose, seat = poses[i], 0.475
        if kind == "car_interior":
            pose, seat = "sitting", 0.27
        if kind == "car_interior":
            x, y, facing = (-0.38 if i % 2 == 0 else 0.38), (-0.1 if i < 2 else -1.05), 180.0
            height = min(height, 1.7)
        elif n == 1:
            x, y, facing = sx, sy, (h % 30) - 15.0
        elif n == 2:
            # An embrace: close, face to face; otherwise a step apart, turned three-quarters towards each other.
            gap = 0.24 if embrace and pose == "embracing" else 0.65
            x, y, facing = sx + (-gap if i == 0 else gap), sy, (60.0 if i == 0 else -60.0)
            if embrace and pose == "embracing":
                facing = 90.0 if i == 0 else -90.0
        else:
            phi = math.radians(20 + 140 * i / (n - 1))
            x, y = sx + 1.2 * math.cos(phi), sy + 0.3 + 1.0 * math.sin(phi)
            facing = _yaw_towards(sx - x, sy - 0.8 - y)
        if pose in MOVING and kind != "car_interior":
            facing = 90.0  # on the move, across the frame: the gait reads in profile
        elif pose == "pointing" and n == 1:
            facing = 55.0  # three-quarters, so the pointing arm reads against the set rather than at the lens
        out.append(
            Figure(
                name=ch.name,
                position=[round(x, 3), round(y, 3), 0.0],
                facing=facing,
                height=round(height, 3),
                color=colour,
                portrait_path=ch.portrait_path or "",
                pose=pose,
                seat_height=seat if pose == "sitting" else 0.45,
                build=round(build, 3),
                body=body.body,
                hair=body.hair,
                hair_color=list(body.hair_color),
                beard=body.beard,
                dress=body.dress,
                jacket=body.jacket,
                hat=body.hat,
                held=_held(ch.name, pose, action, scene_action, names),
            )
        )
    talker = next((i for i, f in enumerate(out) if f.name.upper() == speaker.upper()), -1)
    if talker >= 0 and n >= 2 and kind != "car_interior" and not embrace:
        # A conversation: listeners look at the speaker, the speaker between them and the camera.
        facings = staging.stage_conversation([(f.position[0], f.position[1]) for f in out], talker)
        for fig, facing in zip(out, facings, strict=True):
            if fig.pose not in MOVING:
                fig.facing = facing
    return out


def _held(name: str, pose: str, action: str, scene_action: str, names: list[str]) -> str | None:
    """What a holding figure holds: what the shot's action, or else the scene's, says they hold."""
    if pose not in staging.HELD_PROP_POSES:
        return None
    return holding.held_thing(name, action, names) or holding.held_thing(name, scene_action, names)


# Where people sit on a prop (its own frame: the sitter faces -Y, the back is at +Y): the seat's top, and the
# spots for the hips (x, y) along it.
SEATS: dict[str, tuple[float, list[tuple[float, float]]]] = {
    "chair": (0.475, [(0.0, 0.06)]),
    "sofa": (0.44, [(-0.5, 0.1), (0.5, 0.1), (0.0, 0.1)]),
    "bench": (0.475, [(-0.45, 0.05), (0.45, 0.05), (0.0, 0.05)]),
    "stool": (0.755, [(0.0, 0.0)]),
}
SEAT_REACH = 1.6  # metres from a sitter's mark to the seat they take, at most (the wide still frames them)
SEAT_FLESH = 0.075  # how far the hip joint sits above the seat (the buttocks and thighs), for a 1.77 m person


def seat_sitters(figs: list[Figure], props: list[dict[str, Any]]) -> set[str]:
    """Puts each sitting person on the nearest free seat (a chair, sofa, bench or stool) near their mark:
    hips on the seat, facing the way it faces; returns who was seated. Without a seat near, they stay put."""
    spots: list[tuple[float, float, float, float]] = []  # x, y, top, facing
    for pr in props:
        seat = SEATS.get(pr["kind"])
        if seat is None:
            continue
        (px, py, pz), yaw = pr["position"], float(pr["rotation"][2])
        sx, sy, sz = pr["scale"]
        c, s = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
        for lx, ly in seat[1]:
            lx, ly = lx * sx, ly * sy
            # A stool turns with whoever sits on it: they keep their facing (nan: no facing of its own).
            facing = math.nan if pr["kind"] == "stool" else yaw
            spots.append((px + lx * c - ly * s, py + lx * s + ly * c, pz + seat[0] * sz, facing))
    taken: set[int] = set()
    seated: set[str] = set()
    for fig in figs:
        if fig.pose != "sitting":
            continue
        free = [(math.dist(fig.position[:2], spot[:2]), i) for i, spot in enumerate(spots) if i not in taken]
        near = [(d, i) for d, i in free if d <= SEAT_REACH]
        if not near:
            continue
        i = min(near)[1]
        taken.add(i)
        x, y, top, yaw = spots[i]
        fig.position = [round(x, 3), round(y, 3), 0.0]
        if not math.isnan(yaw):
            fig.facing = round(yaw, 1)
        fig.seat_height = round(top + SEAT_FLESH * fig.height / staging.REST_HEIGHT, 3)
        seated.add(fig.name)
    return seated


VEHICLE_VERBS = ("drive", "drives", "driving", "drove", "speed off", "speeds off", "speeding", "engine",
                 "ignition", "pull up", "pulls up", "pulls away", "peel out", "peels out", "reverses", "parks",
                 "honks")  # fmt: skip


def _vehicle_spot(
    kind: str, vehicle: str, stage: tuple[float, float], rng: random.Random
) -> tuple[float, float, float, float]:
    """Where a vehicle the action names stands: beside the people, across the frame, never on top of them."""
    sx, sy = stage
    if vehicle == "boat":
        on_water = kind in ("beach", "harbor", "river_lake")
        return sx + rng.uniform(-2.0, 2.0), sy + (9.0 if on_water else 4.0), -0.4 if on_water else 0.0, 90.0
    if vehicle in ("bicycle", "motorcycle"):
        return sx + 1.3, sy + 0.8, 0.0, 90.0 + rng.uniform(-15, 15)
    depth = {"bus": 6.0, "truck": 5.5, "pool": 6.5, "lighthouse": 30.0, "tent": 4.5}.get(vehicle, 3.6)
    return sx + rng.uniform(-0.8, 0.8), sy + depth, 0.0, 90.0 + rng.uniform(-8, 8)


def _add_action_props(
    props: list[dict], action: str, stage: tuple[float, float], rng: random.Random, kind_of_set: str
) -> int:
    """Adds props the action mentions that the set lacks; returns the index of the insert-shot prop (or -1).

    The insert-shot prop is the small prop the action mentions first; failing that, any prop it names (a door,
    a car); failing that, when it drives ("They speed off"), the set's vehicle.
    """
    text = action.lower()
    mentioned: list[tuple[int, int, bool]] = []  # (where the action names it, index in props, small)
    side = 1
    interior = bool(lib.LOCATION_TYPES[kind_of_set]["interior"])
    for kind, words in lib.PROP_KEYWORDS.items():
        hits = [m.start() for w in words for m in [re.search(rf"\b{w}\b", text)] if m]
        if not hits:
            continue
        if kind == "lamp" and not interior:
            kind = "streetlamp"
        if kind in lib.VEHICLES and (kind_of_set == "car_interior" or (interior and kind_of_set not in BIG_ROOMS)):
            continue  # the car is the set itself, or no car fits in the room
        if kind == "boat" and kind_of_set == "boat":
            continue
        existing = [i for i, p in enumerate(props) if p["kind"] == kind]
        if not existing and (kind in WALL_FEATURES or (interior and kind in OUTDOOR_ONLY)):
            continue  # a window or door belongs in a wall the set has; a pool never stands in a room
        sx, sy = stage
        if existing:
            index = existing[0]
        elif kind in lib.SMALL_PROPS:
            surfaces = [p for p in props if p["kind"] in lib.SURFACES]
            named = [
                p for p in surfaces if any(re.search(rf"\b{w}\b", text) for w in lib.PROP_KEYWORDS.get(p["kind"], ()))
            ]
            surfaces = named or surfaces  # "the gun on the table": on the table the action names
            if surfaces:
                base = min(surfaces, key=lambda p: math.dist(p["position"][:2], stage))
                x, y = base["position"][0] + rng.uniform(-0.25, 0.25), base["position"][1] + rng.uniform(-0.15, 0.1)
                z = lib.SURFACES[base["kind"]] * base["scale"][2] + base["position"][2]
            else:
                x, y, z = sx + 0.3, sy - 0.6, 0.0
            props.append(lib.prop(kind, x, y, z, yaw=rng.uniform(-30, 30)))
            index = len(props) - 1
        elif kind in lib.VEHICLES or kind in BEHIND:
            x, y, z, yaw = _vehicle_spot(kind_of_set, kind, stage, rng)
            props.append(lib.prop(kind, x, y, z, yaw=yaw))
            index = len(props) - 1
        else:
            props.append(
                lib.prop(kind, sx + side * rng.uniform(1.4, 2.2), sy + rng.uniform(0.6, 1.6), yaw=rng.uniform(-20, 20))
            )
            index, side = len(props) - 1, -side
        mentioned.append((min(hits), index, kind in lib.SMALL_PROPS))
    small = [m for m in mentioned if m[2]]
    if small or mentioned:
        return min(small or mentioned)[1]
    if any(re.search(rf"\b{v}\b", text) for v in VEHICLE_VERBS):
        return next((i for i, p in enumerate(props) if p["kind"] in lib.VEHICLES), -1)
    return -1


def _frame(
    shot: ShotInfo,
    figs: list[Figure],
    props: list[dict],
    hero: int,
    kind: str,
    dims: tuple[float, float, float],
    stage: tuple[float, float],
    rng: random.Random,
    aspect: float,
) -> Camera:
    stype = shot.shot_type if shot.shot_type in SHOT_TYPES else "medium"
    lens = min(300.0, max(8.0, float(shot.lens_mm or DEFAULT_LENS[stype])))
    sensor = 36.0
    tan_h, tan_v = sensor / 2 / lens, sensor / aspect / 2 / lens
    names = [s.upper() for s in shot.subjects]
    subs = [f for f in figs if f.name.upper() in names] or figs[:1]
    # The speaker leads: the close-up's face, the face over the other's shoulder, the focus.
    subs.sort(key=lambda f: f.name != shot.speaker)
    w, d, h = dims
    if stype == "close-up" and subs:
        f, m = subs[0], figure_metrics(subs[0])
        fx, fy = forward(f)
        dx, dy = fx - (f.position[0] if kind == "car_interior" else 0.0), fy - 0.5
        n = math.hypot(dx, dy) or 1.0
        dist = 0.46 * m["s"] / 2 / tan_v  # the head fills most of the frame's height
        target = [m["head_x"], m["head_y"], m["head"] - 0.04 * m["s"]]
        pos = [target[0] + dx / n * dist, target[1] + dy / n * dist, target[2]]
    elif stype == "ots" and len(figs) >= 2 and subs:
        b = subs[0]
        a = next(f for f in figs if f is not b)
        ma, mb = figure_metrics(a), figure_metrics(b)
        vx, vy = b.position[0] - a.position[0], b.position[1] - a.position[1]
        n = math.hypot(vx, vy) or 1.0
        vx, vy = vx / n, vy / n
        rx, ry = vy, -vx
        side = 1.0 if ry <= 0 else -1.0
        ax, ay = a.position[0], a.position[1]
        pos = [ax - vx * 0.7 + rx * 0.35 * side, ay - vy * 0.7 + ry * 0.35 * side, ma["head"] + 0.04]
        target = [mb["head_x"], mb["head_y"], mb["head"] - 0.05]
    elif stype == "insert" and (hero >= 0 or props):
        p = props[hero] if hero >= 0 else min(props, key=lambda q: math.dist(q["position"][:2], stage))
        parts = lib.prop_parts(p["kind"], tuple(p["scale"]))
        top = max(part[1][2] + part[2][-1] / 2 for part in parts)
        target = [p["position"][0], p["position"][1], p["position"][2] + top]
        size = max(max(part[2]) * (2 if part[0] in ("sphere", "ico") else 1) for part in parts)
        if size > 1.0:  # a car, a boat, a bed: a three-quarter view of the whole of it on a normal lens
            lens = min(lens, 35.0)
            target[2] = p["position"][2] + top * 0.5
            dist = 1.5 * size * lens / 50.0
            pos = [target[0] - 0.4 * dist, target[1] - 0.9 * dist, target[2] + 0.3 * dist]
        else:
            dist = max(0.45, 2.8 * size) * lens / 50.0  # the prop fills about a third of the frame
            pos = [target[0], target[1] - 0.5 * dist, target[2] + 0.85 * dist]
    elif stype == "wide" or not subs:
        if kind == "car_interior":
            pos, target = [0.0, -d / 2 + 0.15, 1.05], [0.0, d / 2, 0.85]
        else:
            interior = bool(lib.LOCATION_TYPES[kind]["interior"])
            extent = min(w, 9.0) * 0.9 if interior else 12.0
            ms = [figure_metrics(f) for f in figs]
            tallest = max((m["top"] - f.position[2] for m, f in zip(ms, figs, strict=True)), default=1.75)
            # A person lying down is as big as they are long.
            tallest = max(tallest, max((m["length"] for m in ms), default=0.0))
            # Near enough that a person is at least a quarter of the frame's height (aiming at a third).
            dist = min(extent / 2 / tan_h, tallest / (2 * tan_v * WIDE_FIGURE_SHARE))
            spread = max((abs(f.position[0] - stage[0]) for f in figs), default=0.0)
            # ...and far enough that they fit: whole, side by side, with the room around them; someone nearer
            # the camera than the stage (sat on a seat in front of it) needs the camera further back still.
            fit = max(
                ((abs(f.position[0] - stage[0]) + 0.5) / tan_h - (f.position[1] - stage[1]) for f in figs), default=0.0
            )
            dist = max(dist, tallest / (2 * tan_v * 0.55), (spread + 0.8) / tan_h, fit)
            room = stage[1] + d / 2 - 0.2 if interior else dist
            if dist > room:  # a small room: the same view from where the front wall allows, on a wider lens
                lens = max(12.0, lens * room / dist)
                dist = room
            yaw = math.radians(rng.uniform(-12, 12))
            target = [stage[0], stage[1] + 0.5, 1.1 if lib.LOCATION_TYPES[kind]["interior"] else 1.35]
            highest = max((m["top"] for m in ms), default=1.75)
            if highest < 1.2:  # everyone low (lying, crouched): look down at them rather than over them
                target[2] = round(max(0.3, 0.6 * highest), 3)
            pos = [stage[0] - math.sin(yaw) * dist, stage[1] - math.cos(yaw) * dist, 1.6]
    else:  # medium (and ots with a single figure)
        cx = sum(f.position[0] for f in subs) / len(subs)
        cy = sum(f.position[1] for f in subs) / len(subs)
        ms = [figure_metrics(f) for f in subs]
        top, waist = max(m["top"] for m in ms), min(m["hip"] + 0.1 * m["s"] for m in ms)
        fx, fy = sum(forward(f)[0] for f in subs), sum(forward(f)[1] for f in subs) - 0.6 * len(subs)
        if kind == "car_interior":
            fx -= 0.8 * sum(f.position[0] for f in subs)
        n = math.hypot(fx, fy) or 1.0
        spread = max((math.dist(a.position[:2], b.position[:2]) for a in subs for b in subs), default=0.0)
        longest = max(m["length"] for m in ms)
        dist = max((top - waist + 0.3) / 2 / tan_v, (spread / 2 + 0.45) / tan_h, (longest / 2 + 0.3) / tan_h)
        if stype == "ots":
            fx, fy = fx + 0.5 * n, fy
        target = [cx, cy, (top + waist) / 2 + 0.04]
        pos = [cx + fx / n * dist, cy + fy / n * dist, target[2] + 0.05]
    angle, roll = shot.camera_angle.lower(), 0.0
    horiz = math.hypot(pos[0] - target[0], pos[1] - target[1])
    if _has(angle, "overhead", "bird's eye", "birds eye", "top down", "top-down", "aerial"):
        dist = math.dist(pos, target)
        pos = [target[0] + (pos[0] - target[0]) * 0.1, target[1] + (pos[1] - target[1]) * 0.1 - 0.02, target[2] + dist]
    elif _has(angle, "low", "worm's eye", "worms eye"):
        pos[2] = max(0.25, target[2] - horiz * math.tan(math.radians(25)))
    elif _has(angle, "high"):
        pos[2] = target[2] + horiz * math.tan(math.radians(30))
    if _has(angle, "dutch", "canted", "tilted"):
        roll = 15.0
    if lib.LOCATION_TYPES[kind]["interior"] and kind != "car_interior":
        pos = [min(w / 2 - 0.15, max(-w / 2 + 0.15, pos[0])), min(d / 2 - 0.15, max(-d / 2 + 0.15, pos[1])), pos[2]]
        pos[2] = min(h - 0.12, pos[2])
    elif kind == "car_interior":
        pos[2], target[2] = min(h - 0.06, max(1.0, pos[2])), max(0.9, target[2])
    pos[2] = max(0.15, pos[2])
    r3 = lambda v: [round(float(c), 3) for c in v]  # noqa: E731
    # Focus (a final render's depth of field) on the speaker, or the shot's first subject; wides keep more sharp.
    focus = subs[0].name if subs and stype != "insert" else ""
    fstop = {"wide": 5.6, "close-up": 2.0, "insert": 4.0}.get(stype, 2.8)
    return Camera(
        position=r3(pos), target=r3(target), lens_mm=round(lens, 1), sensor_mm=sensor, roll=roll, focus=focus,
        fstop=fstop,
    )  # fmt: skip


def derive_set_spec(
    *,
    heading: str,
    int_ext: str,
    location: str,
    time_of_day: str,
    action: str,
    shot: ShotInfo,
    characters: list[CharacterFigure],
    seed: int,
    set_seed: int | None = None,
    scene_action: str | None = None,
    location_type: str | None = None,
) -> SetSpec:
    """A complete set spec for one shot of one scene; the same inputs and seeds give the same spec.

    `set_seed` draws the set itself (room size, furniture, windows, sun): give every shot of a scene the same
    one and they show the same place from different cameras. `seed` draws what belongs to the shot (props
    its lines mention, camera jitter); without `set_seed` it draws both. `scene_action` (the whole scene's
    action) decides the kind of place and the weather, so a shot whose own lines mention trees stays on the
    scene's street; without it the shot's `action` decides. `location_type` names the set outright (a heading
    that is no place, like a POV, is shot in the set of the scene before it: the caller knows which); without it
    the heading decides, and a heading that names no place falls back on its location and then the default.
    Whatever the heading's words could not settle is said in the spec's `notes`."""
    set_rng = random.Random(seed if set_seed is None else set_seed)
    rng = random.Random(seed) if set_seed is not None else set_rng
    place = action if scene_action is None else scene_action
    kind, notes = _location(heading, int_ext, location, place, location_type)
    tod = normalize_time(time_of_day or heading)
    weather = weather_for(f"{heading} {location} {place}")
    info = lib.LOCATION_TYPES[kind]
    w, d, h = info["dims"]
    if info["interior"] and kind != "car_interior":
        w, d = round(w + set_rng.uniform(-0.4, 0.4), 2), round(d + set_rng.uniform(-0.3, 0.3), 2)
    lit = {"day": 0.0, "afternoon": 0.0, "morning": 0.2, "dawn": 0.5, "dusk": 0.7, "night": 1.0}[tod]
    if info["interior"] and weather in ("rain", "overcast", "snow"):
        lit = min(1.0, lit + 0.3)
    # A shop is dressed for what its heading (else its action) says it sells: a bakery's bread, a bookshop's books.
    shop_kind = lib.shop_kind_for(f"{heading} {location}", place) if kind == "shop" else ""
    props, practicals, windows = lib.layout(kind, (w, d, h), set_rng, lit, shop_kind)
    _fit_building(props, f"{heading} {location}")
    laid_out = len(props)  # the set's own dressing; the action's props come after
    practicals = [p for p in practicals if p["power"] > 0]
    stage = info["stage"]
    if scene_action is not None:
        # Every prop the scene mentions is in every shot of it; the shot's own lines pick its insert prop.
        _add_action_props(props, scene_action, stage, set_rng, kind)
    hero = _add_action_props(props, action, stage, rng, kind)
    # The people placed are the characters given and the shot's subjects, each once (whatever the case).
    chars: list[CharacterFigure] = []
    for ch in [*characters, *(CharacterFigure(name=s) for s in shot.subjects)]:
        if ch.name.strip() and ch.name.upper() not in {c.name.upper() for c in chars}:
            chars.append(ch)
    names = [c.name for c in chars]
    speaker = shot.speaker or staging.speaker_of(action, names)
    speaker = next((n for n in names if n.upper() == speaker.upper()), "")
    shot = shot.model_copy(update={"speaker": speaker})
    figs = _figures(kind, stage, chars, action, action if scene_action is None else scene_action, speaker)
    if shot.shot_type != "insert":  # what someone holds is in their hand, not on a table beside them as well
        held = {f.held for f in figs if f.held}
        gone = {i for i, p in enumerate(props) if i >= laid_out and p["kind"] in held and p["kind"] in lib.SMALL_PROPS}
        if gone:
            hero = -1 if hero in gone else hero - sum(1 for i in gone if i < hero)
            props = [p for i, p in enumerate(props) if i not in gone]
    seated = seat_sitters(figs, props) if kind != "car_interior" else set()
    if shot.shot_type == "ots" and len(figs) >= 2:
        subs = [f for f in figs if f.name.upper() in {s.upper() for s in shot.subjects}]
        b = next((f for f in figs if f.name == speaker), subs[0] if subs else figs[0])
        a = next(f for f in figs if f is not b)
        if a.name not in seated:  # someone on the set's own sofa or chair faces the way it faces
            a.facing = _yaw_towards(b.position[0] - a.position[0], b.position[1] - a.position[1])
        if b.name not in seated:
            b.facing = _yaw_towards(a.position[0] - b.position[0], a.position[1] - b.position[1])
    if kind != "car_interior":  # a chair for whoever sits with no seat of the set's near them
        chairs = [f for f in figs if f.pose == "sitting" and f.name not in seated]
        props += [lib.prop("chair", f.position[0], f.position[1], yaw=f.facing) for f in chairs]
        for f in chairs:
            f.seat_height = round(SEATS["chair"][0] + SEAT_FLESH * f.height / staging.REST_HEIGHT, 3)
    sun, sky = _sun_sky(tod, weather, set_rng)
    if info["interior"] and kind != "car_interior":
        for win in windows:
            wx, wy, aim = _window_centre(win, w, d)
            power = 6.0 + 150.0 * min(1.0, sun.strength / 4.0)
            color = [round(0.5 * sky.color[i] / max(sky.color) + 0.5 * sun.color[i], 3) for i in range(3)]
            practicals.append(
                lib.light(
                    "window light",
                    "area",
                    (wx, wy, win["sill"] + win["height"] / 2),
                    (color[0], color[1], color[2]),
                    power * win["width"] * win["height"] / 2,
                    min(win["width"], 3.0),
                    aim,
                )
            )
    fog_density = {"fog": 0.06, "rain": 0.012, "snow": 0.01}.get(weather, 0.0) * (0.4 if info["interior"] else 1.0)
    fog_color = [round(min(1.0, c * max(0.3, sky.strength)), 3) for c in sky.color]
    res = [640, 360]
    camera = _frame(shot, figs, props, hero, kind, (w, d, h), stage, rng, res[0] / res[1])
    return SetSpec(
        version=1,
        seed=seed,
        location_type=kind,
        dimensions=Dimensions(width=w, depth=d, height=h),
        windows=[Window.model_validate(win) for win in windows],
        time_of_day=tod,
        weather=weather,
        fog=Fog(density=round(fog_density, 4), color=fog_color),
        lights=Lights(sun=sun, sky=sky, practicals=[Practical.model_validate(p) for p in practicals]),
        props=[Prop.model_validate(p) for p in props],
        materials=_materials(kind, tod, weather, lit, props, shop_kind),
        characters=figs,
        camera=camera,
        # Interiors keep their lamps on at night; a lower exposure keeps them reading as night, not as day.
        render=RenderSettings(resolution=res, samples=8, exposure=_exposure(tod, bool(info["interior"]))),
        shot_type=shot.shot_type,
        shop_kind=shop_kind or None,
        notes=notes or None,
    )


# How the house of a house_exterior set is built for the word that names it (width, depth, height scale).
HOUSE_SIZES: dict[str, tuple[float, float, float]] = {
    "shack": (0.55, 0.7, 0.45), "hut": (0.5, 0.6, 0.45), "cabin": (0.7, 0.8, 0.5), "trailer": (1.0, 0.45, 0.45),
    "cottage": (0.75, 0.85, 0.55), "bungalow": (1.0, 0.9, 0.5), "mansion": (1.8, 1.3, 1.0),
    "estate": (1.8, 1.3, 1.0), "villa": (1.5, 1.2, 0.9), "manor": (1.8, 1.3, 1.0), "chateau": (2.0, 1.3, 1.1),
}  # fmt: skip


def _fit_building(props: list[dict], place: str) -> None:
    """A shack is a small low house and a mansion a wide tall one: the set's house takes the size its name says."""
    words = re.findall(r"[a-z]+", place.lower())
    size = next((HOUSE_SIZES[w] for w in reversed(words) if w in HOUSE_SIZES), None)
    if size is None:
        return
    for item in props:
        if item["kind"] == "house":
            # The front stays where it was; a big house stands back behind a lawn, so it fits the frame.
            y_front = item["position"][1] - 3.0 + (6.0 * (size[0] - 1) if size[0] > 1 else 0.0)
            item["scale"] = [size[0], size[1], size[2]]
            item["position"][1] = round(y_front + 3.0 * size[1], 3)
            if size[0] < 1:
                item["material"] = "dark_wood"


def _location(heading: str, int_ext: str, location: str, place: str, chosen: str | None) -> tuple[str, list[str]]:
    """The set to build and what to say about the choice (unmatched words, a heading that is no place)."""
    if chosen is not None:
        if chosen not in lib.LOCATION_TYPES:
            raise SetSpecError(f"location_type must be one of {', '.join(sorted(lib.LOCATION_TYPES))} (got {chosen!r})")
        return chosen, []
    choice: LocationChoice = choose_location(heading, int_ext, location, place)
    notes = list(choice.notes)
    if choice.type == "none":
        # The caller had no previous set to give: the scene's location (a bare heading keeps the one before it).
        inner = choose_location(f"{int_ext or 'INT'}. {location}", int_ext, location, place)
        notes += inner.notes
        return (inner.type if inner.type != "none" else "living_room"), notes
    return choice.type, notes


def _exposure(tod: str, interior: bool) -> float:
    if not interior:
        return 0.0
    return {"day": 0.0, "afternoon": 0.0, "morning": -0.1, "dawn": -0.3, "dusk": -0.5, "night": -1.0}[tod]


def _window_centre(win: dict[str, Any], w: float, d: float) -> tuple[float, float, tuple[float, float, float]]:
    """Where a window sits on its wall (x, y) and a point inside the room its light faces."""
    off = win["offset"]
    x, y = {"back": (off, d / 2 - 0.05), "left": (-w / 2 + 0.05, off), "right": (w / 2 - 0.05, off)}[win["wall"]]
    return x, y, (x * 0.2, y * 0.2, 0.8)
