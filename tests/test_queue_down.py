"""Jobs made while Redis (the queue) is down wait for it, say so, and start once it is back."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from generation import services
from generation.models import GenerationJob, JobStatus
from generation.tasks import run_job
from tests import redis_control
from tests.conftest import Cast, start_worker, wait_for
from tests.redis_control import _restarted_redis, redis_faults  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
redis_down = pytest.mark.usefixtures("redis_faults")


def post_job(cast: Cast, *, htmx: bool) -> tuple[int, str, list[str]]:
    client = Client()
    client.force_login(cast.editor)
    url = reverse("jobs:create", kwargs={"project_id": cast.project.public_id})
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, {"kind": "test_steps", "steps": "2", "step_seconds": "0"}, headers=headers)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    return response.status_code, response.content.decode(), said


def in_queue(job: GenerationJob) -> bool:
    raw = redis_control.client().lrange("gpu", 0, -1)
    return any(json.loads(m)["headers"]["id"] == job.celery_task_id for m in raw)


@redis_down
def test_a_job_made_while_redis_is_down_waits_and_is_sent_once_it_is_back(cast: Cast) -> None:
    redis_control.kill()
    status, html, _ = post_job(cast, htmx=True)
    assert status == 200  # the job is saved; the page says it waits, no error page
    job = GenerationJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.sent_at is None
    assert job.message == services.QUEUE_DOWN_MESSAGE
    assert services.QUEUE_DOWN_MESSAGE in html and "the job queue (Redis) is unreachable" in html
    status, _, said = post_job(cast, htmx=False)
    assert status == 302 and "will start by itself once the queue is back" in said[0]

    GenerationJob.objects.update(updated_at=timezone.now() - timedelta(minutes=1))
    assert services.jobs_send_unsent() == 0  # still down: nothing sent, nothing lost
    redis_control.start()
    assert services.jobs_send_unsent() == 2
    for job in GenerationJob.objects.all():
        assert job.sent_at is not None and job.message == "Waiting for a worker" and in_queue(job)
    assert services.jobs_send_unsent() == 0  # sent once
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"


@redis_down
def test_queued_jobs_are_sent_again_when_redis_lost_its_data(cast: Cast) -> None:
    status, _, _ = post_job(cast, htmx=True)
    job = GenerationJob.objects.get()
    assert status == 200 and job.sent_at is not None and in_queue(job)
    services.jobs_send_unsent()  # the reaper has looked once
    redis_control.kill()  # the message dies with Redis's data
    redis_control.start()
    GenerationJob.objects.update(updated_at=timezone.now() - timedelta(minutes=1))
    assert services.jobs_send_unsent() == 1
    assert in_queue(job)


@pytest.mark.slow
@redis_down
def test_a_worker_runs_a_job_made_while_redis_was_down(cast: Cast) -> None:
    redis_control.kill()
    post_job(cast, htmx=True)
    job = GenerationJob.objects.get()
    redis_control.start()
    worker = start_worker(beat=True)  # its reaper sends the job
    try:
        done = wait_for(
            lambda: (j := GenerationJob.objects.get(pk=job.pk)).status == JobStatus.SUCCEEDED and j,
            timeout=60,
            what="the job to run once Redis is back",
        )
    finally:
        worker.stop()
    assert done.attempts == 1
