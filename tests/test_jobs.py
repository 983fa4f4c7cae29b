"""Job services and the run_job task called directly (the worker process is in test_worker_e2e)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from generation import services
from generation.models import GenerationJob, JobStatus
from generation.paths import job_output_dir
from generation.tasks import run_job
from projects.jobs import services as job_services
from projects.models import Role
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast
from tests.factories import JobFactory


def editor_access(cast: Cast):  # type: ignore[no-untyped-def]
    return project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs=Role.EDITOR)


@pytest.mark.django_db
def test_a_job_is_saved_first_and_enqueued_only_after_commit(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_services.job_start(access=editor_access(cast), kind="test_steps", params={"steps": "5"})
    assert GenerationJob.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert job.params == {"steps": 5, "step_seconds": 0.1}
    assert job.requested_by == cast.editor
    names = [getattr(cb, "__qualname__", "") for cb in callbacks]
    assert len(callbacks) == 2, names  # enqueue, then publish "created"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("make_coffee", {}, "Unknown job kind"),
        ("test_steps", {"steps": "0"}, "steps: Ensure this value is greater than or equal to 1."),
        ("test_steps", {"steps": "many"}, "steps: Enter a whole number."),
        ("test_steps", {"steps": "3", "fail_at_step": "9"}, "fail_at_step: Must be within the number of steps."),
        ("test_steps", {"steps": "3", "rm": "-rf"}, "Unknown parameter(s) for Test steps: rm."),
        ("test_steps", ["steps"], "must be a set of named values"),
    ],
)
def test_bad_params_are_refused_with_a_clear_message(cast: Cast, kind: str, params: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        job_services.job_start(access=editor_access(cast), kind=kind, params=params)
    assert message in " ".join(caught.value.messages)
    assert GenerationJob.objects.count() == 0


@pytest.mark.django_db
def test_test_only_kinds_do_not_exist_in_production(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.FILMSTUDIO_TEST_JOB_KINDS = False
    with pytest.raises(ValidationError, match="Unknown job kind"):
        job_services.job_start(access=editor_access(cast), kind="test_steps", params={"steps": 1})


@pytest.mark.django_db
def test_bad_params_through_the_page_get_a_400_and_a_message(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.editor)
    url = reverse("jobs:create", kwargs={"project_id": cast.project.public_id})
    response = client.post(url, {"kind": "test_steps", "steps": "-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response["HX-Reswap"] == "none"
    assert (
        "The job was not started: steps: Ensure this value is greater than or equal to 1." in response.content.decode()
    )


@pytest.mark.django_db
def test_an_oversized_body_is_rejected(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.editor)
    url = reverse("jobs:create", kwargs={"project_id": cast.project.public_id})
    response = client.post(url, {"kind": "test_steps", "steps": "1", "pad": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 400
    assert GenerationJob.objects.count() == 0


@pytest.mark.django_db
def test_a_claim_is_taken_once(cast: Cast) -> None:
    job = JobFactory.create(project=cast.project)
    first = services.job_claim(public_id=str(job.public_id), worker="a:1")
    second = services.job_claim(public_id=str(job.public_id), worker="b:2")
    assert first[0] == "claimed" and first[1] is not None and first[1].attempt == 1
    assert second[0] == "busy" and second[1] is None and 0 < second[2] <= 3.0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.worker == "a:1" and job.attempts == 1


@pytest.mark.django_db
def test_a_stale_claim_is_taken_over_and_the_old_run_can_no_longer_write(cast: Cast) -> None:
    job = JobFactory.create(project=cast.project)
    _, old, _ = services.job_claim(public_id=str(job.public_id), worker="a:1")
    GenerationJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=60))
    outcome, new, _ = services.job_claim(public_id=str(job.public_id), worker="b:2")
    assert outcome == "claimed" and new is not None and new.attempt == 2
    assert old is not None
    assert services.job_progress(claim=old, progress=0.5, message="zombie") is False
    assert services.job_succeed(claim=old, result={"x": 1}) is False
    assert services.job_succeed(claim=new, result={"y": 2}) is True
    job.refresh_from_db()
    assert job.result == {"y": 2} and job.status == JobStatus.SUCCEEDED


@pytest.mark.django_db
def test_claims_of_gone_finished_and_cancelled_jobs_are_quiet(cast: Cast) -> None:
    assert services.job_claim(public_id="6c0d5ae4-7a2b-4e59-8f5e-6ad5b0b7f1d1", worker="w")[0] == "gone"
    done = JobFactory.create(project=cast.project, status=JobStatus.SUCCEEDED)
    cancelled = JobFactory.create(project=cast.project, status=JobStatus.CANCELLED)
    assert services.job_claim(public_id=str(done.public_id), worker="w")[0] == "finished"
    assert services.job_claim(public_id=str(cancelled.public_id), worker="w")[0] == "finished"


@pytest.mark.django_db
def test_every_change_bumps_the_sequence(cast: Cast) -> None:
    job = JobFactory.create(project=cast.project)
    seqs = [job.seq]
    _, claim, _ = services.job_claim(public_id=str(job.public_id), worker="w")
    assert claim is not None
    for fraction in (0.2, 0.6):
        services.job_progress(claim=claim, progress=fraction, message="")
        job.refresh_from_db()
        seqs.append(job.seq)
    services.job_cancel(job=job)
    job.refresh_from_db()
    seqs.append(job.seq)
    services.job_retry(job=job)
    job.refresh_from_db()
    seqs.append(job.seq)
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert job.status == JobStatus.QUEUED and job.attempts == 0 and job.progress == 0.0


@pytest.mark.django_db
def test_finished_jobs_cannot_be_cancelled_and_queued_ones_cannot_be_retried(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="already finished"):
        services.job_cancel(job=JobFactory.create(project=cast.project, status=JobStatus.SUCCEEDED))
    with pytest.raises(ValidationError, match="Only a failed or cancelled job"):
        services.job_retry(job=JobFactory.create(project=cast.project, status=JobStatus.QUEUED))


@pytest.mark.django_db
def test_the_reaper_requeues_stale_jobs_and_fails_them_at_the_cap(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    old = timezone.now() - timedelta(minutes=5)
    retryable = JobFactory.create(project=cast.project, status=JobStatus.RUNNING, attempts=1, heartbeat_at=old)
    exhausted = JobFactory.create(project=cast.project, status=JobStatus.RUNNING, attempts=3, heartbeat_at=old)
    alive = JobFactory.create(project=cast.project, status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert services.jobs_reap_stale() == {"requeued": 1, "failed": 1}
    for job in (retryable, exhausted, alive):
        job.refresh_from_db()
    assert retryable.status == JobStatus.QUEUED
    assert exhausted.status == JobStatus.FAILED and "stopped 3 times" in exhausted.error
    assert alive.status == JobStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_run_job_runs_the_engine_and_writes_its_result_atomically(cast: Cast) -> None:
    job = job_services.job_start(access=editor_access(cast), kind="test_steps", params={"steps": 4, "step_seconds": 0})
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 1.0
    folder = job_output_dir(cast.project.public_id, job.public_id)
    assert json.loads((folder / "result.json").read_text()) == {"steps": 4, "attempt": 1}
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp files left
    # A redelivered message for a finished job does nothing.
    assert run_job.apply(args=(str(job.public_id),)).get() == "finished"


@pytest.mark.django_db(transaction=True)
def test_an_engine_failure_fails_the_job_with_its_message(cast: Cast) -> None:
    job = job_services.job_start(
        access=editor_access(cast), kind="test_steps", params={"steps": 4, "step_seconds": 0, "fail_at_step": 2}
    )
    assert run_job.apply(args=(str(job.public_id),)).get() == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "Step 2 failed as asked."


@pytest.mark.django_db(transaction=True)
def test_the_worker_check_reports_what_the_worker_has(cast: Cast) -> None:
    job = job_services.job_start(access=editor_access(cast), kind="worker_check", params={})
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"
    job.refresh_from_db()
    summary = dict(job.result["summary"])
    assert summary["CPU cores"].isdigit()
    assert summary["Disk write"].endswith("MB/s") and summary["CPU (SHA-256, one core)"].endswith("MB/s")
    report = job_output_dir(cast.project.public_id, job.public_id) / "report.json"
    assert json.loads(report.read_text())["summary"] == job.result["summary"]


@pytest.mark.django_db(transaction=True)
def test_progress_is_throttled_to_ten_messages_a_second(cast: Cast) -> None:
    job = job_services.job_start(
        access=editor_access(cast), kind="test_steps", params={"steps": 400, "step_seconds": 0.002}
    )
    seq_before = GenerationJob.objects.get(pk=job.pk).seq
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"
    job.refresh_from_db()
    assert job.started_at is not None and job.finished_at is not None
    seconds = (job.finished_at - job.started_at).total_seconds()
    writes = job.seq - seq_before - 2  # minus the claim and the finish
    assert 400 / seconds > 50  # the engine reported far faster than 10 a second...
    assert writes <= seconds * 10 + 2, (writes, seconds)  # ...and at most 10 a second went out
