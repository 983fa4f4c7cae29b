"""Jobs started from the studio: the member's access is checked here, the job machinery does the rest."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from generation import services as machine
from generation.models import GenerationJob
from projects.teams.selectors import ProjectAccess


def job_start(*, access: ProjectAccess, kind: str, params: Any) -> GenerationJob:
    """Start a job of `kind` in the member's project (editors and owners; selectors checked the role)."""
    if not access.can_write:
        raise PermissionDenied("Viewers cannot start jobs.")
    return machine.job_create(project=access.project, requested_by=access.membership.user, kind=kind, params=params)
