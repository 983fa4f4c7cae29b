"""Reads about jobs for the studio's pages. Access goes through the project's membership."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from generation.models import GenerationJob
from projects.models import Membership, Project, Role
from projects.teams.selectors import AnyUser, ProjectAccess

JOBS_PANEL_LIMIT = 20


@dataclass(frozen=True)
class JobAccess:
    job: GenerationJob
    access: ProjectAccess


def job_access_for_user(*, user: AnyUser, public_id: Any, needs: str = Role.VIEWER) -> JobAccess:
    """A job and the user's access to its project: 404 for non-members and invitees, 403 when the role is too low."""
    if not user.is_authenticated:
        raise Http404("No such job")
    try:
        job_uuid = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404("No such job") from exc
    job = (
        GenerationJob.objects.select_related("project", "requested_by")
        .filter(public_id=job_uuid, project__memberships__user=user, project__memberships__accepted_at__isnull=False)
        .first()
    )
    if job is None:
        raise Http404("No such job")
    membership = Membership.objects.select_related("user").get(
        project=job.project, user=user, accepted_at__isnull=False
    )
    if not membership.can(needs):
        raise PermissionDenied(f"This needs the {Role(needs).label.lower()} role in this project.")
    return JobAccess(job=job, access=ProjectAccess(project=job.project, membership=membership))


def job_list_for_project(*, access: ProjectAccess, limit: int = JOBS_PANEL_LIMIT) -> QuerySet[GenerationJob]:
    """The project's most recent jobs, newest first, in one query."""
    return (
        GenerationJob.objects.filter(project=access.project)
        .select_related("requested_by", "project")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class JobScope:
    """What a running job works on: its project and who asked (the runner acts for them)."""

    job: GenerationJob
    project: Project
    requested_by: Any


def job_scope(*, job_id: str) -> JobScope:
    """The running job's project. Raises DoesNotExist once the project (and so the job row) is
    deleted; the task ends such a job quietly."""
    job = GenerationJob.objects.select_related("project", "requested_by").get(public_id=job_id)
    return JobScope(job=job, project=job.project, requested_by=job.requested_by)
