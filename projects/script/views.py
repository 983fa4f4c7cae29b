"""The screenplay workspace: editor page, breakdown, reports, revisions, import and export."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import error_response, partial_response
from projects.models import Revision, Role
from projects.script import imports as script_imports
from projects.script import notes as script_notes
from projects.script import selectors as script_selectors
from projects.script import services as script_services
from projects.script.forms import ScenePageForm
from projects.script.parts import (
    breakdown_context,
    breakdown_html,
    notes_context,
    notes_html,
    production_context,
    production_html,
    scene_page_html,
)
from projects.script.presence import user_color
from projects.teams.selectors import ProjectAccess, project_access_for_user

EXPORT_TYPES = {
    "fountain": ("text/plain; charset=utf-8", "fountain"),
    "fdx": ("application/xml", "fdx"),
    "pdf": ("application/pdf", "pdf"),
}


@login_required
@require_GET
def script_page(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    from generation.events import job_state
    from projects.jobs import selectors as job_selectors

    context = {
        **breakdown_context(access),
        "jobs": [job_state(job) for job in job_selectors.job_list_for_project(access=access, limit=5)],
        "project_public_id": str(access.project.public_id),
        **notes_context(access),
        "can_write": access.can_write,
        "user_color": user_color(request.user.get_username()),
        **production_context(access),
    }
    return render(request, "projects/script.html", context)


@login_required
@require_GET
def script_breakdown(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    return partial_response(request, breakdown_html(access, request))


@login_required
@require_GET
def script_scenes(request: HttpRequest, project_id: str) -> HttpResponse:
    """The navigator's next page of scenes (its "show more"), or the scenes matching its search."""
    access = project_access_for_user(user=request.user, public_id=project_id)
    form = ScenePageForm(request.GET)
    if not form.is_valid():
        return error_response(request, "Ask for scenes after a position, or search for up to 200 characters.")
    after = form.cleaned_data["after"]
    html = scene_page_html(
        access, after=-1 if after is None else after, query=form.cleaned_data["q"] or "", request=request
    )
    return partial_response(request, html)


@login_required
@require_POST
def script_import(request: HttpRequest, project_id: str) -> HttpResponse:
    from projects import fountain

    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a .fountain, .fdx or .txt file to import.")
        return redirect("projects:script", project_id=access.project.public_id)
    if upload.size and upload.size > fountain.MAX_IMPORT_BYTES:
        messages.error(request, f"“{upload.name}” is larger than 5 MB; nothing was imported.")
        return redirect("projects:script", project_id=access.project.public_id)
    try:
        outcome = script_imports.script_import(
            access=access, data=upload.read(fountain.MAX_IMPORT_BYTES + 1), filename=upload.name or ""
        )
    except fountain.ScreenplayImportError as exc:
        messages.error(request, f"Nothing was imported: {exc}")
        return redirect("projects:script", project_id=access.project.public_id)
    if isinstance(outcome, Revision):
        messages.success(request, f"Imported “{upload.name}” as revision {outcome.number}.")
    else:
        messages.info(
            request,
            f"“{upload.name}” is a big script: a worker is importing it. "
            "Follow it under Jobs; the script and its scenes update when it is done.",
        )
    return redirect("projects:script", project_id=access.project.public_id)


@login_required
@require_GET
def script_export(request: HttpRequest, project_id: str, fmt: str) -> HttpResponse:
    from projects import fountain

    access = project_access_for_user(user=request.user, public_id=project_id)
    if fmt not in EXPORT_TYPES:
        messages.error(request, "Export as Fountain, FDX or PDF.")
        return redirect("projects:script", project_id=access.project.public_id)
    text = script_selectors.screenplay_get(access=access).text
    content_type, extension = EXPORT_TYPES[fmt]
    data: bytes
    if fmt == "fountain":
        data = text.encode()
    elif fmt == "fdx":
        data = fountain.export_fdx(fountain.parse(text))
    else:
        paper = "a4" if request.GET.get("paper") == "a4" else "letter"
        # Marks changes since the chosen revision (default: the current revision set's start).
        text, revised = script_selectors.script_print(access=access, since=request.GET.get("since") or None)
        try:
            data = fountain.export_pdf(
                fountain.parse(text),
                paper=paper,
                scene_numbers=request.GET.get("scene_numbers") == "1",
                revised=revised,
            )
        except fountain.ScreenplayFontMissing as exc:
            messages.error(request, str(exc))
            return redirect("projects:script", project_id=access.project.public_id)
    response = HttpResponse(data, content_type=content_type)
    name = slugify(access.project.title) or "screenplay"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@login_required
@require_GET
def script_preview(request: HttpRequest, project_id: str) -> HttpResponse:
    from projects import fountain

    access = project_access_for_user(user=request.user, public_id=project_id)
    from projects.fountain.html import preview_rows

    script = fountain.parse(script_selectors.screenplay_get(access=access).text)
    context = {"access": access, "project": access.project, "script": script, "rows": preview_rows(script)}
    return render(request, "projects/script_preview.html", context)


