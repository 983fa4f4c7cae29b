from __future__ import annotations

from django.urls import path

from projects.jobs.consumers import JobConsumer
from projects.live.consumers import CharacterConsumer, FrameConsumer, ProjectConsumer, ScriptConsumer

websocket_urlpatterns = [
    path("ws/projects/<uuid:project_id>/", ProjectConsumer.as_asgi(), name="ws-project"),
    path("ws/characters/<uuid:character_id>/", CharacterConsumer.as_asgi(), name="ws-character"),
    path("ws/frames/<uuid:frame_id>/", FrameConsumer.as_asgi(), name="ws-frame"),
    # y-websocket appends the room (the project id) to its server URL, ws/script.
    path("ws/script/<uuid:project_id>", ScriptConsumer.as_asgi(), name="ws-script"),
    path("ws/jobs/<uuid:job_id>/", JobConsumer.as_asgi(), name="ws-job"),
]
