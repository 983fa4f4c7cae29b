"""Reads about jobs. Access goes through the project's membership."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from generation.models import GenerationJob
from projects.models import Membership, Role
from projects.selectors import AnyUser, ProjectAccess

JOBS_PANEL_LIMIT = 20


@dataclass(frozen=True)
class JobAccess:
    job: GenerationJob
    access: ProjectAccess


def job_access_for_user(*, user: AnyUser, public_id: Any, needs: str = Role.VIEWER) -> JobAccess:
    """A job and the user's access to its project: 404 for non-members, 403 when the role is too low."""
    if not user.is_authenticated:
        raise Http404("No such job")
    try:
        job_uuid = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404("No such job") from exc
    job = (
        GenerationJob.objects.select_related("project", "requested_by")
        .filter(public_id=job_uuid, project__memberships__user=user)
        .first()
    )
    if job is None:
        raise Http404("No such job")
    membership = Membership.objects.select_related("user").get(project=job.project, user=user)
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


def project_media_root(project_public_id: uuid.UUID | str) -> Path:
    return Path(settings.MEDIA_ROOT) / "projects" / str(project_public_id)


def job_output_dir(project_public_id: uuid.UUID | str, job_public_id: uuid.UUID | str) -> Path:
    return project_media_root(project_public_id) / "jobs" / str(job_public_id)


def media_file_for_user(*, user: AnyUser, project_public_id: Any, relative: str) -> tuple[Path, str]:
    """A file inside a project's media folder, for a member only; (absolute path, path under MEDIA_ROOT)."""
    from projects.selectors import project_access_for_user

    access = project_access_for_user(user=user, public_id=project_public_id)
    root = project_media_root(access.project.public_id).resolve()
    target = (root / relative).resolve()
    if root not in target.parents or not target.is_file() or target.name.startswith("."):
        raise Http404("No such file")
    return target, str(target.relative_to(Path(settings.MEDIA_ROOT).resolve()))


def training_set_dir(project_public_id: uuid.UUID | str, dataset_public_id: uuid.UUID | str) -> Path:
    """Where a team's uploaded training images are kept (one folder per upload)."""
    return project_media_root(project_public_id) / "training" / str(uuid.UUID(str(dataset_public_id)))


def project_file(project_public_id: uuid.UUID | str, relative: str) -> Path | None:
    """A file a row names under the project's media folder, or None if it is missing or lies outside it."""
    if not relative:
        return None
    root = project_media_root(project_public_id).resolve()
    target = (root / relative).resolve()
    if root not in target.parents or not target.is_file():
        return None
    return target
