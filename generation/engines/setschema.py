"""The set spec's shape, as pydantic models, and its one check. Pure Python (pydantic), no Django, no bpy.

`validate_set_spec` is the one way a spec from outside (a person's edit, the database, the render pipe)
becomes a `SetSpec`: it raises `SetSpecError` (a ValueError) naming the first impossible or missing
parameter, as a person reads it (`lights.practicals[0].power must be >= 0 (got -5)`). `model_dump(mode="json")`
gives back the JSON stored on a frame: the same keys, the optional ones filled in, unknown keys kept.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from generation.engines import setlibrary as lib


class SetSpecError(ValueError):
    """A set spec that can't be built; the message names the parameter and what it must be."""


def _number(value: Any, lo: float | None = None, hi: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"must be a number (got {value!r})")
    if lo is not None and hi is not None and hi - lo <= 10000 and not lo <= value <= hi:
        raise ValueError(f"must be between {lo:g} and {hi:g} (got {value:g})")
    if lo is not None and value < lo:
        raise ValueError(f"must be >= {lo:g} (got {value:g})")
    if hi is not None and value > hi:
        raise ValueError(f"must be <= {hi:g} (got {value:g})")
    return float(value)


def within(lo: float | None = None, hi: float | None = None) -> PlainValidator:
    """A finite number (not a bool), as a float, inside the bounds given."""
    return PlainValidator(lambda value: _number(value, lo, hi))


def whole(lo: float, hi: float) -> PlainValidator:
    """A whole number inside the bounds; 3.0 is 3, 2.5 is refused."""

    def check(value: Any) -> int:
        number = _number(value, lo, hi)
        if number != int(number):
            raise ValueError(f"must be a whole number (got {number:g})")
        return int(number)

    return PlainValidator(check)


def one_of(options: tuple[str, ...] | list[str]) -> PlainValidator:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)} (got {value!r})")
        return str(value)

    return PlainValidator(check)


def text(message: str) -> PlainValidator:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(message)
        return value

    return PlainValidator(check)


def sized(n: int) -> BeforeValidator:
    """A list (or tuple) of exactly n items; each item is then checked on its own (`color[1] must be ...`)."""

    def check(value: Any) -> list[Any]:
        if not isinstance(value, (list, tuple)) or len(value) != n:
            raise ValueError(f"must be a list of {n} numbers (got {value!r})")
        return list(value)

    return BeforeValidator(check)


Number = Annotated[float, within()]
Unit = Annotated[float, within(0.0, 1.0)]
Point = Annotated[list[Number], sized(3)]
Colour = Annotated[list[Unit], sized(3)]
Angles = Annotated[list[Annotated[float, within(-720.0, 720.0)]], sized(3)]
Scale = Annotated[list[Annotated[float, within(0.01, 200.0)]], sized(3)]


class SpecPart(BaseModel):
    """A part of a set spec: unknown keys are kept as they came, an optional key left out stays out."""

    model_config = ConfigDict(extra="allow")

    @model_serializer(mode="wrap")
    def _leave_out_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        fields = type(self).model_fields
        return {key: value for key, value in data.items() if value is not None or key not in fields}


# What a shot and its people ask of a set (the inputs of `setspec.derive_set_spec`).


class ShotInfo(BaseModel):
    shot_type: str
    camera_angle: str = ""
    lens_mm: float = 0.0  # 0: the usual lens for the shot type
    subjects: list[str] = Field(default_factory=list)
    speaker: str = ""  # who speaks in the shot; "": the first cue of its lines naming a subject, if any


class CharacterFigure(BaseModel):
    name: str
    portrait_path: str = ""
    colour: list[float] | None = None
    look: str = ""  # the character's look (and bio): sex, age, build and hair are read from it
    script: str = ""  # what the script's action lines say of them (physique.read_script_cues): heard after the look


# The set spec.


class Dimensions(SpecPart):
    width: Annotated[float, within(0.5, 500.0)]
    depth: Annotated[float, within(0.5, 500.0)]
    height: Annotated[float, within(0.5, 500.0)]


