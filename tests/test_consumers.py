"""The page sockets (one per page) on the real ASGI app and the real Redis channel layer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.test import Client
from django.urls import reverse

from generation import services
from generation.events import job_state
from generation.models import GenerationJob
from projects.events import project_group, publish_character_changed, publish_frame_changed
from projects.jobs import services as job_services
from projects.live import parts as live_parts
from projects.models import Frame, Scene
from projects.teams import services as project_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, make_cast
from tests.factories import CharacterFactory, JobFactory
from tests.sockets import assert_closed, connect_as, session_headers, ws_connect

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_foreign_origin_is_refused() -> None:
    cast = await database_sync_to_async(make_cast)()
    connected, ws = await connect_as(
        cast.owner, f"/ws/projects/{cast.project.public_id}/", origin="https://evil.example"
    )
    assert connected is False
    await ws.disconnect()


@pytest.mark.parametrize(
    "origin",
    ["http://testserver:8080", "https://testserver", "ws://testserver", "http://evil.testserver", "null", ""],
)
async def test_only_the_pages_own_scheme_host_and_port_may_open_a_socket(origin: str) -> None:
    cast = await database_sync_to_async(make_cast)()
    connected, ws = await connect_as(cast.owner, f"/ws/projects/{cast.project.public_id}/", origin=origin)
    assert connected is False, origin
    await ws.disconnect()
    connected, ws = await connect_as(cast.owner, f"/ws/script/{cast.project.public_id}", origin=origin)
    assert connected is False, origin
    await ws.disconnect()


async def test_a_configured_trusted_origin_may_open_a_socket(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CSRF_TRUSTED_ORIGINS = ["https://studio.example", "https://*.films.example"]
    cast = await database_sync_to_async(make_cast)()
    path = f"/ws/projects/{cast.project.public_id}/"
    for origin, allowed in [
        ("http://testserver", True),
        ("https://studio.example", True),
        ("https://cut.films.example", True),
        ("http://studio.example", False),
        ("https://studio.example:8443", False),
        ("https://films.example.evil", False),
    ]:
        connected, ws = await connect_as(cast.owner, path, origin=origin)
        assert connected is allowed, origin
        await ws.disconnect()


def test_the_origin_check_follows_the_sockets_own_scheme(settings) -> None:  # type: ignore[no-untyped-def]
    from filmstudio.origins import origin_allowed

    def scope(origin: str, scheme: str = "ws", **headers: str) -> dict[str, object]:
        extra = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
        return {"scheme": scheme, "headers": [(b"host", b"films.example"), (b"origin", origin.encode()), *extra]}

    settings.ALLOWED_HOSTS = ["films.example"]
    assert origin_allowed(scope("https://films.example", "wss"))
    assert not origin_allowed(scope("http://films.example", "wss"))
    assert not origin_allowed(scope("https://films.example", "ws"))
    # Behind the TLS proxy, its X-Forwarded-Proto says what the browser used.
    assert not origin_allowed(scope("https://films.example", "ws", x_forwarded_proto="https"))
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert origin_allowed(scope("https://films.example", "ws", x_forwarded_proto="https"))
    assert not origin_allowed(scope("http://films.example", "ws", x_forwarded_proto="https"))
    # The Host itself must be one of ours.
    settings.ALLOWED_HOSTS = ["other.example"]
    assert not origin_allowed(scope("https://films.example", "wss"))


async def test_logging_out_closes_that_sessions_page_sockets() -> None:
    cast = await database_sync_to_async(make_cast)()
    session = Client()
    await database_sync_to_async(session.force_login)(cast.viewer)
    connected, ws = await ws_connect(f"/ws/projects/{cast.project.public_id}/", session_headers(session))
    assert connected
    await ws.receive_from(timeout=5)
    await database_sync_to_async(session.post)(reverse("logout"))
    await assert_closed(ws, 4403)


async def test_events_older_than_what_the_page_has_are_dropped() -> None:
    cast = await database_sync_to_async(make_cast)()
    job = await database_sync_to_async(JobFactory.create)(project=cast.project, seq=5)
    connected, ws = await connect_as(cast.viewer, f"/ws/projects/{cast.project.public_id}/")
    assert connected
    assert f'id="job-{job.public_id}"' in await ws.receive_from(timeout=5)
    state = await database_sync_to_async(job_state)(job)
    layer = get_channel_layer()
    group = project_group(cast.project.public_id)
    for seq in (4, 5, 7, 6, 8):
        await layer.group_send(group, {"type": "job.event", "event": "updated", "job": {**state, "seq": seq}})
    received = [int(re.search(r'data-seq="(\d+)"', await ws.receive_from(timeout=5))[1]) for _ in range(2)]  # type: ignore[index]
    assert received == [7, 8]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_a_new_job_appears_for_everyone_in_the_project() -> None:
    cast = await database_sync_to_async(make_cast)()
    _, viewer_ws = await connect_as(cast.viewer, f"/ws/projects/{cast.project.public_id}/")
    await viewer_ws.receive_from(timeout=5)
    access = await database_sync_to_async(project_access_for_user)(user=cast.editor, public_id=cast.project.public_id)
    job = await database_sync_to_async(job_services.job_start)(access=access, kind="test_steps", params={"steps": 3})
    html = await viewer_ws.receive_from(timeout=5)
    assert 'hx-swap-oob="afterbegin:#jobs-panel"' in html and f'id="job-{job.public_id}"' in html
    assert "Cancel" not in html  # viewers get no write buttons
    await viewer_ws.disconnect()


async def test_editors_get_cancel_buttons_and_viewers_do_not() -> None:
    cast = await database_sync_to_async(make_cast)()
    await database_sync_to_async(JobFactory.create)(project=cast.project)
    _, editor_ws = await connect_as(cast.editor, f"/ws/projects/{cast.project.public_id}/")
    _, viewer_ws = await connect_as(cast.viewer, f"/ws/projects/{cast.project.public_id}/")
    assert ">Cancel</button>" in await editor_ws.receive_from(timeout=5)
    assert ">Cancel</button>" not in await viewer_ws.receive_from(timeout=5)
    await editor_ws.disconnect()
    await viewer_ws.disconnect()


async def test_a_removed_member_is_disconnected_at_once() -> None:
    cast = await database_sync_to_async(make_cast)()
    connected, ws = await connect_as(cast.viewer, f"/ws/projects/{cast.project.public_id}/")
    assert connected
    await ws.receive_from(timeout=5)
    owner = await database_sync_to_async(project_access_for_user)(user=cast.owner, public_id=cast.project.public_id)
    membership = await database_sync_to_async(cast.project.memberships.get)(user=cast.viewer)
    await database_sync_to_async(project_services.member_remove)(
        access=owner, membership_public_id=str(membership.public_id)
    )
    await assert_closed(ws, 4403)


async def test_the_job_socket_pushes_the_detail_partial() -> None:
    cast = await database_sync_to_async(make_cast)()
    job = await database_sync_to_async(JobFactory.create)(project=cast.project)
    _, ws = await connect_as(cast.viewer, f"/ws/jobs/{job.public_id}/")
    assert 'id="job-detail"' in await ws.receive_from(timeout=5)
    await database_sync_to_async(services.job_cancel)(
        job=await database_sync_to_async(GenerationJob.objects.get)(pk=job.pk)
    )
    html = await ws.receive_from(timeout=5)
    assert 'id="job-detail"' in html and 'data-status="cancelled"' in html
    await ws.disconnect()


async def test_an_oversized_client_message_closes_the_socket() -> None:
    cast: Cast = await database_sync_to_async(make_cast)()
    _, ws = await connect_as(cast.viewer, f"/ws/projects/{cast.project.public_id}/")
    await ws.receive_from(timeout=5)
    await ws.send_to(text_data="x" * (128 * 1024))
    await assert_closed(ws, 1009)


async def test_each_page_gets_only_the_parts_it_shows() -> None:
    """A character's card goes to the cast page's socket (?show=cast), not to every open project page."""
    cast: Cast = await database_sync_to_async(make_cast)()
    character = await database_sync_to_async(CharacterFactory.create)(project=cast.project, name="MARA")
    base = f"/ws/projects/{cast.project.public_id}/"
    _, cast_page = await connect_as(cast.viewer, base + "?show=cast")
    _, script_page = await connect_as(cast.viewer, base + "?show=jobs,breakdown")
    _, plain = await connect_as(cast.viewer, base)
    for ws in (script_page, plain):  # the jobs panel; the cast page has none, so it gets nothing on connect
        assert 'id="jobs-panel"' in await ws.receive_from(timeout=5)
    layer = get_channel_layer()
    group = project_group(cast.project.public_id)
    await layer.group_send(group, {"type": "character.changed", "character": str(character.public_id)})
    await layer.group_send(group, {"type": "frame.changed", "frame": str(character.public_id), "created": False})
    await layer.group_send(group, {"type": "timeline.changed"})
    html = await cast_page.receive_from(timeout=5)
    assert f"{character.public_id}" in html and "MARA" in html
    # Job rows go to pages with a jobs panel only.
    access = await database_sync_to_async(project_access_for_user)(user=cast.editor, public_id=cast.project.public_id)
    job = await database_sync_to_async(job_services.job_start)(access=access, kind="test_steps", params={"steps": 3})
    for ws in (script_page, plain):
        assert f'id="job-{job.public_id}"' in await ws.receive_from(timeout=5)
    assert await cast_page.receive_nothing(timeout=0.3)
    assert await script_page.receive_nothing(timeout=0.3)
    assert await plain.receive_nothing(timeout=0.3)
    for ws in (cast_page, script_page, plain):
        await ws.disconnect()


def _frame(cast: Cast) -> Frame:
    scene = Scene.objects.create(
        project=cast.project, position=0, number="1", heading="INT. DINER - NIGHT", start_line=1, end_line=3
    )
    return Frame.objects.create(
        project=cast.project, scene=scene, scene_heading=scene.heading, position=0, shot_type="wide", set_spec={}
    )


def _socket_urls(html: str) -> list[str]:
    """Every websocket a page opens: htmx ws-connect elements (inline scripts open none)."""
    assert "new WebSocket" not in html
    return re.findall(r'ws-connect="([^"]+)"', html)


def test_the_character_sheet_opens_one_socket(cast: Cast) -> None:
    character = CharacterFactory.create(project=cast.project, name="MARA")
    client = Client()
    client.force_login(cast.viewer)
    url = reverse(
        "projects:character", kwargs={"project_id": cast.project.public_id, "character_id": character.public_id}
    )
    html = client.get(url).content.decode()
    assert _socket_urls(html) == [f"/ws/characters/{character.public_id}/?show=sheet,jobs"]
    assert 'id="jobs-panel"' in html and 'id="character-face"' in html  # both parts ride that socket


def test_the_frame_page_opens_one_socket(cast: Cast) -> None:
    frame = _frame(cast)
    client = Client()
    client.force_login(cast.viewer)
    url = reverse("projects:frame", kwargs={"project_id": cast.project.public_id, "frame_id": frame.public_id})
    html = client.get(url).content.decode()
    assert _socket_urls(html) == [f"/ws/frames/{frame.public_id}/?show=frame,jobs"]
    assert 'id="jobs-panel"' in html and 'id="frame-picture"' in html


def test_every_part_a_page_asks_for_is_registered() -> None:
    asked = set()
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for query in re.findall(r'ws-connect="[^"?]*\?show=([^"]+)"', template.read_text()):
            asked |= set(query.split(","))
    assert asked >= {"jobs", "sheet", "frame", "cast", "frames", "overview", "breakdown", "timeline"}
    for name in asked:
        live_parts.get(name)  # a name no stage registered would show nothing, silently


async def test_the_character_sheet_socket_shows_the_sheet_and_the_jobs() -> None:
    """One socket: the sheet's parts and the jobs panel on connect, then job rows and sheet changes, each once."""
    cast = await database_sync_to_async(make_cast)()
    mara = await database_sync_to_async(CharacterFactory.create)(project=cast.project, name="MARA")
    joe = await database_sync_to_async(CharacterFactory.create)(project=cast.project, name="JOE")
    connected, ws = await connect_as(cast.viewer, f"/ws/characters/{mara.public_id}/?show=sheet,jobs")
    assert connected
    first = await ws.receive_from(timeout=5)
    assert 'id="character-face"' in first and "MARA" in first and 'id="jobs-panel"' in first
    access = await database_sync_to_async(project_access_for_user)(user=cast.editor, public_id=cast.project.public_id)
    job = await database_sync_to_async(job_services.job_start)(access=access, kind="test_steps", params={"steps": 3})
    assert f'id="job-{job.public_id}"' in await ws.receive_from(timeout=5)
    # Sent to the character's group and the project's: the socket is in both and renders it once.
    await database_sync_to_async(publish_character_changed)(
        project_public_id=cast.project.public_id, character_public_id=mara.public_id
    )
    assert 'id="character-face"' in await ws.receive_from(timeout=5)
    await database_sync_to_async(publish_character_changed)(
        project_public_id=cast.project.public_id, character_public_id=joe.public_id
    )
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_the_frame_socket_shows_the_frame_and_closes_when_it_is_deleted() -> None:
    cast = await database_sync_to_async(make_cast)()
    frame = await database_sync_to_async(_frame)(cast)
    connected, ws = await connect_as(cast.viewer, f"/ws/frames/{frame.public_id}/?show=frame,jobs")
    assert connected
    first = await ws.receive_from(timeout=5)
    assert 'id="frame-picture"' in first and 'id="jobs-panel"' in first
    await database_sync_to_async(publish_frame_changed)(
        project_public_id=cast.project.public_id, frame_public_id=frame.public_id
    )
    assert 'id="frame-picture"' in await ws.receive_from(timeout=5)
    assert await ws.receive_nothing(timeout=0.3)  # once, though it went to the frame's and the project's group
    await database_sync_to_async(frame.delete)()
    await database_sync_to_async(publish_frame_changed)(
        project_public_id=cast.project.public_id, frame_public_id=frame.public_id
    )
    await assert_closed(ws, 4403)


async def test_a_removed_member_loses_the_frame_socket_at_once() -> None:
    cast = await database_sync_to_async(make_cast)()
    frame = await database_sync_to_async(_frame)(cast)
    connected, ws = await connect_as(cast.viewer, f"/ws/frames/{frame.public_id}/?show=frame,jobs")
    assert connected
    await ws.receive_from(timeout=5)
    owner = await database_sync_to_async(project_access_for_user)(user=cast.owner, public_id=cast.project.public_id)
    membership = await database_sync_to_async(cast.project.memberships.get)(user=cast.viewer)
    await database_sync_to_async(project_services.member_remove)(
        access=owner, membership_public_id=str(membership.public_id)
    )
    await assert_closed(ws, 4403)


async def test_a_stranger_cannot_open_a_sheet_socket_with_project_parts() -> None:
    cast = await database_sync_to_async(make_cast)()
    mara = await database_sync_to_async(CharacterFactory.create)(project=cast.project, name="MARA")
    connected, ws = await connect_as(cast.stranger, f"/ws/characters/{mara.public_id}/?show=sheet,jobs")
    assert connected is False
    await ws.disconnect()
