"""Typed job params: one frozen dataclass per kind, made by its form; vanished objects end a job quietly."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from generation import kinds, services
from generation import params as job_params
from generation.models import GenerationJob, JobStatus
from generation.tasks import run_job
from projects.jobs import services as job_services
from projects.models import Frame, Role
from projects.storyboard import forms as storyboard_forms
from projects.teams.selectors import ProjectAccess, project_access_for_user
from tests.conftest import Cast


def editor(cast: Cast) -> ProjectAccess:
    return project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs=Role.EDITOR)


def a_frame(cast: Cast) -> Frame:
    return Frame.objects.create(
        project=cast.project, scene_heading="INT. KITCHEN - DAY", position=0, shot_type="wide", set_spec={}
    )


def test_every_kind_has_a_frozen_params_type_covering_its_form() -> None:
    for kind in kinds.available_kinds():
        assert dataclasses.is_dataclass(kind.params_type), kind.name
        assert kind.params_type.__dataclass_params__.frozen, kind.name  # type: ignore[attr-defined]
        fields = {f.name for f in dataclasses.fields(kind.params_type)}
        assert set(kind.params_form.base_fields) <= fields, kind.name


@pytest.mark.django_db
def test_defaults_come_from_the_dataclass_and_the_runner_gets_them_typed(cast: Cast) -> None:
    frame = a_frame(cast)
    job = job_services.job_start(access=editor(cast), kind="render_frame", params={"frame": str(frame.public_id)})
    assert job.params == {"frame": str(frame.public_id), "mode": "draft", "scale": 100}
    params = kinds.get_kind("render_frame").params_from_row(job.params)
    assert params == storyboard_forms.RenderFrame(frame=str(frame.public_id))
    assert (params.mode, params.scale) == ("draft", 100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.scale = 50  # type: ignore[misc]


@pytest.mark.django_db
def test_a_drawn_seed_is_stored_so_a_retry_runs_the_same_job(cast: Cast) -> None:
    job = job_services.job_start(
        access=editor(cast), kind="write_screenplay", params={"logline": "A baker wants a prize."}
    )
    seed = job.params["seed"]
    assert isinstance(seed, int)
    again = kinds.get_kind("write_screenplay").params_from_row(job.params)
    assert again.seed == seed and again.scenes == 3 and again.rounds == 6


def test_stored_params_round_trip_and_a_retired_key_is_ignored() -> None:
    params = storyboard_forms.RenderScene(scene=None, only="stale", scale=25)
    stored = job_params.to_json(params)
    assert stored == {"mode": "draft", "scale": 25, "only": "stale"}  # None is left out, as the form never sent it
    assert job_params.from_json(storyboard_forms.RenderScene, {**stored, "old_param": 1}) == params


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_frame_was_deleted_ends_cancelled_without_an_error(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    frame = a_frame(cast)
    job = job_services.job_start(access=editor(cast), kind="render_frame", params={"frame": str(frame.public_id)})
    frame.delete()
    with caplog.at_level(logging.INFO):
        assert run_job.apply(args=(str(job.public_id),)).get() == "cancelled"
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.message == services.VANISHED_MESSAGE and not job.error
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_project_was_deleted_mid_run_ends_quietly(cast: Cast) -> None:
    job = job_services.job_start(access=editor(cast), kind="test_steps", params={"steps": 2, "step_seconds": 0})
    outcome, claim, _ = services.job_claim(public_id=str(job.public_id), worker="test")
    assert outcome == "claimed" and claim is not None
    cast.project.delete()  # the job row goes with its project
    assert not GenerationJob.objects.filter(pk=job.pk).exists()
    assert services.job_end_vanished(claim=claim) is False  # nothing left to record, and no error
