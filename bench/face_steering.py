"""Steering faces by description: how often the top candidates agree with what a description says.

    .venv/bin/python bench/face_steering.py [--device cpu|cuda] [--top 4] [--pools 64,256] [--seed 0]

For each of face_attributes.TEST_DESCRIPTIONS, draws a pool of faces, ranks them by the attributes the
description states, and compares the share of those attributes that the top candidates match with the
share over the whole pool (what picking at random gives). This is agreement with our own pixel-region
classifier; its per-class accuracy by eye is in the face_attributes module docstring.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from generation.engines import face_attributes as fa  # noqa: E402
from generation.engines.gan import default_spec, latents_for, load_generator  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--top", type=int, default=4)
    parser.add_argument("--pools", default="64,256")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="also print each description's figures")
    args = parser.parse_args()

    started = time.perf_counter()
    generator = load_generator(default_spec(), device=args.device)
    print(f"generator loaded in {time.perf_counter() - started:.1f} s on {args.device}")
    generator.faces(latents_for(0, 64))  # warm up
    t0 = time.perf_counter()
    images = generator.faces(latents_for(1, 256))
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    fa.measure_values(images)
    t_measure = time.perf_counter() - t0
    print(f"256 faces: drawn in {t_gen:.2f} s, measured in {t_measure * 1000:.0f} ms")
    print(f"{len(fa.TEST_DESCRIPTIONS)} test descriptions, top {args.top}, seed {args.seed}")

    for pool in [int(p) for p in args.pools.split(",")]:
        t0 = time.perf_counter()
        result = fa.agreement(generator, fa.TEST_DESCRIPTIONS, pool=pool, top=args.top, seed=args.seed)
        elapsed = time.perf_counter() - t0
        top, base = result["overall_top"], result["overall_pool"]
        print()
        print(f"pool {pool}: {elapsed:.1f} s ({elapsed / len(fa.TEST_DESCRIPTIONS) * 1000:.0f} ms a description)")
        print(f"{'attribute':18} {'descr.':>6} {'top-' + str(args.top):>7} {'pool':>7} {'lift':>6}")
        print(
            f"{'overall':18} {len(result['per_description']):6d} {top:7.1%} {base:7.1%} {top / max(base, 1e-9):5.2f}x"
        )
        for attribute, stats in sorted(result["per_attribute"].items()):
            lift = stats["top"] / max(stats["pool"], 1e-9)
            print(f"{attribute:18} {stats['n']:6d} {stats['top']:7.1%} {stats['pool']:7.1%} {lift:5.2f}x")
        if args.verbose:
            for row in result["per_description"]:
                print(f"  {row['top']:6.1%} vs {row['pool']:6.1%}  {row['description']}")
        print(f"target top-{args.top} > pool: {'PASS' if top > base else 'FAIL'}")


if __name__ == "__main__":
    main()
