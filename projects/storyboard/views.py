"""The storyboard: a grid of frames per scene, a frame's page (relight, edit the set, comments, export)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import AuthenticatedHttpRequest, error_response, partial_response
from generation.engines.setschema import SetSpecError, validate_set_spec
from generation.events import job_state
from projects.jobs import selectors as job_selectors
from projects.models import Frame, Role
from projects.storyboard import selectors as storyboard_selectors
from projects.storyboard import services as storyboard_services
from projects.storyboard.parts import BOARD_TEMPLATE, FRAME_TEMPLATE, frame_context, frame_partials_html
from projects.teams.selectors import ProjectAccess, project_access_for_user

TIMES = [("dawn", "Dawn"), ("morning", "Morning"), ("day", "Day"), ("afternoon", "Afternoon"), ("dusk", "Dusk"),
         ("night", "Night")]  # fmt: skip


def _jobs(access: ProjectAccess) -> list[Any]:
    return [job_state(job) for job in job_selectors.job_list_for_project(access=access, limit=6)]


@login_required
@require_GET
def storyboard(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    context = {
        "access": access,
        "project": access.project,
        "can_write": access.can_write,
        "scenes": storyboard_selectors.storyboard_scenes(access=access),
        "orphans": list(storyboard_selectors.orphan_frames(access=access)),
        "stale_count": storyboard_selectors.stale_frames(access=access).count(),
        "jobs": _jobs(access),
        "project_public_id": str(access.project.public_id),
    }
    return render(request, BOARD_TEMPLATE, context)


def _shot_formset(scene: Any, data: Any = None) -> Any:
    from projects.storyboard.forms import ShotListFormSet

    initial = [
        {
            "shot_type": shot.shot_type,
            "camera_angle": shot.camera_angle,
            "lens_mm": shot.lens_mm,
            "subjects": ", ".join(shot.subjects),
            "description": shot.description,
            "start_line": shot.start_line,
            "end_line": shot.end_line,
        }
        for shot in scene.shots.all()
    ]
    return ShotListFormSet(data, initial=initial, prefix="shots")


@login_required
@require_GET
def storyboard_scene(request: HttpRequest, project_id: str, scene_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    scene = storyboard_selectors.scene_get(access=access, public_id=scene_id)
    return _scene_page(request, access, scene, _shot_formset(scene))


def _scene_page(
    request: HttpRequest, access: ProjectAccess, scene: Any, shots: Any, *, status: int = 200
) -> HttpResponse:
    context = {
        "access": access,
        "project": access.project,
        "can_write": access.can_write,
        "scenes": [scene],
        "single": True,
        "stale_count": storyboard_selectors.stale_frames(access=access, scene=scene).count(),
        "jobs": _jobs(access),
        "project_public_id": str(access.project.public_id),
        "shots_formset": shots,
        "shots_open": status != 200,
    }
    return render(request, BOARD_TEMPLATE, context, status=status)


@login_required
@require_POST
def shot_list_edit(request: HttpRequest, project_id: str, scene_id: str) -> HttpResponse:
    """Save a scene's shot list edited by hand; a bad row is shown back with its errors, nothing saved."""
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    scene = storyboard_selectors.scene_get(access=access, public_id=scene_id)
    formset = _shot_formset(scene, request.POST)
    if not formset.is_valid():
        messages.error(request, "The shot list was not saved: check the marked fields.")
        return _scene_page(request, access, scene, formset, status=400)
    rows = [
        form.cleaned_data
        for form in formset.forms
        if form.has_changed() or form.initial
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    try:
        storyboard_services.shot_list_save(scene=scene, shots=rows, by=access.membership.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _scene_page(request, access, scene, formset, status=400)
    messages.success(request, f"Saved {len(rows)} shot(s). Changed frames show as changed until rendered again.")
    return redirect("projects:storyboard-scene", project_id=access.project.public_id, scene_id=scene.public_id)


@login_required
@require_GET
def frame_page(request: HttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    frame = storyboard_selectors.frame_get(access=access, public_id=frame_id)
    return _frame_page(request, access, frame, json.dumps(frame.set_spec, indent=2))


def _frame_page(
    request: HttpRequest, access: ProjectAccess, frame: Frame, spec_json: str, *, status: int = 200
) -> HttpResponse:
    context = {
        **frame_context(access, frame),
        "spec_json": spec_json,
        "spec_open": status != 200,
        "times": TIMES,
        "diffusion_models": _diffusion_models(access),
        "jobs": _jobs(access),
        "project_public_id": str(access.project.public_id),
        "neighbours": storyboard_selectors.frame_neighbours(access=access, frame=frame),
    }
    return render(request, FRAME_TEMPLATE, context, status=status)


def _diffusion_models(access: ProjectAccess) -> list[Any]:
    from generation import registry
    from generation.models import ModelKind

    return list(registry.model_list_for_project(kind=ModelKind.DIFFUSION, project=access.project))


def _back(frame: Frame) -> HttpResponse:
    return redirect("projects:frame", project_id=frame.project.public_id, frame_id=frame.public_id)


def _frame_for_edit(request: HttpRequest, project_id: str, frame_id: str) -> tuple[ProjectAccess, Frame]:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    return access, storyboard_selectors.frame_get(access=access, public_id=frame_id)


@login_required
@require_POST
def frame_spec(request: HttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    """Save an edited set spec (JSON), validated; a bad one is shown back with the reason, unsaved."""
    access, frame = _frame_for_edit(request, project_id, frame_id)
    raw = request.POST.get("spec", "")
    try:
        spec = validate_set_spec(json.loads(raw))
    except json.JSONDecodeError as exc:
        return _spec_error(request, access, frame, raw, f"That is not valid JSON (line {exc.lineno}: {exc.msg}).")
    except SetSpecError as exc:
        return _spec_error(request, access, frame, raw, f"The set was not saved: {exc}.")
    storyboard_services.frame_set_spec(frame=frame, spec=spec, note="set edited by hand")
    messages.success(request, "Saved. Render the frame to see it.")
    return _back(frame)


def _spec_error(request: HttpRequest, access: ProjectAccess, frame: Frame, raw: str, message: str) -> HttpResponse:
    messages.error(request, message)
    return _frame_page(request, access, frame, raw, status=400)


@login_required
@require_POST
def frame_adjust(request: AuthenticatedHttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    """The quick controls: time of day (relight), sun and practical strength, lens, a material's colour."""
    _access, frame = _frame_for_edit(request, project_id, frame_id)
    adjustment = storyboard_services.SetAdjustment.from_form(request.POST)
    try:
        notes = storyboard_services.frame_adjust(frame=frame, adjustment=adjustment)
    except ValidationError as exc:
        message = f"Nothing was changed: {' '.join(exc.messages)}."
        if request.htmx:
            return error_response(request, message)
        messages.error(request, message)
        return _back(frame)
    if not notes:
        messages.info(request, "Nothing to change.")
        return _back(frame)
    messages.success(request, f"Set changed ({', '.join(notes)}). Render the frame to see it.")
    return _back(frame)


@login_required
@require_POST
def frame_undo(request: HttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    _, frame = _frame_for_edit(request, project_id, frame_id)
    try:
        storyboard_services.frame_undo_spec(frame=frame)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(frame)
    messages.success(request, "The set is back as it was before the last change. Render to see it.")
    return _back(frame)


@login_required
@require_POST
def frame_comment(request: AuthenticatedHttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    frame = storyboard_selectors.frame_get(access=access, public_id=frame_id)
    try:
        storyboard_services.comment_add(frame=frame, author=access.membership.user, body=request.POST.get("body", ""))
    except ValidationError as exc:
        if request.htmx:
            return error_response(request, " ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return _back(frame)
    if request.htmx:
        frame = storyboard_selectors.frame_get(access=access, public_id=frame_id)
        return partial_response(request, frame_partials_html(access, frame))
    return _back(frame)


@login_required
@require_POST
def comment_resolve(request: AuthenticatedHttpRequest, project_id: str, comment_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    comment = storyboard_selectors.comment_get(access=access, public_id=comment_id)
    storyboard_services.comment_set_resolved(
        comment=comment,
        by=access.membership.user,
        resolved=request.POST.get("resolved", "1") == "1",
    )
    if request.htmx:
        frame = storyboard_selectors.frame_get(access=access, public_id=comment.frame.public_id)
        return partial_response(request, frame_partials_html(access, frame))
    return redirect("projects:frame", project_id=access.project.public_id, frame_id=comment.frame.public_id)
