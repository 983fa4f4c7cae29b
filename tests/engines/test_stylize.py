"""Diffusion stylization (generation.engines.stylize) through tiny random-weight pipelines saved to local folders.

The tiny pipelines give noise: these tests check code paths (loading, steps, seeds, cancel, ControlNet depth,
errors), never image quality.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from generation.engines.stylize import (
    StylizeCancelled,
    StylizeError,
    StylizeSpec,
    build_tiny_pipeline,
    depth_to_control,
    load_pipeline,
    stylize,
)

BASE_DIR = Path(__file__).resolve().parents[2]


def frame(h: int = 64, w: int = 64) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), (x + y) % 256], -1).astype(np.uint8)


def ramp_depth(h: int = 64, w: int = 64) -> np.ndarray:
    """render's depth.png convention: 0 nearest, 65535 farthest; here near on the left."""
    return np.tile(np.linspace(0, 65535, w), (h, 1)).astype(np.uint16)


@pytest.fixture(scope="module")
def tiny_specs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StylizeSpec]:
    root = tmp_path_factory.mktemp("stylize")
    return {mode: build_tiny_pipeline(root / mode, mode) for mode in ("img2img", "controlnet-depth")}


@pytest.fixture(scope="module")
def img2img(tiny_specs: dict[str, StylizeSpec]) -> Any:
    return load_pipeline(tiny_specs["img2img"])


@pytest.fixture(scope="module")
def controlnet(tiny_specs: dict[str, StylizeSpec]) -> Any:
    return load_pipeline(tiny_specs["controlnet-depth"])


def run(pipe: Any, **kwargs: Any) -> tuple[np.ndarray, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []
    args: dict[str, Any] = {"prompt": "a rainy street, ink wash", "steps": 4, "strength": 1.0, **kwargs}
    image = args.pop("image", frame())
    out = stylize(pipe, image, on_step=lambda done, total: calls.append((done, total)), **args)
    return out, calls


@pytest.mark.heavy
def test_loads_the_img2img_class_from_the_local_folder(img2img: Any, tiny_specs: dict[str, StylizeSpec]) -> None:
    index = json.loads((Path(tiny_specs["img2img"].path) / "model_index.json").read_text())
    assert index["_class_name"] == "StableDiffusionPipeline"  # saved like a real SD 1.5 folder
    assert type(img2img).__name__ == "StableDiffusionImg2ImgPipeline"
    assert img2img.safety_checker is None  # the folder has none, so none is loaded (or fetched)
    assert str(img2img.device) == "cpu" and str(img2img.unet.dtype) == "torch.float32"


@pytest.mark.heavy
def test_output_shape_and_one_progress_call_per_step(img2img: Any) -> None:
    out, calls = run(img2img, strength=1.0)
    assert out.shape == (64, 64, 3) and out.dtype == np.uint8
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]

    # img2img skips the first steps: diffusers runs int(steps * strength) of them.
    _, calls = run(img2img, strength=0.5)
    assert calls == [(1, 2), (2, 2)] and len(calls) == int(4 * 0.5)
    _, calls = run(img2img, steps=7, strength=0.6)
    assert len(calls) == int(7 * 0.6) == 4


@pytest.mark.heavy
def test_size_not_a_multiple_of_8_comes_back_at_its_own_size(img2img: Any) -> None:
    out, calls = run(img2img, image=frame(44, 60), steps=2)
    assert out.shape == (44, 60, 3) and out.dtype == np.uint8 and len(calls) == 2


@pytest.mark.heavy
def test_same_seed_same_output_other_seed_differs(img2img: Any) -> None:
    a, _ = run(img2img, seed=7, strength=0.75)
    b, _ = run(img2img, seed=7, strength=0.75)
    c, _ = run(img2img, seed=8, strength=0.75)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.heavy
