"""The set spec's shape (TypedDicts) and its check: one clear `ValueError` per impossible parameter. Pure Python."""

from __future__ import annotations

import copy
import math
from typing import Any, NotRequired, TypedDict

from generation.engines import setlibrary as lib


class ShotInfo(TypedDict):
    shot_type: str
    camera_angle: str
    lens_mm: float
    subjects: list[str]


class CharacterFigure(TypedDict):
    name: str
    portrait_path: str
    colour: NotRequired[list[float]]


class Sun(TypedDict):
    strength: float
    elevation: float
    azimuth: float
    color: list[float]


class Sky(TypedDict):
    color: list[float]
    strength: float


class Practical(TypedDict):
    name: str
    kind: str
    position: list[float]
    color: list[float]
    power: float
    size: float
    aim: list[float]


class Lights(TypedDict):
    sun: Sun
    sky: Sky
    practicals: list[Practical]


class Material(TypedDict):
    base_color: list[float]
    roughness: float
    metallic: float
    emission: NotRequired[list[float]]
    emission_strength: NotRequired[float]


class Prop(TypedDict):
    kind: str
    position: list[float]
    rotation: list[float]
    scale: list[float]
    material: str


class Figure(TypedDict):
    name: str
    position: list[float]
    facing: float
    height: float
    color: list[float]
    portrait_path: str
    pose: str
    seat_height: float


class Camera(TypedDict):
    position: list[float]
    target: list[float]
    lens_mm: float
    sensor_mm: float
    roll: float


class RenderSettings(TypedDict):
    resolution: list[int]
    samples: int
    exposure: float


class SetSpec(TypedDict):
    version: int
    seed: int
    location_type: str
    dimensions: dict[str, float]
    windows: list[dict[str, Any]]
    time_of_day: str
    weather: str
    fog: dict[str, Any]
    lights: Lights
    props: list[Prop]
    materials: dict[str, Material]
    characters: list[Figure]
    camera: Camera
    render: RenderSettings
    shot_type: str


REQUIRED = (
    "version",
    "location_type",
    "dimensions",
    "time_of_day",
    "weather",
    "fog",
    "lights",
    "props",
    "materials",
    "characters",
    "camera",
    "render",
)


def _get(obj: Any, key: str | int, path: str) -> Any:
    if isinstance(key, int):
        return obj[key]
    if not isinstance(obj, dict):
        raise ValueError(f"{path or 'spec'} must be an object (got {type(obj).__name__})")
    if key not in obj:
        raise ValueError(f"missing key: {path + '.' if path else ''}{key}")
    return obj[key]


def _num(obj: Any, key: str, path: str, lo: float | None = None, hi: float | None = None) -> float:
    name = f"{path}.{key}" if path else key
    value = _get(obj, key, path)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number (got {value!r})")
    if lo is not None and hi is not None and hi - lo <= 10000 and not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo:g} and {hi:g} (got {value:g})")
    if lo is not None and value < lo:
        raise ValueError(f"{name} must be >= {lo:g} (got {value:g})")
    if hi is not None and value > hi:
        raise ValueError(f"{name} must be <= {hi:g} (got {value:g})")
    return float(value)


def _vec(obj: Any, key: str, path: str, lo: float | None = None, hi: float | None = None, n: int = 3) -> list[float]:
    name = f"{path}.{key}" if path else key
    value = _get(obj, key, path)
    if not isinstance(value, (list, tuple)) or len(value) != n:
        raise ValueError(f"{name} must be a list of {n} numbers (got {value!r})")
    return [_num({f"{key}[{i}]": v}, f"{key}[{i}]", path, lo, hi) for i, v in enumerate(value)]


def _choice(obj: Any, key: str, path: str, options: tuple[str, ...] | list[str]) -> str:
    value = _get(obj, key, path)
    if value not in options:
        name = f"{path}.{key}" if path else key
        raise ValueError(f"{name} must be one of {', '.join(options)} (got {value!r})")
    return str(value)


def _list(obj: Any, key: str, path: str) -> list[Any]:
    value = _get(obj, key, path)
    if not isinstance(value, list):
        raise ValueError(f"{path + '.' if path else ''}{key} must be a list")
    return value


