"""Teams: film projects and who may work in them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


# Higher ranks include what lower ranks may do.


ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Project(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    logline = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", through_fields=("project", "user"), related_name="film_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Membership(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A viewer an owner lets leave notes on the script (editors and owners always may); never the text.
    commenter = models.BooleanField(default=False)
    # An invitation until the invited person accepts it: until then it gives no access at all.
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user"),
            models.CheckConstraint(condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"),
        ]
        ordering = ["project", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} as {self.role} in {self.project}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None

    def can(self, needed: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(needed)]

    @property
    def can_write(self) -> bool:
        return self.can(Role.EDITOR)

    @property
    def can_manage(self) -> bool:
        return self.can(Role.OWNER)

    @property
    def can_comment(self) -> bool:
        return self.commenter or self.can_write


# --- The screenplay ----------------------------------------------------------------------------
