"""Websocket clients on the real ASGI app: a session's headers, a connected communicator, a y-websocket peer,
and waits that end on a message within a deadline instead of after a fixed sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from pycrdt import Doc, Text, YMessageType, create_sync_message, create_update_message, handle_sync_message

from filmstudio.asgi import application
from projects.script import crdt


def session_headers(client: Client, origin: str = "http://testserver") -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", origin.encode()), (b"host", b"testserver")]
    cookie = client.cookies.get("sessionid")
    if cookie is not None:
        headers.append((b"cookie", f"sessionid={cookie.value}".encode()))
    return headers


async def ws_connect(path: str, headers: list[tuple[bytes, bytes]]) -> tuple[bool, WebsocketCommunicator]:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    return connected, communicator


async def assert_closed(ws: WebsocketCommunicator, code: int) -> None:
    """The server closed the socket with `code`; then the client's side goes away too, as a browser's does, so the
    consumer finishes (left running, it would hold the test's event loop open at teardown)."""
    assert await ws.receive_output(timeout=5) == {"type": "websocket.close", "code": code}
    await ws.disconnect()


async def connect_as(user, path: str, origin: str = "http://testserver"):  # type: ignore[no-untyped-def]
    client = Client()
    await database_sync_to_async(client.force_login)(user)
    return await ws_connect(path, session_headers(client, origin=origin))


async def receive_until(
    ws: WebsocketCommunicator, done: Callable[[str], bool], *, timeout: float, what: str
) -> list[str]:
    """Every text message the socket gets until one makes `done` true; fails once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        try:
            message = await ws.receive_from(timeout=left)
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}") from None
        seen.append(message)
        if done(message):
            return seen


class YClient:
    """A minimal y-websocket peer: a pycrdt Doc kept in sync over a communicator."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator
        self.doc: Doc = Doc()
        self.text = self.doc.get("fountain", type=Text)

    @classmethod
    async def connect(cls, user: Any, project_id: object, client: Client | None = None) -> YClient:
        if client is None:
            client = Client()
            await database_sync_to_async(client.force_login)(user)
        ws = WebsocketCommunicator(application, f"/ws/script/{project_id}", headers=session_headers(client))
        connected, _ = await ws.connect(timeout=5)
        assert connected
        peer = cls(ws)
        await peer.handle(await ws.receive_from(timeout=5))  # the server's sync step 1
        await ws.send_to(bytes_data=create_sync_message(peer.doc))
        await peer.handle(await ws.receive_from(timeout=5))  # its sync step 2
        return peer

    async def handle(self, message: bytes | str) -> None:
        assert isinstance(message, bytes)
        if message[0] != YMessageType.SYNC:
            return
        reply = handle_sync_message(message[1:], self.doc)
        if reply is not None:
            await self.ws.send_to(bytes_data=reply)

    async def edit(self, index: int, value: str) -> None:
        update = crdt.insert(self.doc, index, value)
        await self.ws.send_to(bytes_data=create_update_message(update))

    async def drain(self, timeout: float = 1.0) -> None:
        while not await self.ws.receive_nothing(timeout=timeout):
            await self.handle(await self.ws.receive_from(timeout=timeout))

    async def until(self, expected: str | Callable[[str], bool], *, timeout: float) -> None:
        """Apply what the server sends until this peer's text is `expected` (or passes it); fails after `timeout` s."""
        done = expected if callable(expected) else lambda text: text == expected
        deadline = time.monotonic() + timeout
        while not done(self.value()):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(
                    f"the script never reached the expected text within {timeout:.0f}s: {self.value()!r}"
                )
            try:
                await self.handle(await self.ws.receive_from(timeout=left))
            except TimeoutError:
                continue

    def value(self) -> str:
        return str(self.text)
