"""The character GAN through a real worker: training streams its loss plot to every open page."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from generation.models import GenerationJob, JobStatus, ModelEntry, ModelKind
from tests.conftest import Cast, Proc
from tests.sockets import session_headers, ws_connect
from tests.stages import make_art

pytestmark = [pytest.mark.heavy, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PREVIEW = re.compile(
    r'id="job-(?P<id>[0-9a-f-]+)".*?class="job-preview" src="(?P<src>[^"]+progress\.png\?v=\d+)"', re.S
)


async def test_training_from_the_ui_streams_its_curves_and_registers_the_model(
    worker: Proc, cast: Cast, tmp_path: Path
) -> None:
    viewer = Client()
    await database_sync_to_async(viewer.force_login)(cast.viewer)
    connected, ws = await ws_connect(f"/ws/projects/{cast.project.public_id}/", session_headers(viewer))
    assert connected
    await ws.receive_from(timeout=5)

    def upload() -> int:
        editor = Client()
        editor.force_login(cast.editor)
        art = make_art(tmp_path / "art", count=16)
        files = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="image/png") for p in sorted(art.iterdir())]
        url = reverse("jobs:model-train", kwargs={"project_id": cast.project.public_id})
        data = {"images": files, "name": "Studio cartoons", "license_note": "Ours, drawn in house", "steps": 30}
        return editor.post(url, data).status_code

    assert await database_sync_to_async(upload)() == 302
    job = await database_sync_to_async(GenerationJob.objects.get)(kind="train_character_gan")
    pictures: list[str] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        html = await ws.receive_from(timeout=120)
        pictures += [m["src"] for m in PREVIEW.finditer(html) if m["id"] == str(job.public_id)]
        if 'data-status="succeeded"' in html or 'data-status="failed"' in html:
            break
    await ws.disconnect()
    await database_sync_to_async(job.refresh_from_db)()
    assert job.status == JobStatus.SUCCEEDED, job.error
    # The plot changed while it trained (each picture is a new ?v=), and the viewer could open it.
    assert len(set(pictures)) >= 3, pictures
    response = await database_sync_to_async(viewer.get)(pictures[-1])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    entry = await database_sync_to_async(ModelEntry.objects.get)(public_id=job.result["model"])
    assert entry.kind == ModelKind.GAN and entry.license_note == "Ours, drawn in house"
