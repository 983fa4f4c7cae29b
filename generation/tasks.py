"""Celery tasks: thin glue between the job rows (services) and the engines."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection

from generation import kinds, services
from generation.engines.base import JobCancelled, JobContext, JobFailed, TransientError
from generation.paths import job_output_dir

logger = logging.getLogger(__name__)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Progress:
    """Throttles an engine's progress to at most one write and publish per interval."""

    def __init__(self, claim: services.Claim, cancelled: threading.Event) -> None:
        self.claim = claim
        self.cancelled = cancelled
        self.last_sent = 0.0
        self.last_message = ""
        self.pending_preview: str | None = None

    def __call__(self, done: float, total: float, message: str, preview: str | None) -> None:
        now = time.monotonic()
        final = total > 0 and done >= total
        if preview:
            self.pending_preview = preview  # kept until an update goes out, so no picture is skipped for good
        if not final and now - self.last_sent < settings.JOB_PROGRESS_MIN_INTERVAL:
            return
        self.last_sent = now
        fraction = done / total if total else 0.0
        preview, self.pending_preview = self.pending_preview, None
        if not services.job_progress(claim=self.claim, progress=fraction, message=message, preview=preview):
            self.cancelled.set()


class _Heartbeat(threading.Thread):
    """Keeps the claim alive while an engine works; notices cancel between progress steps."""

    def __init__(self, claim: services.Claim, cancelled: threading.Event) -> None:
        super().__init__(name=f"heartbeat-{claim.public_id}", daemon=True)
        self.claim = claim
        self.cancelled = cancelled
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                if not services.job_heartbeat(claim=self.claim):
                    self.cancelled.set()
                    return
        except Exception:
            logger.exception("heartbeat for %s failed", self.claim.public_id)
        finally:
            connection.close()


@shared_task(
    name="generation.run_job",
    bind=True,
    acks_late=True,
    max_retries=50,
    soft_time_limit=settings.JOB_LONGEST_SECONDS,
    time_limit=settings.JOB_LONGEST_SECONDS + 120,
)
def run_job(self: Any, public_id: str) -> str:
    """Run one job by id: claim it, run its engine, record the outcome. Safe to deliver twice."""
    outcome, claim, wait = services.job_claim(public_id=public_id, worker=_worker_name())
    if outcome == "busy":
        # Another run holds the claim; come back once its heartbeat would have gone stale.
        raise self.retry(countdown=wait + 0.5)
    if claim is None:
        logger.info("job %s: %s, nothing to do", public_id, outcome)
        return outcome
    logger.info("job %s (%s) attempt %d started", public_id, claim.kind, claim.attempt)

    cancelled = threading.Event()
    heartbeat = _Heartbeat(claim, cancelled)
    ctx = JobContext(
        output_dir=job_output_dir(claim.project_public_id, claim.public_id),
        attempt=claim.attempt,
        project_id=claim.project_public_id,
        job_id=claim.public_id,
        report=_Progress(claim, cancelled),
        cancelled=cancelled.is_set,
    )
    heartbeat.start()
    try:
        kind = kinds.get_kind(claim.kind)
        result = kind.runner(kind.params_from_row(claim.params), ctx)
    except JobCancelled:
        return "cancelled"
    except ObjectDoesNotExist:
        # Someone deleted what the job works on (the project, its frame) while it ran: a normal end.
        services.job_end_vanished(claim=claim)
        logger.info("job %s: what it worked on was deleted", public_id)
        return "cancelled"
    except JobFailed as exc:
        services.job_fail(claim=claim, error=str(exc))
        return "failed"
    except ValidationError as exc:  # a selector or service refused (a model gone, a row changed meanwhile)
        services.job_fail(claim=claim, error=" ".join(exc.messages))
        return "failed"
    except TransientError as exc:
        if claim.attempt < settings.JOB_MAX_ATTEMPTS and services.job_requeue_transient(claim=claim, error=str(exc)):
            raise self.retry(countdown=min(60, 5 * 2**claim.attempt)) from exc
        services.job_fail(claim=claim, error=f"Gave up after {claim.attempt} tries: {exc}")
        return "failed"
    except SoftTimeLimitExceeded:
        minutes = settings.JOB_LONGEST_SECONDS // 60
        services.job_fail(claim=claim, error=f"The job ran longer than the {minutes}-minute limit and was stopped.")
        return "failed"
    except MemoryError:
        services.job_fail(
            claim=claim, error="The worker ran out of memory. Try smaller settings, or a worker with more memory."
        )
        return "failed"
    except Exception as exc:
        logger.exception("job %s crashed", public_id)
        services.job_fail(
            claim=claim, error=f"Unexpected error in the {claim.kind} engine: {type(exc).__name__}: {exc}"
        )
        return "failed"
    finally:
        heartbeat.stop.set()
        heartbeat.join(timeout=5)

    if cancelled.is_set():
        return "cancelled"
    services.job_succeed(claim=claim, result=result)
    logger.info("job %s succeeded", public_id)
    return "succeeded"


@shared_task(name="generation.reap_stale_jobs")
def reap_stale_jobs() -> dict[str, int]:
    """Periodic: requeue jobs whose worker died without a word, or fail them at the attempt cap;
    send queued jobs whose message never reached the queue."""
    counts = services.jobs_reap_stale()
    counts["sent"] = services.jobs_send_unsent()
    return counts


@worker_ready.connect
def _reap_on_start(**_: Any) -> None:
    # A worker that starts after a crash picks up what the crash left in "running".
    reap_stale_jobs.delay()
