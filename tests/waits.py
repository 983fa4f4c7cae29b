"""Waits that end on an event within a deadline, instead of a fixed sleep: a condition polled without
blocking the event loop, and the test worker done with every job before now."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from generation.models import GenerationJob, JobStatus
from projects.jobs import services as job_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, wait_for


async def eventually(predicate: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.1) -> Any:
    """`wait_for` for async tests: polls a plain (non-ORM) predicate without blocking the event loop."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def worker_done_with_earlier_jobs(cast: Cast, *, timeout: float) -> None:
    """Returns once the test worker has finished every job started before this call.

    A job's status says what was decided (a cancel is recorded at once), not that its engine has stopped.
    The test worker runs one job at a time, so once a one-step job started now has succeeded, every
    earlier job's engine, a cancelled one's included, has returned."""
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    marker = job_services.job_start(access=access, kind="test_steps", params={"steps": 1})
    wait_for(
        lambda: GenerationJob.objects.get(pk=marker.pk).status == JobStatus.SUCCEEDED,
        timeout=timeout,
        what="the worker to finish the jobs before a one-step job",
    )
