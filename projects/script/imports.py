"""Importing a screenplay file: a small one at once, as a new revision; a big one (by size or by
scene count) by a worker, as an `import_script` job (projects/script/jobs.py), so no web request
parses a 5 MB script or writes its 200,000 scenes."""

from __future__ import annotations

import os
import uuid

from django.conf import settings

from generation.models import GenerationJob
from projects import fountain
from projects.jobs.services import job_start
from projects.media import script_upload_path
from projects.models import Project, Revision, RevisionSource
from projects.script.services import script_replace_text
from projects.teams.selectors import ProjectAccess


def script_import(*, access: ProjectAccess, data: bytes, filename: str) -> Revision | GenerationJob:
    """Import a screenplay file: a small one at once, as a new revision; a big one (by size or by
    scene count) on a worker, as an `import_script` job, so no web request parses or writes for long.
    Raises ScreenplayImportError, saying why, for a file that is not a screenplay."""
    if filename.lower().endswith(".fdx") and len(data) > settings.SCRIPT_IMPORT_SYNC_MAX_FDX_BYTES:
        fountain.check_upload(data, filename)  # the worker reads the XML
        return _script_import_start(access=access, data=data, filename=filename)
    text = fountain.import_screenplay(data, filename)
    if (
        len(text.encode()) > settings.SCRIPT_IMPORT_SYNC_MAX_BYTES
        or fountain.heading_count(text) > settings.SCRIPT_IMPORT_SYNC_MAX_SCENES
    ):
        return _script_import_start(access=access, data=data, filename=filename)
    return script_replace_text(
        access=access, text=text, source=RevisionSource.IMPORT, note=f"Imported {filename}"[:300]
    )


def _script_import_start(*, access: ProjectAccess, data: bytes, filename: str) -> GenerationJob:
    # The file waits in the project's media folder (written whole, then renamed) for the worker.
    upload = str(uuid.uuid4())
    path = script_upload_path(access.project.public_id, upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    try:
        return job_start(access=access, kind="import_script", params={"upload": upload, "filename": filename[-255:]})
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def script_upload_delete(*, project: Project, upload: str) -> None:
    """Remove an uploaded screenplay once its import is over."""
    script_upload_path(project.public_id, upload).unlink(missing_ok=True)
