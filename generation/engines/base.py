"""The contract between a job runner and an engine. No Django imports here."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class JobCancelled(Exception):
    """The job was cancelled; whatever the engine already wrote stays."""


class JobFailed(Exception):
    """The job cannot succeed as asked; the message is shown to a person and says what to do."""


class TransientError(Exception):
    """Worth another try later (a busy endpoint, a dropped connection)."""


ProgressFn = Callable[[float, float, str, "str | None"], None]


class Engine(Protocol):
    def __call__(self, params: dict[str, Any], ctx: JobContext) -> dict[str, Any]: ...


@dataclass
class JobContext:
    """What an engine gets: where to write, how to report progress, and how to notice cancel."""

    output_dir: Path
    attempt: int = 1
    project_id: str = ""
    job_id: str = ""
    report: ProgressFn = field(default=lambda done, total, message, preview: None)
    cancelled: Callable[[], bool] = field(default=lambda: False)

    def on_progress(self, done: float, total: float, message: str = "", preview: str | None = None) -> None:
        """Report `done` of `total`; raises JobCancelled once the job has been cancelled."""
        self.report(done, total, message, preview)
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if self.cancelled():
            raise JobCancelled()

    def write_file(self, name: str, data: bytes) -> Path:
        """Write an output atomically (temp file + rename), so a retry simply overwrites it."""
        target = (self.output_dir / name).resolve()
        if self.output_dir.resolve() not in target.parents:
            raise ValueError(f"output name escapes the job folder: {name!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target
