"""Where a set spec's people land in its camera's frame, by a pinhole projection in pure Python (no Blender)."""

from __future__ import annotations

import math

from generation.engines import staging
from generation.engines.setschema import Camera, Figure, SetSpec
from generation.engines.setspec import figure_joints


def frame_box(camera: Camera, points: list[tuple[float, float, float]], aspect: float) -> tuple[float, ...]:
    """Where points land in the camera's frame: (x0, y0, x1, y1) in [-1, 1] units of the half-frame (a pinhole)."""
    pos, target = camera.position, camera.target
    fwd = [t - p for t, p in zip(target, pos, strict=True)]
    n = math.sqrt(sum(c * c for c in fwd))
    fwd = [c / n for c in fwd]
    right = [fwd[1], -fwd[0], 0.0]
    rn = math.hypot(right[0], right[1])
    right = [c / rn for c in right]
    up = [right[1] * fwd[2] - right[2] * fwd[1], right[2] * fwd[0] - right[0] * fwd[2],
          right[0] * fwd[1] - right[1] * fwd[0]]  # fmt: skip
    tan_h = camera.sensor_mm / 2 / camera.lens_mm
    tan_v = tan_h / aspect
    xs, ys = [], []
    for p in points:
        d = [a - b for a, b in zip(p, pos, strict=True)]
        z = sum(a * b for a, b in zip(d, fwd, strict=True))
        assert z > 0, "a figure behind the camera"
        xs.append(sum(a * b for a, b in zip(d, right, strict=True)) / z / tan_h)
        ys.append(sum(a * b for a, b in zip(d, up, strict=True)) / z / tan_v)
    return min(xs), min(ys), max(xs), max(ys)


def figure_share(spec: SetSpec, fig: Figure) -> tuple[float, tuple[float, ...]]:
    """How big the figure is in the frame, in frame heights: its height there (or its length, lying down); and
    its frame box."""
    aspect = spec.render.resolution[0] / spec.render.resolution[1]
    box = frame_box(spec.camera, staging.outline(figure_joints(fig), fig.height), aspect)
    return max((box[3] - box[1]) / 2, (box[2] - box[0]) / 2 * aspect), box
