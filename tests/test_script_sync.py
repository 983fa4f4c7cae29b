"""The script socket on the real ASGI app: CRDT sync between clients, viewers read only, nothing lost."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse
from pycrdt import (
    Decoder,
    Doc,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
    read_message,
    write_message,
    write_var_uint,
)

from filmstudio.asgi import application
from projects.models import ScriptUpdate
from projects.script import crdt
from projects.script.services import script_doc
from tests.conftest import make_cast
from tests.sockets import YClient, assert_closed, session_headers

pytestmark = pytest.mark.django_db(transaction=True)


async def test_two_editors_typing_into_the_same_scene_converge_with_nothing_lost() -> None:
    cast = await database_sync_to_async(make_cast)()
    a = await YClient.connect(cast.owner, cast.project.public_id)
    b = await YClient.connect(cast.editor, cast.project.public_id)
    await a.edit(0, "INT. DINER - NIGHT\n\nEdward waits.\n")
    await b.until("INT. DINER - NIGHT\n\nEdward waits.\n", timeout=10)

    # Both type at the same spot at the same moment, several times.
    spot = len("INT. DINER - NIGHT\n\n")
    for i in range(5):
        await a.edit(spot, f"[a{i}]")
        await b.edit(spot, f"(b{i})")
    marks = [f"[a{i}]" for i in range(5)] + [f"(b{i})" for i in range(5)]
    await a.until(lambda text: all(mark in text for mark in marks), timeout=10)
    await b.until(lambda text: all(mark in text for mark in marks), timeout=10)
    assert a.value() == b.value()

    # The server's document (built from the stored update log) agrees too.
    server = await database_sync_to_async(script_doc)(cast.project)
    assert crdt.text_of(server) == a.value()
    await a.ws.disconnect()
    await b.ws.disconnect()


async def test_edits_made_offline_merge_on_reconnect() -> None:
    cast = await database_sync_to_async(make_cast)()
    a = await YClient.connect(cast.owner, cast.project.public_id)
    await a.edit(0, "EXT. RIVER - DAY\n")
    await a.ws.disconnect()
    b = await YClient.connect(cast.editor, cast.project.public_id)
    offline = a.doc  # a keeps typing while disconnected
    crdt.insert(offline, len(str(a.text)), "\nThe fish jumps.\n")
    await b.edit(0, "FADE IN:\n\n")
    # a reconnects with its own state: sync step 1/2 in both directions carries the offline edit.
    client = Client()
    await database_sync_to_async(client.force_login)(cast.owner)
    ws = WebsocketCommunicator(application, f"/ws/script/{cast.project.public_id}", headers=session_headers(client))
    assert (await ws.connect(timeout=5))[0]
    a.ws = ws
    server_step1 = await ws.receive_from(timeout=5)
    assert server_step1[1] == YSyncMessageType.SYNC_STEP1
    # Answer the server's state vector with what it lacks, then ask for what we lack.
    reply = handle_sync_message(server_step1[1:], a.doc)
    assert reply is not None
    await ws.send_to(bytes_data=reply)
    await ws.send_to(bytes_data=create_sync_message(a.doc))
    merged = "FADE IN:\n\nEXT. RIVER - DAY\n\nThe fish jumps.\n"
    await a.until(merged, timeout=10)
    await b.until(merged, timeout=10)
    await a.ws.disconnect()
    await b.ws.disconnect()


async def test_a_viewers_updates_are_dropped_but_they_see_changes_live() -> None:
    cast = await database_sync_to_async(make_cast)()
    editor = await YClient.connect(cast.editor, cast.project.public_id)
    viewer = await YClient.connect(cast.viewer, cast.project.public_id)
    await viewer.edit(0, "VIEWER WAS HERE\n")
    await editor.drain(timeout=0.5)
    assert editor.value() == ""
    assert await database_sync_to_async(ScriptUpdate.objects.count)() == 0

    await editor.edit(0, "INT. CIRCUS - DAY\n")
    # Live; its own rejected edit stays local to it.
    await viewer.until(lambda text: "INT. CIRCUS - DAY\n" in text, timeout=10)
    server = await database_sync_to_async(script_doc)(cast.project)
    assert crdt.text_of(server) == "INT. CIRCUS - DAY\n"
    await editor.ws.disconnect()
    await viewer.ws.disconnect()


async def test_strangers_cannot_open_the_script_socket() -> None:
    cast = await database_sync_to_async(make_cast)()
    client = Client()
    await database_sync_to_async(client.force_login)(cast.stranger)
    ws = WebsocketCommunicator(application, f"/ws/script/{cast.project.public_id}", headers=session_headers(client))
    connected, _ = await ws.connect(timeout=5)
    assert connected is False
    await ws.disconnect()


def test_awareness_and_sync_helpers_round_trip() -> None:
    doc: Doc = Doc()
    update = crdt.insert(doc, 0, "hi")
    assert read_message(create_update_message(update)[2:]) == update


async def test_logging_out_closes_that_sessions_script_socket() -> None:
    """A socket opened while logged in keeps no write access once its session logs out."""
    cast = await database_sync_to_async(make_cast)()
    laptop = Client()
    await database_sync_to_async(laptop.force_login)(cast.editor)
    editor = await YClient.connect(cast.editor, cast.project.public_id, client=laptop)
    phone = await YClient.connect(cast.editor, cast.project.public_id)  # the same person, another session
    await editor.edit(0, "INT. CIRCUS - DAY\n")
    await phone.drain(timeout=0.5)

    await database_sync_to_async(laptop.post)(reverse("logout"))
    await assert_closed(editor.ws, 4403)
    await phone.edit(0, "EXT. FIELD - NIGHT\n")  # the other session still writes
    await phone.drain(timeout=0.5)
    server = await database_sync_to_async(script_doc)(cast.project)
    assert crdt.text_of(server) == "EXT. FIELD - NIGHT\nINT. CIRCUS - DAY\n"
    await phone.ws.disconnect()


def awareness_message(*states: tuple[int, int, dict[str, Any] | None]) -> bytes:
    """A y-protocols awareness update: (client id, clock, state or None) per entry."""
    body = write_var_uint(len(states))
    for client_id, clock, state in states:
        text = json.dumps(state).encode()
        body += write_var_uint(client_id) + write_var_uint(clock) + write_var_uint(len(text)) + text
    return bytes([YMessageType.AWARENESS]) + write_message(body)


def awareness_states(message: bytes) -> list[tuple[int, int, Any]]:
    assert message[0] == YMessageType.AWARENESS
    decoder = Decoder(read_message(message[1:]))
    states = []
    for _ in range(decoder.read_var_uint()):
        client_id, clock = decoder.read_var_uint(), decoder.read_var_uint()
        states.append((client_id, clock, json.loads(decoder.read_message() or b"null")))
    return states


async def receive_awareness(peer: YClient) -> list[tuple[int, int, Any]]:
    while True:
        message = await peer.ws.receive_from(timeout=5)
        assert isinstance(message, bytes)
        if message[0] == YMessageType.AWARENESS:
            return awareness_states(message)


async def test_cursor_names_and_colours_are_the_senders_own() -> None:
    """A viewer can't pass as someone else, style others' pages through the colour, or move others' cursors."""
    cast = await database_sync_to_async(make_cast)()
    editor = await YClient.connect(cast.editor, cast.project.public_id)
    viewer = await YClient.connect(cast.viewer, cast.project.public_id)
    spoof = {
        "user": {"name": "olivia", "color": "red; background-image: url(//evil.example/x)", "colorLight": "red;x"},
        "cursor": {"anchor": {"type": None, "tname": "fountain", "item": None, "assoc": 0}},
        "extra": "<img src=x onerror=alert(1)>",
    }
    await viewer.ws.send_to(bytes_data=awareness_message((101, 1, spoof), (202, 9, None)))
    [(client_id, clock, state)] = await receive_awareness(editor)  # the second entry, someone else's, is gone
    assert (client_id, clock) == (101, 1)
    assert state["user"]["name"] == "vera"
    assert re.fullmatch(r"#[0-9a-f]{6}", state["user"]["color"])
    assert state["user"]["colorLight"] == state["user"]["color"] + "33"
    assert state["cursor"] == spoof["cursor"] and "extra" not in state

    # A well-formed colour is kept; a later update of the same client goes through, a new client id doesn't.
    await viewer.ws.send_to(bytes_data=awareness_message((101, 2, {"user": {"name": "x", "color": "#12ab9f"}})))
    [(_, clock, state)] = await receive_awareness(editor)
    assert clock == 2 and state["user"] == {"name": "vera", "color": "#12ab9f", "colorLight": "#12ab9f33"}
    await viewer.ws.send_to(bytes_data=awareness_message((303, 1, {"user": {"name": "eddie"}})))
    await viewer.ws.send_to(bytes_data=b"\x01\x05\xff\xff")  # malformed: dropped, the socket stays up
    await viewer.ws.send_to(bytes_data=awareness_message((101, 3, None)))  # leaving: its own state, cleared
    assert await receive_awareness(editor) == [(101, 3, None)]
    await editor.ws.disconnect()
    await viewer.ws.disconnect()
