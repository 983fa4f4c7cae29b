"""Storyboard frame render times (Blender as a module) and the warm render child against a cold one per frame.

    .venv/bin/python bench/render.py [--device cpu|cuda] [--frames 5] [--size 640x360]

Draft is Workbench, final is Cycles (8 samples + OIDN). The warm path reuses one `RenderProcess` for all
frames; the cold path starts a new `python -m generation.engines.render_worker` for every frame, so it
pays for the bpy import and Blender's first-render set-up each time.

Target (issue 6): the warm child at least 3x faster per frame than a cold process. Both modes are judged. For
final frames it also prints where the time goes inside Blender (scene sync, sampling, OIDN) and the ceiling:
the ratio a warm process would reach if everything but sampling and denoising were free. On a CPU that ceiling
is close to 1x, because sampling dominates; on a GPU the cold path also pays for loading the CUDA/OptiX kernels.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from generation.engines.render_worker import RenderProcess  # noqa: E402
from generation.engines.setspec import CharacterFigure, ShotInfo, derive_set_spec  # noqa: E402


def spec_for(frame: int, size: tuple[int, ...]) -> dict[str, Any]:
    """A different shot of the same diner scene per frame, as a storyboard renders them: one set, other cameras."""
    shot_type = ("close-up", "medium", "wide", "ots")[frame % 4]
    spec: dict[str, Any] = derive_set_spec(
        heading="INT. JOE'S DINER - NIGHT", int_ext="INT", location="JOE'S DINER", time_of_day="NIGHT",
        action="Mara sips her coffee at the counter. Joe watches the rain.",
        shot=ShotInfo(shot_type=shot_type, camera_angle="eye level", lens_mm=0, subjects=["MARA"]),
        characters=[CharacterFigure(name="MARA"), CharacterFigure(name="JOE")], seed=frame,
        set_seed=1, scene_action="Mara sips her coffee at the counter. Joe watches the rain.",
    ).model_dump(mode="json")  # fmt: skip
    spec["render"]["resolution"] = list(size)
    return spec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--frames", type=int, default=5)
    parser.add_argument("--size", default="640x360")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    device = "cpu" if args.device == "cpu" else "auto"
    out = Path(tempfile.mkdtemp(prefix="fs-bench-render-"))

    warm = RenderProcess()
    started = time.perf_counter()
    warm.start()
    print(f"child started in {time.perf_counter() - started:.2f} s (bpy import {warm.import_seconds:.2f} s)")
    first = warm.render(spec_for(0, size), out / "warmup", "final", device=device)
    if args.device == "cuda" and first["engine"] == "CYCLES-CPU":
        warm.close()
        raise SystemExit("no CUDA/OptiX device here")
    warm.render(spec_for(0, size), out / "warmup", "draft", device=device)
    print(f"device: {first['engine']}, {size[0]}x{size[1]}, {first['samples']} samples")

    rows = []
    phases: dict[str, list[float]] = {}
    for mode in ("draft", "final"):
        warm_times, render_times, cold_times = [], [], []
        for i in range(args.frames):
            t0 = time.perf_counter()
            result = warm.render(spec_for(i, size), out / f"warm-{mode}-{i}", mode, device=device)
            warm_times.append(time.perf_counter() - t0)
            render_times.append(result["seconds"])
            if mode == "final":
                for name, value in result.get("phases", {}).items():
                    phases.setdefault(name, []).append(value)
        for i in range(args.frames):
            t0 = time.perf_counter()
            cold = RenderProcess()
            cold.render(spec_for(i, size), out / f"cold-{mode}-{i}", mode, device=device)
            cold_times.append(time.perf_counter() - t0)
            cold.close()
        rows.append((mode, statistics.mean(render_times), statistics.mean(warm_times), statistics.mean(cold_times)))
    warm.close()

    print(f"{'mode':6} {'in child':>9} {'warm/frame':>11} {'cold/frame':>11} {'cold/warm':>10}")
    for mode, inside, w, c in rows:
        print(f"{mode:6} {inside:8.2f}s {w:10.2f}s {c:10.2f}s {c / w:9.2f}x")
    mean = {name: statistics.mean(values) for name, values in phases.items()}
    if {"sampling", "denoise"} <= mean.keys():
        parts = ", ".join(f"{name} {mean[name]:.2f}s" for name in ("build", "sync", "sampling", "denoise", "finish"))
        floor = mean["sampling"] + mean["denoise"]
        print(f"final frame in the child: {parts}; ceiling cold/(sampling+denoise) = {rows[1][3] / floor:.2f}x")
    for mode, _, w, c in rows:
        ratio = c / w
        print(
            f"target warm >= 3.00x faster than cold per {mode} frame: {'PASS' if ratio >= 3 else 'FAIL'} ({ratio:.2f}x)"
        )


if __name__ == "__main__":
    main()
