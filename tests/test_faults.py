"""Faults during Write screenplay, with real processes: the worker killed, Redis killed, Redis
supervised by `manage.py studio`. Each generated scene ends up in the script exactly once, and the
job ends in a final state within 60 s of recovery.

The words come from the fake endpoint of tests/fake_llm.py (slowed down, so the faults land while
the job writes); the worker, Redis, the database and the studio's code are the real ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from filmstudio import embedded_redis
from generation import services
from generation.models import FINISHED_STATUSES, GenerationJob, JobStatus, ModelBackend, ModelEntry, ModelKind
from projects import fountain
from projects.jobs import services as job_services
from projects.script import crdt
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from tests import redis_control
from tests.browsers import log_in
from tests.conftest import Cast, Proc, Server, free_port, start_worker, wait_for
from tests.fake_llm import FakeLLM, fake_llm
from tests.redis_control import _restarted_redis, redis_faults  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
LOGLINE = "A retired lighthouse keeper finds a message in a bottle written by his late wife."
SCENES, ROUNDS = 3, 4
RECOVERY_SECONDS = 60


@pytest.fixture
def slow_model(transactional_db: None) -> Iterator[tuple[str, FakeLLM]]:
    with fake_llm() as server:
        server.chunk_seconds = 0.08  # a block takes about half a second: faults land mid-job
        entry = ModelEntry.objects.create(
            name="Fake screenwriter",
            kind=ModelKind.TEXT,
            backend=ModelBackend.OPENAI,
            location=server.url,
            model_name="fake",
            source="tests/fake_llm.py",
            license="test only",
        )
        yield str(entry.public_id), server


def write_screenplay(cast: Cast, model: str) -> GenerationJob:
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    params = {"logline": LOGLINE, "scenes": SCENES, "rounds": ROUNDS, "seed": 7, "model": model}
    return job_services.job_start(access=access, kind="write_screenplay", params=params)


def blocks_written(job: GenerationJob) -> int:
    return len(services.job_checkpoint(public_id=str(job.public_id)).get("written", []))


def wait_until_writing(job: GenerationJob) -> None:
    """Until the job has put some blocks into the script, and has more to write."""
    wait_for(lambda: blocks_written(job) >= 2, timeout=120, what="the first blocks in the script", interval=0.05)
    assert blocks_written(job) < SCENES * ROUNDS


def wait_final(job: GenerationJob, *, what: str) -> GenerationJob:
    return wait_for(  # type: ignore[no-any-return]
        lambda: (j := GenerationJob.objects.get(pk=job.pk)).status in FINISHED_STATUSES and j,
        timeout=RECOVERY_SECONDS,
        what=what,
        interval=0.2,
    )


def assert_each_scene_once(job: GenerationJob, cast: Cast) -> None:
    text = crdt.text_of(script_services.script_doc(cast.project))
    headings = [e.text for e in fountain.parse(text).elements if e.kind == "scene_heading"]
    assert headings == [beat["heading"] for beat in job.result["outline"]], text
    assert len(set(headings)) == SCENES
    written = services.job_checkpoint(public_id=str(job.public_id))["written"]
    assert len({(scene, number) for scene, number, _ in written}) == len(written) == SCENES * ROUNDS
    assert all(text.count(block) == 1 for _, _, block in written), text
    # The settled script (text, breakdown) agrees with the document.
    assert script_services.screenplay_for(cast.project).text == text


def test_a_killed_worker_is_replaced_and_the_screenplay_holds_each_scene_once(
    cast: Cast, slow_model: tuple[str, FakeLLM]
) -> None:
    model, _ = slow_model
    first = start_worker()
    try:
        job = write_screenplay(cast, model)
        wait_until_writing(job)
        os.killpg(first.popen.pid, signal.SIGKILL)  # the worker and its pool, no goodbye
        first.popen.wait(timeout=10)
    finally:
        first.stop()
    assert GenerationJob.objects.get(pk=job.pk).status == JobStatus.RUNNING  # orphaned, for now

    second = start_worker(beat=True)  # its reaper finds the stale job and queues it again
    try:
        done = wait_final(job, what="the job to end after the worker came back")
    finally:
        second.stop()
    assert done.status == JobStatus.SUCCEEDED, (done.error, second.output()[-3000:])
    assert done.attempts == 2
    assert_each_scene_once(done, cast)


@pytest.mark.usefixtures("redis_faults")
def test_redis_killed_mid_screenplay_loses_nothing_and_doubles_nothing(
    cast: Cast, slow_model: tuple[str, FakeLLM]
) -> None:
    model, _ = slow_model
    worker = start_worker(beat=True)
    try:
        job = write_screenplay(cast, model)
        wait_until_writing(job)
        redis_control.kill()
        time.sleep(1.0)  # a gap while the job keeps writing; nothing else to wait for
        redis_control.start()
        done = wait_final(job, what="the job to end after Redis came back")
    finally:
        worker.stop()
    assert done.status == JobStatus.SUCCEEDED, (done.error, worker.output()[-3000:])
    assert_each_scene_once(done, cast)


@pytest.mark.browser
@pytest.mark.usefixtures("redis_faults")
def test_a_page_says_it_is_reconnecting_while_redis_is_down_and_catches_up_by_itself(
    browser: object,
    asgi_server: Server,
    cast: Cast,
) -> None:
    page = log_in(browser, asgi_server, cast.viewer.username)
    page.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/")
    page.wait_for_selector("[data-live=connected]", timeout=15000)
    assert page.locator("#live-banner").is_hidden()

    redis_control.kill()
    page.wait_for_selector("#live-banner", state="visible", timeout=15000)
    assert page.locator("[data-live=reconnecting]").count() == 1
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    made = job_services.job_start(access=access, kind="test_steps", params={"steps": 1})  # unseen: Redis is down
    assert page.locator(f"#job-{made.public_id}").count() == 0

    redis_control.start()
    page.wait_for_selector("#live-banner", state="hidden", timeout=RECOVERY_SECONDS * 1000)
    page.wait_for_selector("[data-live=connected]", timeout=5000)
    page.wait_for_selector(f"#job-{made.public_id}", timeout=5000)  # the page re-read what it missed
    page.context.close()


def test_the_studio_starts_its_redis_again_when_it_dies(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "MEDIA_ROOT"}}
    env.update(DEBUG="1", FILMSTUDIO_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    argv = [sys.executable, "manage.py", "studio", "--no-worker", "--port", str(free_port())]
    studio = Proc("studio", argv, env)
    sock = tmp_path / "redis" / "redis.sock"
    url = f"unix://{sock}"

    def run_id() -> str:
        try:
            return str(redis_client(url).info("server")["run_id"])
        except Exception:
            return ""

    try:
        # Killed only once the studio has seen it answer (a Redis that dies while starting stops the studio).
        first = wait_for(
            lambda: "redis:  started" in studio.output() and run_id(),
            timeout=60,
            what="the studio's Redis",
        )
        pid = int(redis_client(url).info("server")["process_id"])
        os.kill(pid, signal.SIGKILL)
        wait_for(
            lambda: run_id() not in ("", first),
            timeout=15,
            what=f"Redis to be started again:\n{studio.output()[-2000:]}",
        )
        assert "starting it again" in studio.output()
        assert studio.popen.poll() is None  # the studio kept running
    finally:
        if studio.popen.poll() is None:
            os.killpg(studio.popen.pid, signal.SIGINT)
            try:
                studio.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        studio.stop()
    assert studio.popen.returncode == 0, studio.output()[-3000:]
    assert not embedded_redis.is_listening(sock)


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2)
