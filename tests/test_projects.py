"""Projects and teams: creating, inviting, roles, the last owner, leaving."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from generation.paths import project_media_root
from projects.models import Membership, Project, Role
from projects.teams import services
from projects.teams.selectors import project_access_for_user, project_list_for_user
from tests.conftest import Cast
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def owner_access(cast: Cast):  # type: ignore[no-untyped-def]
    return project_access_for_user(user=cast.owner, public_id=cast.project.public_id, needs=Role.OWNER)


def test_creating_a_project_makes_the_creator_its_owner() -> None:
    user = UserFactory.create()
    project = services.project_create(user=user, title="  Night Train ", logline="A heist.")
    assert project.title == "Night Train"
    assert Membership.objects.get(project=project, user=user).role == Role.OWNER


def test_owner_invites_by_username_and_by_email(cast: Cast) -> None:
    UserFactory.create(username="gwen")
    UserFactory.create(username="hal", email="Hal@Studio.example")
    services.member_invite(access=owner_access(cast), identifier="GWEN", role=Role.EDITOR)
    services.member_invite(access=owner_access(cast), identifier="hal@studio.example", role=Role.VIEWER)
    roles = dict(cast.project.memberships.values_list("user__username", "role"))
    assert roles["gwen"] == Role.EDITOR and roles["hal"] == Role.VIEWER


@pytest.mark.parametrize(
    ("identifier", "message"),
    [("nobody", "No filmstudio account matches"), ("eddie", "already a member"), ("  ", "Enter a username")],
)
def test_inviting_unknown_or_existing_people_says_why(cast: Cast, identifier: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.member_invite(access=owner_access(cast), identifier=identifier, role=Role.VIEWER)


def test_the_last_owner_can_neither_be_demoted_nor_removed(cast: Cast) -> None:
    mine = cast.project.memberships.get(user=cast.owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.member_set_role(access=owner_access(cast), membership_public_id=str(mine.public_id), role=Role.EDITOR)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.member_remove(access=owner_access(cast), membership_public_id=str(mine.public_id))
    assert cast.project.memberships.get(user=cast.owner).role == Role.OWNER


def test_with_a_second_owner_the_first_may_step_down(cast: Cast) -> None:
    editor = cast.project.memberships.get(user=cast.editor)
    services.member_set_role(access=owner_access(cast), membership_public_id=str(editor.public_id), role=Role.OWNER)
    mine = cast.project.memberships.get(user=cast.owner)
    services.member_set_role(access=owner_access(cast), membership_public_id=str(mine.public_id), role=Role.VIEWER)
    assert cast.project.memberships.get(user=cast.owner).role == Role.VIEWER


def test_a_viewer_can_leave_and_then_gets_404(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.viewer)
    mine = cast.project.memberships.get(user=cast.viewer)
    response = client.post(
        reverse(
            "projects:member-remove", kwargs={"project_id": cast.project.public_id, "membership_id": mine.public_id}
        )
    )
    assert response.status_code == 302 and response["Location"] == reverse("projects:list")
    assert client.get(reverse("projects:detail", kwargs={"project_id": cast.project.public_id})).status_code == 404


def test_selectors_hide_projects_from_strangers_and_stop_viewers_writing(cast: Cast) -> None:
    with pytest.raises(Http404):
        project_access_for_user(user=cast.stranger, public_id=cast.project.public_id)
    with pytest.raises(Http404):
        project_access_for_user(user=cast.owner, public_id="not-a-uuid")
    with pytest.raises(PermissionDenied):
        project_access_for_user(user=cast.viewer, public_id=cast.project.public_id, needs=Role.EDITOR)
    assert list(project_list_for_user(user=cast.stranger)) == []
    assert [p.title for p in project_list_for_user(user=cast.viewer)] == ["Big Fish"]


def test_owner_changes_a_role_through_the_team_page(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    viewer = cast.project.memberships.get(user=cast.viewer)
    url = reverse(
        "projects:member-role", kwargs={"project_id": cast.project.public_id, "membership_id": viewer.public_id}
    )
    client.post(url, {"role": "editor"})
    assert cast.project.memberships.get(user=cast.viewer).role == Role.EDITOR
    page = client.post(url, {"role": "emperor"}, follow=True)
    assert "Choose owner, editor or viewer." in page.content.decode()


def test_creating_a_project_with_no_title_shows_the_error_and_saves_nothing() -> None:
    client = Client()
    client.force_login(UserFactory.create())
    response = client.post(reverse("projects:create"), {"title": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert Project.objects.count() == 0


def test_deleting_needs_the_exact_title(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    url = reverse("projects:delete", kwargs={"project_id": cast.project.public_id})
    client.post(url, {"confirm_title": "big fish"})
    assert Project.objects.filter(pk=cast.project.pk).exists()
    client.post(url, {"confirm_title": "Big Fish"})
    assert not Project.objects.filter(pk=cast.project.pk).exists()


# --- invitations: pending until the invited person accepts ---------------------------------------


def _lure(cast: Cast) -> Project:
    """A stranger's project, with a file the stranger controls, and an owner invitation for Olivia."""
    lure = services.project_create(user=cast.stranger, title="Free assets")
    page = project_media_root(lure.public_id) / "imported" / "pwn.png"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_bytes(b"\x89PNG")
    stranger = project_access_for_user(user=cast.stranger, public_id=lure.public_id, needs=Role.OWNER)
    services.member_invite(access=stranger, identifier="olivia", role=Role.OWNER)
    return lure


