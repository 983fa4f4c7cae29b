"""Rendering through a real worker: per-tile progress reaches the page, and cancel kills Blender."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from generation.models import GenerationJob, JobStatus
from projects.jobs import services as job_services
from projects.models import Frame, Scene
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, Proc
from tests.test_permissions import session_headers, ws_connect
from tests.test_storyboard import _frames_without_rendering, load_script

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]
ROW = re.compile(
    r'id="job-(?P<id>[0-9a-f-]+)"[^>]*data-seq="\d+" data-status="(?P<status>\w+)"'
    r'.*?<div class="muted">(?P<message>[^<]*)',
    re.S,
)


def render_children() -> set[int]:
    """Pids of Blender render children of other processes (the worker's), read from /proc.

    This test process may hold a warm render child of its own from earlier tests; that one is left out."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if b"generation.engines.render_worker" in command and parent != os.getpid():
                found.add(int(entry.name))
    return found


async def test_cancel_kills_the_render_and_the_worker_carries_on(worker: Proc, cast: Cast) -> None:
    def setup() -> Frame:
        load_script(cast)
        scene = Scene.objects.filter(project=cast.project).order_by("position").first()
        assert scene is not None
        frame = _frames_without_rendering(cast, scene)[0]
        # A slow render (many samples), so there is time to cancel it halfway.
        frame.set_spec["render"]["samples"] = 256
        frame.save(update_fields=["set_spec"])
        return frame

    frame = await database_sync_to_async(setup)()
    viewer = Client()
    await database_sync_to_async(viewer.force_login)(cast.viewer)
    connected, ws = await ws_connect(f"/ws/projects/{cast.project.public_id}/", session_headers(viewer))
    assert connected
    await ws.receive_from(timeout=5)

    def start(mode: str, scale: int = 100) -> GenerationJob:
        access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
        params = {"frame": str(frame.public_id), "mode": mode, "scale": scale}
        return job_services.job_start(access=access, kind="render_frame", params=params)

    job = await database_sync_to_async(start)("final")
    messages: list[str] = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not any("tiles, sample" in m for m in messages):
        html = await ws.receive_from(timeout=60)
        messages += [m["message"] for m in ROW.finditer(html) if m["id"] == str(job.public_id)]
    assert any("tiles, sample" in m for m in messages), messages  # Cycles' own progress, tile by tile, on the page
    children = render_children()
    assert children, "Blender renders in a child process of the worker"

    def cancel() -> int:
        editor = Client()
        editor.force_login(cast.editor)
        return editor.post(reverse("jobs:cancel", kwargs={"job_id": job.public_id})).status_code

    cancelled_at = time.monotonic()
    assert await database_sync_to_async(cancel)() == 302
    while render_children() & children and time.monotonic() - cancelled_at < 10:
        time.sleep(0.1)
    assert not render_children() & children, "the render process was killed"
    gone_after = time.monotonic() - cancelled_at
    await ws.disconnect()
    await database_sync_to_async(job.refresh_from_db)()
    assert job.status == JobStatus.CANCELLED
    await database_sync_to_async(frame.refresh_from_db)()
    assert not frame.image  # nothing half-rendered was recorded

    # The same worker renders the next job (a fresh Blender child) without a restart.
    again = await database_sync_to_async(start)("draft", 25)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        await database_sync_to_async(again.refresh_from_db)()
        if again.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            break
        time.sleep(0.2)
    assert again.status == JobStatus.SUCCEEDED, again.error
    assert gone_after < 5
