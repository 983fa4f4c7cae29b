"""A job that runs again (its worker died, or someone retried it) never writes its text twice.

The runs use the real runners and the real `run_job` task, with the fake model endpoint of
tests/fake_llm.py, so they take seconds. A worker's death is a BaseException raised inside the
run: nothing after it runs, as after a SIGKILL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from generation import kinds, services
from generation.engines.base import JobContext
from generation.models import GenerationJob, JobStatus, ModelBackend, ModelEntry, ModelKind
from generation.paths import job_output_dir
from generation.tasks import run_job
from projects import fountain
from projects.jobs import services as job_services
from projects.models import Project, RevisionSource
from projects.script import crdt
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from projects.teams.services import project_create
from tests.conftest import Cast
from tests.fake_llm import fake_llm

pytestmark = pytest.mark.django_db(transaction=True)
LOGLINE = "A retired lighthouse keeper finds a message in a bottle written by his late wife."
TWO_SCENES = (
    "INT. DINER - NIGHT\n\nEdward waits in a booth with two coffees.\n\nEDWARD\nYou're late.\n\n"
    "WILL\nI'm always late.\n\nEXT. RIVER - DAY\n\nThe water is high and brown.\n"
)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: no handler catches it, so the run ends where it is."""


@pytest.fixture
def model(transactional_db: None) -> Iterator[str]:
    with fake_llm() as server:
        entry = ModelEntry.objects.create(
            name="Fake screenwriter",
            kind=ModelKind.TEXT,
            backend=ModelBackend.OPENAI,
            location=server.url,
            model_name="fake",
            source="tests/fake_llm.py",
            license="test only",
        )
        yield str(entry.public_id)


def start(project: Project, cast: Cast, kind: str, **params: Any) -> GenerationJob:
    access = project_access_for_user(user=cast.owner, public_id=project.public_id, needs="editor")
    return job_services.job_start(access=access, kind=kind, params=params)


def written(job: GenerationJob) -> list[Any]:
    return list(services.job_checkpoint(public_id=str(job.public_id)).get("written", []))


def run_until_killed(job: GenerationJob, *, after_blocks: int) -> None:
    """Attempt 1, as a worker runs it, killed once `after_blocks` blocks are in the script."""
    outcome, claim, _ = services.job_claim(public_id=str(job.public_id), worker="doomed:1")
    assert outcome == "claimed" and claim is not None

    def cancelled() -> bool:
        if len(written(job)) >= after_blocks:
            raise WorkerKilled()
        return False

    ctx = JobContext(
        output_dir=job_output_dir(claim.project_public_id, claim.public_id),
        attempt=claim.attempt,
        project_id=claim.project_public_id,
        job_id=claim.public_id,
        cancelled=cancelled,
    )
    kind = kinds.get_kind(claim.kind)
    with pytest.raises(WorkerKilled):
        kind.runner(kind.params_from_row(claim.params), ctx)
    # Its heartbeat stopped with it; the redelivered message finds the claim stale.
    GenerationJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))


def run_again(job: GenerationJob) -> GenerationJob:
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"
    job.refresh_from_db()
    return job


def script_text(project: Project) -> str:
    return crdt.text_of(script_services.script_doc(project))


def other_project(cast: Cast) -> Project:
    return project_create(user=cast.owner, title="Control", logline=LOGLINE)


def test_a_screenplay_whose_worker_died_resumes_and_holds_each_scene_once(cast: Cast, model: str) -> None:
    params = {"logline": LOGLINE, "scenes": 3, "rounds": 3, "seed": 7, "model": model}
    job = start(cast.project, cast, "write_screenplay", **params)
    run_until_killed(job, after_blocks=1)  # the first scene has its first paragraph; the others none
    first_block = written(job)[0][2]
    assert script_text(cast.project).count(first_block) == 1

    done = run_again(job)
    assert done.attempts == 2
    text = script_text(cast.project)
    headings = [e.text for e in fountain.parse(text).elements if e.kind == "scene_heading"]
    assert headings == [beat["heading"] for beat in done.result["outline"]]
    assert len(set(headings)) == 3
    blocks = written(done)
    assert len({(scene, number) for scene, number, _ in blocks}) == len(blocks) == 9
    assert all(text.count(block) == 1 for _, _, block in blocks)
    assert blocks[0][2] == first_block  # attempt 1's words stay; attempt 2 went on after them

    # The same screenplay as one uninterrupted run writes.
    control = other_project(cast)
    assert run_again(start(control, cast, "write_screenplay", **params)).attempts == 1
    assert script_text(control) == text


def test_continue_from_the_cursor_resumes_at_its_anchor_after_a_crash(cast: Cast, model: str) -> None:
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id, needs="editor")
    script_services.script_replace_text(access=access, text=TWO_SCENES, source=RevisionSource.IMPORT)
    cursor = TWO_SCENES.index("EXT. RIVER")
    params = {"cursor": cursor, "rounds": 3, "seed": 3, "model": model}
    job = start(cast.project, cast, "continue_script", **params)
    run_until_killed(job, after_blocks=1)

    done = run_again(job)
    text = script_text(cast.project)
    assert text.startswith(TWO_SCENES[:cursor]) and text.endswith(TWO_SCENES[cursor:])
    assert len(done.result["added"]) == 3
    assert all(text.count(block) == 1 for block in done.result["added"])

    control = other_project(cast)
    control_access = project_access_for_user(user=cast.owner, public_id=control.public_id, needs="editor")
    script_services.script_replace_text(access=control_access, text=TWO_SCENES, source=RevisionSource.IMPORT)
    run_again(start(control, cast, "continue_script", **params))
    assert script_text(control) == text


def test_a_rewrite_written_before_the_worker_died_is_not_written_again(cast: Cast, model: str) -> None:
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id, needs="editor")
    script_services.script_replace_text(access=access, text=TWO_SCENES, source=RevisionSource.IMPORT)
    job = start(cast.project, cast, "rewrite_scene", scene=1, instruction="make it tense", rounds=2, model=model)
    # The whole rewrite is written, then the worker dies before it records success.
    outcome, claim, _ = services.job_claim(public_id=str(job.public_id), worker="doomed:1")
    assert outcome == "claimed" and claim is not None
    kind = kinds.get_kind(claim.kind)
    ctx = JobContext(output_dir=job_output_dir(claim.project_public_id, claim.public_id), job_id=claim.public_id)
    first = kind.runner(kind.params_from_row(claim.params), ctx)
    after_first = script_text(cast.project)
    assert "Edward waits in a booth" not in after_first
    GenerationJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))

    done = run_again(job)
    assert done.attempts == 2 and done.result == first
    assert script_text(cast.project) == after_first


def test_a_run_that_lost_its_job_cannot_write(cast: Cast) -> None:
    job = start(cast.project, cast, "test_steps", steps=1)
    GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=2)
    stale = script_services.JobRun(job_id=str(job.public_id), attempt=1)
    with pytest.raises(script_services.RunSuperseded):
        script_services.generation_begin(project=cast.project, headings=["INT. ROOM - DAY"], run=stale, record={})
    assert script_text(cast.project) == ""
