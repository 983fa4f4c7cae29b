"""Writes about projects and their members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from projects import events
from projects.models import Membership, Project, Role
from projects.teams.selectors import ProjectAccess, as_uuid


@transaction.atomic
def project_create(*, user: User, title: str, logline: str = "") -> Project:
    """Create a project with its creator as owner."""
    project = Project.objects.create(title=title.strip(), logline=logline.strip(), created_by=user)
    Membership.objects.create(project=project, user=user, role=Role.OWNER, added_by=user, accepted_at=timezone.now())
    return project


@transaction.atomic
def project_update(*, access: ProjectAccess, title: str, logline: str) -> Project:
    """Rename a project or change its logline (editors and owners)."""
    project = access.project
    project.title = title.strip()
    project.logline = logline.strip()
    project.save(update_fields=["title", "logline", "updated_at"])
    return project


@transaction.atomic
def project_delete(*, access: ProjectAccess) -> None:
    """Delete a project and everything in it (owners only; checked by the caller's access)."""
    access.project.delete()


def _find_user(identifier: str) -> User:
    User = get_user_model()
    identifier = identifier.strip()
    if not identifier:
        raise ValidationError("Enter a username or an email address.")
    matches = list(User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))[:2])
    if not matches:
        raise ValidationError(
            f"No filmstudio account matches “{identifier}”. Ask them to sign up first, then invite them."
        )
    if len(matches) > 1:
        raise ValidationError(f"Several accounts match “{identifier}”: invite by username instead.")
    return matches[0]


@transaction.atomic
def member_invite(*, access: ProjectAccess, identifier: str, role: str) -> Membership:
    """Invite an existing user by username or email; they become a member when they accept."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role “{role}”.")
    user = _find_user(identifier)
    existing = Membership.objects.filter(project=access.project, user=user).first()
    if existing is not None and existing.is_pending:
        raise ValidationError(f"{user.get_username()} is already invited; they join when they accept.")
    if existing is not None:
        raise ValidationError(f"{user.get_username()} is already a member of this project.")
    return Membership.objects.create(project=access.project, user=user, role=role, added_by=access.membership.user)


def _invitation(*, user: User, project_public_id: Any) -> Membership:
    invitation = (
        Membership.objects.select_for_update()
        .select_related("project")
        .filter(project__public_id=as_uuid(project_public_id), user=user, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, project_public_id: Any) -> Membership:
    """Accept a pending invitation: from now on the user is a member with the invited role."""
    invitation = _invitation(user=user, project_public_id=project_public_id)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    events.publish_membership_changed(project_public_id=invitation.project.public_id, user_id=user.pk)
    return invitation


@transaction.atomic
def invitation_decline(*, user: User, project_public_id: Any) -> Project:
    """Decline a pending invitation: it is removed, and the project stays closed to the user."""
    invitation = _invitation(user=user, project_public_id=project_public_id)
    invitation.delete()
    return invitation.project


def _lock_members(project: Project) -> list[Membership]:
    # Row locks serialize concurrent role changes, so two owners can't demote each other at once.
    return list(Membership.objects.select_for_update().filter(project=project).order_by("pk"))


def _ensure_an_owner_remains(members: list[Membership], *, changing: Membership, new_role: str | None) -> None:
    # An owner invitation nobody has accepted yet is not an owner.
    owners = [m for m in members if m.role == Role.OWNER and not m.is_pending and m.pk != changing.pk]
    if new_role != Role.OWNER and not owners:
        raise ValidationError("A project needs at least one owner. Make someone else owner first.")


@transaction.atomic
def member_set_role(*, access: ProjectAccess, membership_public_id: str, role: str) -> Membership:
    """Change a member's role (owners only). The last owner cannot be demoted."""
    if role not in Role.values:
        raise ValidationError(f"Unknown role “{role}”.")
    members = _lock_members(access.project)
    target = _member_in(members, membership_public_id)
    _ensure_an_owner_remains(members, changing=target, new_role=role)
    target.role = role
    target.save(update_fields=["role"])
    events.publish_membership_changed(project_public_id=access.project.public_id, user_id=target.user_id)
    return target


@transaction.atomic
def member_set_commenter(*, access: ProjectAccess, membership_public_id: str, commenter: bool) -> Membership:
    """Let a member leave notes on the script, or stop them (owners only; editors and owners always may)."""
    if not access.can_manage:
        raise PermissionDenied("Only owners can change who may leave notes.")
    target = _member_in(_lock_members(access.project), membership_public_id)
    target.commenter = commenter
    target.save(update_fields=["commenter"])
    events.publish_membership_changed(project_public_id=access.project.public_id, user_id=target.user_id)
    return target


@transaction.atomic
def member_remove(*, access: ProjectAccess, membership_public_id: str) -> None:
    """Remove a member (owners), or leave the project yourself. The last owner cannot go."""
    members = _lock_members(access.project)
    target = _member_in(members, membership_public_id)
    if target.user_id != access.membership.user_id and not access.can_manage:
        raise ValidationError("Only owners can remove other members.")
    _ensure_an_owner_remains(members, changing=target, new_role=None)
    target.delete()
    events.publish_membership_changed(project_public_id=access.project.public_id, user_id=target.user_id)


def _member_in(members: list[Membership], public_id: str) -> Membership:
    for member in members:
        if str(member.public_id) == str(public_id):
            return member
    raise ValidationError("That person is not a member of this project.")
