"""Optional diffusion stylization of a rendered frame: img2img, or img2img guided by the frame's depth (ControlNet).

Weights come only from a user's local folder (a diffusers pipeline folder for SD 1.x/2.x, SD-Turbo or SDXL, or
one `.safetensors` checkpoint plus a local `config` folder); nothing is ever downloaded. torch and diffusers are
imported inside the functions, so importing this module is cheap. No Django imports here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MODES = ("img2img", "controlnet-depth")
PIPELINES = {  # (family, mode) -> the diffusers class that loads it
    ("sd", "img2img"): "StableDiffusionImg2ImgPipeline",
    ("sd", "controlnet-depth"): "StableDiffusionControlNetImg2ImgPipeline",
    ("sdxl", "img2img"): "StableDiffusionXLImg2ImgPipeline",
    ("sdxl", "controlnet-depth"): "StableDiffusionXLControlNetImg2ImgPipeline",
}
# huggingface_hub reads HF_HUB_OFFLINE (TRANSFORMERS_OFFLINE is its alias) once, when first imported; diffusers 0.42
# has no DIFFUSERS_OFFLINE of its own. local_files_only=True below is what really keeps loading local.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}


class StylizeError(RuntimeError):
    """A model folder is missing, incomplete or of an unsupported kind; the message says what to fix."""


class StylizeCancelled(RuntimeError):
    """should_stop() returned True; the denoising loop was interrupted."""


@dataclass(frozen=True)
class StylizeSpec:
    """A local model: `path` is a diffusers pipeline folder, or a `.safetensors` file with `config` a pipeline
    folder of the same architecture (its model_index.json and component configs). `controlnet_path` is a local
    depth ControlNet folder, needed for mode "controlnet-depth" unless the pipeline folder has a `controlnet`."""

    key: str
    path: str
    mode: str = "img2img"
    controlnet_path: str = ""
    label: str = ""
    config: str = ""


def _offline() -> None:
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


def _model_index(folder: Path, what: str) -> dict[str, Any]:
    if not folder.is_dir():
        raise StylizeError(f"{what} {folder} does not exist or is not a folder")
    index = folder / "model_index.json"
    if not index.is_file():
        raise StylizeError(
            f"{what} {folder} is not a diffusers pipeline folder (no model_index.json); point it at the folder "
            "that holds model_index.json, unet/, vae/, text_encoder/, tokenizer/ and scheduler/"
        )
    try:
        data = json.loads(index.read_text())
    except (OSError, ValueError) as exc:
        data = f"unreadable: {exc}"
    if not isinstance(data, dict):
        raise StylizeError(f"{index} is not a diffusers model index (a JSON object): {str(data)[:200]}")
    return data


def _family(index: dict[str, Any], folder: Path) -> str:
    name = str(index.get("_class_name", ""))
    if name.startswith("StableDiffusionXL"):
        return "sdxl"
    if name.startswith("StableDiffusion") and not name.startswith("StableDiffusion3"):
        return "sd"
    raise StylizeError(
        f"{folder} holds a {name or 'unknown'} pipeline; stylize supports Stable Diffusion 1.x/2.x "
        "(including SD-Turbo) and SDXL folders"
    )


def _has_component(folder: Path, index: dict[str, Any], name: str) -> bool:
    entry = index.get(name)
    return isinstance(entry, list) and bool(entry) and entry[0] is not None and (folder / name).is_dir()


def load_pipeline(spec: StylizeSpec, device: str | None = None) -> Any:
    """Loads `spec` from local files only, on CUDA in fp16 when available (or `device`), else CPU in fp32.

    Raises StylizeError, with what to fix, for a missing or non-pipeline folder, an unsupported architecture or
    a missing ControlNet. The safety checker is kept when the folder has one, and left out when it has none.
    """
    if spec.mode not in MODES:
        raise StylizeError(f"unknown stylize mode {spec.mode!r}; use one of {', '.join(MODES)}")
    source = Path(spec.path).expanduser()
    single_file = source.suffix == ".safetensors"
    if single_file:
        if not source.is_file():
            raise StylizeError(f"model file {source} does not exist")
        if not spec.config:
            raise StylizeError(
                f"{source.name} is a single checkpoint file: set config to a local diffusers pipeline folder of the "
                "same architecture (model_index.json + component configs), or it cannot be loaded offline"
            )
        folder = Path(spec.config).expanduser()
        index = _model_index(folder, "config folder")
    else:
        folder = source
        index = _model_index(folder, "model folder")
    family = _family(index, folder)
    cn = _controlnet_folder(spec, folder, index) if spec.mode == "controlnet-depth" else None
    _offline()
    import diffusers
    import torch

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    kwargs: dict[str, Any] = {"dtype": dtype, "local_files_only": True}
    checker = all(_has_component(folder, index, name) for name in ("safety_checker", "feature_extractor"))
    if family == "sd" and not checker:  # the folder has none: leave it out rather than fetch one
        kwargs.update(safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    try:
        if family == "sd" and checker and single_file:  # from_single_file never loads one; use config's
            from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
            from transformers import CLIPImageProcessor

            checker_dir, extractor_dir = folder / "safety_checker", folder / "feature_extractor"
            kwargs["safety_checker"] = StableDiffusionSafetyChecker.from_pretrained(
                checker_dir, dtype=dtype, local_files_only=True
            )
            kwargs["feature_extractor"] = CLIPImageProcessor.from_pretrained(extractor_dir, local_files_only=True)
        if cn is not None:
            kwargs["controlnet"] = diffusers.ControlNetModel.from_pretrained(cn, dtype=dtype, local_files_only=True)
        cls = getattr(diffusers, PIPELINES[(family, spec.mode)])
        if single_file:
            pipe = cls.from_single_file(str(source), config=str(folder), **kwargs)
        else:
            pipe = cls.from_pretrained(str(folder), **kwargs)
    except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
        raise StylizeError(f"could not load {spec.label or spec.key} from {source}: {exc}") from exc
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device)


def _controlnet_folder(spec: StylizeSpec, folder: Path, index: dict[str, Any]) -> Path:
    if spec.controlnet_path:
        cn = Path(spec.controlnet_path).expanduser()
        if (cn / "config.json").is_file():
            return cn
        what = "does not exist" if not cn.exists() else "is not a ControlNet folder (no config.json)"
        raise StylizeError(f"controlnet_path {cn} {what}; point it at a local depth ControlNet folder")
    if _has_component(folder, index, "controlnet"):
        return folder / "controlnet"
    raise StylizeError(
        "mode controlnet-depth needs controlnet_path: a local folder with a depth ControlNet for this base "
        "model (config.json + diffusion_pytorch_model.safetensors, e.g. control_v11f1p_sd15_depth)"
    )


def depth_to_control(depth: np.ndarray) -> np.ndarray:
    """HxW (or HxWx1) depth, larger = farther (render's depth.png: 0 nearest, 65535 farthest/sky), to the HxWx3
    uint8 image depth ControlNets expect: near bright, far dark. Min-max over finite values; inf/NaN count as far."""
    d = np.asarray(depth, dtype=np.float64)
    if d.ndim == 3 and d.shape[2] == 1:
        d = d[:, :, 0]
    if d.ndim != 2:
        raise ValueError(f"depth must be an HxW array, got shape {depth.shape}")
    finite = np.isfinite(d)
    norm = np.ones_like(d)
    if finite.any():
        lo, hi = float(d[finite].min()), float(d[finite].max())
        norm[finite] = (d[finite] - lo) / (hi - lo) if hi > lo else 0.0
    grey = np.round((1.0 - norm) * 255.0).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


def _check(image: np.ndarray, strength: float, steps: int, guidance: float, seed: int) -> None:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        shape = getattr(image, "shape", None)
        raise ValueError(f"image must be an HxWx3 uint8 array, got {type(image).__name__} {shape}")
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be between 0 and 1, got {strength}")
    if not isinstance(steps, int) or not 1 <= steps <= 150:
        raise ValueError(f"steps must be a whole number from 1 to 150, got {steps}")
    if int(steps * strength) < 1:
        raise ValueError(
            f"strength {strength} with {steps} steps leaves no denoising step (img2img runs int(steps*strength)); "
            "raise steps or strength"
        )
    if not 0.0 <= guidance <= 30.0:
        raise ValueError(f"guidance must be between 0 and 30, got {guidance}")
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number, got {seed}")


def stylize(
    pipe: Any,
    image: np.ndarray,
    *,
    prompt: str,
    negative_prompt: str = "",
    strength: float = 0.5,
    steps: int = 20,
    guidance: float = 7.0,
    seed: int = 0,
    depth: np.ndarray | None = None,
    control_scale: float = 1.0,
    on_step: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> np.ndarray:
    """Restyles `image` (HxWx3 uint8) with a pipeline from load_pipeline; returns an array of the same shape.

    img2img runs int(steps * strength) denoising steps; on_step(done, total) is called after each. When
    should_stop() turns True the loop is interrupted and StylizeCancelled raised. The same seed gives the same
    result on the same device. `depth` (HxW, larger = farther) is required by a ControlNet pipeline and ignored
    otherwise. The size is rounded to a multiple of 8 for the model and the result resized back.
    """
    _check(image, strength, steps, guidance, seed)
    controlnet = getattr(pipe, "controlnet", None) is not None
    if controlnet and depth is None:
        raise ValueError("this pipeline is a depth ControlNet: pass depth (an HxW depth map of the frame)")
    if should_stop is not None and should_stop():
        raise StylizeCancelled("cancelled before the first step")
    import torch
    from PIL import Image

    h, w = image.shape[:2]
    multiple = max(8, int(getattr(pipe, "vae_scale_factor", 8)))
    size = (max(multiple, round(w / multiple) * multiple), max(multiple, round(h / multiple) * multiple))
    init = Image.fromarray(image).resize(size, Image.Resampling.LANCZOS) if size != (w, h) else Image.fromarray(image)
    kwargs: dict[str, Any] = {}
    if controlnet:
        assert depth is not None
        control = Image.fromarray(depth_to_control(depth)).resize(size, Image.Resampling.BILINEAR)
        kwargs.update(control_image=control, controlnet_conditioning_scale=float(control_scale))

    def callback(p: Any, i: int, t: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        if on_step is not None:
            on_step(i + 1, int(p.num_timesteps))
        if should_stop is not None and should_stop():
            p._interrupt = True  # the loop skips what is left; raising below also skips the VAE decode
            raise StylizeCancelled(f"cancelled after step {i + 1} of {p.num_timesteps}")
        return {}

    try:
        result = pipe(
            prompt=prompt,
            negative_prompt=negative_prompt or None,
            image=init,
            strength=float(strength),
            num_inference_steps=steps,
            guidance_scale=float(guidance),
            generator=torch.Generator("cpu").manual_seed(seed),
            callback_on_step_end=callback,
            output_type="pil",
            **kwargs,
        )
    except StylizeCancelled:
        pipe.maybe_free_model_hooks()
        raise
    if any(getattr(result, "nsfw_content_detected", None) or []):
        raise StylizeError("the model's safety checker blanked this result; try another prompt or seed")
    out = result.images[0]
    if out.size != (w, h):
        out = out.resize((w, h), Image.Resampling.LANCZOS)
    return np.asarray(out.convert("RGB"), dtype=np.uint8)


def build_tiny_pipeline(folder: str | Path, mode: str = "img2img") -> StylizeSpec:
    """Saves a TINY random-weight SD-1.5-layout pipeline into `folder` (plus a tiny depth ControlNet in
    `folder/controlnet-depth` for mode "controlnet-depth") and returns a StylizeSpec for it.

    For tests only: it exercises the real local loading and stylize code paths on CPU in seconds. Its random
    weights give noise; its output is never a result and must never be shown to users.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    _offline()
    import torch
    from diffusers import AutoencoderKL, ControlNetModel, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from tokenizers import pre_tokenizers
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    root = Path(folder)
    with torch.random.fork_rng(devices=[]):  # the same weights every time; the caller's RNG untouched
        torch.manual_seed(0)
        blocks = {"block_out_channels": (32, 64), "layers_per_block": 1}
        down = ("DownBlock2D", "CrossAttnDownBlock2D")
        unet = UNet2DConditionModel(
            **blocks, sample_size=32, in_channels=4, out_channels=4, cross_attention_dim=32, attention_head_dim=8,
            down_block_types=down, up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        )  # fmt: skip
        vae = AutoencoderKL(
            **blocks, in_channels=3, out_channels=3, latent_channels=4, sample_size=64,
            down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
        )  # fmt: skip
        # A byte-level vocabulary with no merges: every character is a token. Enough for CLIPTokenizer, built offline.
        alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
        vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
        for piece in alphabet + [c + "</w>" for c in alphabet]:
            vocab.setdefault(piece, len(vocab))
        tokenizer = CLIPTokenizer(vocab=vocab, merges=[], model_max_length=77)
        text_encoder = CLIPTextModel(
            CLIPTextConfig(
                vocab_size=len(vocab), hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
                max_position_embeddings=77, bos_token_id=0, eos_token_id=1, pad_token_id=1, projection_dim=32,
            )
        )  # fmt: skip
        betas = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear"}
        scheduler = DDIMScheduler(**betas, clip_sample=False, set_alpha_to_one=False, steps_offset=1)
        pipe: Any = StableDiffusionPipeline(
            vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet, scheduler=scheduler,
            safety_checker=None, feature_extractor=None, requires_safety_checker=False,
        )  # fmt: skip
        if mode == "controlnet-depth":
            controlnet: Any = ControlNetModel(
                **blocks, in_channels=4, cross_attention_dim=32, attention_head_dim=8, down_block_types=down,
                conditioning_embedding_out_channels=(16, 32),
            )  # fmt: skip
            cond = controlnet.controlnet_cond_embedding
            with torch.no_grad():  # its zero convolutions start at zero; randomize them so the depth map matters
                for conv in [*controlnet.controlnet_down_blocks, controlnet.controlnet_mid_block, cond.conv_out]:
                    conv.weight.normal_(0.0, 0.5)
    pipe.save_pretrained(root)
    spec = StylizeSpec(key="tiny", path=str(root), mode=mode, label="tiny random-weight test pipeline")
    if mode == "controlnet-depth":
        controlnet.save_pretrained(root / "controlnet-depth")
        spec = StylizeSpec(spec.key, spec.path, mode, str(root / "controlnet-depth"), spec.label)
    return spec
