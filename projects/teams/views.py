"""Thin views: parse the request, call a selector or service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from filmstudio.htmx import AuthenticatedHttpRequest
from generation.events import job_state
from generation.kinds import available_kinds
from generation.models import ModelKind
from generation.registry import model_list
from projects import media as project_media
from projects.jobs import selectors as job_selectors
from projects.models import Role
from projects.teams import overview as overview_selectors
from projects.teams import selectors, services
from projects.teams.forms import InviteForm, ProjectForm, RoleForm, SignupForm
from projects.teams.parts import overview_context


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("projects:list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}. Start a film project below.")
        return redirect("projects:list")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


def login_locked_out(request: HttpRequest, *args: object) -> HttpResponse:
    """The login page, refusing this address for a while after too many failed attempts (django-axes)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        "form": AuthenticationForm(request, initial={"username": request.POST.get("username", "")}),
        "next": request.POST.get("next", ""),
        "refusal": f"Too many failed attempts from here; try again in {minutes} minutes.",
    }
    return render(request, "registration/login.html", context, status=429)


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/list.html", _list_context(request, ProjectForm()))


def _list_context(request: HttpRequest, form: ProjectForm) -> dict[str, object]:
    return {
        "projects": selectors.project_list_for_user(user=request.user),
        "invitations": selectors.invitation_list_for_user(user=request.user),
        "form": form,
    }


@login_required
@require_POST
def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST)
    if not form.is_valid():
        return render(request, "projects/list.html", _list_context(request, form), status=400)
    project = services.project_create(user=request.user, **form.cleaned_data)
    messages.success(request, f"Created “{project.title}”.")
    return redirect("projects:detail", project_id=project.public_id)


@login_required
@require_GET
def project_detail(request: HttpRequest, project_id: str) -> HttpResponse:
    access = selectors.project_access_for_user(user=request.user, public_id=project_id)
    jobs = [job_state(job) for job in job_selectors.job_list_for_project(access=access)]
    # The job form opens on what the project needs next: writing its script from the logline when it has none.
    overview = overview_selectors.project_overview(access=access)
    kinds = [kind for kind in available_kinds() if kind.on_studio_form]
    if overview.next_key == "script":
        kinds.sort(key=lambda kind: kind.name != "write_screenplay")
    initial = {"write_screenplay": {"logline": access.project.logline}}
    context = {
        **overview_context(access, overview),
        "access": access,
        "project": access.project,
        "jobs": jobs,
        "can_write": access.can_write,
        "project_public_id": str(access.project.public_id),
        "kinds": kinds,
        "kind_forms": [
            (kind, kind.params_form(prefix=None, auto_id=f"id_{kind.name}_%s", initial=initial.get(kind.name)))
            for kind in kinds
        ],
        "text_models": list(model_list(kind=ModelKind.TEXT)),
        "form": ProjectForm(instance=access.project),
    }
    return render(request, "projects/detail.html", context)


