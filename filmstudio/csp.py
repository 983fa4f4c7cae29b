"""The Content-Security-Policy middleware: django-csp's, plus this host's websockets in connect-src."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase


class StudioCSPMiddleware(CSPMiddleware):
    """Allows the live sockets of the host the page came from (ws: and wss:), and no other host's."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        sockets = [f"ws://{host}", f"wss://{host}"]
        parts.update = {**(parts.update or {}), "connect-src": sockets}
        return parts
