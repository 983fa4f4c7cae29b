"""Rendering through a real worker: per-tile progress reaches the page, and cancel kills Blender."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import psutil
import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from generation.models import GenerationJob, JobStatus
from projects.jobs import services as job_services
from projects.models import Frame, Scene
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, Proc
from tests.sockets import receive_until, session_headers, ws_connect
from tests.stages import frames_without_rendering, load_script
from tests.waits import eventually

pytestmark = [pytest.mark.heavy, pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]
ROW = re.compile(
    r'id="job-(?P<id>[0-9a-f-]+)"[^>]*data-seq="\d+" data-status="(?P<status>\w+)"'
    r'.*?<div class="muted">(?P<message>[^<]*)',
    re.S,
)


def render_children(worker: Proc) -> set[int]:
    """Pids of the Blender render children in the worker's process tree.

    Only the worker's own: this test process may hold a warm render child from earlier tests, and other
    test runs on the same machine may be rendering too."""
    try:
        family = psutil.Process(worker.popen.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return set()
    found = set()
    for child in family:
        try:
            if "generation.engines.render_worker" in " ".join(child.cmdline()):
                found.add(child.pid)
        except psutil.Error:
            continue
    return found


async def test_cancel_kills_the_render_and_the_worker_carries_on(worker: Proc, cast: Cast) -> None:
    def setup() -> Frame:
        load_script(cast)
        scene = Scene.objects.filter(project=cast.project).order_by("position").first()
        assert scene is not None
        frame = frames_without_rendering(cast, scene)[0]
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

    def reported(public_id: object, found: Callable[[re.Match[str]], bool]) -> Callable[[str], bool]:
        return lambda html: any(m["id"] == str(public_id) and found(m) for m in ROW.finditer(html))

    # The render has started once Cycles' own progress, tile by tile, is on the page.
    await receive_until(
        ws, reported(job.public_id, lambda m: "tiles, sample" in m["message"]), timeout=600, what="tile progress"
    )
    children = render_children(worker)
    assert children, "Blender renders in a child process of the worker"

    def cancel() -> int:
        editor = Client()
        editor.force_login(cast.editor)
        return editor.post(reverse("jobs:cancel", kwargs={"job_id": job.public_id})).status_code

    cancelled_at = time.monotonic()
    assert await database_sync_to_async(cancel)() == 302
    await eventually(lambda: not render_children(worker) & children, timeout=60, what="the render process to be killed")
    gone_after = time.monotonic() - cancelled_at
    await database_sync_to_async(job.refresh_from_db)()
    assert job.status == JobStatus.CANCELLED
    await database_sync_to_async(frame.refresh_from_db)()
    assert not frame.image  # nothing half-rendered was recorded

    # The same worker renders the next job (a fresh Blender child) without a restart.
    again = await database_sync_to_async(start)("draft", 25)
    await receive_until(
        ws, reported(again.public_id, lambda m: m["status"] in ("succeeded", "failed")), timeout=600, what="next job"
    )
    await ws.disconnect()
    await database_sync_to_async(again.refresh_from_db)()
    assert again.status == JobStatus.SUCCEEDED, again.error
    assert gone_after < 5
