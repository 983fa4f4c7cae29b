"""The finished film: the timeline with its shot lengths, the animatic player, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import AuthenticatedHttpRequest, HtmxHttpRequest, error_response, partial_response
from generation.events import job_state
from projects.animatic import selectors as animatic_selectors
from projects.animatic import services as animatic_services
from projects.animatic import timeline
from projects.animatic.parts import TEMPLATE, music_context, render_html, timeline_context, timeline_html
from projects.jobs import selectors as job_selectors
from projects.models import Role
from projects.storyboard import selectors as storyboard_selectors
from projects.teams.selectors import ProjectAccess, project_access_for_user


@login_required
@require_GET
def animatic_page(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    context = {
        **timeline_context(access),
        **music_context(access),
        "jobs": [job_state(job) for job in job_selectors.job_list_for_project(access=access, limit=6)],
        "project_public_id": str(access.project.public_id),
    }
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def frame_duration(request: AuthenticatedHttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    """An editor sets how long a shot holds (empty: the length its script lines give it)."""
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    frame = storyboard_selectors.frame_get(access=access, public_id=frame_id)
    raw = request.POST.get("seconds", "").strip()
    try:
        seconds = float(raw) if raw else None
        if seconds is not None and seconds != seconds:  # NaN
            raise ValueError
    except ValueError:
        return _fail(request, access, f"“{raw}” is not a number of seconds.")
    try:
        animatic_services.frame_set_duration(frame=frame, seconds=seconds)
    except ValidationError as exc:
        return _fail(request, access, " ".join(exc.messages))
    if request.htmx:
        return partial_response(request, timeline_html(access))
    return redirect("projects:animatic", project_id=access.project.public_id)


@login_required
@require_POST
def frame_camera_move(request: AuthenticatedHttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    """An editor sets how the camera moves over a shot (empty: the default for its shot type)."""
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    frame = storyboard_selectors.frame_get(access=access, public_id=frame_id)
    try:
        animatic_services.frame_set_camera_move(frame=frame, move=request.POST.get("move", "").strip())
    except ValidationError as exc:
        return _fail(request, access, " ".join(exc.messages))
    if request.htmx:
        return partial_response(request, timeline_html(access))
    return redirect("projects:animatic", project_id=access.project.public_id)


def _fail(request: HtmxHttpRequest, access: ProjectAccess, message: str) -> HttpResponse:
    if request.htmx:
        return error_response(request, message)
    messages.error(request, message)
    return redirect("projects:animatic", project_id=access.project.public_id)


def _attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def storyboard_pdf(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    paper = "letter" if request.GET.get("paper") == "letter" else "a4"
    data = timeline.storyboard_pdf_bytes(access.project, paper=paper)
    return _attachment(data, "application/pdf", f"{slugify(access.project.title) or 'film'}-storyboard.pdf")


@login_required
@require_GET
def shot_list_csv(request: HttpRequest, project_id: str) -> HttpResponse:
    from generation.engines import editorial

    access = project_access_for_user(user=request.user, public_id=project_id)
    # excel=True: a BOM for Excel, and cells that start like a formula are defused.
    text = editorial.shot_list_csv(timeline.shot_list_rows(access.project), excel=True)
    return _attachment(
        text.encode("utf-8"), "text/csv; charset=utf-8", f"{slugify(access.project.title) or 'film'}-shots.csv"
    )


@login_required
@require_POST
def music_upload(request: AuthenticatedHttpRequest, project_id: str) -> HttpResponse:
    """An editor adds their own music track (checked as decodable audio) for the animatic's score."""
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    try:
        track = animatic_services.music_track_save(access=access, upload=request.FILES.get("track"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("projects:animatic", project_id=access.project.public_id)
    messages.success(
        request, f"“{track.name}” ({track.duration_seconds:.0f} s) is ready: choose “Your track” under Music to use it."
    )
    return redirect("projects:animatic", project_id=access.project.public_id)


@login_required
@require_POST
def music_delete(request: AuthenticatedHttpRequest, project_id: str, track_id: str) -> HttpResponse:
    """An editor removes an uploaded track; animatics already rendered with it keep their sound and credits."""
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    track = animatic_selectors.music_track_get(access=access, public_id=track_id)
    animatic_services.music_track_delete(access=access, track=track)
    messages.success(request, f"“{track.name}” was removed. Animatics already rendered with it keep their music.")
    if request.htmx:
        return partial_response(request, render_html(access))
    return redirect("projects:animatic", project_id=access.project.public_id)
