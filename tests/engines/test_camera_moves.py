"""Camera moves over held stills: a crop window inside the still, never past its edge or its own pixels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.engines import animatic
from tests.media_probe import frames_at


def still(folder: Path, name: str, size: tuple[int, int] = (1280, 720), seed: int = 0) -> str:
    """A picture with detail everywhere (so any move changes the frame), and its depth pass: near at the left."""
    rng = np.random.default_rng(seed)
    small = (rng.random((size[1] // 16, size[0] // 16, 3)) * 255).astype(np.uint8)
    Image.fromarray(small).resize(size, Image.Resampling.NEAREST).save(folder / f"{name}.png")
    depth = np.tile(np.linspace(0, 65535, size[0]).astype(np.uint16), (size[1], 1))
    Image.fromarray(depth).save(folder / f"{name}-depth.png")
    return str(folder / f"{name}.png")


@pytest.mark.parametrize("move", [m for m in animatic.MOVES if m != "static"])
def test_every_move_stays_inside_the_still_and_changes_the_picture(tmp_path: Path, move: str) -> None:
    image = still(tmp_path, "a")
    mover = animatic._Mover(animatic.Clip(image, 3.0, move=move, depth=image.replace(".png", "-depth.png")), (640, 360))
    assert mover.moves and mover.zoom == animatic.MOVE_ZOOM
    for t in np.linspace(0, 1, 9):
        left, top, right, bottom = mover.window(float(t))
        assert 0 <= left < right <= 1280 and 0 <= top < bottom <= 720
        assert right - left >= 640 and bottom - top >= 360  # never enlarges the render past its own pixels
        assert abs((right - left) / (bottom - top) - 16 / 9) < 1e-6
    first, last = mover.frame(0.0), mover.frame(1.0)
    assert first.shape == last.shape == (360, 640, 3)
    assert np.abs(first.astype(int) - last).mean() > 5


@pytest.mark.parametrize(
    ("size", "film"),
    [((640, 360), (640, 360)), ((64, 36), (640, 360)), ((200, 112), (640, 360)), ((800, 450), (1280, 720))],
)
def test_a_still_no_larger_than_the_film_holds_still_and_is_only_enlarged_to_the_film(
    tmp_path: Path, size: tuple[int, int], film: tuple[int, int]
) -> None:
    image = still(tmp_path, "small", size=size)
    mover = animatic._Mover(animatic.Clip(image, 3.0, move="push_in"), film)
    assert not mover.moves and not animatic.can_move(size, film)
    assert mover.canvas.size == film  # a quarter-size render is not blown up past the film to make room
    assert mover.frame(0.0).shape == (film[1], film[0], 3)


@pytest.mark.parametrize(
    ("size", "film", "room"),
    [((800, 450), (640, 360), 1.15), ((700, 394), (640, 360), 700 / 640), ((1600, 900), (1280, 720), 1.15)],
)
def test_a_larger_still_has_room_for_a_move_up_to_its_own_pixels(
    size: tuple[int, int], film: tuple[int, int], room: float
) -> None:
    assert animatic.move_room(size, film) == pytest.approx(room, abs=0.002)
    assert animatic.can_move(size, film)


@pytest.mark.heavy
def test_frames_move_inside_a_moving_shot_and_not_inside_a_static_one(tmp_path: Path) -> None:
    clips = [
        animatic.Clip(still(tmp_path, "held", seed=1), 2.0, move="static"),
        animatic.Clip(still(tmp_path, "pushed", seed=2), 2.0, move="push_in"),
        animatic.Clip(still(tmp_path, "deep", seed=3), 2.0, move="parallax", depth=str(tmp_path / "deep-depth.png")),
    ]
    out = tmp_path / "film.mp4"
    animatic.render_animatic(clips, out_path=out, size=(640, 360), fps=24)
    held_a, held_b, push_a, push_b, deep_a, deep_b = frames_at(out, [0.2, 1.8, 2.2, 3.8, 4.2, 5.8])

    def change(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.abs(a.astype(int) - b).mean())

    assert change(held_a, held_b) < 2  # the same still (only the encoder's noise)
    assert change(push_a, push_b) > 10
    assert change(deep_a, deep_b) > 10
    Image.fromarray(np.hstack([push_a, push_b])).save(tmp_path / "push.png")
