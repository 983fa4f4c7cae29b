"""Writes about jobs, from the web (create, cancel, retry) and from the worker (claim, progress, finish).

Every change bumps the job's `seq` and is published after commit. Worker-side writes are
conditional on the claim (status running and the claiming attempt), so a stale or duplicate
run can never overwrite the state of the run that owns the job.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from filmstudio import embedded_redis
from generation import events, kinds
from generation.models import GenerationJob, JobStatus

logger = logging.getLogger(__name__)


QUEUE_DOWN_MESSAGE = "Waiting for the queue (Redis is unreachable); it will start when the queue is back"
# A send that fails gives up within about a second; the reaper sends the job again later.
SEND_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


def _enqueue_on_commit(job: GenerationJob) -> None:
    job_id, task_id, public_id = job.pk, job.celery_task_id, str(job.public_id)
    queue = kinds.kind_queue(job.kind)
    transaction.on_commit(lambda: _send(job_id, public_id, task_id, queue))


def _send(job_id: int, public_id: str, task_id: str, queue: str) -> bool:
    """Hand the job's id to the queue. When Redis is unreachable the job stays queued and says so;
    the reaper (`jobs_send_unsent`) sends it once the queue is back."""
    from generation.tasks import run_job

    try:
        run_job.apply_async(args=(public_id,), task_id=task_id, queue=queue, retry_policy=SEND_RETRY_POLICY)
    except (KombuOperationalError, RedisError, OSError) as exc:
        logger.warning("job %s: the queue is unreachable (%s); the reaper will send it later", public_id, exc)
        now = timezone.now()
        with transaction.atomic():
            waiting = GenerationJob.objects.filter(
                pk=job_id, celery_task_id=task_id, status=JobStatus.QUEUED, sent_at=None
            ).exclude(message=QUEUE_DOWN_MESSAGE)
            if waiting.update(message=QUEUE_DOWN_MESSAGE, seq=F("seq") + 1, updated_at=now):
                _publish(job_id)
        return False
    GenerationJob.objects.filter(pk=job_id, celery_task_id=task_id).update(sent_at=timezone.now())
    return True


def _publish(job_id: int, *, event: str = "updated") -> GenerationJob:
    job = GenerationJob.objects.select_related("project", "requested_by").get(pk=job_id)
    events.publish_job(events.job_state(job), event=event)
    return job


# --- web side -------------------------------------------------------------------------------


@transaction.atomic
def job_create(*, project: models.Model, requested_by: User | None, kind: str, params: Any) -> GenerationJob:
    """Validate params for the kind, save the job, and enqueue its id after commit.

    The caller has checked that `requested_by` may run jobs in `project` (the studio's access rules).
    """
    job_kind = kinds.get_kind(kind)
    clean = kinds.validate_params(job_kind, params, project=project)
    job = GenerationJob.objects.create(
        project_id=project.pk,
        kind=job_kind.name,
        requested_by=requested_by,
        params=clean,
        status=JobStatus.QUEUED,
        message="Waiting for a worker",
        seq=1,
        celery_task_id=str(uuid.uuid4()),
    )
    _enqueue_on_commit(job)
    _publish(job.pk, event="created")
    return job


@transaction.atomic
def job_cancel(*, job: GenerationJob, by: User | None = None) -> GenerationJob:
    """Cancel a queued or running job: revoke its message, then record the state.

    A running engine notices at its next progress step or heartbeat and stops; what it had
    already written stays.
    """
    who = f" by {by.get_username()}" if by else ""
    updated = GenerationJob.objects.filter(pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.CANCELLED,
        message=f"Cancelled{who}",
        finished_at=timezone.now(),
        seq=F("seq") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise ValidationError("This job has already finished.")
    task_id = job.celery_task_id
    transaction.on_commit(lambda: _revoke(task_id))
    return _publish(job.pk)


def _revoke(task_id: str) -> None:
    from filmstudio.celery import app

    try:
        app.control.revoke(task_id)
    except Exception:  # the claim check stops the job anyway; revoke only saves the worker a look
        logger.warning("revoke of %s failed", task_id, exc_info=True)


@transaction.atomic
def job_retry(*, job: GenerationJob) -> GenerationJob:
    """Queue a failed or cancelled job again with the same params."""
    if not job.celery_task_id:
        raise ValidationError("This job came with an imported project and is kept as history; start a new one.")
    updated = GenerationJob.objects.filter(pk=job.pk, status__in=[JobStatus.FAILED, JobStatus.CANCELLED]).update(
        status=JobStatus.QUEUED,
        progress=0.0,
        message="Queued again",
        error="",
        result={},
        attempts=0,
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
        worker="",
        preview="",
        celery_task_id=str(uuid.uuid4()),
        sent_at=None,
        seq=F("seq") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise ValidationError("Only a failed or cancelled job can be retried.")
    fresh = _publish(job.pk)
    _enqueue_on_commit(fresh)
    return fresh


# --- worker side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    job_id: int
    public_id: str
    project_public_id: str
    kind: str
    params: dict[str, Any]
    attempt: int


ClaimOutcome = Literal["claimed", "gone", "finished", "busy", "gave_up"]


def _stale_before() -> Any:
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)


def _mine(claim: Claim) -> Any:
    return GenerationJob.objects.filter(pk=claim.job_id, status=JobStatus.RUNNING, attempts=claim.attempt)


def job_claim(*, public_id: str, worker: str) -> tuple[ClaimOutcome, Claim | None, float]:
    """Claim a job for this worker with one conditional UPDATE.

    Claimable: queued, or running with a stale heartbeat (its worker died). Returns the outcome,
    the claim, and for "busy" the seconds until the current run's heartbeat goes stale.
    """
    now = timezone.now()
    with transaction.atomic():
        updated = (
            GenerationJob.objects.filter(public_id=public_id, attempts__lt=settings.JOB_MAX_ATTEMPTS)
            .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=_stale_before()))
            .update(
                status=JobStatus.RUNNING,
                attempts=F("attempts") + 1,
                progress=0.0,
                started_at=now,
                heartbeat_at=now,
                worker=worker[:200],
                seq=F("seq") + 1,
                updated_at=now,
            )
        )
        job = GenerationJob.objects.select_related("project", "requested_by").filter(public_id=public_id).first()
        if job is None:
            return "gone", None, 0.0
        if updated:
            message = (
                "Running"
                if job.attempts == 1
                else (f"Running again after the worker stopped (attempt {job.attempts} of {settings.JOB_MAX_ATTEMPTS})")
            )
            GenerationJob.objects.filter(pk=job.pk).update(message=message)
            job.message = message
            events.publish_job(events.job_state(job))
            claim = Claim(
                job_id=job.pk,
                public_id=str(job.public_id),
                project_public_id=str(job.project.public_id),
                kind=job.kind,
                params=job.params,
                attempt=job.attempts,
            )
            return "claimed", claim, 0.0
    if job.status != JobStatus.RUNNING and job.status != JobStatus.QUEUED:
        return "finished", None, 0.0
    heartbeat = job.heartbeat_at or now
    wait = (heartbeat - _stale_before()).total_seconds()
    if wait > 0:
        return "busy", None, wait
    # Running, stale, and out of attempts: the worker died every time.
    _give_up(job)
    return "gave_up", None, 0.0


def _give_up(job: GenerationJob) -> None:
    with transaction.atomic():
        updated = GenerationJob.objects.filter(
            pk=job.pk, status__in=[JobStatus.RUNNING, JobStatus.QUEUED], attempts=job.attempts
        ).update(
            status=JobStatus.FAILED,
            error=(
                f"The worker process running this job stopped {job.attempts} times "
                "(killed, crashed or out of memory), so it was not tried again. "
                "Check the worker's memory and logs, then retry, or retry with smaller settings."
            ),
            message="Gave up after repeated worker crashes",
            finished_at=timezone.now(),
            seq=F("seq") + 1,
            updated_at=timezone.now(),
        )
        if updated:
            _publish(job.pk)


def job_heartbeat(*, claim: Claim) -> bool:
    """Mark the run alive. False means the job is no longer ours (cancelled or taken over)."""
    return bool(_mine(claim).update(heartbeat_at=timezone.now()))


def job_progress(*, claim: Claim, progress: float, message: str, preview: str | None = None) -> bool:
    """Record progress (and a new preview picture, if any) and publish it. False: no longer ours."""
    now = timezone.now()
    extra = {"preview": preview[:200]} if preview else {}
    with transaction.atomic():
        updated = _mine(claim).update(
            **extra,
            progress=min(max(progress, 0.0), 1.0),
            message=message[:500],
            heartbeat_at=now,
            seq=F("seq") + 1,
            updated_at=now,
        )
        if updated:
            _publish(claim.job_id)
    return bool(updated)


def job_succeed(*, claim: Claim, result: dict[str, Any]) -> bool:
    """Record the result of a finished run (only if this run still owns the job)."""
    now = timezone.now()
    with transaction.atomic():
        updated = _mine(claim).update(
            status=JobStatus.SUCCEEDED,
            progress=1.0,
            message="Done",
            result=result,
            finished_at=now,
            seq=F("seq") + 1,
            updated_at=now,
        )
        if updated:
            _publish(claim.job_id)
    return bool(updated)


def job_fail(*, claim: Claim, error: str, result: dict[str, Any] | None = None) -> bool:
    """Fail the job with a message a person can act on."""
    now = timezone.now()
    with transaction.atomic():
        updated = _mine(claim).update(
            status=JobStatus.FAILED,
            message="Failed",
            error=error[:5000],
            result=result or {},
            finished_at=now,
            seq=F("seq") + 1,
            updated_at=now,
        )
        if updated:
            _publish(claim.job_id)
    return bool(updated)


def job_checkpoint(*, public_id: str) -> dict[str, Any]:
    """What earlier runs of the job recorded as written (empty for a first run)."""
    found = GenerationJob.objects.filter(public_id=public_id).values_list("checkpoint", flat=True).first()
    return dict(found or {})


def job_checkpoint_save(*, public_id: str, attempt: int, checkpoint: dict[str, Any]) -> bool:
    """Replace the job's checkpoint if run `attempt` still owns the job. Call it in the transaction
    that writes what it records, so both commit or neither. False: the run must stop writing."""
    with transaction.atomic():
        return bool(
            GenerationJob.objects.filter(public_id=public_id, status=JobStatus.RUNNING, attempts=attempt).update(
                checkpoint=checkpoint
            )
        )


VANISHED_MESSAGE = "Cancelled: the project or frame was deleted"


def job_end_vanished(*, claim: Claim) -> bool:
    """End a job whose subject was deleted while it ran; where the project went, so did the row."""
    now = timezone.now()
    with transaction.atomic():
        updated = _mine(claim).update(
            status=JobStatus.CANCELLED, message=VANISHED_MESSAGE, finished_at=now, seq=F("seq") + 1, updated_at=now
        )
        if updated:
            _publish(claim.job_id)
    return bool(updated)


def job_requeue_transient(*, claim: Claim, error: str) -> bool:
    """Hand the job back to the queue after a transient error (the task retries it)."""
    now = timezone.now()
    with transaction.atomic():
        updated = _mine(claim).update(
            status=JobStatus.QUEUED,
            message=f"Waiting to try again: {error}"[:500],
            seq=F("seq") + 1,
            updated_at=now,
        )
        if updated:
            _publish(claim.job_id)
    return bool(updated)


def jobs_reap_stale() -> dict[str, int]:
    """Requeue running jobs whose worker stopped sending heartbeats; fail them at the attempt cap."""
    counts = {"requeued": 0, "failed": 0}
    stale = list(
        GenerationJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=_stale_before()).only("pk", "attempts")
    )
    for job in stale:
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _give_up(job)
            counts["failed"] += 1
            continue
        with transaction.atomic():
            updated = GenerationJob.objects.filter(
                pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts, heartbeat_at__lt=_stale_before()
            ).update(
                status=JobStatus.QUEUED,
                message="The worker stopped responding; waiting for another try",
                celery_task_id=str(uuid.uuid4()),
                sent_at=None,
                seq=F("seq") + 1,
                updated_at=timezone.now(),
            )
            if updated:
                _enqueue_on_commit(_publish(job.pk))
                counts["requeued"] += 1
    return counts


def _queue_lost_its_messages() -> bool:
    """Whether Redis lost its data since the last look (restarted without persistence, or flushed),
    taking the messages of queued jobs with it. A key we keep there is gone then."""
    import redis

    prefix = os.environ.get("CHANNELS_PREFIX", "filmstudio")
    client = redis.Redis.from_url(embedded_redis.client_url(settings.REDIS_URL), socket_timeout=2)
    try:
        return bool(client.set(f"{prefix}:queue-epoch", timezone.now().isoformat(), nx=True))
    finally:
        client.close()


def jobs_send_unsent() -> int:
    """Send queued jobs whose message never reached the queue (or was lost with Redis's data).

    Runs with the reaper, when the queue is reachable again. A job sent twice still runs once
    (the claim), so a doubtful message is sent again rather than left lost."""
    try:
        if _queue_lost_its_messages():
            GenerationJob.objects.filter(status=JobStatus.QUEUED).exclude(sent_at=None).update(sent_at=None)
    except RedisError:
        return 0  # still unreachable: the next round tries
    unsent = (
        GenerationJob.objects.filter(status=JobStatus.QUEUED, sent_at=None, updated_at__lt=_stale_before())
        .exclude(celery_task_id="")
        .only("pk", "public_id", "celery_task_id", "kind", "message")
        .order_by("created_at")
    )
    sent = 0
    for job in unsent:
        if not _send(job.pk, str(job.public_id), job.celery_task_id, kinds.kind_queue(job.kind)):
            break
        if job.message == QUEUE_DOWN_MESSAGE:
            GenerationJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED, message=QUEUE_DOWN_MESSAGE).update(
                message="Waiting for a worker", seq=F("seq") + 1, updated_at=timezone.now()
            )
            _publish(job.pk)
        sent += 1
    return sent
