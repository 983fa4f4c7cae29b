"""daphne's side of the request body limits (filmstudio/body_limits.py): refusing a body as it arrives.

daphne (through Twisted) receives a whole body, to memory or a temporary file, before the ASGI app
runs, then copies all of it into the app's queue at once; Twisted also parses a POSTed form into
memory on the way. So the limit has to be applied here too, while the body arrives. Imported only
where daphne serves the app (it installs its reactor when imported).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote

from daphne import server as daphne_server
from daphne.http_protocol import HTTPFactory, WebRequest
from django.conf import settings
from twisted.internet import threads

from filmstudio.body_limits import anonymous_limit, refusal, route_limit, session_is_logged_in

logger = logging.getLogger(__name__)


class LimitedRequest(WebRequest):  # type: ignore[misc]
    """daphne's request, refusing a body over its limit as it arrives (it would buffer it all, then copy it)."""

    _limit = 0
    _anonymous_limit = 0
    _seen = 0
    _refused = False
    _target = ""
    _checking = False  # the session store has not answered yet
    _waiting = False  # the body arrived meanwhile; the app runs once it answers

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
            self._checking = True
            checking = threads.deferToThread(session_is_logged_in, key)
            checking.addCallback(self._session_checked, length)
            checking.addErrback(self._session_check_failed)

    def _session_checked(self, logged_in: bool, length: int | None) -> None:
        self._checking = False
        if self._disconnected or self._refused:
            return
        if not logged_in:
            self._limit = self._anonymous_limit
            if (length or 0) > self._limit or self._seen > self._limit:
                self._refuse(as_anonymous=True)
                return
        self.channel.transport.resumeProducing()
        if self._waiting:
            super().process()

    def _session_check_failed(self, failure: Any) -> None:
        logger.error("Could not check a session for a large request body: %s", failure.getErrorMessage())
        self._checking = False
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
        if self._checking:
            self._waiting = True
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


def install() -> None:
    """Make daphne's server build `LimitedRequest`s (it looks the factory up when it starts)."""
    daphne_server.HTTPFactory = LimitedHTTPFactory
