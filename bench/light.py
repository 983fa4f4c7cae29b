"""Light: Cycles night against day, and how legible faces are in Workbench drafts at every time of day.

    .venv/bin/python bench/light.py [--size 320x180] [--samples 8] [--out DIR]

1. Cycles (final): an apartment and a street by DAY and by NIGHT. Mean luminance and mean colour of each
   frame, night over day, and the practicals: pixels brighter than 0.6 (lamps, lit windows).
2. Workbench (draft): the same places at DAWN, DAY, DUSK and NIGHT in a close-up and a medium, with the
   darkest and a middling face of tests/data/faces as the portrait. The face region (where a checkerboard
   portrait shows in the same shot) must average at least 0.25 luminance; the set's mean colour says the hour.
With --out, writes cycles.png (day over night) and drafts.png (the dark face at each hour) to look at.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from generation.engines.render_worker import RenderProcess  # noqa: E402
from generation.engines.setspec import CharacterFigure, ShotInfo, derive_set_spec  # noqa: E402

WEIGHTS = np.array([0.2126, 0.7152, 0.0722])
PLACES = ("INT. APARTMENT", "EXT. MAIN STREET")
FACES = BASE / "tests" / "data" / "faces"


def spec(heading: str, shot: str, portrait: str, size: tuple[int, int], samples: int) -> dict:
    int_ext, _, rest = heading.partition(". ")
    location, _, time_of_day = rest.rpartition(" - ")
    cast = [CharacterFigure(name="MARA", portrait_path=portrait, colour=[0.25, 0.3, 0.55])]
    made = derive_set_spec(
        heading=heading, int_ext=int_ext, location=location, time_of_day=time_of_day, action="Mara waits.",
        shot=ShotInfo(shot_type=shot, camera_angle="eye level", lens_mm=0.0, subjects=["MARA"]),
        characters=cast, seed=5,
    ).model_dump(mode="json")  # fmt: skip
    made["render"]["resolution"], made["render"]["samples"] = list(size), samples
    return made


def rgb(path: str) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0


def checkerboard(path: Path) -> str:
    y, x = np.mgrid[0:128, 0:128] // 16
    on = ((x + y) % 2).astype(bool)[..., None]
    Image.fromarray(np.where(on, np.array([255, 0, 255]), np.array([0, 255, 0])).astype(np.uint8)).save(path)
    return str(path)


def face_mask(frame: np.ndarray) -> np.ndarray:
    r, g, b = frame[..., 0], frame[..., 1], frame[..., 2]
    return ((np.minimum(r, b) - g > 0.2) & (np.abs(r - b) < 0.3)) | ((g - np.maximum(r, b)) > 0.2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="320x180")
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    size = (width, height)
    work = Path(tempfile.mkdtemp(prefix="bench-light-"))
    worker = RenderProcess()
    shown: dict[str, list[np.ndarray]] = {"cycles": [], "drafts": []}
    try:
        print(f"1. Cycles, {size[0]}x{size[1]}, {args.samples} samples")
        print(f"{'place':18} {'time':6} {'luminance':>9} {'mean colour (r g b)':>22} {'practical px':>12}")
        for place in PLACES:
            lum = {}
            for tod in ("DAY", "NIGHT"):
                frame = rgb(worker.render(spec(f"{place} - {tod}", "wide", "", size, args.samples),
                                          work / "c", "final")["png"])  # fmt: skip
                shown["cycles"].append(frame)
                lit = frame @ WEIGHTS
                lum[tod] = float(lit.mean())
                colour = " ".join(f"{c:.3f}" for c in frame.reshape(-1, 3).mean(axis=0))
                print(f"{place:18} {tod:6} {lum[tod]:9.3f} {colour:>22} {int((lit > 0.6).sum()):12d}")
            print(f"{'':18} night/day luminance {lum['NIGHT'] / lum['DAY']:.2f}")

        faces = sorted(FACES.glob("*.png"), key=lambda p: float(rgb(str(p))[16:48, 16:48].mean()))
        portraits = {}
        for name, path in (("darkest", faces[0]), ("middling", faces[len(faces) // 2])):
            target = work / f"{name}.png"
            Image.open(path).convert("RGB").resize((256, 256), Image.Resampling.BICUBIC).save(target)
            portraits[name] = str(target)
        board = checkerboard(work / "board.png")
        print(f"\n2. Workbench drafts, {size[0]}x{size[1]}: face region mean luminance (at least 0.25 wanted)")
        print(f"{'place':18} {'time':6} {'shot':9} {'darkest face':>12} {'middling':>9} {'set colour (r g b)':>20}")
        worst = 1.0
        for place in PLACES:
            for tod in ("DAWN", "DAY", "DUSK", "NIGHT"):
                for shot in ("close-up", "medium"):
                    heading = f"{place} - {tod}"
                    mask = face_mask(
                        rgb(worker.render(spec(heading, shot, board, size, 1), work / "m", "draft")["png"])
                    )
                    values = {}
                    for name, portrait in portraits.items():
                        frame = rgb(worker.render(spec(heading, shot, portrait, size, 1), work / "f", "draft")["png"])
                        values[name] = float((frame[mask] @ WEIGHTS).mean())
                        if name == "darkest" and shot == "medium":
                            shown["drafts"].append(frame)
                    worst = min(worst, *values.values())
                    colour = " ".join(f"{c:.2f}" for c in frame[~mask].mean(axis=0))
                    print(
                        f"{place:18} {tod:6} {shot:9} {values['darkest']:12.3f} {values['middling']:9.3f} {colour:>20}"
                    )
        print(f"lowest face luminance in any draft: {worst:.3f}")
    finally:
        worker.close()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, frames, columns in (("cycles", shown["cycles"], 2), ("drafts", shown["drafts"], 4)):
            h, w, _ = frames[0].shape
            rows = -(-len(frames) // columns)
            sheet = np.zeros((rows * h, columns * w, 3))
            for i, frame in enumerate(frames):
                r, c = divmod(i, columns)
                sheet[r * h : (r + 1) * h, c * w : (c + 1) * w] = frame
            Image.fromarray((sheet * 255).round().astype(np.uint8)).save(args.out / f"{name}.png")
        print(f"\nwrote {args.out / 'cycles.png'} and {args.out / 'drafts.png'}")


if __name__ == "__main__":
    main()
