"""Engine plumbing without Django: atomic outputs, cancel, the per-process model cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generation.engines.base import JobCancelled, JobContext
from generation.engines.models import ModelCache


def test_outputs_are_written_atomically_and_cannot_escape_the_job_folder(tmp_path: Path) -> None:
    ctx = JobContext(output_dir=tmp_path / "job")
    path = ctx.write_file("frames/001.png", b"one")
    ctx.write_file("frames/001.png", b"two")  # a retry overwrites
    assert path.read_bytes() == b"two"
    assert sorted(p.name for p in path.parent.iterdir()) == ["001.png"]
    with pytest.raises(ValueError, match="escapes"):
        ctx.write_file("../outside.txt", b"x")


def test_progress_raises_once_cancelled() -> None:
    flag = {"cancelled": False}
    reports: list[tuple[float, float, str]] = []
    ctx = JobContext(
        output_dir=Path("/nonexistent"),
        report=lambda d, t, m, p: reports.append((d, t, m)),
        cancelled=lambda: flag["cancelled"],
    )
    ctx.on_progress(1, 4, "one")
    flag["cancelled"] = True
    with pytest.raises(JobCancelled):
        ctx.on_progress(2, 4, "two")
    assert reports == [(1, 4, "one"), (2, 4, "two")]


def test_models_load_once_per_process_and_the_least_recent_is_dropped() -> None:
    cache = ModelCache(capacity=2)
    loads: list[str] = []

    def loader(name: str) -> Callable[[], dict[str, str]]:
        def load() -> dict[str, str]:
            loads.append(name)
            return {"name": name}

        return load

    first = cache.get("text", loader("text"))
    assert cache.get("text", loader("text")) is first
    cache.get("gan", loader("gan"))
    cache.get("text", loader("text"))  # text is now the most recent
    cache.get("render", loader("render"))  # evicts gan
    assert loads == ["text", "gan", "render"]
    assert "gan" not in cache and "text" in cache