class Window(SpecPart):
    wall: Annotated[str, one_of(lib.WALLS)]
    width: Annotated[float, within(0.0, 50.0)]
    height: Annotated[float, within(0.0, 50.0)]
    sill: Annotated[float, within(0.0, 50.0)]
    offset: Annotated[float, within(-250.0, 250.0)]


class Fog(SpecPart):
    density: Annotated[float, within(0.0, 10.0)]
    color: Colour


class Sun(SpecPart):
    strength: Annotated[float, within(0.0, 1000.0)]
    elevation: Annotated[float, within(-90.0, 90.0)]
    azimuth: Annotated[float, within(-360.0, 720.0)]
    color: Colour


class Sky(SpecPart):
    color: Colour
    strength: Annotated[float, within(0.0, 100.0)]


class Practical(SpecPart):
    name: str | None = None  # left out: "light <n>"
    kind: Annotated[str, one_of(lib.LIGHT_KINDS)]
    position: Point
    color: Colour
    power: Annotated[float, within(0.0, 1e6)]
    size: Annotated[float, within(0.0, 100.0)]
    aim: Point = Field(default_factory=list)  # left out: straight down, to the floor under the light

    @model_validator(mode="after")
    def _aim_down(self) -> Practical:
        if not self.aim:
            self.aim = [self.position[0], self.position[1], 0.0]
        return self


class Lights(SpecPart):
    sun: Sun
    sky: Sky
    practicals: list[Practical]

    @model_validator(mode="after")
    def _name_lights(self) -> Lights:
        for i, light in enumerate(self.practicals):
            if light.name is None:
                light.name = f"light {i + 1}"
        return self


class Material(SpecPart):
    base_color: Colour
    roughness: Unit
    metallic: Unit
    emission: Colour | None = None  # both or neither
    emission_strength: Annotated[float, within(0.0, 1000.0)] | None = None

    @model_validator(mode="after")
    def _emission_in_pairs(self) -> Material:
        if (self.emission is None) != (self.emission_strength is None):
            key = "emission" if self.emission is None else "emission_strength"
            raise PydanticCustomError("missing", "missing key {key}", {"key": key})
        return self


class Prop(SpecPart):
    kind: Annotated[str, one_of(lib.PROP_KINDS)]
    position: Point
    rotation: Angles
    scale: Scale
    material: Annotated[str, text("must be the name of a material")]


BODY_KINDS = ("man", "woman", "boy", "girl")
HAIR_STYLES = ("short", "long", "bald", "bun")
DRESSES = ("skirt", "dress", "gown")
JACKETS = ("jacket", "suit", "coat")
HATS = ("hat", "cap")
HELD_THINGS = ("phone", "gun", "rifle", "glass", "cup", "bottle", "book", "bag", "briefcase", "knife", "flowers",
               "paper")  # fmt: skip


class Figure(SpecPart):
    name: Annotated[str, text("must be text")]
    position: Point
    facing: Annotated[float, within(-720.0, 720.0)]
    height: Annotated[float, within(0.3, 3.0)]
    color: Colour
    portrait_path: Annotated[str, text("must be a file path or empty")] = ""
    pose: Annotated[str, one_of(lib.POSES)] = "standing"
    seat_height: Annotated[float, within(0.0, 2.0)] = 0.45
    # Shoulder and hip width, and limb thickness (left out: 1, as specs stored before builds read).
    build: Annotated[float, within(0.6, 1.6)] | None = None
    # The body (left out: a man's), the hair (style and colour) and a beard, read from the character's look.
    body: Annotated[str, one_of(BODY_KINDS)] | None = None
    hair: Annotated[str, one_of(HAIR_STYLES)] | None = None
    hair_color: Colour | None = None
    beard: bool | None = None
    # Clothes the look names (left out: top and trousers, bareheaded) and what a holding figure holds (left
    # out: a book-sized box), as specs stored before clothes and held things read.
    dress: Annotated[str, one_of(DRESSES)] | None = None
    jacket: Annotated[str, one_of(JACKETS)] | None = None
    hat: Annotated[str, one_of(HATS)] | None = None
    held: Annotated[str, one_of(HELD_THINGS)] | None = None


