"""Worker check: measures what the worker that runs models actually has (no Django imports)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import platform
import shutil
import sys
import time
from typing import Any

from generation.engines.base import JobContext

DISK_MB = 64
HASH_MB = 128
CHUNK = 4 * 1024 * 1024


def _memory_total_mb() -> int | None:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def _accelerators() -> dict[str, Any]:
    if importlib.util.find_spec("torch") is None:
        return {"torch": "not installed", "device": "cpu"}
    import torch

    info: dict[str, Any] = {"torch": torch.__version__, "cuda": torch.cuda.is_available()}
    if torch.cuda.is_available():
        info["device"] = "cuda"
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    else:
        info["device"] = "cpu"
    return info


def run(params: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Measure the worker: environment, accelerators, disk and CPU throughput."""
    steps = 2 + DISK_MB * 1024 * 1024 // CHUNK + HASH_MB * 1024 * 1024 // CHUNK
    done = 0
    ctx.on_progress(done, steps, "Reading the environment")
    summary: list[list[str]] = [
        ["Python", sys.version.split()[0]],
        ["Platform", platform.platform()],
        ["CPU cores", str(os.cpu_count())],
        ["Memory", f"{_memory_total_mb() or '?'} MB"],
    ]
    done += 1
    accel = _accelerators()
    summary.append(["PyTorch", str(accel.get("torch"))])
    summary.append(["Device", ", ".join(accel.get("gpus", [])) or str(accel["device"])])
    done += 1
    ctx.on_progress(done, steps, "Measuring disk writes")

    ctx.output_dir.mkdir(parents=True, exist_ok=True)
    probe = ctx.output_dir / ".disk-probe"
    block = os.urandom(CHUNK)
    started = time.perf_counter()
    try:
        with open(probe, "wb") as handle:
            for _ in range(DISK_MB * 1024 * 1024 // CHUNK):
                handle.write(block)
                done += 1
                ctx.on_progress(done, steps, "Measuring disk writes")
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        probe.unlink(missing_ok=True)
    disk_mbps = DISK_MB / (time.perf_counter() - started)
    free_gb = shutil.disk_usage(ctx.output_dir).free / 1e9
    summary.append(["Disk write", f"{disk_mbps:.0f} MB/s"])
    summary.append(["Disk free", f"{free_gb:.1f} GB"])

    digest = hashlib.sha256()
    started = time.perf_counter()
    for _ in range(HASH_MB * 1024 * 1024 // CHUNK):
        digest.update(block)
        done += 1
        ctx.on_progress(done, steps, "Measuring CPU speed")
    hash_mbps = HASH_MB / (time.perf_counter() - started)
    summary.append(["CPU (SHA-256, one core)", f"{hash_mbps:.0f} MB/s"])

    report = {"summary": summary, "accelerators": accel}
    ctx.write_file("report.json", json.dumps(report, indent=2).encode())
    return {"summary": summary, "files": [{"name": "report.json", "label": "Full report (JSON)"}]}
