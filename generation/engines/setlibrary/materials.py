"""The materials sets and props are painted with (Principled BSDF parameters; Workbench shows base colour)."""

from __future__ import annotations

from typing import Any

Vec = tuple[float, float, float]


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
# Materials the sets added after the first seven (kept apart so a spec carries them only when it uses them).
EXTRA_MATERIALS: dict[str, dict[str, Any]] = {
    "porcelain": _m((0.92, 0.93, 0.94), 0.15),
    "tile": _m((0.7, 0.8, 0.82), 0.3),
    "grass": _m((0.18, 0.36, 0.1), 0.9),
    "sand": _m((0.76, 0.64, 0.42), 0.95),
    "snow": _m((0.9, 0.92, 0.96), 0.6),
    "stone": _m((0.52, 0.5, 0.47), 0.85),
    "dirt": _m((0.36, 0.26, 0.16), 0.95),
    "canvas": _m((0.9, 0.87, 0.78), 0.9),
    "hull": _m((0.85, 0.85, 0.82), 0.35),
    "rope": _m((0.62, 0.5, 0.32), 0.95),
    "chalkboard": _m((0.08, 0.2, 0.14), 0.8),
    "gold": _m((0.85, 0.65, 0.2), 0.25, 1.0),
    "stained_glass": _m((0.35, 0.2, 0.6), 0.2, 0.0, (0.6, 0.35, 1.0), 1.5),
    "cactus": _m((0.22, 0.4, 0.18), 0.8),
    "rubber": _m((0.03, 0.03, 0.03), 0.9),
    "siding": _m((0.82, 0.8, 0.72), 0.8),
    "roof": _m((0.25, 0.14, 0.12), 0.85),
    "hospital": _m((0.72, 0.85, 0.8), 0.5),
    "steel": _m((0.45, 0.47, 0.5), 0.4, 0.8),
    "goods": _m((0.75, 0.3, 0.15), 0.6),
    "goods_blue": _m((0.15, 0.35, 0.7), 0.6),
    "yellow": _m((0.9, 0.7, 0.1), 0.5),
    "bus_paint": _m((0.85, 0.6, 0.08), 0.3, 0.4),
    "truck_paint": _m((0.15, 0.25, 0.45), 0.3, 0.5),
    "rust": _m((0.45, 0.22, 0.1), 0.9),
    "bottle_glass": _m((0.2, 0.12, 0.04), 0.1, 0.2),
    "light_beam": _m((1.0, 0.95, 0.8), 0.5, 0.0, (1.0, 0.9, 0.6), 6.0),
    # the shops' goods
    "bread": _m((0.72, 0.45, 0.18), 0.8),
    "crust": _m((0.5, 0.27, 0.1), 0.8),
    "orange": _m((0.95, 0.45, 0.05), 0.5),
    "pink": _m((0.95, 0.42, 0.62), 0.6),
    "meat": _m((0.62, 0.1, 0.1), 0.4),
    "green_glass": _m((0.08, 0.3, 0.12), 0.1, 0.2),
    "cardboard": _m((0.62, 0.48, 0.3), 0.9),
    "pharmacy_green": _m((0.1, 0.75, 0.3), 0.4, 0.0, (0.1, 1.0, 0.35), 3.0),
}
