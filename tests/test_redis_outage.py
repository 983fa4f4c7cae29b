"""When Redis dies, open pages notice and reconnect by themselves, and script edits made in the gap settle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from projects.live.watch import CLOSE_RECONNECT
from projects.models import Scene, ScriptUpdate
from projects.script import crdt
from projects.script import services as script_services
from projects.script.tasks import settle_pending_scripts
from tests import redis_control
from tests.conftest import Cast
from tests.redis_control import _restarted_redis, redis_faults  # noqa: F401
from tests.sockets import YClient, session_headers, ws_connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("redis_faults")]


async def closed_with(ws: WebsocketCommunicator, timeout: float = 10.0) -> int:
    """The close code the server sends, skipping whatever it sent before."""
    while True:
        output = await ws.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return int(output.get("code", 1000))


async def test_open_sockets_close_when_redis_dies_and_connect_again_once_it_is_back(cast: Cast) -> None:
    client = Client()
    await database_sync_to_async(client.force_login)(cast.editor)
    page_path = f"/ws/projects/{cast.project.public_id}/"
    connected, page = await ws_connect(page_path, session_headers(client))
    assert connected
    assert 'id="jobs-panel"' in await page.receive_from(timeout=5)
    script = await YClient.connect(cast.editor, cast.project.public_id)

    redis_control.kill()
    await script.edit(0, "INT. KITCHEN - DAY\n\nThe kettle screams.\n")  # stored, though nobody hears of it
    # Neither page stays silent while it looks connected: the server closes both, as for a restart.
    assert await closed_with(page) == CLOSE_RECONNECT
    assert await closed_with(script.ws) == CLOSE_RECONNECT
    refused, _ = await ws_connect(page_path, session_headers(client))
    assert refused is False  # the handshake is refused cleanly (no server error); the browser tries again

    redis_control.start()
    connected, again = await ws_connect(page_path, session_headers(client))
    assert connected
    assert 'id="jobs-panel"' in await again.receive_from(timeout=5)  # the page re-reads its state
    peer = await YClient.connect(cast.owner, cast.project.public_id)
    assert peer.value() == "INT. KITCHEN - DAY\n\nThe kettle screams.\n"  # the edit made in the gap is there
    await again.disconnect()
    await peer.ws.disconnect()


def test_edits_stored_while_redis_is_down_settle_once_it_is_back(cast: Cast) -> None:
    redis_control.kill()
    update = crdt.insert(crdt.load(b""), 0, "INT. KITCHEN - DAY\n\nThe kettle screams.\n")
    script_services.script_update_append(project=cast.project, author_id=cast.editor.pk, update=update)
    assert script_services.screenplay_for(cast.project).text == ""  # stored; its settle could not be queued

    redis_control.start()
    assert settle_pending_scripts() == 0  # still being edited, as far as anyone knows: not yet
    ScriptUpdate.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert settle_pending_scripts() == 1
    assert script_services.screenplay_for(cast.project).text.startswith("INT. KITCHEN - DAY")
    assert Scene.objects.filter(project=cast.project, heading="INT. KITCHEN - DAY").exists()
    assert settle_pending_scripts() == 0  # settled once