@login_required
@require_GET
def script_report(request: HttpRequest, project_id: str, report: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    context: dict[str, object] = {"access": access, "project": access.project, "report": report}
    if report == "characters":
        context["characters"] = list(script_selectors.character_list(access=access))
    elif report == "locations":
        context["locations"] = list(script_selectors.location_list(access=access))
    elif report == "shots":
        context["scenes"] = list(script_selectors.scene_list(access=access).prefetch_related("shots"))
    else:
        return redirect("projects:script", project_id=access.project.public_id)
    return render(request, "projects/script_report.html", context)


@login_required
@require_GET
def revision_list(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    context = {
        "access": access,
        "project": access.project,
        "revisions": script_selectors.revision_list(access=access),
        "revision_sets": list(script_selectors.revision_set_list(access=access)),
    }
    return render(request, "projects/revisions.html", context)


@login_required
@require_GET
def revision_detail(request: HttpRequest, project_id: str, revision_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    revision = script_selectors.revision_get(access=access, public_id=revision_id)
    current = script_selectors.screenplay_get(access=access).text
    context = {
        "access": access,
        "project": access.project,
        "revision": revision,
        "diff": script_selectors.revision_diff(revision.text, current),
        "is_current": revision.text == current,
    }
    return render(request, "projects/revision.html", context)


@login_required
@require_GET
def revision_download(request: HttpRequest, project_id: str, revision_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    revision = script_selectors.revision_get(access=access, public_id=revision_id)
    response = HttpResponse(revision.text.encode(), content_type=EXPORT_TYPES["fountain"][0])
    name = slugify(access.project.title) or "screenplay"
    response["Content-Disposition"] = f'attachment; filename="{name}-revision-{revision.number}.fountain"'
    return response


@login_required
@require_POST
def revision_restore(request: HttpRequest, project_id: str, revision_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    revision = script_selectors.revision_get(access=access, public_id=revision_id)
    restored = script_services.revision_restore(access=access, revision=revision)
    messages.success(request, f"Restored revision {revision.number} as revision {restored.number}.")
    return redirect("projects:script", project_id=access.project.public_id)


def _notes_reply(request: HttpRequest, access: ProjectAccess, error: ValidationError | None = None) -> HttpResponse:
    if error is not None:
        if request.headers.get("HX-Request"):
            return error_response(request, " ".join(error.messages))
        messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request"):
        return partial_response(request, notes_html(access, request))
    return redirect("projects:script", project_id=access.project.public_id)


def _anchor(value: str) -> bytes:
    # Anything that isn't base64 reaches the service as no anchor, which refuses it (after checking the right).
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)[:64]
    except (binascii.Error, UnicodeEncodeError):
        return b""


@login_required
@require_GET
def script_notes_panel(request: HttpRequest, project_id: str) -> HttpResponse:
    """The notes on the script (every member reads them)."""
    access = project_access_for_user(user=request.user, public_id=project_id)
    return partial_response(request, notes_html(access, request))


@login_required
@require_POST
def scene_numbers_lock(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    script_services.scene_numbers_lock(access=access)
    messages.success(request, "Scene numbers are locked: a new scene takes the number before it with a letter (12A).")
    return _production_reply(request, access)


@login_required
@require_POST
def scene_numbers_unlock(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    script_services.scene_numbers_unlock(access=access)
    messages.success(request, "Scene numbers are unlocked: scenes are numbered 1, 2, 3 again.")
    return _production_reply(request, access)


@login_required
@require_POST
def script_note_add(request: HttpRequest, project_id: str) -> HttpResponse:
    """A note on the words the editor's selection covers (its two anchors come with the form)."""
    access = project_access_for_user(user=request.user, public_id=project_id)
    try:
        script_notes.note_add(
            access=access,
            body=request.POST.get("body", ""),
            start=_anchor(request.POST.get("start", "")),
            end=_anchor(request.POST.get("end", "")),
        )
    except ValidationError as exc:
        return _notes_reply(request, access, exc)
    return _notes_reply(request, access)


@login_required
@require_POST
def script_note_reply(request: HttpRequest, project_id: str, note_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    note = script_selectors.note_get(access=access, public_id=note_id)
    try:
        script_notes.note_reply(access=access, note=note, body=request.POST.get("body", ""))
    except ValidationError as exc:
        return _notes_reply(request, access, exc)
    return _notes_reply(request, access)


@login_required
@require_POST
def script_note_resolve(request: HttpRequest, project_id: str, note_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    note = script_selectors.note_get(access=access, public_id=note_id)
    script_notes.note_set_resolved(access=access, note=note, resolved=request.POST.get("resolved", "1") == "1")
    return _notes_reply(request, access)


@login_required
@require_POST
def script_note_delete(request: HttpRequest, project_id: str, note_id: str) -> HttpResponse:
    """The note's author (or an owner) deletes it with its thread."""
    access = project_access_for_user(user=request.user, public_id=project_id)
    note = script_selectors.note_get(access=access, public_id=note_id)
    script_notes.note_delete(access=access, note=note)
    return _notes_reply(request, access)


@login_required
@require_POST
def script_note_reply_delete(request: HttpRequest, project_id: str, reply_id: str) -> HttpResponse:
    """The reply's author (or an owner) deletes it."""
    access = project_access_for_user(user=request.user, public_id=project_id)
    reply = script_selectors.note_reply_get(access=access, public_id=reply_id)
    script_notes.note_reply_delete(access=access, reply=reply)
    return _notes_reply(request, access)


@login_required
@require_POST
def revision_set_start(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    started = script_services.revision_set_start(access=access)
    messages.success(
        request, f"{started.name} revisions started ({started.date_display}): changes from here print with “*”."
    )
    return _production_reply(request, access)


def _production_reply(request: HttpRequest, access: ProjectAccess) -> HttpResponse:
    # htmx: the Production row and the message, out of band (the socket brings the row to the other pages).
    if request.headers.get("HX-Request"):
        return partial_response(request, production_html(access, request))
    return redirect("projects:script", project_id=access.project.public_id)
