from __future__ import annotations

from django.urls import path

from generation.consumers import JobConsumer

websocket_urlpatterns = [
    path("ws/jobs/<uuid:job_id>/", JobConsumer.as_asgi(), name="ws-job"),
]
