"""The only place that sends to Channels groups (everything after commit), and the job events pages render."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from generation.models import GenerationJob, JobStatus

logger = logging.getLogger(__name__)


def project_group(public_id: uuid.UUID | str) -> str:
    return f"project.{public_id}"


def send_now(groups: list[str], message: dict[str, Any]) -> None:
    """Send one message to groups. A broken channel layer never breaks the caller's write."""
    layer = get_channel_layer()
    if layer is None:
        return
    # One id for all the groups: a socket in several of them handles the message once.
    message = {**message, "published_at": time.time(), "event_id": uuid.uuid4().hex}

    def send() -> None:
        try:
            for group in groups:
                async_to_sync(layer.group_send)(group, message)
        except Exception:  # the write already committed; a lost live update is re-read on reconnect
            logger.exception("publishing to %s failed", groups)

    if _loop_running_here():
        # Sync code called from a thread that runs an event loop (a library that drives its own loop, such as
        # Playwright's sync API) cannot use async_to_sync here: send from a short-lived thread instead.
        sender = threading.Thread(target=send, name="send_now")
        sender.start()
        sender.join()
    else:
        send()


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def send_on_commit(groups: list[str], message: dict[str, Any]) -> None:
    transaction.on_commit(lambda: send_now(groups, message))


class JobState(TypedDict):
    public_id: str
    project_public_id: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    progress: float
    percent: int
    message: str
    error: str
    seq: int
    attempts: int
    requested_by: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    result: dict[str, Any]
    preview: str
    is_active: bool
    can_retry: bool


def job_group(public_id: uuid.UUID | str) -> str:
    return f"job.{public_id}"


def job_state(job: GenerationJob, *, project_public_id: uuid.UUID | None = None) -> JobState:
    """The state of a job as pages and sockets show it (needs project and requested_by loaded)."""
    from generation.kinds import kind_label

    status = JobStatus(job.status)
    return JobState(
        public_id=str(job.public_id),
        project_public_id=str(project_public_id or job.project.public_id),
        kind=job.kind,
        kind_label=kind_label(job.kind),
        status=status.value,
        status_label=status.label,
        progress=job.progress,
        percent=round(job.progress * 100),
        message=job.message,
        error=job.error,
        seq=job.seq,
        attempts=job.attempts,
        requested_by=job.requested_by.get_username() if job.requested_by else "",
        created_at=job.created_at.isoformat(),
        started_at=job.started_at.isoformat() if job.started_at else None,
        finished_at=job.finished_at.isoformat() if job.finished_at else None,
        result=job.result,
        preview=f"jobs/{job.public_id}/{job.preview}" if job.preview else "",
        is_active=job.is_active,
        can_retry=job.can_retry,
    )


def _message(state: JobState, event: str) -> dict[str, Any]:
    return {"type": "job.event", "event": event, "job": state}


def publish_job(state: JobState, *, event: str = "updated") -> None:
    """Publish a job's new state to its project and job groups once the transaction commits."""
    send_on_commit(
        [project_group(state["project_public_id"]), job_group(state["public_id"])],
        _message(state, event),
    )
