"""Faces people can tell apart: identity rates from face fingerprints, and the badges' precision by eye.

    .venv/bin/python bench/face_identity.py [--identities 50] [--variations 3] [--faces 50] [--seed 0]
                                            [--device cpu|cuda] [--out DIR]

1. Variations keep their identity: for each of --identities random faces, --variations variations at
   strengths 0.1, 0.2 and 0.35 (gan.jitter), and the share whose fingerprint is within dlib's 0.6 of
   the identity's (the studio promises strength <= 0.2 is the same person).
2. Random faces are different people: among --faces random faces, the share of pairs 0.6 or more apart,
   and how often a random candidate would be refused for a cast of 2, 4 or 6 main characters.
3. Badges: precision of the sure calls against tests/data/faces/labels.json: on the 72 "test" faces
   labelled by eye (held out), and on the 64 "calibration" faces the margins were set on.
With --out, writes variations.png (an identity, then its variations at each strength, distances printed)
and closest.png (the closest pairs of random faces) to look at.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from generation.engines import face_attributes as fa  # noqa: E402
from generation.engines import face_badges, face_identity, gan  # noqa: E402

STRENGTHS = (0.1, 0.2, 0.35)
FACES = BASE / "tests" / "data" / "faces"


def labelled(part: str) -> tuple[dict[str, np.ndarray], list[dict[str, object]]]:
    """Measurements and eye labels of one set of labelled faces: "calibration" (seed 4) or "test" (seed 3)."""
    from PIL import Image

    faces = [f for f in json.loads((FACES / "labels.json").read_text())["faces"] if f["set"] == part]
    images = np.stack([np.asarray(Image.open(FACES / f["file"]).convert("RGB")) for f in faces])
    return fa.measure_values(images), faces


def sheet(rows: list[list[np.ndarray]], captions: list[list[str]], path: Path) -> None:
    from PIL import Image, ImageDraw

    size, pad, text = 128, 6, 14
    width = max(len(r) for r in rows) * (size + pad) + pad
    out = Image.new("RGB", (width, len(rows) * (size + pad + text) + pad), (255, 255, 255))
    draw = ImageDraw.Draw(out)
    for r, (faces, words) in enumerate(zip(rows, captions, strict=True)):
        y = pad + r * (size + pad + text)
        for c, (face, word) in enumerate(zip(faces, words, strict=True)):
            x = pad + c * (size + pad)
            out.paste(Image.fromarray(face).resize((size, size), Image.Resampling.BICUBIC), (x, y + text))
            draw.text((x + 2, y), word, fill=(0, 0, 0))
    out.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--identities", type=int, default=50)
    parser.add_argument("--variations", type=int, default=3)
    parser.add_argument("--faces", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    generator = gan.load_generator(gan.default_spec(), device=args.device)
    started = time.perf_counter()
    prints = face_identity.load_fingerprinter()
    print(f"fingerprint models loaded in {time.perf_counter() - started:.1f} s (dlib, CPU)")
    threshold = face_identity.SAME_PERSON

    # 1. Variations.
    identities = gan.latents_for(1000 + args.seed, args.identities)
    faces = generator.faces(identities)
    t0 = time.perf_counter()
    source = prints.fingerprints(faces)
    per_face = (time.perf_counter() - t0) / len(faces)
    print(f"{per_face * 1000:.0f} ms a face to fingerprint")
    print(
        f"\n1. variations of {args.identities} identities, {args.variations} each; same person = distance < {threshold}"
    )
    print(f"{'strength':>8} {'same person':>12} {'median':>7} {'p95':>6} {'max':>6}")
    examples: list[list[np.ndarray]] = [[f] for f in faces[:6]]
    words: list[list[str]] = [["identity"] for _ in range(6)]
    for strength in STRENGTHS:
        gaps: list[float] = []
        for i, z in enumerate(identities):
            latents = gan.jitter(z, strength=strength, seed=args.seed * 10000 + i, count=args.variations)
            varied = generator.faces(latents)
            found = face_identity.distances(prints.fingerprints(varied), source[i])[:, 0]
            gaps.extend(found)
            if i < 6:
                examples[i].append(varied[0])
                words[i].append(f"{strength}: {found[0]:.2f}")
        g = np.asarray(gaps)
        print(
            f"{strength:8.2f} {(g < threshold).mean():11.1%} {np.median(g):7.3f} "
            f"{np.percentile(g, 95):6.3f} {g.max():6.3f}"
        )

    # 2. Random faces.
    pool = generator.faces(gan.latents_for(2000 + args.seed, args.faces))
    fps = prints.fingerprints(pool)
    d = face_identity.distances(fps, fps)
    pairs = d[np.triu_indices(len(pool), 1)]
    print(f"\n2. {args.faces} random faces, {len(pairs)} pairs")
    print(f"distinct pairs (>= {threshold}): {(pairs >= threshold).mean():.1%}; median distance {np.median(pairs):.3f}")
    rng = np.random.default_rng(args.seed)
    for cast in (2, 4, 6):
        refused = []
        for _ in range(200):
            pick = rng.choice(len(pool), size=cast + 1, replace=False)
            refused.append(bool((d[pick[0], pick[1:]] < threshold).any()))
        print(f"a random candidate refused beside {cast} other main characters with faces: {np.mean(refused):.0%}")

    # 3. Badges.
    test, test_eye = labelled("test")
    badges = face_badges.precision(test, test_eye)
    print(f"\n3. badges on {len(test_eye)} faces labelled by eye and held out (tests/data/faces, seed 3)")
    print(
        f"sure calls right: {badges['precision']:.1%} of {badges['shown']} (coverage {badges['coverage']:.0%} of "
        f"{badges['labelled']} labels); ✗ badges right: {badges['cross_precision']:.1%}"
    )
    for attribute, t in badges["per_attribute"].items():
        share = t["right"] / t["shown"] if t["shown"] else float("nan")
        badged = f"badged {t['shown']}/{t['labelled']}"
        print(f"  {attribute:12} {t['right']:3d}/{t['shown']:3d} right = {share:6.1%}, {badged}")
    every = {a: dict.fromkeys(fa.ATTRIBUTES[a], -9.0) for a in face_badges.LABELLED}
    print(f"every call badged (no margin): {face_badges.precision(test, test_eye, sure=every)['precision']:.1%}")
    calibration, calibration_eye = labelled("calibration")
    own = face_badges.precision(calibration, calibration_eye)
    print(
        f"on the {len(calibration_eye)} calibration faces the margins were set on (seed 4): {own['precision']:.1%} "
        f"of {own['shown']}"
    )

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        sheet(examples, words, args.out / "variations.png")
        closest = np.dstack(
            np.unravel_index(np.argsort(np.where(np.triu(np.ones_like(d), 1) > 0, d, 9).ravel()), d.shape)
        )[0]
        rows = [[pool[i], pool[j]] for i, j in closest[:6]]
        sheet(rows, [[f"{d[i, j]:.2f}", ""] for i, j in closest[:6]], args.out / "closest.png")
        print(f"\nwrote {args.out / 'variations.png'} and {args.out / 'closest.png'}")


if __name__ == "__main__":
    main()
