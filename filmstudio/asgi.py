"""ASGI entry point: Django for HTTP (bodies over their limit refused unread), Channels for websockets
(origin-checked, authenticated)."""

from __future__ import annotations

import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstudio.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from filmstudio.body_limits import BodyLimitMiddleware  # noqa: E402
from filmstudio.origins import SameOriginWebsockets  # noqa: E402
from filmstudio.routing import websocket_urlpatterns  # noqa: E402

if "daphne.server" in sys.modules:
    # Served by daphne (or its runserver), which receives a whole body before the app sees it: it
    # applies the same limits while the body arrives.
    from filmstudio import daphne_limits

    daphne_limits.install()


application = ProtocolTypeRouter(
    {
        "http": BodyLimitMiddleware(django_asgi_app),
        "websocket": SameOriginWebsockets(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
