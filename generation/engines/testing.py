"""A test-only engine that exercises the job machinery: steps, failure, crashes (no Django)."""

from __future__ import annotations

import json
import os
import signal
import time
from typing import Any

from generation.engines.base import JobContext, JobFailed


def _log(ctx: JobContext, line: str) -> None:
    ctx.output_dir.mkdir(parents=True, exist_ok=True)
    with open(ctx.output_dir / "runs.log", "a") as handle:
        handle.write(f"{line}\n")


def run(params: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Count through `steps`, sleeping between them; optionally fail or SIGKILL itself midway."""
    steps = int(params["steps"])
    _log(ctx, f"start attempt={ctx.attempt}")
    for step in range(1, steps + 1):
        time.sleep(float(params.get("step_seconds", 0.0)))
        if params.get("fail_at_step") == step:
            raise JobFailed(f"Step {step} failed as asked.")
        if step == max(1, steps // 2) and ctx.attempt <= int(params.get("crash_on_attempts", 0)):
            _log(ctx, f"crash attempt={ctx.attempt}")
            os.kill(os.getpid(), signal.SIGKILL)
        ctx.on_progress(step, steps, f"Step {step} of {steps}")
    ctx.write_file("result.json", json.dumps({"steps": steps, "attempt": ctx.attempt}).encode())
    _log(ctx, f"complete attempt={ctx.attempt}")
    return {
        "summary": [["Steps", str(steps)], ["Attempt", str(ctx.attempt)]],
        "files": [{"name": "result.json", "label": "Result"}],
    }
