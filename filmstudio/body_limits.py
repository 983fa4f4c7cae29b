"""Request body limits, enforced before a body is read: by its Content-Length, and by counting a chunked one.

A route may take up to REQUEST_BODY_ROUTE_MAX_BYTES[its URL name] (REQUEST_BODY_MAX_BYTES otherwise), but
only from a logged-in session; anyone else gets REQUEST_BODY_ANONYMOUS_MAX_BYTES. Two layers apply the
same rule: `BodyLimitMiddleware` around the ASGI app, and `LimitedRequest` inside daphne, which
receives a whole body before the app runs (and then hands it over in memory), so only it can refuse
a body while it arrives.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from importlib import import_module
from typing import Any
from urllib.parse import unquote

from asgiref.sync import sync_to_async
from daphne import server as daphne_server
from daphne.http_protocol import HTTPFactory, WebRequest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connections
from django.urls import Resolver404, resolve
from twisted.internet import threads

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


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
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
        declared = _declared_length(headers)
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


class LimitedRequest(WebRequest):  # type: ignore[misc]
    """daphne's request, refusing a body over its limit as it arrives (it would buffer it all, then copy it)."""

    _limit = 0
    _anonymous_limit = 0
    _seen = 0
    _refused = False
    _target = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Twisted would parse a POSTed form into memory itself; daphne never looks at that copy.
        self._parsePOSTFormSubmission = False

    def gotLength(self, length: int | None) -> None:
        super().gotLength(length)
        self._target = unquote(self.channel._path.split(b"?", 1)[0].decode("latin-1"))
        anonymous = anonymous_limit()
        route = max(route_limit(self._target), anonymous)
        key = self.received_cookies.get(settings.SESSION_COOKIE_NAME.encode(), b"").decode("latin-1")
        wants_more = length is None or length > anonymous
        self._anonymous_limit = anonymous
        self._limit = route if key and wants_more and route > anonymous else anonymous
        if length is not None and length > self._limit:
            self._refuse(as_anonymous=self._limit == anonymous and route > anonymous)
        elif self._limit > anonymous:
            # Only a logged-in session gets more: hold the body while the session store answers, off the reactor.
            self.channel.transport.pauseProducing()
            checking = threads.deferToThread(session_is_logged_in, key)
            checking.addCallback(self._session_checked, length)
            checking.addErrback(self._session_check_failed)

    def _session_checked(self, logged_in: bool, length: int | None) -> None:
        if self._disconnected or self._refused:
            return
        if not logged_in:
            self._limit = self._anonymous_limit
            if (length or 0) > self._limit or self._seen > self._limit:
                self._refuse(as_anonymous=True)
                return
        self.channel.transport.resumeProducing()

    def _session_check_failed(self, failure: Any) -> None:
        logger.error("Could not check a session for a large request body: %s", failure.getErrorMessage())
        if not (self._disconnected or self._refused):
            self._limit = self._anonymous_limit
            self._refuse(as_anonymous=True)

    def handleContentChunk(self, data: bytes) -> None:
        if self._refused:
            return
        self._seen += len(data)
        if self._seen > self._limit:
            self._refuse(as_anonymous=self._limit == self._anonymous_limit)
            return
        super().handleContentChunk(data)

    def process(self) -> Any:
        if self._refused:
            return None
        return super().process()

    def _refuse(self, *, as_anonymous: bool) -> None:
        self._refused = True
        logger.info("Refused the body of a request for %s: over %d bytes", self._target[:200], self._limit)
        body = refusal(self._limit, anonymous=as_anonymous)
        head = (
            b"HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        )
        self.requestHeaders.removeHeader(b"Expect")  # no "100 Continue" after the refusal
        self.channel.transport.write(head + body)
        self.channel.loseConnection()


class LimitedHTTPFactory(HTTPFactory):  # type: ignore[misc]
    def buildProtocol(self, addr: Any) -> Any:
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = LimitedRequest
        return protocol


def install_in_daphne() -> None:
    """Make daphne's server build `LimitedRequest`s (it looks the factory up when it starts)."""
    daphne_server.HTTPFactory = LimitedHTTPFactory
