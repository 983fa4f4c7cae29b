"""The project archive: download a project as one zip, and import one as a new project."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import AuthenticatedHttpRequest
from projects.teams.selectors import project_access_for_user


@login_required
@require_GET
def archive_export(request: HttpRequest, project_id: str) -> FileResponse:
    """The whole project as one zip (script and revisions, breakdown, faces, frames, models, job history)."""
    import shutil
    import tempfile
    from pathlib import Path

    from projects import archive

    access = project_access_for_user(user=request.user, public_id=project_id)
    folder = Path(tempfile.mkdtemp(prefix="fs-archive-"))
    try:
        path = archive.project_export_archive(access=access, out=folder / "archive.zip")
        handle = open(path, "rb")
        # The open handle keeps the data readable; nothing is left on disk once the download ends.
        path.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    name = f"{slugify(access.project.title) or 'film'}.filmstudio.zip"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


@login_required
@require_POST
def archive_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A project archive from another filmstudio becomes a new project here, owned by whoever imports it."""
    from projects import archive

    upload = request.FILES.get("archive")
    if upload is None:
        messages.error(request, "Choose a .zip project archive to import.")
        return redirect("projects:list")
    try:
        project = archive.project_import_archive(user=request.user, file=upload)
    except ValidationError as exc:
        messages.error(request, "Nothing was imported: " + " ".join(exc.messages))
        return redirect("projects:list")
    messages.success(request, f"Imported “{project.title}”.")
    return redirect("projects:detail", project_id=project.public_id)
