"""Real Blender renders of generated sets, at small sizes, through the warm render child process."""

from __future__ import annotations

import copy
import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from generation.engines.render import parse_render_stats
from generation.engines.render_worker import InvalidSetSpec, RenderCancelled, RenderFailed, RenderProcess
from generation.engines.setspec import CharacterFigure, ShotInfo, derive_set_spec

pytest.importorskip("bpy")
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def worker() -> Iterator[RenderProcess]:
    proc = RenderProcess()
    yield proc
    proc.close()


@pytest.fixture(scope="module")
def portrait(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A loud magenta/green checkerboard: nothing else in a set has these colours."""
    y, x = np.mgrid[0:128, 0:128] // 16
    checker = ((x + y) % 2).astype(bool)
    rgb = np.where(checker[..., None], np.array([255, 0, 255]), np.array([0, 255, 0])).astype(np.uint8)
    path = tmp_path_factory.mktemp("portrait") / "portrait.png"
    Image.fromarray(rgb).save(path)
    return str(path)


def make_spec(heading: str, shot_type: str = "wide", *, portrait: str = "", size: tuple[int, int] = (160, 90),
              samples: int = 4, lens: float = 0.0) -> dict[str, Any]:  # fmt: skip
    int_ext, _, rest = heading.partition(". ")
    location, _, time_of_day = rest.rpartition(" - ")
    cast = [
        CharacterFigure(name="MARA", portrait_path=portrait, colour=[0.25, 0.3, 0.55]),
        CharacterFigure(name="JOE", portrait_path="", colour=[0.3, 0.3, 0.3]),
    ]
    spec = derive_set_spec(
        heading=heading, int_ext=int_ext, location=location, time_of_day=time_of_day, action="Mara waits.",
        shot=ShotInfo(shot_type=shot_type, camera_angle="eye level", lens_mm=lens, subjects=["MARA"]),
        characters=cast, seed=5,
    ).model_dump(mode="json")  # fmt: skip
    spec["render"] = {"resolution": list(size), "samples": samples, "exposure": 0.0}
    return spec


def luminance(path: str) -> float:
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
    return float((rgb @ np.array([0.2126, 0.7152, 0.0722])).mean())


def portrait_share(path: str) -> float:
    """Share of the frame's central half (width and height) in the portrait's saturated magenta or green."""
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
    h, w, _ = rgb.shape
    centre = rgb[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
    r, g, b = centre[..., 0], centre[..., 1], centre[..., 2]
    magenta = (np.minimum(r, b) - g > 0.2) & (np.abs(r - b) < 0.3)
    green = (g - np.maximum(r, b)) > 0.2
    return float((magenta | green).mean())


def depth_metres(result: dict[str, Any], y: float, x: float) -> float:
    """Depth in metres at a point given as fractions of the frame, from depth.png and the stored near/far."""
    depth = np.asarray(Image.open(result["depth"]), dtype=np.float64) / 65535.0
    h, w = depth.shape
    v = float(np.median(depth[int(y * h) - 2 : int(y * h) + 3, int(x * w) - 2 : int(x * w) + 3]))
    return result["depth_near"] + v * (result["depth_far"] - result["depth_near"])


def test_render_stats_parse_into_fractions() -> None:
    assert parse_render_stats("Fra:1 | Mem:3M | Rendered 4/15 Tiles, Sample 4/8") == (
        pytest.approx(4.5 / 15),
        "4/15 tiles, sample 4/8",
    )
    assert parse_render_stats("Rendered 1/2 Tiles, Sample 32/32")[0] == pytest.approx(0.5)  # type: ignore[index]
    assert parse_render_stats("Mem: 1M | Sample 3/16")[0] == pytest.approx(3 / 16)  # type: ignore[index]
    assert parse_render_stats("ViewLayer | Denoising") == (0.97, "denoising")
    assert parse_render_stats("Mem: 0M | Synchronizing object | Room") is None


def test_importing_render_does_not_import_bpy() -> None:
    code = "import sys, generation.engines.render, generation.engines.render_worker; print('bpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("heading", ["EXT. MAIN STREET", "INT. JOE'S DINER"])
@pytest.mark.heavy
def test_night_is_darker_than_day(worker: RenderProcess, tmp_path: Path, heading: str) -> None:
    day = worker.render(make_spec(f"{heading} - DAY"), tmp_path / "day", "final")
    night = worker.render(make_spec(f"{heading} - NIGHT"), tmp_path / "night", "final")
    assert day["engine"].startswith("CYCLES") and day["samples"] == 4
    # Where the frame's time went, from Cycles' own progress (one tile here: OIDN counts with sampling).
    phases = day["phases"]
    assert phases["sampling"] > 0
    parts = phases["sync"] + phases["sampling"] + phases.get("denoise", 0) + phases["finish"]
    assert parts == pytest.approx(phases["render"], abs=0.01)
    assert Image.open(day["png"]).size == (160, 90)
    assert luminance(night["png"]) < 0.7 * luminance(day["png"]), (luminance(day["png"]), luminance(night["png"]))


@pytest.mark.parametrize("heading", ["EXT. MAIN STREET", "INT. JOE'S DINER"])
@pytest.mark.heavy
def test_draft_night_is_darker_than_day_and_still_reads(worker: RenderProcess, tmp_path: Path, heading: str) -> None:
    """Workbench has no scene lights, so drafts are tinted by the time of day, but not into black."""
    day = luminance(worker.render(make_spec(f"{heading} - DAY"), tmp_path / "day", "draft")["png"])
    night = luminance(worker.render(make_spec(f"{heading} - NIGHT"), tmp_path / "night", "draft")["png"])
    assert 0.3 * day < night < 0.8 * day, (day, night)


@pytest.mark.heavy
def test_portrait_is_visible_in_a_close_up(worker: RenderProcess, tmp_path: Path, portrait: str) -> None:
    heading = "INT. APARTMENT - DAY"
    with_face = worker.render(make_spec(heading, "close-up", portrait=portrait), tmp_path / "face", "final")
    without = worker.render(make_spec(heading, "close-up"), tmp_path / "plain", "final")
    missing = worker.render(
        make_spec(heading, "close-up", portrait=str(tmp_path / "gone.png")), tmp_path / "gone", "draft"
    )
    assert portrait_share(with_face["png"]) > 0.12, portrait_share(with_face["png"])
    assert portrait_share(without["png"]) < 0.01
    assert portrait_share(missing["png"]) < 0.01  # a missing portrait file gives a neutral head, not a crash
    draft = worker.render(make_spec(heading, "close-up", portrait=portrait), tmp_path / "draft", "draft")
    assert draft["engine"] == "WORKBENCH" and portrait_share(draft["png"]) > 0.12


@pytest.mark.heavy
def test_cancel_kills_the_render_and_the_next_one_works(worker: RenderProcess, tmp_path: Path) -> None:
    slow = make_spec("INT. JOE'S DINER - NIGHT", size=(320, 180), samples=2048)
    worker.start()
    pid = worker.pid
    assert pid is not None
    progress: list[tuple[float, str]] = []
    cancel_at: list[float] = []

    def should_cancel() -> bool:
        if progress and not cancel_at:
            cancel_at.append(time.monotonic())
        return bool(cancel_at)

    with pytest.raises(RenderCancelled):
        worker.render(slow, tmp_path, "final", lambda f, m: progress.append((f, m)), should_cancel)
    assert time.monotonic() - cancel_at[0] < 2.0
    assert not Path(f"/proc/{pid}").exists() and worker.pid is None
    assert not (tmp_path / "frame.png").exists()
    again = worker.render(make_spec("INT. JOE'S DINER - NIGHT"), tmp_path, "draft")
    assert Path(again["png"]).is_file() and worker.pid not in (None, pid)


@pytest.mark.heavy
def test_failed_render_raises_and_keeps_the_previous_frame(worker: RenderProcess, tmp_path: Path) -> None:
    spec = make_spec("EXT. WOODS - DAY")
    first = worker.render(spec, tmp_path, "draft")
    before = Path(first["png"]).read_bytes(), Path(first["depth"]).read_bytes()
    pid = worker.pid
    assert pid is not None

    def kill_from_outside(fraction: float, message: str) -> None:
        if fraction >= 0.1 and worker.pid == pid:
            os.kill(pid, signal.SIGKILL)

    slow = copy.deepcopy(spec)
    slow["render"]["samples"] = 2048
    with pytest.raises(RenderFailed, match=r"render worker died during the render \(killed by SIGKILL\)"):
        worker.render(slow, tmp_path, "final", kill_from_outside)
    assert (Path(first["png"]).read_bytes(), Path(first["depth"]).read_bytes()) == before

    bad = copy.deepcopy(spec)
    bad["camera"]["lens_mm"] = 2.0
    with pytest.raises(InvalidSetSpec, match=r"camera\.lens_mm must be between 8 and 300"):
        worker.render(bad, tmp_path, "draft")  # restarts the child lazily, which then rejects the spec
    alive = worker.pid
    assert alive is not None and alive != pid
    assert (Path(first["png"]).read_bytes(), Path(first["depth"]).read_bytes()) == before
    assert worker.ping()["pid"] == alive  # an invalid spec does not cost the warm child
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left behind


@pytest.mark.heavy
def test_export_writes_blend_and_a_glb_that_reimports(worker: RenderProcess, tmp_path: Path, portrait: str) -> None:
    out = worker.export(make_spec("INT. JOE'S DINER - NIGHT", "medium", portrait=portrait), tmp_path)
    assert Path(out["blend"]).stat().st_size > 10_000 and Path(out["glb"]).stat().st_size > 10_000
    code = (
        "import json, sys; from generation.engines.render import import_glb; "
        f"s = import_glb({out['glb']!r}); sys.__stdout__.write('SUMMARY ' + json.dumps(s) + chr(10))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, timeout=120)
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("SUMMARY "))
    summary = json.loads(line.removeprefix("SUMMARY "))
    assert summary["objects"] > 20 and summary["meshes"] > 20
    assert summary["cameras"] == 1 and summary["images"] >= 1  # the portrait travels inside the .glb
    assert {"Figure MARA", "Figure JOE", "Camera"} <= set(summary["names"])


@pytest.mark.heavy
def test_depth_pass_puts_a_close_up_face_nearer_than_a_wide(worker: RenderProcess, tmp_path: Path) -> None:
    close = worker.render(make_spec("INT. JOE'S DINER - DAY", "close-up"), tmp_path / "close", "draft")
    wide = worker.render(make_spec("INT. JOE'S DINER - DAY", "wide"), tmp_path / "wide", "final")
    image = Image.open(close["depth"])
    assert image.mode.startswith("I") and image.size == (160, 90)  # 16-bit greyscale
    assert 0 < close["depth_near"] < close["depth_far"] and 0 < wide["depth_near"] < wide["depth_far"]
    face, wall = depth_metres(close, 0.4, 0.5), depth_metres(close, 0.1, 0.05)
    assert 0.6 < face < 2.0 and face < wall  # nearer is darker: the face is darker than the wall behind
    assert depth_metres(wide, 0.5, 0.5) > face + 1.0


# --- light: night, time of day in drafts, faces that read ----------------------------------------------

FACES = BASE_DIR / "tests" / "data" / "faces"


def _rgb(path: str) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0


def _face_mask(path: str) -> np.ndarray:
    """Where the checkerboard portrait shows: its saturated magenta or green squares."""
    rgb = _rgb(path)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return ((np.minimum(r, b) - g > 0.2) & (np.abs(r - b) < 0.3)) | ((g - np.maximum(r, b)) > 0.2)


@pytest.mark.heavy
def test_every_draft_keeps_a_dark_portrait_legible_and_shows_the_time_of_day(
    worker: RenderProcess, tmp_path: Path, portrait: str
) -> None:
    """The face region (found by rendering the same shot with a checkerboard portrait) averages at least 0.25
    luminance in every draft, for the darkest of the labelled GAN faces; the set says the time of day."""
    dark = str(tmp_path / "dark.png")  # the darkest face among the labelled ones, upscaled as the sheet does
    faces = sorted(FACES.glob("*.png"), key=lambda p: float(_rgb(str(p))[16:48, 16:48].mean()))
    Image.open(faces[0]).convert("RGB").resize((256, 256), Image.Resampling.BICUBIC).save(dark)
    colour = {}
    for place in ("INT. APARTMENT", "EXT. MAIN STREET"):
        for tod in ("DAWN", "DAY", "DUSK", "NIGHT"):
            for shot in ("close-up", "medium"):
                heading = f"{place} - {tod}"
                where = worker.render(make_spec(heading, shot, portrait=portrait), tmp_path / "m", "draft")
                mask = _face_mask(where["png"])
                assert mask.sum() > 100, (heading, shot)
                frame = _rgb(worker.render(make_spec(heading, shot, portrait=dark), tmp_path / "f", "draft")["png"])
                face = float((frame[mask] @ np.array([0.2126, 0.7152, 0.0722])).mean())
                assert face >= 0.25, (heading, shot, face)
                colour[(place, tod)] = frame[~mask].mean(axis=0)
    for place in ("INT. APARTMENT", "EXT. MAIN STREET"):
        day, dusk, night = (colour[(place, t)] for t in ("DAY", "DUSK", "NIGHT"))
        assert night.mean() < 0.6 * day.mean(), (place, day, night)
        assert night[2] > night[0] and night[2] > night[1], (place, night)  # night is blue
        assert dusk[0] > dusk[2], (place, dusk)  # dusk is warm


def test_a_draft_street_says_its_hour(worker: RenderProcess, tmp_path: Path) -> None:
    """One street in a 160x90 draft at every hour: noon brightest; morning, afternoon and dusk warmer than noon
    (red over blue); dusk and night darker; night the darkest and the bluest."""
    weights = np.array([0.2126, 0.7152, 0.0722])
    seen = {}
    for tod in ("MORNING", "DAY", "AFTERNOON", "DUSK", "NIGHT"):
        rgb = _rgb(worker.render(make_spec(f"EXT. MAIN STREET - {tod}"), tmp_path / tod, "draft")["png"])
        seen[tod] = (float((rgb @ weights).mean()), rgb.reshape(-1, 3).mean(axis=0))
    lum = {t: v[0] for t, v in seen.items()}
    warmth = {t: float(v[1][0] - v[1][2]) for t, v in seen.items()}
    assert lum["DAY"] >= max(lum.values()) - 0.005, lum  # noon is the brightest (a low sun's long shadows cost)
    assert lum["NIGHT"] < lum["DUSK"] < min(lum["MORNING"], lum["AFTERNOON"]), lum
    assert warmth["MORNING"] > warmth["DAY"] + 0.01 and warmth["AFTERNOON"] > warmth["DAY"] + 0.01, warmth
    assert warmth["DUSK"] > warmth["DAY"] + 0.02, warmth
    assert warmth["NIGHT"] == min(warmth.values()) and warmth["NIGHT"] < 0, warmth  # the bluest


def test_a_draft_pharmacy_shows_its_green_cross_and_a_bakery_its_bread(worker: RenderProcess, tmp_path: Path) -> None:
    """The shop's kind reads in a small draft: the pharmacy's lit green cross; the bakery's loaves, racks and cream
    walls make it warm brown where the general store is grey."""
    pharmacy = _rgb(worker.render(make_spec("INT. PHARMACY - DAY", size=(320, 180)), tmp_path / "p", "draft")["png"])
    r, g, b = pharmacy[..., 0], pharmacy[..., 1], pharmacy[..., 2]
    assert int(((g - np.maximum(r, b)) > 0.3).sum()) >= 20  # a saturated green cross
    bakery = _rgb(worker.render(make_spec("INT. OLD BAKERY - DAY", size=(320, 180)), tmp_path / "b", "draft")["png"])
    general = _rgb(worker.render(make_spec("INT. CORNER SHOP - DAY", size=(320, 180)), tmp_path / "g", "draft")["png"])

    def warm(rgb: np.ndarray) -> int:  # warm browns and creams: red over green over blue, clearly apart
        r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
        return int(((r - g > 0.08) & (g - b > 0.08) & (r > 0.3)).sum())

    assert warm(bakery) > 3 * max(warm(general), 50), (warm(bakery), warm(general))


@pytest.mark.heavy
def test_cycles_night_is_dark_blue_with_practicals_that_read(worker: RenderProcess, tmp_path: Path) -> None:
    for heading in ("INT. APARTMENT", "EXT. MAIN STREET"):
        day = _rgb(worker.render(make_spec(f"{heading} - DAY", size=(240, 135)), tmp_path / "d", "final")["png"])
        night = _rgb(worker.render(make_spec(f"{heading} - NIGHT", size=(240, 135)), tmp_path / "n", "final")["png"])
        weights = np.array([0.2126, 0.7152, 0.0722])
        lum_day, lum_night = float((day @ weights).mean()), float((night @ weights).mean())
        mean = night.reshape(-1, 3).mean(axis=0)
        assert lum_night < 0.3 * lum_day, (heading, lum_day, lum_night)
        assert mean[2] > mean[0] and mean[2] > mean[1], (heading, mean)  # dark blue, not moonlit day
        # The practicals still read: bright spots (lamps, lit windows) in a dark frame, not a dim grey wash.
        bright = int(((night @ weights) > 0.6).sum())
        assert 30 <= bright < 0.05 * night.shape[0] * night.shape[1], (heading, bright)


TALK = "Mara and Joe stand at the counter.\n\nJOE\nYou came back.\n\nMARA\nI had to."


def conversation(shot_type: str, size: tuple[int, int], portrait: str = "") -> dict[str, Any]:
    spec = derive_set_spec(
        heading="INT. JOE'S DINER - DAY", int_ext="INT", location="JOE'S DINER", time_of_day="DAY", action=TALK,
        shot=ShotInfo(shot_type=shot_type, subjects=["MARA", "JOE"]),
        characters=[CharacterFigure(name="MARA", portrait_path=portrait), CharacterFigure(name="JOE")], seed=4,
    ).model_dump(mode="json")  # fmt: skip
    spec["render"] = {"resolution": list(size), "samples": 2, "exposure": 0.0}
    return spec


@pytest.mark.heavy
def test_a_conversation_has_posed_rigs_readable_people_and_the_speaker_in_focus(
    worker: RenderProcess, tmp_path: Path, portrait: str
) -> None:
    draft = worker.render(conversation("wide", (320, 180), portrait), tmp_path / "draft", "draft")
    staged = draft["staging"]
    people = {f["name"]: f for f in staged["figures"]}
    assert set(people) == {"MARA", "JOE"}
    for fig in people.values():
        assert fig["rig"] == f"Rig {fig['name']}" and fig["bones"] == 17 and fig["pose"] == "standing"
        assert {"upper_arm.L", "upper_arm.R", "forearm.L", "forearm.R"} <= set(fig["posed_bones"])
        x0, y0, x1, y1 = fig["box"]
        assert y1 - y0 >= 0.25, fig["box"]  # at least a quarter of the frame's height
        assert 0.0 < x0 < x1 < 1.0 and 0.0 < y0  # whole, inside the frame
    # Joe speaks first: he is the focus, though a draft keeps depth of field off.
    assert staged["focus"] == "JOE" and staged["focus_bone"] == "head" and staged["dof"] is False
    final = worker.render(conversation("medium", (64, 64)), tmp_path / "final", "final")
    assert final["staging"]["focus"] == "JOE" and final["staging"]["dof"] is True
    assert final["staging"]["fstop"] == pytest.approx(2.8)


@pytest.mark.heavy
def test_blender_poses_every_bone_where_the_pure_python_skeleton_says(worker: RenderProcess, tmp_path: Path) -> None:
    """One set holding a person in each of the eight poses: Blender's posed joints match `staging.joints`."""
    from generation.engines import staging
    from generation.engines.setschema import validate_set_spec
    from generation.engines.setspec import figure_joints

    spec = conversation("wide", (128, 72))
    base = spec["characters"][0]
    spec["characters"] = [
        {**base, "name": pose.upper(), "pose": pose, "position": [-3.5 + i, 2.0, 0.0], "facing": 25.0 * i,
         "seat_height": 0.475, "build": 0.9 + 0.05 * i}
        for i, pose in enumerate(staging.POSES)
    ]  # fmt: skip
    result = worker.render(spec, tmp_path / "poses", "draft")
    placed = {f["name"]: f for f in result["staging"]["figures"]}
    assert len(placed) == len(staging.POSES) == 8
    for fig in validate_set_spec(spec).characters:
        expected = figure_joints(fig)
        for bone, where in placed[fig.name]["joints"].items():
            assert math.dist(where, expected[bone].head) < 0.01, (fig.pose, bone, where, expected[bone].head)
        if fig.pose == "lying":
            assert placed[fig.name]["world_height"] < 0.8
        elif fig.pose in ("standing", "walking", "pointing", "holding", "embracing"):
            assert placed[fig.name]["world_height"] == pytest.approx(fig.height, abs=0.12)  # feet to crown
