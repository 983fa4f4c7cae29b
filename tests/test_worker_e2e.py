"""A real Celery worker process on real Redis: progress over websockets, crashes, cancel."""

from __future__ import annotations

import os
import re
import signal
import time
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from generation import services
from generation.models import GenerationJob, JobStatus
from generation.paths import job_output_dir
from projects.jobs import services as job_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, Proc, start_worker, wait_for
from tests.sockets import session_headers, ws_connect
from tests.waits import worker_done_with_earlier_jobs

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROW = re.compile(r'id="job-(?P<id>[0-9a-f-]+)"[^>]*data-seq="(?P<seq>\d+)" data-status="(?P<status>\w+)"')
PERCENT = re.compile(r'<progress max="100" value="(?P<value>\d+)"')


def start_job(cast: Cast, **params: Any) -> GenerationJob:
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    return job_services.job_start(access=access, kind="test_steps", params=params)


def job(public_id: Any) -> GenerationJob:
    return GenerationJob.objects.get(public_id=public_id)


def runs_log(j: GenerationJob) -> list[str]:
    path = job_output_dir(j.project.public_id, j.public_id) / "runs.log"
    return path.read_text().split("\n")[:-1] if path.exists() else []


async def test_progress_reaches_a_websocket_in_order_and_the_result_lands(worker: Proc, cast: Cast) -> None:
    client = Client()
    await database_sync_to_async(client.force_login)(cast.viewer)
    connected, ws = await ws_connect(f"/ws/projects/{cast.project.public_id}/", session_headers(client))
    assert connected
    await ws.receive_from(timeout=5)  # the panel as it is now

    created = await database_sync_to_async(start_job)(cast, steps=12, step_seconds=0.05)
    seqs: list[int] = []
    percents: list[int] = []
    statuses: list[str] = []
    deadline = time.monotonic() + 60
    while "succeeded" not in statuses and time.monotonic() < deadline:
        html = await ws.receive_from(timeout=30)
        for match in ROW.finditer(html):
            if match["id"] == str(created.public_id):
                seqs.append(int(match["seq"]))
                statuses.append(match["status"])
                percents.append(int(PERCENT.search(html[match.start() :])["value"]))  # type: ignore[index]
    await ws.disconnect()

    assert statuses[-1] == "succeeded", worker.output()[-2000:]
    assert "running" in statuses
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
    assert percents == sorted(percents) and percents[-1] == 100
    assert len(percents) >= 4  # progress steps arrived live, not only the end state
    final = await database_sync_to_async(job)(created.public_id)
    assert final.status == JobStatus.SUCCEEDED
    assert final.progress == 1.0 and final.attempts == 1
    assert final.result["files"][0]["name"] == "result.json"
    assert final.seq == seqs[-1]


def test_a_worker_killed_mid_job_runs_it_again_and_completes_once(worker: Proc, cast: Cast) -> None:
    created = start_job(cast, steps=16, step_seconds=0.15)
    running = wait_for(
        lambda: (j := job(created.public_id)).status == JobStatus.RUNNING and j.progress >= 0.25 and j,
        timeout=30,
        what="job running",
    )
    pid = int(running.worker.rsplit(":", 1)[1])
    os.kill(pid, signal.SIGKILL)  # the pool process running the job, as the OOM killer would

    done = wait_for(
        lambda: (j := job(created.public_id)).status not in (JobStatus.RUNNING, JobStatus.QUEUED) and j,
        timeout=60,
        what="job to finish after the kill",
    )
    assert done.status == JobStatus.SUCCEEDED, (done.error, worker.output()[-3000:])
    assert done.attempts == 2
    log = runs_log(done)
    assert log[0] == "start attempt=1"
    assert [line for line in log if line.startswith("complete")] == ["complete attempt=2"]
    assert "complete attempt=1" not in log


def test_a_job_that_kills_its_worker_every_time_fails_at_the_attempt_cap(worker: Proc, cast: Cast) -> None:
    created = start_job(cast, steps=4, step_seconds=0.05, crash_on_attempts=10)
    done = wait_for(
        lambda: (j := job(created.public_id)).status == JobStatus.FAILED and j,
        timeout=90,
        what="job to fail at the attempt cap",
    )
    assert done.attempts == 3
    assert "stopped 3 times" in done.error and "retry" in done.error.lower()
    assert [line for line in runs_log(done) if line.startswith("crash")] == [
        "crash attempt=1",
        "crash attempt=2",
        "crash attempt=3",
    ]


def test_cancel_stops_a_running_job_and_keeps_what_it_wrote(worker: Proc, cast: Cast) -> None:
    created = start_job(cast, steps=100, step_seconds=0.05)
    wait_for(lambda: job(created.public_id).progress >= 0.1, timeout=30, what="progress")
    services.job_cancel(job=job(created.public_id), by=cast.editor)
    # The worker is free for the next job: the engine noticed the cancel at its next step and returned.
    worker_done_with_earlier_jobs(cast, timeout=60)
    stopped = job(created.public_id)
    assert stopped.status == JobStatus.CANCELLED and stopped.progress < 1.0  # the engine really stopped
    log = runs_log(stopped)
    assert log == ["start attempt=1"]  # it started, wrote its log, and never completed


def test_a_whole_worker_killed_is_replaced_and_the_reaper_requeues_its_job(transactional_db: None, cast: Cast) -> None:
    first = start_worker()
    try:
        created = start_job(cast, steps=20, step_seconds=0.2)
        wait_for(lambda: job(created.public_id).progress >= 0.2, timeout=30, what="progress")
        os.killpg(first.popen.pid, signal.SIGKILL)  # the main process and its pool, no goodbye
        first.popen.wait(timeout=10)
    finally:
        first.stop()
    assert job(created.public_id).status == JobStatus.RUNNING  # orphaned, for now

    second = start_worker(beat=True)
    try:
        done = wait_for(
            lambda: (j := job(created.public_id)).status == JobStatus.SUCCEEDED and j,
            timeout=90,
            what="the replacement worker to finish the job",
        )
    finally:
        second.stop()
    assert done.attempts == 2
    assert [line for line in runs_log(done) if line.startswith("complete")] == ["complete attempt=2"]
