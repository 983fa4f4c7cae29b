"""Re-renders the pictures of this folder: one street at every time of day, and every kind of shop.

    .venv/bin/python docs/storyboard/sets/make_set_pictures.py [--only times|shops] [--final] [--size 640x360]

Each picture is a 640x360 Workbench draft (`--final` adds Cycles finals of the times, on the CPU where no GPU
is found); the script prints each frame's mean luminance and mean colour (sRGB, 0-1) and writes `times.png`
and `shops.png`, contact sheets with the labels burnt in.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = HERE.parents[2]
sys.path.insert(0, str(BASE))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from generation.engines.render_worker import RenderProcess  # noqa: E402
from generation.engines.setspec import CharacterFigure, ShotInfo, derive_set_spec  # noqa: E402

FACES = BASE / "tests" / "data" / "faces"
MARA = CharacterFigure(name="MARA", portrait_path=str(FACES / "seed3-001.png"), look="a woman in her thirties")
TIMES = ("DAWN", "MORNING", "DAY", "AFTERNOON", "DUSK", "NIGHT")
SHOPS = ("OLD BAKERY", "BOOKSHOP", "GROCERY STORE", "PHARMACY", "FLORIST", "BUTCHER SHOP", "HARDWARE STORE",
         "BOUTIQUE", "PAWN SHOP", "LIQUOR STORE", "RECORD STORE", "CORNER SHOP")  # fmt: skip
WEIGHTS = np.array([0.2126, 0.7152, 0.0722])


def spec(heading: str, size: tuple[int, int], action: str = "Mara waits.") -> dict[str, Any]:
    int_ext, _, rest = heading.partition(". ")
    location, _, time_of_day = rest.rpartition(" - ")
    out: dict[str, Any] = derive_set_spec(
        heading=heading, int_ext=int_ext, location=location, time_of_day=time_of_day, action=action,
        shot=ShotInfo(shot_type="wide", subjects=["MARA"]), characters=[MARA], seed=4,
    ).model_dump(mode="json")  # fmt: skip
    out["render"] = {**out["render"], "resolution": list(size), "samples": 16}
    return out


def measure(path: Path) -> tuple[float, list[float]]:
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
    return float((rgb @ WEIGHTS).mean()), [round(float(c), 3) for c in rgb.reshape(-1, 3).mean(axis=0)]


def sheet(tiles: list[tuple[str, Path]], target: Path, columns: int = 3) -> None:
    images = [Image.open(p).convert("RGB") for _, p in tiles]
    w, h = images[0].size
    rows = (len(images) + columns - 1) // columns
    out = Image.new("RGB", (w * columns, h * rows), "white")
    draw = ImageDraw.Draw(out)
    for i, ((label, _), img) in enumerate(zip(tiles, images, strict=True)):
        x, y = (i % columns) * w, (i // columns) * h
        out.paste(img, (x, y))
        draw.rectangle((x, y, x + 8 + 7 * len(label), y + 18), fill="black")
        draw.text((x + 4, y + 3), label, fill="white")
    out.save(target)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("times", "shops"))
    parser.add_argument("--final", action="store_true")
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--out", default=str(HERE))
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    worker = RenderProcess()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            jobs: dict[str, list[tuple[str, str, str]]] = {}
            if args.only in (None, "times"):
                jobs["times"] = [(t, f"EXT. LISBON STREET - {t}", "draft") for t in TIMES]
                if args.final:
                    jobs["times-final"] = [(t, f"EXT. LISBON STREET - {t}", "final") for t in TIMES]
            if args.only in (None, "shops"):
                jobs["shops"] = [(s, f"INT. {s} - DAY", "draft") for s in SHOPS]
            for name, entries in jobs.items():
                tiles = []
                for label, heading, mode in entries:
                    done = worker.render(spec(heading, (size[0], size[1])), Path(tmp) / name / label, mode)
                    path = Path(done["png"])
                    lum, rgb = measure(path)
                    print(f"{name:12s} {label:16s} luminance {lum:.3f} rgb {rgb} ({done.get('seconds', 0):.1f} s)")
                    kept = out / f"{name}-{label.lower().replace(' ', '_')}.png"
                    Image.open(path).save(kept)
                    tiles.append((f"{heading}  ({mode})", kept))
                sheet(tiles, out / f"{name}.png")
    finally:
        worker.close()


if __name__ == "__main__":
    main()
