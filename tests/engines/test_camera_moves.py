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


def test_parallax_slides_a_near_thing_over_the_background_without_ghosts_or_streaks(tmp_path: Path) -> None:
    """A red box up close in front of a far textured wall with a blue marker: the box keeps its size and shape in
    every frame (a ghost or a smear would add red), and it slides against the marker as the camera drifts."""
    size = (800, 450)
    rng = np.random.default_rng(5)
    wall = (rng.random((size[1] // 10, size[0] // 10)) * 80 + 60).astype(np.uint8)
    pixels = np.stack([np.asarray(Image.fromarray(wall).resize(size, Image.Resampling.NEAREST))] * 3, axis=2).astype(
        np.uint8
    )
    pixels[:, :, 0] //= 2  # a grey-green wall: no pure red in it
    pixels[300:360, 100:160] = (20, 40, 230)  # the far marker
    pixels[120:320, 330:450] = (230, 20, 20)  # the near box
    depth = np.full((size[1], size[0]), 65535, dtype=np.uint16)
    depth[120:320, 330:450] = 6000
    Image.fromarray(pixels).save(tmp_path / "box.png")
    Image.fromarray(depth).save(tmp_path / "box-depth.png")
    mover = animatic._Mover(
        animatic.Clip(str(tmp_path / "box.png"), 3.0, move="parallax", depth=str(tmp_path / "box-depth.png")),
        (640, 360),
    )
    assert mover.moves and mover.near is not None

    def box(frame: np.ndarray, colour: tuple[int, int, int]) -> tuple[int, float, float]:
        hit = np.all(np.abs(frame.astype(int) - colour) < 30, axis=2)
        ys, xs = np.nonzero(hit)
        bbox = (xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1)
        return int(hit.sum()), bbox / hit.sum(), float(xs.mean())

    seen = [mover.frame(t) for t in (0.0, 0.5, 1.0)]
    reds = [box(f, (230, 20, 20)) for f in seen]
    blues = [box(f, (20, 40, 230)) for f in seen]
    area = reds[1][0]
    for red_area, spread, _ in reds:
        assert abs(red_area - area) <= 0.03 * area, reds  # no ghost copy, no smear
        assert spread < 1.03, reds  # one solid box: nothing red outside it
    slide = (reds[2][2] - blues[2][2]) - (reds[0][2] - blues[0][2])
    assert slide > 4, (reds, blues)  # the near box moves against the far wall