class Camera(SpecPart):
    position: Point
    target: Point
    lens_mm: Annotated[float, within(8.0, 300.0)]
    sensor_mm: Annotated[float, within(1.0, 100.0)] = 36.0
    roll: Annotated[float, within(-180.0, 180.0)] = 0.0
    # The figure a final render keeps sharp (depth of field) and the aperture; left out: no depth of field.
    focus: Annotated[str, text("must be a figure's name or empty")] | None = None
    fstop: Annotated[float, within(0.5, 64.0)] | None = None


class RenderSettings(SpecPart):
    # 640.7 pixels is 640: a resolution is truncated, samples must be whole.
    resolution: Annotated[list[Annotated[int, PlainValidator(lambda v: int(_number(v, 64, 4096)))]], sized(2)]
    samples: Annotated[int, whole(1, 4096)]
    exposure: Annotated[float, within(-10.0, 10.0)] = 0.0


def _materials_object(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("must be an object of name -> material")
    return value


class SetSpec(SpecPart):
    """One shot's set: the place, its light and weather, props, people and the camera."""

    version: int
    seed: int | None = None
    location_type: Annotated[str, one_of(sorted(lib.LOCATION_TYPES))]
    dimensions: Dimensions
    windows: list[Window] = Field(default_factory=list)
    time_of_day: Annotated[str, one_of(lib.TIMES)]
    weather: Annotated[str, one_of(lib.WEATHERS)]
    fog: Fog
    lights: Lights
    props: list[Prop]
    materials: Annotated[dict[str, Material], BeforeValidator(_materials_object)]
    characters: list[Figure]
    camera: Camera
    render: RenderSettings
    shot_type: str | None = None
    # What a shop sells (one of `SHOP_KINDS`), where its heading says: it is dressed for it.
    shop_kind: Annotated[str, one_of(sorted(lib.SHOP_KINDS))] | None = None
    # What the set's choice could not settle from the heading (unmatched words, a heading that is no place).
    notes: list[str] | None = None

    @model_validator(mode="after")
    def _buildable(self) -> SetSpec:
        """Every material the set and its props use exists, and the camera looks somewhere."""
        needed = {*lib.shell_materials(self.location_type)}
        for i, prop in enumerate(self.props):
            if prop.material not in self.materials:
                raise ValueError(f"props[{i}].material: unknown material {prop.material!r} (not in materials)")
            scale = (prop.scale[0], prop.scale[1], prop.scale[2])
            needed |= {part[3] for part in lib.prop_parts(prop.kind, scale) if part[3] != "main"}
        missing = sorted(needed - set(self.materials))
        if missing:
            raise ValueError(
                f"materials: missing {', '.join(missing)} (needed by the {self.location_type} set and its props)"
            )
        if math.dist(self.camera.position, self.camera.target) < 1e-3:
            raise ValueError("camera.target must differ from camera.position")
        return self


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


def _message(error: ErrorDetails) -> str:
    """One pydantic error as a person reads it, naming the parameter the way the spec's JSON spells it."""
    path, kind, ctx = _path(error["loc"]), error["type"], error.get("ctx") or {}
    if kind == "missing":
        key = ctx.get("key")
        return f"missing key: {path}.{key}" if key else f"missing key: {path}"
    if kind == "value_error":
        return f"{path} {ctx['error']}" if path else str(ctx["error"])
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if not path:
            return "a set spec must be a JSON object"
        return f"{path} must be an object (got {type(error['input']).__name__})"
    if kind == "list_type":
        return f"{path} must be a list"
    if kind == "string_type":
        return f"{path} must be text"
    return f"{path or 'spec'}: {error['msg']}"


def validate_set_spec(spec: Any) -> SetSpec:
    """The checked spec; raises SetSpecError naming the first impossible or missing parameter."""
    try:
        return SetSpec.model_validate(spec)
    except ValidationError as exc:
        raise SetSpecError(_message(exc.errors()[0])) from exc
