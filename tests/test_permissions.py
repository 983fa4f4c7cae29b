"""Every URL and websocket route, for anonymous, stranger, viewer, editor and owner.

Adding a URL without adding it here fails `test_every_url_has_a_permission_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from filmstudio.routing import websocket_urlpatterns
from generation.models import JobStatus
from generation.paths import project_media_root
from projects.models import Portrait, Revision, Screenplay
from tests.conftest import Cast, make_cast
from tests.factories import CharacterFactory, JobFactory, MembershipFactory, PortraitFactory
from tests.sockets import session_headers, ws_connect

ROLES = ["anonymous", "stranger", "invited", "viewer", "editor", "owner"]
# "invited": the stranger with a pending invitation as owner, which opens nothing until accepted.
# Public pages: anyone may open them.
# The About and licences pages carry no project data: anyone may read them (tests/test_about.py).
PUBLIC = {"login", "logout", "signup", "home", "about", "about-licence", "about-notices"}
ANON_REDIRECT = 302


@dataclass
class Row:
    method: str
    kwargs: Callable[[Cast], dict[str, Any]]
    expect: dict[str, int]  # role -> status (anonymous is always a redirect to login)
    data: Callable[[Cast], dict[str, Any]] = lambda cast: {}


def _project(cast: Cast) -> dict[str, Any]:
    return {"project_id": cast.project.public_id}


def _job(status: str) -> Callable[[Cast], dict[str, Any]]:
    def kwargs(cast: Cast) -> dict[str, Any]:
        return {"job_id": JobFactory.create(project=cast.project, status=status).public_id}

    return kwargs


def _other_member(cast: Cast) -> dict[str, Any]:
    membership = MembershipFactory.create(project=cast.project, role="editor")
    return {"project_id": cast.project.public_id, "membership_id": membership.public_id}


def invite(cast: Cast, user: Any) -> None:
    """A pending owner invitation for `user` (what member_invite makes before the person accepts)."""
    MembershipFactory.create(project=cast.project, user=user, role="owner", accepted_at=None)


def _viewer_member(cast: Cast) -> dict[str, Any]:
    membership = cast.project.memberships.get(user=cast.viewer)
    return {"project_id": cast.project.public_id, "membership_id": membership.public_id}


def _media(cast: Cast) -> dict[str, Any]:
    folder = project_media_root(cast.project.public_id) / "jobs" / "x"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text("{}")
    return {"project_id": cast.project.public_id, "relative": "jobs/x/report.json"}


def _upload(cast: Cast) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("scene.fountain", b"INT. HOUSE - DAY\n\nA door opens.\n")}


def _export(cast: Cast) -> dict[str, Any]:
    return {"project_id": cast.project.public_id, "fmt": "fdx"}


def _scenes(cast: Cast) -> dict[str, Any]:
    from projects.models import Scene

    Scene.objects.create(project=cast.project, position=0, number="1", heading="INT. DINER", start_line=1, end_line=2)
    return {"project_id": cast.project.public_id}


def _report(cast: Cast) -> dict[str, Any]:
    return {"project_id": cast.project.public_id, "report": "characters"}


def _revision(cast: Cast) -> dict[str, Any]:
    screenplay, _ = Screenplay.objects.get_or_create(project=cast.project)
    revision = Revision.objects.create(screenplay=screenplay, number=1, text="INT. HOUSE - DAY\n")
    return {"project_id": cast.project.public_id, "revision_id": revision.public_id}


def _character(cast: Cast) -> dict[str, Any]:
    character = CharacterFactory.create(project=cast.project, name="EDWARD")
    return {"project_id": cast.project.public_id, "character_id": character.public_id}


def _sheet_data(cast: Cast) -> dict[str, Any]:
    return {"version": 1, "look": "Grey hair, weathered.", "description": "A travelling salesman."}


def _portrait(cast: Cast) -> dict[str, Any]:
    character = CharacterFactory.create(project=cast.project, name="SANDRA")
    PortraitFactory.create(character=character)
    return {"project_id": cast.project.public_id, "character_id": character.public_id}


def _portrait_data(cast: Cast) -> dict[str, Any]:
    return {"portrait": str(Portrait.objects.filter(character__project=cast.project).latest("id").public_id)}


def _training_images(cast: Cast) -> dict[str, Any]:
    import io

    from PIL import Image

    files = []
    for i in range(16):
        buffer = io.BytesIO()
        Image.new("RGB", (64, 64), (i * 12, 90, 200 - i * 10)).save(buffer, format="PNG")
        files.append(SimpleUploadedFile(f"art{i}.png", buffer.getvalue(), content_type="image/png"))
    return {"images": files, "name": "Our faces", "license_note": "Drawn by our team", "steps": 10, "start": "default"}


def _frame_obj(cast: Cast) -> Any:
    from projects.models import Frame, Scene

    scene = Scene.objects.create(
        project=cast.project, position=0, number="1", heading="INT. DINER - NIGHT", start_line=1, end_line=3
    )
    from generation.engines.setspec import ShotInfo, derive_set_spec

    spec = derive_set_spec(
        heading=scene.heading,
        int_ext="INT",
        location="DINER",
        time_of_day="NIGHT",
        action="Joe wipes the counter.",
        shot=ShotInfo(shot_type="wide", camera_angle="eye level", lens_mm=24, subjects=[]),
        characters=[],
        seed=1,
    ).model_dump(mode="json")
    return Frame.objects.create(
        project=cast.project, scene=scene, scene_heading=scene.heading, position=0, shot_type="wide", set_spec=spec
    )


def _scene(cast: Cast) -> dict[str, Any]:
    frame = _frame_obj(cast)
    return {"project_id": cast.project.public_id, "scene_id": frame.scene.public_id}


def _shots_data() -> dict[str, Any]:
    return {
        "shots-TOTAL_FORMS": "1",
        "shots-INITIAL_FORMS": "0",
        "shots-0-shot_type": "wide",
        "shots-0-camera_angle": "eye level",
        "shots-0-lens_mm": "24",
        "shots-0-description": "The diner at closing time.",
    }


def _frame(cast: Cast) -> dict[str, Any]:
    return {"project_id": cast.project.public_id, "frame_id": _frame_obj(cast).public_id}


def _frame_with_history(cast: Cast) -> dict[str, Any]:
    from generation.engines.setschema import validate_set_spec
    from projects.storyboard import services as storyboard_services

    frame = _frame_obj(cast)
    storyboard_services.frame_set_spec(frame=frame, spec=validate_set_spec(frame.set_spec))
    return {"project_id": cast.project.public_id, "frame_id": frame.public_id}


def _frame_spec_data(cast: Cast) -> dict[str, Any]:
    import json

    from projects.models import Frame

    return {"spec": json.dumps(Frame.objects.filter(project=cast.project).latest("id").set_spec)}


def _comment(cast: Cast) -> dict[str, Any]:
    from projects.models import FrameComment

    comment = FrameComment.objects.create(frame=_frame_obj(cast), author=cast.owner, body="Too dark")
    return {"project_id": cast.project.public_id, "comment_id": comment.public_id}


def _note(cast: Cast) -> dict[str, Any]:
    from projects.script import notes
    from projects.teams.selectors import project_access_for_user

    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    note = notes.note_add_at(access=access, body="Tighter", start=0, end=0)
    return {"project_id": cast.project.public_id, "note_id": note.public_id}


def _reply(cast: Cast) -> dict[str, Any]:
    from projects.models import ScriptNote
    from projects.script import notes
    from projects.teams.selectors import project_access_for_user

    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    note = ScriptNote.objects.get(public_id=_note(cast)["note_id"])
    reply = notes.note_reply(access=access, note=note, body="Agreed")
    return {"project_id": cast.project.public_id, "reply_id": reply.public_id}


def _note_data(cast: Cast) -> dict[str, Any]:
    import base64

    from projects.script import crdt
    from projects.script.services import script_doc

    start, end = crdt.note_anchors(script_doc(cast.project), 0, 0)
    return {"body": "Tighter", "start": base64.b64encode(start).decode(), "end": base64.b64encode(end).decode()}


def _music_track(cast: Cast) -> dict[str, Any]:
    from projects.models import MusicTrack

    track = MusicTrack.objects.create(project=cast.project, name="theme.wav", file="music/theme.wav")
    return {"project_id": cast.project.public_id, "track_id": track.public_id}


def _frame_project(cast: Cast) -> dict[str, Any]:
    _frame_obj(cast)
    return {"project_id": cast.project.public_id}


def _archive_upload(cast: Cast) -> dict[str, Any]:
    return {"archive": SimpleUploadedFile("film.zip", b"not a zip", content_type="application/zip")}


READ = {"stranger": 404, "viewer": 200, "editor": 200, "owner": 200}
WRITE = {"stranger": 404, "viewer": 403, "editor": 302, "owner": 302}
MANAGE = {"stranger": 404, "viewer": 403, "editor": 403, "owner": 302}
JOB_ACTION = {"stranger": 404, "viewer": 403, "editor": 302, "owner": 302}
ANY_USER = {"stranger": 200, "viewer": 200, "editor": 200, "owner": 200}
INVITEE = {"stranger": 404, "invited": 302, "viewer": 404, "editor": 404, "owner": 404}

MATRIX: dict[str, Row] = {
    "password_change": Row("GET", lambda c: {}, ANY_USER),
    "password_change_done": Row("GET", lambda c: {}, ANY_USER),
    "projects:list": Row("GET", lambda c: {}, ANY_USER),
    "projects:create": Row(
        "POST",
        lambda c: {},
        {"stranger": 302, "viewer": 302, "editor": 302, "owner": 302},
        data=lambda c: {"title": "New film"},
    ),
    "projects:detail": Row("GET", _project, READ),
    "projects:edit": Row("POST", _project, WRITE, data=lambda c: {"title": "Renamed", "logline": ""}),
    "projects:delete": Row("POST", _project, MANAGE, data=lambda c: {"confirm_title": c.project.title}),
    "projects:members": Row("GET", _project, READ),
    "projects:member-invite": Row("POST", _project, MANAGE, data=lambda c: {"identifier": "stan", "role": "viewer"}),
    # Only the invited person may accept or decline; members have no invitation to answer.
    "projects:invitation-accept": Row("POST", _project, INVITEE),
    "projects:invitation-decline": Row("POST", _project, INVITEE),
    "projects:member-role": Row("POST", _viewer_member, MANAGE, data=lambda c: {"role": "editor"}),
    "projects:member-remove": Row("POST", _other_member, MANAGE),
    "projects:member-commenter": Row("POST", _viewer_member, MANAGE, data=lambda c: {"commenter": "1"}),
    "projects:media": Row("GET", _media, READ),
    "projects:script": Row("GET", _project, READ),
    "projects:script-breakdown": Row("GET", _project, READ),
    # Notes: every member reads them; writing them needs the commenter right (editors, owners, chosen viewers).
    "projects:script-notes": Row("GET", _project, READ),
    "projects:script-note-add": Row("POST", _project, WRITE, data=_note_data),
    "projects:script-note-reply": Row("POST", _note, WRITE, data=lambda c: {"body": "Agreed"}),
    "projects:script-note-resolve": Row("POST", _note, WRITE, data=lambda c: {"resolved": "1"}),
    # Deleting a note or a reply: its author or an owner (here the owner wrote them).
    "projects:script-note-delete": Row("POST", _note, MANAGE),
    "projects:script-note-reply-delete": Row("POST", _reply, MANAGE),
    "projects:script-scenes": Row("GET", _scenes, READ),
    "projects:script-import": Row("POST", _project, WRITE, data=_upload),
    "projects:script-export": Row("GET", _export, READ),
    "projects:script-preview": Row("GET", _project, READ),
    "projects:script-report": Row("GET", _report, READ),
    "projects:revisions": Row("GET", _project, READ),
    "projects:revision": Row("GET", _revision, READ),
    "projects:revision-download": Row("GET", _revision, READ),
    "projects:revision-restore": Row("POST", _revision, WRITE),
    "projects:revision-set-start": Row("POST", _project, WRITE),
    "projects:scene-numbers-lock": Row("POST", _project, WRITE),
    "projects:scene-numbers-unlock": Row("POST", _project, WRITE),
    "projects:characters": Row("GET", _project, READ),
    "projects:character-create": Row("POST", _project, WRITE, data=lambda c: {"name": "Karl"}),
    "projects:character": Row("GET", _character, READ),
    "projects:character-edit": Row("POST", _character, WRITE, data=_sheet_data),
    "projects:character-bio-undo": Row("POST", _character, WRITE),
    "projects:character-bio-suggestion": Row("POST", _character, WRITE, data=lambda c: {"dismiss": "look"}),
    "projects:character-choose": Row("POST", _portrait, WRITE, data=_portrait_data),
    "projects:storyboard": Row("GET", _project, READ),
    "projects:storyboard-scene": Row("GET", _scene, READ),
    "projects:frame": Row("GET", _frame, READ),
    "projects:shot-list-edit": Row("POST", _scene, WRITE, data=lambda c: _shots_data()),
    "projects:frame-spec": Row("POST", _frame, WRITE, data=_frame_spec_data),
    "projects:frame-adjust": Row("POST", _frame, WRITE, data=lambda c: {"lens_mm": "50"}),
    "projects:frame-undo": Row("POST", _frame_with_history, WRITE),
    "projects:frame-comment": Row("POST", _frame, WRITE, data=lambda c: {"body": "Warmer light, @olivia"}),
    "projects:comment-resolve": Row("POST", _comment, WRITE, data=lambda c: {"resolved": "1"}),
    "projects:animatic": Row("GET", _project, READ),
    "projects:animatic-music": Row("POST", _project, WRITE),
    "projects:animatic-music-delete": Row("POST", _music_track, WRITE),
    "projects:frame-duration": Row("POST", _frame, WRITE, data=lambda c: {"seconds": "2.5"}),
    "projects:frame-camera-move": Row("POST", _frame, WRITE, data=lambda c: {"move": "pan_left"}),
    "projects:export-storyboard": Row("GET", _frame_project, READ),
    "projects:export-shots": Row("GET", _frame_project, READ),
    "projects:export-archive": Row("GET", _project, READ),
    "projects:import": Row(
        "POST",
        lambda c: {},
        {"stranger": 302, "viewer": 302, "editor": 302, "owner": 302},
        data=_archive_upload,
    ),
    "jobs:models": Row("GET", _project, READ),
    "jobs:model-train": Row("POST", _project, WRITE, data=_training_images),
    "jobs:panel": Row("GET", _project, READ),
    "jobs:create": Row("POST", _project, WRITE, data=lambda c: {"kind": "worker_check"}),
    "jobs:detail": Row("GET", _job(JobStatus.RUNNING), READ),
    "jobs:cancel": Row("POST", _job(JobStatus.RUNNING), JOB_ACTION),
    "jobs:retry": Row("POST", _job(JobStatus.FAILED), JOB_ACTION),
}


def _url_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin checks is_staff itself
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_url_has_a_permission_row() -> None:
    missing = _url_names(get_resolver().url_patterns) - PUBLIC - set(MATRIX)
    assert not missing, f"URLs without a permission test: {sorted(missing)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_permissions(name: str, role: str, cast: Cast) -> None:
    row = MATRIX[name]
    client = Client()
    if role == "invited":
        invite(cast, cast.stranger)
    if role != "anonymous":
        client.force_login(cast.user("stranger" if role == "invited" else role))
    url = reverse(name, kwargs=row.kwargs(cast))
    response = client.get(url) if row.method == "GET" else client.post(url, row.data(cast))
    # A pending invitation gives no access: the invited person gets what a stranger gets.
    expected = ANON_REDIRECT if role == "anonymous" else row.expect.get(role, row.expect["stranger"])
    assert response.status_code == expected, f"{role} {row.method} {name}: {response.status_code}"
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    downloads = (
        "projects:media",
        "projects:script-export",
        "projects:revision-download",
        "projects:export-storyboard",
        "projects:export-shots",
    )
    if row.method == "GET" and expected == 200 and name not in (*downloads, "projects:export-archive"):
        assert (
            b"filmstudio" in response.content
            or b'id="jobs-panel"' in response.content
            or b'id="script-breakdown"' in response.content
            or b'id="script-notes"' in response.content
            or b'<a href="#" data-line="1"' in response.content  # the navigator's next page of scenes
        )


def test_admin_needs_staff(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    assert client.get("/admin/").status_code == 302


# --- websockets -------------------------------------------------------------------------------

WS_MATRIX: dict[str, Callable[[Cast], str]] = {
    "ws-project": lambda c: f"/ws/projects/{c.project.public_id}/",
    "ws-job": lambda c: f"/ws/jobs/{JobFactory.create(project=c.project).public_id}/",
    "ws-script": lambda c: f"/ws/script/{c.project.public_id}",
    "ws-character": lambda c: f"/ws/characters/{CharacterFactory.create(project=c.project).public_id}/",
    "ws-frame": lambda c: f"/ws/frames/{_frame_obj(c).public_id}/",
}


def test_every_websocket_route_has_a_permission_row() -> None:
    names = {p.name for p in websocket_urlpatterns}
    assert names == set(WS_MATRIX)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(WS_MATRIX))
async def test_websocket_permissions(name: str, role: str) -> None:
    cast = await database_sync_to_async(make_cast)()
    if role == "invited":
        await database_sync_to_async(invite)(cast, cast.stranger)
    path = await database_sync_to_async(WS_MATRIX[name])(cast)
    client = Client()
    if role != "anonymous":
        await database_sync_to_async(client.force_login)(cast.user("stranger" if role == "invited" else role))
    connected, communicator = await ws_connect(path, session_headers(client))
    try:
        assert connected is (role in ("viewer", "editor", "owner")), f"{role} on {name}"
        if connected:
            first = await communicator.receive_output(timeout=5)
            body = first.get("text") or first.get("bytes")
            assert (
                'id="jobs-panel"' in str(body)
                or 'id="job-detail"' in str(body)
                or 'id="character-face"' in str(body)
                or 'id="frame-picture"' in str(body)
                or body[:2] == b"\x00\x00"
            )
    finally:
        await communicator.disconnect()