def test_should_stop_interrupts_and_raises(img2img: Any) -> None:
    calls: list[int] = []
    with pytest.raises(StylizeCancelled, match="after step 2 of 8"):
        stylize(
            img2img, frame(), prompt="x", steps=8, strength=1.0,
            on_step=lambda done, total: calls.append(done), should_stop=lambda: len(calls) >= 2,
        )  # fmt: skip
    assert calls == [1, 2] and len(calls) <= 3
    assert img2img.interrupt  # the pipeline was told to stop

    # The next call starts fresh (diffusers resets the flag) and runs all its steps.
    _, again = run(img2img, steps=3)
    assert len(again) == 3

    with pytest.raises(StylizeCancelled, match="before the first step"):
        stylize(img2img, frame(), prompt="x", steps=3, on_step=lambda *_: pytest.fail("ran"), should_stop=lambda: True)


@pytest.mark.heavy
def test_controlnet_depth_runs_and_follows_the_depth_map(controlnet: Any) -> None:
    assert type(controlnet).__name__ == "StableDiffusionControlNetImg2ImgPipeline"
    depth = ramp_depth()
    out, calls = run(controlnet, depth=depth)
    assert out.shape == (64, 64, 3) and out.dtype == np.uint8 and len(calls) == 4
    same, _ = run(controlnet, depth=depth)
    flipped, _ = run(controlnet, depth=depth[:, ::-1].copy())
    assert np.array_equal(out, same)
    assert not np.array_equal(out, flipped)  # the control image reaches the UNet

    # Float depth (metres, sky = inf) of another size is normalized and resized.
    metres = np.where(np.arange(32)[None, :] < 28, np.linspace(1, 50, 32)[None, :], np.inf) * np.ones((32, 1))
    out, _ = run(controlnet, depth=metres, strength=0.5)
    assert out.shape == (64, 64, 3)

    with pytest.raises(ValueError, match="pass depth"):
        run(controlnet)


def test_depth_to_control_is_near_bright() -> None:
    control = depth_to_control(ramp_depth(4, 5))
    assert control.shape == (4, 5, 3) and control.dtype == np.uint8
    assert control[0, 0].tolist() == [255, 255, 255] and control[0, -1].tolist() == [0, 0, 0]
    assert (np.diff(control[0, :, 0].astype(int)) < 0).all()
    sky = depth_to_control(np.array([[1.0, 2.0, np.inf, np.nan]]))
    assert sky[0, :, 0].tolist() == [255, 0, 0, 0]
    with pytest.raises(ValueError, match="HxW"):
        depth_to_control(np.zeros((2, 2, 3)))


