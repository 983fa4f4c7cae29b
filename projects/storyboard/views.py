"""The storyboard: a grid of frames per scene, a frame's page (relight, edit the set, comments, export)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import AuthenticatedHttpRequest, error_response, partial_response
from generation.engines.base import JobFailed
from generation.events import job_state
from projects.jobs import selectors as job_selectors
from projects.models import Frame, Role
from projects.storyboard import selectors as storyboard_selectors
from projects.storyboard import services as storyboard_services
from projects.teams.selectors import ProjectAccess, project_access_for_user

FRAME_TEMPLATE = "projects/frame.html"
BOARD_TEMPLATE = "projects/storyboard.html"
TIMES = [("dawn", "Dawn"), ("day", "Day"), ("dusk", "Dusk"), ("night", "Night")]


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


def frame_card_html(access: ProjectAccess, frame: Frame, *, created: bool = False) -> str:
    """A frame's card, swapped by id; a new one is appended to its scene's grid instead."""
    context = {"access": access, "project": access.project, "frame": frame, "oob": not created}
    card = render_to_string(f"{BOARD_TEMPLATE}#card", context)
    if created and frame.scene is not None:
        return f'<div hx-swap-oob="beforeend:#frames-{frame.scene.public_id}">{card}</div>'
    return card


def frame_context(access: ProjectAccess, frame: Frame) -> dict[str, Any]:
    return {
        "access": access,
        "project": access.project,
        "frame": frame,
        "can_write": access.can_write,
        "comments": list(storyboard_selectors.comment_list(frame=frame)),
        "export": frame.render_info.get("export"),
        "lights": frame.set_spec.get("lights", {}),
        "camera": frame.set_spec.get("camera", {}),
        "materials": frame.set_spec.get("materials", {}),
    }


def frame_partials_html(access: ProjectAccess, frame: Frame) -> str:
    context = {**frame_context(access, frame), "oob": True}
    return "".join(render_to_string(f"{FRAME_TEMPLATE}#{name}", context) for name in ("picture", "comments", "exports"))


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
    from generation.engines.setspec import validate_set_spec

    access, frame = _frame_for_edit(request, project_id, frame_id)
    raw = request.POST.get("spec", "")
    try:
        data = json.loads(raw)
        checked = validate_set_spec(data)
    except json.JSONDecodeError as exc:
        return _spec_error(request, access, frame, raw, f"That is not valid JSON (line {exc.lineno}: {exc.msg}).")
    except ValueError as exc:
        return _spec_error(request, access, frame, raw, f"The set was not saved: {exc}.")
    except (TypeError, KeyError, AttributeError, IndexError) as exc:
        return _spec_error(request, access, frame, raw, f"The set was not saved: a value has the wrong shape ({exc}).")
    storyboard_services.frame_set_spec(frame=frame, spec=dict(checked), note="set edited by hand")
    messages.success(request, "Saved. Render the frame to see it.")
    return _back(frame)


def _spec_error(request: HttpRequest, access: ProjectAccess, frame: Frame, raw: str, message: str) -> HttpResponse:
    messages.error(request, message)
    return _frame_page(request, access, frame, raw, status=400)


@login_required
@require_POST
def frame_adjust(request: AuthenticatedHttpRequest, project_id: str, frame_id: str) -> HttpResponse:
    """The quick controls: time of day (relight), sun and practical strength, lens, a material's colour."""
    from generation.engines.setspec import validate_set_spec
    from projects.storyboard.jobs import relit_spec

    _access, frame = _frame_for_edit(request, project_id, frame_id)
    spec = json.loads(json.dumps(frame.set_spec))
    notes = []
    try:
        tod = request.POST.get("time_of_day", "")
        if tod and tod != spec.get("time_of_day"):
            if tod not in dict(TIMES):
                raise ValueError(f"time of day must be one of {', '.join(dict(TIMES))}")
            spec = relit_spec(frame, tod)
            notes.append(f"relit for {tod}")
        for field, path in (("sun_strength", ("lights", "sun", "strength")), ("lens_mm", ("camera", "lens_mm"))):
            value = request.POST.get(field, "")
            if value != "":
                target = spec
                for key in path[:-1]:
                    target = target[key]
                if float(value) != float(target[path[-1]]):
                    target[path[-1]] = float(value)
                    notes.append(f"{field.replace('_', ' ')} {value}")
        scale = request.POST.get("practicals_scale", "")
        if scale not in ("", "1", "1.0"):
            factor = float(scale)
            if not 0 <= factor <= 20:
                raise ValueError("practical lights can be scaled between 0 and 20 times")
            for light in spec["lights"]["practicals"]:
                light["power"] = round(light["power"] * factor, 3)
            notes.append(f"practicals x{factor:g}")
        material, colour = request.POST.get("material", ""), request.POST.get("color", "")
        if material and colour:
            if material not in spec["materials"]:
                raise ValueError(f"there is no material “{material}” in this set")
            rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
            spec["materials"][material]["base_color"] = [round(c, 4) for c in rgb]
            roughness = request.POST.get("roughness", "")
            if roughness != "":
                spec["materials"][material]["roughness"] = float(roughness)
            notes.append(f"{material} recoloured")
        checked = validate_set_spec(spec)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, JobFailed) as exc:
        message = f"Nothing was changed: {exc}."
        if request.htmx:
            return error_response(request, message)
        messages.error(request, message)
        return _back(frame)
    if not notes:
        messages.info(request, "Nothing to change.")
        return _back(frame)
    storyboard_services.frame_set_spec(frame=frame, spec=dict(checked), note=", ".join(notes))
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