def validate_set_spec(spec: dict[str, Any]) -> SetSpec:
    """A checked copy of `spec`; raises ValueError naming the first impossible or missing parameter."""
    if not isinstance(spec, dict):
        raise ValueError("a set spec must be a JSON object")
    for key in REQUIRED:
        _get(spec, key, "")
    out = copy.deepcopy(spec)
    kind = _choice(out, "location_type", "", sorted(lib.LOCATION_TYPES))
    _choice(out, "time_of_day", "", lib.TIMES)
    _choice(out, "weather", "", lib.WEATHERS)
    dims = _get(out, "dimensions", "")
    for key in ("width", "depth", "height"):
        dims[key] = _num(dims, key, "dimensions", 0.5, 500.0)
    for i, win in enumerate(out.setdefault("windows", [])):
        p = f"windows[{i}]"
        _choice(win, "wall", p, lib.WALLS)
        for key in ("width", "height", "sill"):
            win[key] = _num(win, key, p, 0.0, 50.0)
        win["offset"] = _num(win, "offset", p, -250.0, 250.0)
    fog = _get(out, "fog", "")
    fog["density"] = _num(fog, "density", "fog", 0.0, 10.0)
    fog["color"] = _vec(fog, "color", "fog", 0.0, 1.0)
    lights = _get(out, "lights", "")
    sun = _get(lights, "sun", "lights")
    sun["strength"] = _num(sun, "strength", "lights.sun", 0.0, 1000.0)
    sun["elevation"] = _num(sun, "elevation", "lights.sun", -90.0, 90.0)
    sun["azimuth"] = _num(sun, "azimuth", "lights.sun", -360.0, 720.0)
    sun["color"] = _vec(sun, "color", "lights.sun", 0.0, 1.0)
    sky = _get(lights, "sky", "lights")
    sky["color"] = _vec(sky, "color", "lights.sky", 0.0, 1.0)
    sky["strength"] = _num(sky, "strength", "lights.sky", 0.0, 100.0)
    for i, pr in enumerate(_list(lights, "practicals", "lights")):
        p = f"lights.practicals[{i}]"
        _choice(pr, "kind", p, lib.LIGHT_KINDS)
        pr["position"] = _vec(pr, "position", p)
        pr["color"] = _vec(pr, "color", p, 0.0, 1.0)
        pr["power"] = _num(pr, "power", p, 0.0, 1e6)
        pr["size"] = _num(pr, "size", p, 0.0, 100.0)
        pr["aim"] = _vec(pr, "aim", p) if "aim" in pr else [pr["position"][0], pr["position"][1], 0.0]
        pr.setdefault("name", f"light {i + 1}")
    mats = _get(out, "materials", "")
    if not isinstance(mats, dict):
        raise ValueError("materials must be an object of name -> material")
    for name, mat in mats.items():
        p = f"materials.{name}"
        mat["base_color"] = _vec(mat, "base_color", p, 0.0, 1.0)
        mat["roughness"] = _num(mat, "roughness", p, 0.0, 1.0)
        mat["metallic"] = _num(mat, "metallic", p, 0.0, 1.0)
        if "emission" in mat or "emission_strength" in mat:
            mat["emission"] = _vec(mat, "emission", p, 0.0, 1.0)
            mat["emission_strength"] = _num(mat, "emission_strength", p, 0.0, 1000.0)
    needed = {*lib.shell_materials(kind)}
    for i, pr in enumerate(_list(out, "props", "")):
        p = f"props[{i}]"
        _choice(pr, "kind", p, lib.PROP_KINDS)
        pr["position"] = _vec(pr, "position", p)
        pr["rotation"] = _vec(pr, "rotation", p, -720.0, 720.0)
        pr["scale"] = _vec(pr, "scale", p, 0.01, 200.0)
        if _get(pr, "material", p) not in mats:
            raise ValueError(f"{p}.material: unknown material {pr['material']!r} (not in materials)")
        needed |= {part[3] for part in lib.prop_parts(pr["kind"], tuple(pr["scale"])) if part[3] != "main"}
    missing = sorted(needed - set(mats))
    if missing:
        raise ValueError(f"materials: missing {', '.join(missing)} (needed by the {kind} set and its props)")
    for i, fig in enumerate(_list(out, "characters", "")):
        p = f"characters[{i}]"
        if not isinstance(_get(fig, "name", p), str):
            raise ValueError(f"{p}.name must be text")
        fig["position"] = _vec(fig, "position", p)
        fig["facing"] = _num(fig, "facing", p, -720.0, 720.0)
        fig["height"] = _num(fig, "height", p, 0.3, 3.0)
        fig["color"] = _vec(fig, "color", p, 0.0, 1.0)
        if not isinstance(fig.setdefault("portrait_path", ""), str):
            raise ValueError(f"{p}.portrait_path must be a file path or empty")
        fig["pose"] = _choice(fig, "pose", p, lib.POSES) if "pose" in fig else "standing"
        fig["seat_height"] = _num(fig, "seat_height", p, 0.0, 2.0) if "seat_height" in fig else 0.45
    cam = _get(out, "camera", "")
    cam["position"] = _vec(cam, "position", "camera")
    cam["target"] = _vec(cam, "target", "camera")
    if math.dist(cam["position"], cam["target"]) < 1e-3:
        raise ValueError("camera.target must differ from camera.position")
    cam["lens_mm"] = _num(cam, "lens_mm", "camera", 8.0, 300.0)
    cam["sensor_mm"] = _num(cam, "sensor_mm", "camera", 1.0, 100.0) if "sensor_mm" in cam else 36.0
    cam["roll"] = _num(cam, "roll", "camera", -180.0, 180.0) if "roll" in cam else 0.0
    render = _get(out, "render", "")
    res = _vec(render, "resolution", "render", 64, 4096, n=2)
    render["resolution"] = [int(v) for v in res]
    samples = _num(render, "samples", "render", 1, 4096)
    if samples != int(samples):
        raise ValueError(f"render.samples must be a whole number (got {samples:g})")
    render["samples"] = int(samples)
    render["exposure"] = _num(render, "exposure", "render", -10.0, 10.0) if "exposure" in render else 0.0
    return out  # type: ignore[return-value]
