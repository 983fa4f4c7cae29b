from __future__ import annotations

from generation.routing import websocket_urlpatterns as generation_ws
from projects.routing import websocket_urlpatterns as projects_ws

websocket_urlpatterns = [*projects_ws, *generation_ws]
