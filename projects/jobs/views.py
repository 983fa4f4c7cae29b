"""Thin job views. htmx requests get the shared partials; others get the page or a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import AuthenticatedHttpRequest, error_response, partial_response
from generation import services
from generation.events import job_state
from generation.models import GenerationJob
from projects.characters import training
from projects.jobs import selectors
from projects.jobs import services as job_services
from projects.jobs.parts import job_row_html, jobs_panel_html
from projects.models import Role
from projects.teams.selectors import ProjectAccess, project_access_for_user

_NOT_PARAMS = {"csrfmiddlewaretoken", "kind"}


def _panel(request: HttpRequest, access: ProjectAccess, *, status: int = 200) -> HttpResponse:
    states = [job_state(job) for job in selectors.job_list_for_project(access=access)]
    html = jobs_panel_html(states, can_write=access.can_write, project_public_id=str(access.project.public_id))
    return partial_response(request, html, status=status)


def _queued(request: HttpRequest, job: GenerationJob, started: str | None) -> None:
    """Say whether the job went to the queue, or waits for it (Redis unreachable: it starts once Redis is back)."""
    job.refresh_from_db(fields=["message", "seq"])
    if job.message == services.QUEUE_DOWN_MESSAGE:
        messages.warning(
            request,
            f"{job_state(job)['kind_label']} is saved, but the job queue (Redis) is unreachable right now; "
            "it will start by itself once the queue is back.",
        )
    elif started:
        messages.success(request, started)


@login_required
@require_GET
def job_panel(request: AuthenticatedHttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    return _panel(request, access)


@login_required
@require_POST
def job_create(request: AuthenticatedHttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    params = {k: v for k, v in request.POST.items() if k not in _NOT_PARAMS and v != ""}
    try:
        job = job_services.job_start(access=access, kind=request.POST.get("kind", ""), params=params)
    except ValidationError as exc:
        message = "The job was not started: " + " ".join(exc.messages)
        if request.htmx:
            return error_response(request, message)
        messages.error(request, message)
        return redirect("projects:detail", project_id=access.project.public_id)
    _queued(request, job, None if request.htmx else f"Started {job_state(job)['kind_label'].lower()}.")
    if request.htmx:
        return _panel(request, access)
    return redirect("projects:detail", project_id=access.project.public_id)


@login_required
@require_GET
def job_detail(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    found = selectors.job_access_for_user(user=request.user, public_id=job_id)
    context = {
        "job": job_state(found.job),
        "project": found.access.project,
        "access": found.access,
        "can_write": found.access.can_write,
        "params": found.job.params,
    }
    return render(request, "generation/job_detail.html", context)


def _job_action(request: AuthenticatedHttpRequest, job_id: str, action: str) -> HttpResponse:
    found = selectors.job_access_for_user(user=request.user, public_id=job_id, needs=Role.EDITOR)
    try:
        if action == "cancel":
            job = services.job_cancel(job=found.job, by=request.user)
        else:
            job = services.job_retry(job=found.job)
    except ValidationError as exc:
        if request.htmx:
            return error_response(request, " ".join(exc.messages), status=409)
        messages.error(request, " ".join(exc.messages))
        return redirect("jobs:detail", job_id=found.job.public_id)
    if action == "retry":
        _queued(request, job, None if request.htmx else "Queued again.")
    elif not request.htmx:
        messages.success(request, "Cancelled.")
    if request.htmx:
        return partial_response(request, job_row_html(job_state(job), can_write=True))
    return redirect("jobs:detail", job_id=found.job.public_id)


@login_required
@require_POST
def job_cancel(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    return _job_action(request, job_id, "cancel")


@login_required
@require_POST
def job_retry(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    return _job_action(request, job_id, "retry")


@login_required
@require_GET
def model_list_page(request: AuthenticatedHttpRequest, project_id: str) -> HttpResponse:
    """The models this team can choose, each with its source and license, and training on your own art."""
    from generation import registry
    from generation.models import ModelKind
    from projects.characters.forms import TrainingUploadForm

    access = project_access_for_user(user=request.user, public_id=project_id)
    context = {
        "access": access,
        "project": access.project,
        "can_write": access.can_write,
        "gan_models": list(registry.model_list_for_project(kind=ModelKind.GAN, project=access.project)),
        "text_models": list(registry.model_list_for_project(kind=ModelKind.TEXT, project=access.project)),
        "form": TrainingUploadForm(),
        "jobs": [job_state(job) for job in selectors.job_list_for_project(access=access, limit=6)],
        "project_public_id": str(access.project.public_id),
        "max_files": training.MAX_FILES,
        "max_mb": training.MAX_BYTES // (1024 * 1024),
    }
    return render(request, "generation/models.html", context)


@login_required
@require_POST
def model_train(request: AuthenticatedHttpRequest, project_id: str) -> HttpResponse:
    """Upload images (files or a zip), check them, then start a training job on them."""
    from projects.characters.forms import TrainingUploadForm

    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    form = TrainingUploadForm(request.POST)
    back = redirect("jobs:models", project_id=access.project.public_id)
    if not form.is_valid():
        problems = [f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()]
        messages.error(request, "Training was not started: " + " ".join(problems))
        return back
    try:
        dataset = training.training_set_save(access=access, files=request.FILES.getlist("images"))
    except ValidationError as exc:
        messages.error(request, "Training was not started: " + " ".join(exc.messages))
        return back
    params = {
        "dataset": dataset.name,
        "name": form.cleaned_data["name"],
        "license_note": form.cleaned_data["license_note"],
        "steps": form.cleaned_data["steps"] or 300,
        "start": form.cleaned_data["start"] or "default",
    }
    try:
        job = job_services.job_start(access=access, kind="train_character_gan", params=params)
    except ValidationError as exc:
        training.training_set_discard(dataset)
        messages.error(request, "Training was not started: " + " ".join(exc.messages))
        return back
    _queued(request, job, f"Training on {dataset.count} image(s) started; watch the curves below.")
    return redirect("jobs:detail", job_id=job.public_id)
