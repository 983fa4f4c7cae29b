"""What an MP4 holds, read back with PyAV: its sound as samples, its pictures at given times."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

RATE = 48000


def audio_of(path: Path) -> tuple[np.ndarray, int]:
    """The file's first audio stream as mono float samples at 48 kHz."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks = [
            out.to_ndarray().reshape(-1) for frame in container.decode(stream) for out in resampler.resample(frame)
        ]
    return np.concatenate(chunks), RATE


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0


def frames_at(path: Path, times: list[float]) -> list[np.ndarray]:
    """The decoded pictures nearest each time (seconds), as RGB arrays."""
    with av.open(str(path)) as container:
        decoded = [(float(f.time or 0.0), f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    return [min(decoded, key=lambda item: abs(item[0] - t))[1] for t in times]