@login_required
@require_POST
def project_edit(request: HttpRequest, project_id: str) -> HttpResponse:
    access = selectors.project_access_for_user(user=request.user, public_id=project_id, needs=Role.EDITOR)
    form = ProjectForm(request.POST, instance=access.project)
    if form.is_valid():
        services.project_update(access=access, **form.cleaned_data)
        messages.success(request, "Saved.")
    else:
        messages.error(request, "Not saved: " + " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("projects:detail", project_id=access.project.public_id)


@login_required
@require_POST
def project_delete(request: HttpRequest, project_id: str) -> HttpResponse:
    access = selectors.project_access_for_user(user=request.user, public_id=project_id, needs=Role.OWNER)
    if request.POST.get("confirm_title", "").strip() != access.project.title:
        messages.error(request, "Type the project's title exactly to delete it.")
        return redirect("projects:members", project_id=access.project.public_id)
    title = access.project.title
    services.project_delete(access=access)
    messages.success(request, f"Deleted “{title}”.")
    return redirect("projects:list")


@login_required
@require_GET
def members(request: HttpRequest, project_id: str) -> HttpResponse:
    access = selectors.project_access_for_user(user=request.user, public_id=project_id)
    context = {
        "access": access,
        "project": access.project,
        "members": selectors.membership_list_for_project(access=access),
        "invite_form": InviteForm(),
        "roles": list(Role),
    }
    return render(request, "projects/members.html", context)


@login_required
@require_POST
def member_invite(request: HttpRequest, project_id: str) -> HttpResponse:
    access = selectors.project_access_for_user(user=request.user, public_id=project_id, needs=Role.OWNER)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a username or email and a role.")
    else:
        try:
            member = services.member_invite(access=access, **form.cleaned_data)
            messages.success(
                request,
                f"Invited {member.user.get_username()} as {member.get_role_display().lower()}; "
                "they join when they accept.",
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("projects:members", project_id=access.project.public_id)


@login_required
@require_POST
def invitation_accept(request: AuthenticatedHttpRequest, project_id: str) -> HttpResponse:
    invitation = services.invitation_accept(user=request.user, project_public_id=project_id)
    messages.success(request, f"You joined “{invitation.project.title}” as {invitation.get_role_display().lower()}.")
    return redirect("projects:detail", project_id=invitation.project.public_id)


@login_required
@require_POST
def invitation_decline(request: AuthenticatedHttpRequest, project_id: str) -> HttpResponse:
    project = services.invitation_decline(user=request.user, project_public_id=project_id)
    messages.success(request, f"Declined the invitation to “{project.title}”.")
    return redirect("projects:list")


@login_required
@require_POST
def member_role(request: HttpRequest, project_id: str, membership_id: str) -> HttpResponse:
    access = selectors.project_access_for_user(user=request.user, public_id=project_id, needs=Role.OWNER)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
    else:
        try:
            member = services.member_set_role(
                access=access, membership_public_id=membership_id, role=form.cleaned_data["role"]
            )
            messages.success(request, f"{member.user.get_username()} is now {member.get_role_display().lower()}.")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("projects:members", project_id=access.project.public_id)


@login_required
@require_POST
def member_commenter(request: HttpRequest, project_id: str, membership_id: str) -> HttpResponse:
    """Owners let a viewer leave notes on the script (or stop them)."""
    access = selectors.project_access_for_user(user=request.user, public_id=project_id, needs=Role.OWNER)
    commenter = request.POST.get("commenter") == "1"
    try:
        member = services.member_set_commenter(access=access, membership_public_id=membership_id, commenter=commenter)
        who = member.user.get_username()
        messages.success(request, f"{who} {'may' if commenter else 'may no longer'} leave notes on the script.")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("projects:members", project_id=access.project.public_id)


@login_required
@require_POST
def member_remove(request: HttpRequest, project_id: str, membership_id: str) -> HttpResponse:
    access = selectors.project_access_for_user(user=request.user, public_id=project_id)
    leaving = str(access.membership.public_id) == str(membership_id)
    if not leaving:
        access = selectors.project_access_for_user(user=request.user, public_id=project_id, needs=Role.OWNER)
    try:
        services.member_remove(access=access, membership_public_id=membership_id)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("projects:members", project_id=access.project.public_id)
    if leaving:
        messages.success(request, f"You left “{access.project.title}”.")
        return redirect("projects:list")
    messages.success(request, "Removed.")
    return redirect("projects:members", project_id=access.project.public_id)


@login_required
@require_GET
def media(request: HttpRequest, project_id: str, relative: str) -> HttpResponse | FileResponse:
    """A project's file, for members only; handed to the front server in production."""
    path, under_media_root = project_media.media_file_for_user(
        user=request.user, project_public_id=project_id, relative=relative
    )
    # Only the studio's own types are shown inline; anything else (an imported .html or .svg) is a download.
    inline_type = project_media.media_content_type(path.name)
    content_type = inline_type or "application/octet-stream"
    response: HttpResponse | FileResponse
    if settings.MEDIA_ACCEL == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_PREFIX.rstrip("/") + "/" + under_media_root
    elif settings.MEDIA_ACCEL == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = str(path)
    else:
        response = FileResponse(open(path, "rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(inline_type is None, path.name) or "inline"
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response
