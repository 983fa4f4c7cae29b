from __future__ import annotations

from projects.routing import websocket_urlpatterns

__all__ = ["websocket_urlpatterns"]
