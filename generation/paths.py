"""Where a project's files and a job's outputs live on the shared media storage (plain data in, paths out)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings


def project_media_root(project_public_id: uuid.UUID | str) -> Path:
    return Path(settings.MEDIA_ROOT) / "projects" / str(project_public_id)


def job_output_dir(project_public_id: uuid.UUID | str, job_public_id: uuid.UUID | str) -> Path:
    return project_media_root(project_public_id) / "jobs" / str(job_public_id)
