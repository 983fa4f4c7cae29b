"""Job events: the typed payload that pages and sockets render, published after commit."""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

from generation.models import GenerationJob, JobStatus
from projects.events import project_group, send_on_commit


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
    from generation.kinds import _KINDS

    kind = _KINDS.get(job.kind)
    status = JobStatus(job.status)
    return JobState(
        public_id=str(job.public_id),
        project_public_id=str(project_public_id or job.project.public_id),
        kind=job.kind,
        kind_label=kind.label if kind else job.kind,
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
