"""The cast and the character sheets: faces from the character GAN, the chosen identity, the bio."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from filmstudio.htmx import AuthenticatedHttpRequest, error_response, partial_response
from generation import registry
from generation.events import job_state
from generation.models import ModelKind
from projects.characters import selectors as character_selectors
from projects.characters import services as character_services
from projects.characters.forms import CharacterCreateForm, CharacterSheetForm
from projects.characters.parts import SHEET_TEMPLATE, sheet_context, sheet_partials_html
from projects.jobs import selectors as job_selectors
from projects.models import Character, Role
from projects.teams.selectors import ProjectAccess, project_access_for_user


@login_required
@require_GET
def character_list(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    context = {
        "access": access,
        "project": access.project,
        "characters": list(character_selectors.character_list(access=access)),
        "form": CharacterCreateForm(),
        "can_write": access.can_write,
    }
    return render(request, "projects/characters.html", context)


@login_required
@require_POST
def character_create(request: HttpRequest, project_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    form = CharacterCreateForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errs in form.errors.values() for e in errs]
        messages.error(request, "The character was not added: " + " ".join(problems))
        return redirect("projects:characters", project_id=access.project.public_id)
    try:
        character = character_services.character_create(access=access, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("projects:characters", project_id=access.project.public_id)
    messages.success(request, f"Added {character.name}. Design a face for them below.")
    return redirect("projects:character", project_id=access.project.public_id, character_id=character.public_id)


@login_required
@require_GET
def character_sheet(request: HttpRequest, project_id: str, character_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id)
    character = character_selectors.character_get(access=access, public_id=character_id)
    return _sheet_page(request, access, character, CharacterSheetForm(initial=_sheet_initial(character)))


def _sheet_page(
    request: HttpRequest, access: ProjectAccess, character: Character, form: CharacterSheetForm, *, status: int = 200
) -> HttpResponse:
    context = {
        **sheet_context(access, character),
        "form": form,
        "form_open": status != 200,
        "gan_models": list(registry.model_list_for_project(kind=ModelKind.GAN, project=access.project)),
        "others": [c for c in character_selectors.characters_with_identity(access=access) if c.pk != character.pk],
        "jobs": [job_state(job) for job in job_selectors.job_list_for_project(access=access, limit=6)],
        "project_public_id": str(access.project.public_id),
    }
    return render(request, SHEET_TEMPLATE, context, status=status)


def _sheet_initial(character: Character) -> dict[str, Any]:
    return {
        "version": character.version,
        **{key: getattr(character, key) for key in character_services.SHEET_FIELDS},
    }


@login_required
@require_POST
def character_edit(request: HttpRequest, project_id: str, character_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    character = character_selectors.character_get(access=access, public_id=character_id)
    form = CharacterSheetForm(request.POST)
    if not form.is_valid():
        return _sheet_with_errors(request, access, character, form, "The sheet was not saved: check the fields.")
    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        character_services.character_update(
            access=access, character=character, version=form.cleaned_data["version"], fields=fields
        )
    except ValidationError as exc:
        return _sheet_with_errors(request, access, character, form, " ".join(exc.messages))
    messages.success(request, f"Saved {character.name}'s sheet.")
    return redirect("projects:character", project_id=access.project.public_id, character_id=character.public_id)


def _sheet_with_errors(
    request: HttpRequest, access: ProjectAccess, character: Character, form: CharacterSheetForm, message: str
) -> HttpResponse:
    # The person's text stays in the form (nothing is lost); the version moves on to the current one
    # so that saving again, after a look at the other person's text, goes through.
    messages.error(request, message)
    character.refresh_from_db()
    data = request.POST.copy()
    data["version"] = str(character.version)
    return _sheet_page(request, access, character, CharacterSheetForm(data), status=409)


@login_required
@require_POST
def character_bio_undo(request: HttpRequest, project_id: str, character_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    character = character_selectors.character_get(access=access, public_id=character_id)
    try:
        restored = character_services.character_bio_undo(access=access, character=character)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        names = ", ".join(key.replace("_", " ") for key in restored) or "nothing (every field was edited since)"
        messages.success(request, f"Put back {character.name}'s text from before the bio: {names}.")
    return redirect("projects:character", project_id=access.project.public_id, character_id=character.public_id)


@login_required
@require_POST
def character_bio_suggestion(request: HttpRequest, project_id: str, character_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    character = character_selectors.character_get(access=access, public_id=character_id)
    use = "use" in request.POST
    field = request.POST.get("use") or request.POST.get("dismiss") or ""
    try:
        character_services.character_bio_suggestion(access=access, character=character, field=field, use=use)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        label = field.replace("_", " ")
        messages.success(
            request,
            f"{character.name}'s {label} is now the suggestion (Undo the bio puts your text back)."
            if use
            else f"Dismissed the suggestion for {character.name}'s {label}.",
        )
    return redirect("projects:character", project_id=access.project.public_id, character_id=character.public_id)


@login_required
@require_POST
def character_choose(request: AuthenticatedHttpRequest, project_id: str, character_id: str) -> HttpResponse:
    access = project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    character = character_selectors.character_get(access=access, public_id=character_id)
    portrait = character_selectors.portrait_get(access=access, public_id=request.POST.get("portrait", ""))
    try:
        character = character_services.character_choose_identity(
            character=character, portrait=portrait, allow_lookalike=request.POST.get("lookalike") == "ok"
        )
    except ValidationError as exc:
        if request.htmx:
            return error_response(request, " ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return redirect("projects:character", project_id=access.project.public_id, character_id=character.public_id)
    if request.htmx:
        return partial_response(request, sheet_partials_html(access, character))
    messages.success(request, f"{character.name} now has this face.")
    return redirect("projects:character", project_id=access.project.public_id, character_id=character.public_id)