def test_an_invitation_opens_nothing_until_it_is_accepted(cast: Cast) -> None:
    """A stranger who invites an owner cannot make that owner open anything of theirs until they accept."""
    lure = _lure(cast)
    client = Client()
    client.force_login(cast.owner)
    urls = [
        reverse("projects:detail", kwargs={"project_id": lure.public_id}),
        reverse("projects:members", kwargs={"project_id": lure.public_id}),
        reverse("projects:script", kwargs={"project_id": lure.public_id}),
        reverse("projects:media", kwargs={"project_id": lure.public_id, "relative": "imported/pwn.png"}),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 4
    with pytest.raises(Http404):
        project_access_for_user(user=cast.owner, public_id=lure.public_id)
    assert [p.title for p in project_list_for_user(user=cast.owner)] == ["Big Fish"]
    page = client.get(reverse("projects:list")).content.decode()
    assert "Free assets" in page and "stan invited you as owner" in page and "Accept" in page and "Decline" in page

    response = client.post(reverse("projects:invitation-accept", kwargs={"project_id": lure.public_id}))
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", kwargs={"project_id": lure.public_id})
    assert [client.get(url).status_code for url in urls] == [200] * 4
    assert project_access_for_user(user=cast.owner, public_id=lure.public_id).role == Role.OWNER


def test_declining_an_invitation_removes_it(cast: Cast) -> None:
    lure = _lure(cast)
    client = Client()
    client.force_login(cast.owner)
    response = client.post(reverse("projects:invitation-decline", kwargs={"project_id": lure.public_id}), follow=True)
    assert "Declined the invitation to “Free assets”." in response.content.decode()
    assert not Membership.objects.filter(project=lure, user=cast.owner).exists()
    assert "Free assets" not in client.get(reverse("projects:list")).content.decode()
    accept = reverse("projects:invitation-accept", kwargs={"project_id": lure.public_id})
    assert client.post(accept).status_code == 404  # nothing left to accept
    assert client.get(reverse("projects:detail", kwargs={"project_id": lure.public_id})).status_code == 404


def test_members_cannot_accept_an_invitation_they_do_not_have(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.viewer)
    accept = reverse("projects:invitation-accept", kwargs={"project_id": cast.project.public_id})
    assert client.post(accept).status_code == 404
    assert project_access_for_user(user=cast.viewer, public_id=cast.project.public_id).role == Role.VIEWER


def test_owners_see_who_is_pending_and_a_pending_owner_is_not_an_owner_yet(cast: Cast) -> None:
    UserFactory.create(username="gwen")
    services.member_invite(access=owner_access(cast), identifier="gwen", role=Role.OWNER)
    owner, viewer = Client(), Client()
    owner.force_login(cast.owner)
    viewer.force_login(cast.viewer)
    team = reverse("projects:members", kwargs={"project_id": cast.project.public_id})
    page = owner.get(team).content.decode()
    assert "gwen" in page and "invited, not yet accepted" in page
    assert "gwen" not in viewer.get(team).content.decode()
    mine = cast.project.memberships.get(user=cast.owner)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.member_set_role(access=owner_access(cast), membership_public_id=str(mine.public_id), role=Role.EDITOR)
    counts = [p.member_count for p in project_list_for_user(user=cast.owner)]  # type: ignore[attr-defined]
    assert counts == [3]  # gwen is not a member yet
    with pytest.raises(ValidationError, match="already invited"):
        services.member_invite(access=owner_access(cast), identifier="gwen", role=Role.VIEWER)
