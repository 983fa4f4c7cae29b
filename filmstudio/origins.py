"""Which pages may open a websocket: the page's own origin (scheme, host and port), or a configured one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import SplitResult, urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(value: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) origin, or None for anything else ("null", ws:, garbage)."""
    try:
        parts: SplitResult = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def _trusted(origin: tuple[str, str, int], patterns: Iterable[str]) -> bool:
    """CSRF_TRUSTED_ORIGINS entries, with Django's "*.example.com" subdomain wildcard."""
    scheme, host, port = origin
    for pattern in patterns:
        trusted = _origin(pattern)
        if trusted is None or trusted[0] != scheme or trusted[2] != port:
            continue
        if host == trusted[1] or (trusted[1].startswith("*.") and host.endswith(trusted[1][1:])):
            return True
    return False


def _secure(scope: dict[str, Any], headers: dict[bytes, bytes]) -> bool:
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        name, value = proxy
        header = name.removeprefix("HTTP_").lower().replace("_", "-").encode("latin-1")
        return headers.get(header, b"").decode("latin-1").split(",")[0].strip() == value
    return False


def origin_allowed(scope: dict[str, Any]) -> bool:
    """True when the handshake's Origin is the socket's own scheme, host and port (its Host being one of
    ALLOWED_HOSTS), or one of CSRF_TRUSTED_ORIGINS: the checks Django's CSRF makes for a form post."""
    headers = {name.lower(): value for name, value in scope.get("headers", [])}
    host = headers.get(b"host", b"").decode("latin-1")
    origin = _origin(headers.get(b"origin", b"").decode("latin-1"))
    domain, _ = split_domain_port(host)
    # As Django's HttpRequest.get_host: with DEBUG and no ALLOWED_HOSTS, the local names.
    allowed = settings.ALLOWED_HOSTS or ([".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    if origin is None or not domain or not validate_host(domain, allowed):
        return False
    own = _origin(f"{'https' if _secure(scope, headers) else 'http'}://{host}")
    return origin == own or _trusted(origin, settings.CSRF_TRUSTED_ORIGINS)


class SameOriginWebsockets:
    """ASGI middleware: refuses a websocket handshake from any other origin (read per connection)."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
