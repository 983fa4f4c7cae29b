"""Request body limits, enforced before a body is read: by its Content-Length, and by counting a chunked one.

A route may take up to REQUEST_BODY_ROUTE_MAX_BYTES[its URL name] (REQUEST_BODY_MAX_BYTES otherwise), but
only from a logged-in session; anyone else gets REQUEST_BODY_ANONYMOUS_MAX_BYTES. Two layers apply the
same rule: `BodyLimitMiddleware` around the ASGI app, and `filmstudio.daphne_limits` inside daphne,
which receives a whole body before the app runs (and then hands it over in memory), so only it can
refuse a body while it arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connections
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def anonymous_limit() -> int:
    return int(settings.REQUEST_BODY_ANONYMOUS_MAX_BYTES)


def route_limit(path: str) -> int:
    """The most a logged-in session may send to `path`."""
    try:
        name = resolve(path).view_name
    except Resolver404:
        name = ""
    return int(settings.REQUEST_BODY_ROUTE_MAX_BYTES.get(name, settings.REQUEST_BODY_MAX_BYTES))


def session_is_logged_in(session_key: str) -> bool:
    """Whether the session cookie names a live session with a user in it (run off the event loop)."""
    if not session_key:
        return False
    try:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        return bool(store.get(SESSION_KEY))
    finally:
        connections.close_all()  # this thread's connections only


def refusal(limit: int, *, anonymous: bool) -> bytes:
    size = f"{limit // 1024**2} MiB" if limit >= 1024**2 else f"{limit // 1024} KiB"
    who = " from someone who is not logged in" if anonymous else ""
    return f"413: this request is larger than the {size} this page accepts{who}; nothing was read.\n".encode()


def declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            return int(value) if value.strip().isdigit() else None
    return None


def _session_key(headers: list[tuple[bytes, bytes]]) -> str:
    """The session cookie's value; the last one wins, as in Django's and Twisted's parsing."""
    wanted, found = settings.SESSION_COOKIE_NAME.encode(), b""
    for name, value in headers:
        if name.lower() == b"cookie":
            for part in value.split(b";"):
                key, _, cookie = part.strip().partition(b"=")
                if key == wanted:
                    found = cookie
    return found.decode("latin-1")


class BodyLimitMiddleware:
    """Answers 413 to an HTTP request whose body is over its limit, without reading (or past) the limit."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        anonymous = anonymous_limit()
        route = max(route_limit(scope["path"].removeprefix(scope.get("root_path", ""))), anonymous)
        declared = declared_length(headers)
        logged_in: bool | None = None

        async def limit_for(size: int) -> tuple[int, bool]:
            """The limit that applies to a body of `size` bytes, and whether it was the anonymous one."""
            nonlocal logged_in
            if size <= anonymous:
                return anonymous, False
            if logged_in is None:
                logged_in = await sync_to_async(session_is_logged_in, thread_sensitive=False)(_session_key(headers))
            return (route, False) if logged_in else (anonymous, True)

        if declared is not None:
            limit, as_anonymous = await limit_for(declared)
            if declared > limit:
                await self._refuse(send, limit, as_anonymous, scope)
                return
        seen = 0
        over: tuple[int, bool] | None = None

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request" and over is None:
                seen += len(message.get("body", b""))
                limit, as_anonymous = await limit_for(seen)
                if seen > limit:
                    over = (limit, as_anonymous)
                    return {"type": "http.disconnect"}  # the app stops reading and answers nothing
            return message

        async def guarded(message: Message) -> None:
            if over is None:
                await send(message)

        await self.app(scope, counted, guarded)
        if over is not None:
            await self._refuse(send, *over, scope)

    async def _refuse(self, send: Send, limit: int, anonymous: bool, scope: Scope) -> None:
        logger.info("Refused the body of %s %s: over %d bytes", scope["method"], scope["path"], limit)
        body = refusal(limit, anonymous=anonymous)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
