"""The project and job sockets on the real ASGI app and the real Redis channel layer."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from generation import services
from generation.events import job_state
from generation.models import GenerationJob
from projects.events import project_group
from projects.jobs import services as job_services
from projects.teams import services as project_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, make_cast
from tests.factories import CharacterFactory, JobFactory
from tests.sockets import connect_as

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_foreign_origin_is_refused() -> None:
    cast = await database_sync_to_async(make_cast)()
    connected, ws = await connect_as(
        cast.owner, f"/ws/projects/{cast.project.public_id}/", origin="https://evil.example"
    )
    assert connected is False
    await ws.disconnect()


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
    output = await ws.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4403}


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
    assert await ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 1009}


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
