"""ASGI entry point: Django for HTTP (bodies over their limit refused unread), Channels for websockets
(origin-checked, authenticated)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstudio.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from filmstudio.body_limits import BodyLimitMiddleware  # noqa: E402
from filmstudio.routing import websocket_urlpatterns  # noqa: E402

if "daphne.server" in sys.modules:
    # Served by daphne (or its runserver), which receives a whole body before the app sees it: it
    # applies the same limits while the body arrives.
    from filmstudio import daphne_limits

    daphne_limits.install()


class AllowedHostsOrigins(OriginValidator):
    """Rejects websocket handshakes whose Origin is not one of ALLOWED_HOSTS (read per connection)."""

    def __init__(self, application: Any) -> None:
        super().__init__(application, [])

    @property  # type: ignore[override]
    def allowed_origins(self) -> list[str]:
        return [*settings.ALLOWED_HOSTS, *settings.CSRF_TRUSTED_ORIGINS]

    @allowed_origins.setter
    def allowed_origins(self, value: list[str]) -> None:
        pass


application = ProtocolTypeRouter(
    {
        "http": BodyLimitMiddleware(django_asgi_app),
        "websocket": AllowedHostsOrigins(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
