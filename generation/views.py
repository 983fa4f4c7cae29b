"""Thin job views. htmx requests get the shared partials; others get the page or a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import error_response, partial_response
from generation import selectors, services
from generation.events import job_state
from generation.rendering import job_row_html, jobs_panel_html
from projects.models import Role
from projects.selectors import ProjectAccess, project_access_for_user

_NOT_PARAMS = {"csrfmiddlewaretoken", "kind"}


def _panel(request: HttpRequest, access: ProjectAccess, *, status: int = 200) -> HttpResponse:
    states = [job_state(job) for job in selectors.job_list_for_project(access=access)]
    html = jobs_panel_html(states, can_write=access.can_write, project_public_id=str(access.project.public_id))
    return partial_response(request, html, status=status)


@login_required
@require_GET
def job_panel(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    return _panel(request, access)


@login_required
@require_POST
def job_create(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    params = {k: v for k, v in request.POST.items() if k not in _NOT_PARAMS and v != ""}
    try:
        job = services.job_create(access=access, kind=request.POST.get("kind", ""), params=params)
    except ValidationError as exc:
        message = "The job was not started: " + " ".join(exc.messages)
        if request.htmx:  # type: ignore[attr-defined]
            return error_response(request, message)
        messages.error(request, message)
        return redirect("projects:detail", project_id=access.project.public_id)
    if request.htmx:  # type: ignore[attr-defined]
        return _panel(request, access)
    messages.success(request, f"Started {job_state(job)['kind_label'].lower()}.")
    return redirect("projects:detail", project_id=access.project.public_id)


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    found = selectors.job_access_for_user(user=request.user, public_id=job_id)
    context = {
        "job": job_state(found.job),
        "project": found.access.project,
        "access": found.access,
        "can_write": found.access.can_write,
        "params": found.job.params,
    }
    return render(request, "generation/job_detail.html", context)


def _job_action(request: HttpRequest, job_id: str, action: str) -> HttpResponse:
    found = selectors.job_access_for_user(user=request.user, public_id=job_id, needs=Role.EDITOR)
    try:
        if action == "cancel":
            job = services.job_cancel(job=found.job, by=request.user)  # type: ignore[arg-type]
        else:
            job = services.job_retry(job=found.job)
    except ValidationError as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return error_response(request, " ".join(exc.messages), status=409)
        messages.error(request, " ".join(exc.messages))
        return redirect("generation:detail", job_id=found.job.public_id)
    if request.htmx:  # type: ignore[attr-defined]
        return partial_response(request, job_row_html(job_state(job), can_write=True))
    messages.success(request, "Cancelled." if action == "cancel" else "Queued again.")
    return redirect("generation:detail", job_id=found.job.public_id)


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: str) -> HttpResponse:
    return _job_action(request, job_id, "cancel")


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: str) -> HttpResponse:
    return _job_action(request, job_id, "retry")
