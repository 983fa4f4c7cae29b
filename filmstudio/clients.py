"""Where a request comes from: the address that login throttling (django-axes) counts failures by."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: behind our TLS proxy, the one it appended to X-Forwarded-For (the right-most;
    anything left of it came from the client and could be made up); otherwise the socket's peer."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR") or "")