@pytest.mark.heavy
def test_bad_folders_say_what_to_fix(tmp_path: Path, tiny_specs: dict[str, StylizeSpec]) -> None:
    def error(spec: StylizeSpec) -> str:
        with pytest.raises(StylizeError) as info:
            load_pipeline(spec)
        return str(info.value)

    missing = tmp_path / "nowhere"
    assert "does not exist" in error(StylizeSpec("m", str(missing)))
    (tmp_path / "empty").mkdir()
    message = error(StylizeSpec("e", str(tmp_path / "empty")))
    assert "is not a diffusers pipeline folder (no model_index.json)" in message and "unet/" in message

    flux = tmp_path / "flux"
    flux.mkdir()
    (flux / "model_index.json").write_text(json.dumps({"_class_name": "FluxPipeline"}))
    assert "FluxPipeline" in error(StylizeSpec("f", str(flux))) and "SDXL" in error(StylizeSpec("f", str(flux)))

    base = tiny_specs["img2img"].path
    assert "needs controlnet_path" in error(StylizeSpec("c", base, mode="controlnet-depth"))
    assert "does not exist" in error(StylizeSpec("c", base, "controlnet-depth", str(missing)))
    message = error(StylizeSpec("c", base, "controlnet-depth", str(tmp_path / "empty")))
    assert "is not a ControlNet folder" in message
    assert "unknown stylize mode" in error(StylizeSpec("x", base, mode="inpaint"))

    checkpoint = tmp_path / "model.safetensors"
    assert "does not exist" in error(StylizeSpec("s", str(checkpoint)))
    checkpoint.write_bytes(b"")
    assert "set config to a local diffusers pipeline folder" in error(StylizeSpec("s", str(checkpoint)))
    assert "no model_index.json" in error(StylizeSpec("s", str(checkpoint), config=str(tmp_path / "empty")))

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionPipeline", "unet": ["x", "y"]}))
    assert "could not load" in error(StylizeSpec("b", str(broken)))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strength": 1.5}, "strength must be between 0 and 1"),
        ({"strength": -0.1}, "strength must be between 0 and 1"),
        ({"steps": 0}, "steps must be a whole number from 1 to 150"),
        ({"steps": 151}, "steps must be a whole number from 1 to 150"),
        ({"steps": 4, "strength": 0.2}, "leaves no denoising step"),
        ({"guidance": 31.0}, "guidance must be between 0 and 30"),
        ({"seed": -1}, "seed must be a non-negative"),
        ({"image": np.zeros((64, 64), np.uint8)}, "HxWx3 uint8"),
        ({"image": np.zeros((64, 64, 3), np.float32)}, "HxWx3 uint8"),
    ],
)
@pytest.mark.heavy
def test_bad_parameters(img2img: Any, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run(img2img, **kwargs)


OFFLINE_SCRIPT = textwrap.dedent(
    """
    import os, socket, sys
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")
    socket.getaddrinfo = refuse
    socket.create_connection = refuse
    _connect = socket.socket.connect
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            refuse()
        return _connect(self, address)
    socket.socket.connect = connect

    import numpy as np
    from generation.engines import stylize as s
    assert "torch" not in sys.modules and "diffusers" not in sys.modules, "importing stylize must stay cheap"
    spec = s.build_tiny_pipeline(sys.argv[1])
    pipe = s.load_pipeline(spec)
    import huggingface_hub.constants
    assert os.environ["HF_HUB_OFFLINE"] == "1" and huggingface_hub.constants.HF_HUB_OFFLINE
    out = s.stylize(pipe, np.full((64, 64, 3), 128, np.uint8), prompt="test", steps=2, strength=1.0)
    assert out.shape == (64, 64, 3)
    print("OFFLINE OK")
    """
)


@pytest.mark.parametrize("preset", ["1", None], ids=["HF_HUB_OFFLINE=1", "unset"])
@pytest.mark.heavy
def test_build_load_and_run_never_touch_the_network(tmp_path: Path, preset: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    if preset is not None:
        env["HF_HUB_OFFLINE"] = preset
    env["PYTHONPATH"] = str(BASE_DIR)
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT, str(tmp_path / "tiny")],
        env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "OFFLINE OK" in done.stdout


@pytest.mark.heavy
def test_safety_checker_is_kept_when_the_folder_has_one(tmp_path: Path, tiny_specs: dict[str, StylizeSpec]) -> None:
    from diffusers import StableDiffusionPipeline
    from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
    from transformers import CLIPConfig, CLIPImageProcessor

    tiny = {"hidden_size": 32, "intermediate_size": 37, "num_hidden_layers": 1, "num_attention_heads": 4}
    vision = {**tiny, "image_size": 32, "patch_size": 8}
    checker = StableDiffusionSafetyChecker(CLIPConfig(text_config=tiny, vision_config=vision, projection_dim=32))
    extractor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    base: Any = StableDiffusionPipeline.from_pretrained(tiny_specs["img2img"].path, local_files_only=True)
    parts = {**base.components, "safety_checker": checker, "feature_extractor": extractor}
    checked: Any = StableDiffusionPipeline(**parts, requires_safety_checker=True)
    checked.save_pretrained(tmp_path / "checked")

    pipe = load_pipeline(StylizeSpec("checked", str(tmp_path / "checked")))
    assert isinstance(pipe.safety_checker, StableDiffusionSafetyChecker)
    out, calls = run(pipe, steps=2)  # concept thresholds of 1.0 never flag the noise
    assert out.shape == (64, 64, 3) and len(calls) == 2

    # A folder whose model_index names a checker it does not hold loads without one (nothing is fetched).
    index_path = tmp_path / "checked" / "model_index.json"
    shutil.rmtree(tmp_path / "checked" / "safety_checker")
    assert json.loads(index_path.read_text())["safety_checker"][0] is not None
    assert load_pipeline(StylizeSpec("trimmed", str(tmp_path / "checked"))).safety_checker is None
