"""Re-renders the pictures of this folder (Blender as a module, in this process) and times the figures.

    .venv/bin/python docs/storyboard/figures/make_pictures.py [--only NAME ...] [--bench]

The faces are DCGAN samples from `tests/data/faces/`. `--bench` builds a four-person frame ten times and prints
the milliseconds `build_figures` takes per figure, and the seconds of one 640x360 draft render of that frame.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = HERE.parents[2]
sys.path.insert(0, str(BASE))

from generation.engines.setspec import CharacterFigure, ShotInfo, derive_set_spec  # noqa: E402

FACES = BASE / "tests" / "data" / "faces"
MARA = CharacterFigure(
    name="MARA", portrait_path=str(FACES / "seed3-001.png"), look="a woman in her thirties, long dark brown hair"
)
JOE = CharacterFigure(
    name="JOE", portrait_path=str(FACES / "seed3-002.png"), look="a heavy-set man in his fifties, gray hair, beard"
)
TALK = "Mara and Joe stand at the counter.\n\nMARA\nYou came back.\n\nJOE\nI had to."


def spec(heading: str, action: str, shot_type: str, cast: list[CharacterFigure], **shot: Any) -> dict[str, Any]:
    int_ext, _, rest = heading.partition(". ")
    location, _, time_of_day = rest.rpartition(" - ")
    out: dict[str, Any] = derive_set_spec(
        heading=heading, int_ext=int_ext, location=location, time_of_day=time_of_day, action=action,
        shot=ShotInfo(shot_type=shot_type, subjects=[c.name for c in cast], **shot), characters=cast, seed=4,
    ).model_dump(mode="json")  # fmt: skip
    out["render"] = {"resolution": [640, 360], "samples": 8, "exposure": 0.0}
    return out


def pictures() -> dict[str, tuple[dict[str, Any], str]]:
    diner = "INT. JOE'S DINER - DAY"
    return {
        "wide-conversation": (spec(diner, TALK, "wide", [MARA, JOE], speaker="MARA"), "draft"),
        "ots-conversation": (spec(diner, TALK, "ots", [MARA, JOE], speaker="MARA"), "draft"),
        "ots-conversation-final": (spec(diner, TALK, "ots", [MARA, JOE], speaker="MARA"), "final"),
        "sit-medium": (spec("INT. LIVING ROOM - DAY", "Mara sits at the table and waits.", "medium", [MARA]), "draft"),
        "run-wide": (spec("EXT. STREET - DAY", "Joe runs down the street.", "wide", [JOE]), "draft"),
    }


CAST = [  # the variety sheet: who the looks make
    CharacterFigure(name="ANNA", look="a slim young woman with long blond hair"),
    CharacterFigure(name="BEN", look="a tall man with short black hair"),
    CharacterFigure(name="LILY", look="a girl of eight with red hair"),
    CharacterFigure(name="WALTER", look="an old bald man with a gray beard, heavy"),
    CharacterFigure(name="ROSA", look="an elderly woman with gray hair"),
]


DRESSED = [  # the clothes sheet: looks that name clothes, each holding what the action names
    CharacterFigure(name="ELENA", portrait_path=str(FACES / "seed3-001.png"), look="a woman in a red dress"),
    CharacterFigure(name="VICTOR", portrait_path=str(FACES / "seed3-002.png"), look="a man in a dark suit"),
    CharacterFigure(name="SAM", look="a tall man in a long coat and a hat"),
    CharacterFigure(name="POPPY", look="a girl of nine in a skirt and a baseball cap"),
]
HELD = "Elena holds her phone. Victor holds a gun. Sam holds a glass of whiskey. Poppy carries flowers."


def render(spec_: dict[str, Any], mode: str, target: Path) -> dict[str, Any]:
    from generation.engines.render import render_frame
    from generation.engines.setschema import validate_set_spec

    with tempfile.TemporaryDirectory() as tmp:
        result = render_frame(validate_set_spec(spec_), tmp, mode=mode, device="cpu")
        Path(result["png"]).replace(target)
    return result


def sheet(names: list[str], target: Path, cols: int) -> None:
    from PIL import Image

    tiles = [Image.open(HERE / f".{n}.png") for n in names]
    w, h = tiles[0].size
    rows = (len(tiles) + cols - 1) // cols
    out = Image.new("RGB", (w * cols, h * rows), "white")
    for i, tile in enumerate(tiles):
        out.paste(tile, ((i % cols) * w, (i // cols) * h))
    out.save(target)
    for n in names:
        (HERE / f".{n}.png").unlink()


VERBS = {"standing": "stands", "sitting": "sits on the chair", "walking": "walks", "running": "runs",
         "pointing": "points", "holding": "holds a book", "lying": "lies", "embracing": "hugs Joe"}  # fmt: skip


def poses() -> None:
    from generation.engines import staging

    names = []
    for pose in staging.POSES:
        words = VERBS[pose]
        cast = [MARA, JOE] if pose == "embracing" else [MARA]
        s = spec("INT. LIVING ROOM - DAY", f"Mara {words}.", "wide", cast)
        s["render"]["resolution"] = [320, 180]
        render(s, "draft", HERE / f".{pose}.png")
        names.append(pose)
    sheet(names, HERE / "poses.png", 4)


def cast() -> None:
    s = spec("INT. LIVING ROOM - DAY", "They stand in a row.", "wide", CAST)
    for i, fig in enumerate(s["characters"]):
        fig["position"] = [-1.6 + i * 0.8, 0.8, 0.0]
        fig["facing"] = 0.0 if i % 2 == 0 else 25.0
        fig["pose"] = "standing"
    s["camera"]["position"] = [0.0, -2.4, 1.15]
    s["camera"]["target"] = [0.0, 0.8, 0.9]
    s["camera"]["lens_mm"] = 30.0
    render(s, "draft", HERE / "cast.png")


def outfits() -> None:
    s = spec("INT. LIVING ROOM - DAY", HELD, "wide", DRESSED)
    for i, fig in enumerate(s["characters"]):
        fig["position"] = [-1.2 + i * 0.8, 0.8, 0.0]
        fig["facing"] = (-20.0, 15.0, -25.0, 10.0)[i]
    s["camera"]["position"] = [0.0, -2.2, 1.15]
    s["camera"]["target"] = [0.0, 0.8, 0.95]
    s["camera"]["lens_mm"] = 30.0
    render(s, "draft", HERE / "outfits.png")


HOLDABLE = ("phone", "gun", "rifle", "glass", "cup", "bottle", "book", "bag", "briefcase", "knife", "flowers",
            "letter")  # fmt: skip


def held() -> None:
    names = []
    for thing in HOLDABLE:
        s = spec("INT. LIVING ROOM - DAY", f"Joe holds a {thing}.", "medium", [JOE])
        s["render"]["resolution"] = [320, 180]
        fig = s["characters"][0]
        fig["facing"] = -30.0
        x, y, _ = fig["position"]
        s["camera"] |= {"position": [x - 0.3, y - 2.6, 1.4], "target": [x, y, 1.1], "lens_mm": 35.0}
        render(s, "draft", HERE / f".{thing}.png")
        names.append(thing)
    sheet(names, HERE / "held.png", 4)


def bench() -> None:
    import bpy

    from generation.engines.figures import build_figures
    from generation.engines.render import _material
    from generation.engines.setschema import validate_set_spec

    four = [*CAST[:3], JOE]
    s = validate_set_spec(spec("INT. LIVING ROOM - DAY", "They talk.", "wide", four))
    times = []
    for _ in range(10):
        bpy.ops.wm.read_factory_settings(use_empty=True)
        started = time.perf_counter()
        build_figures(s.characters, _material)
        times.append((time.perf_counter() - started) * 1000 / len(s.characters))
    print(f"build_figures: {statistics.median(times):.1f} ms per figure (median of 10, first {times[0]:.1f})")
    draft = spec("INT. LIVING ROOM - DAY", "They talk.", "wide", four)
    seconds = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            from generation.engines.render import render_frame

            seconds.append(render_frame(validate_set_spec(draft), tmp, mode="draft", device="cpu")["seconds"])
    print(f"draft 640x360, four people: {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--bench", action="store_true")
    args = parser.parse_args()
    if args.bench:
        bench()
        return
    for name, (s, mode) in pictures().items():
        if args.only is None or name in args.only:
            render(s, mode, HERE / f"{name}.png")
    if args.only is None or "poses" in args.only:
        poses()
    if args.only is None or "cast" in args.only:
        cast()
    if args.only is None or "outfits" in args.only:
        outfits()
    if args.only is None or "held" in args.only:
        held()


if __name__ == "__main__":
    main()
