"""Reads about projects. These own access control: a non-member never learns a project exists."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from projects.models import Membership, Project, Role

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class ProjectAccess:
    project: Project
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def can_write(self) -> bool:
        return self.membership.can_write

    @property
    def can_manage(self) -> bool:
        return self.membership.can_manage

    @property
    def can_comment(self) -> bool:
        """Notes on the script: editors and owners, and viewers an owner made commenters."""
        return self.membership.can_comment


def as_uuid(value: Any, what: str = "project") -> uuid.UUID:
    """A public id from a URL or a form; anything that is not one is a 404 for that kind of object."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404(f"No such {what}") from exc


def project_access_for_user(*, user: AnyUser, public_id: Any, needs: str = Role.VIEWER) -> ProjectAccess:
    """The user's access to a project: 404 for non-members (and pending invitations), 403 when the role is too low."""
    if not user.is_authenticated:
        raise Http404("No such project")
    membership = (
        Membership.objects.select_related("project")
        .filter(project__public_id=as_uuid(public_id), user=user, accepted_at__isnull=False)
        .first()
    )
    if membership is None:
        raise Http404("No such project")
    if not membership.can(needs):
        raise PermissionDenied(f"This needs the {Role(needs).label.lower()} role in this project.")
    return ProjectAccess(project=membership.project, membership=membership)


def project_list_for_user(*, user: AnyUser) -> QuerySet[Project]:
    """Projects the user belongs to (invitations accepted), with their member count, newest first."""
    if not user.is_authenticated:
        return Project.objects.none()
    joined = Membership.objects.filter(user=user, accepted_at__isnull=False).values("project_id")
    return (
        Project.objects.filter(pk__in=joined)
        .annotate(member_count=Count("memberships", filter=Q(memberships__accepted_at__isnull=False)))
        .order_by("-updated_at")
    )


def invitation_list_for_user(*, user: AnyUser) -> QuerySet[Membership]:
    """The user's pending invitations, with who sent them, newest first."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, accepted_at__isnull=True)
        .select_related("project", "added_by")
        .order_by("-created_at")
    )


def membership_list_for_project(*, access: ProjectAccess) -> QuerySet[Membership]:
    """Members of a project the caller belongs to; owners also see who is invited but has not accepted."""
    members = Membership.objects.filter(project=access.project)
    if not access.can_manage:
        members = members.filter(accepted_at__isnull=False)
    return members.select_related("user", "added_by").order_by("user__username")


MENTION = re.compile(r"@([\w.+-]{1,150})")


def mentioned_members(*, project: Project, body: str) -> list[User]:
    """The project's members (invitations accepted) that `body` mentions as @username, in any case."""
    names = {m.lower() for m in MENTION.findall(body)}
    if not names:
        return []
    members = Membership.objects.filter(project=project, accepted_at__isnull=False).select_related("user")
    return [m.user for m in members if m.user.get_username().lower() in names]
