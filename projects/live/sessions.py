"""Logging out closes the sockets that the session opened (they would otherwise keep its access)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from projects import events


def close_sockets_on_logout(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Receiver of django.contrib.auth's user_logged_out (sent before the session is flushed)."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if key:
        events.publish_session_ended(session_key=key)


def socket_session_group(scope: dict[str, Any]) -> str | None:
    """The session group a socket joins, or None when it has no session (it is then anonymous anyway)."""
    session = scope.get("session")
    key = getattr(session, "session_key", None)
    return events.session_group(key) if key else None
