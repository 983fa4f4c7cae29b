# SPDX-License-Identifier: GPL-3.0-or-later
"""Write screenplay follows the logline, the command writes what the job writes, and endpoints that
take a JSON schema get the outline and shot lists asked as JSON (with the staged path as fallback).

The words come from the fake endpoint of tests/fake_llm.py through the studio's real OpenAIBackend,
the real runners and the real `run_job` task, so these take seconds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from generation.engines.story import extract, valid_heading
from generation.engines.story.checks import narrates
from generation.models import GenerationJob, ModelBackend, ModelEntry, ModelKind
from generation.tasks import run_job
from projects import fountain
from projects.jobs import services as job_services
from projects.models import Project, Shot
from projects.script import crdt
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast
from tests.fake_llm import FakeLLM, fake_llm

pytestmark = pytest.mark.django_db(transaction=True)
LOGLINE = "Emma, a retired cop, follows a stranger with a brass lamp through the harbour at night."


@pytest.fixture
def server(transactional_db: None) -> Iterator[FakeLLM]:
    with fake_llm() as state:
        ModelEntry.objects.create(
            name="Fake screenwriter",
            kind=ModelKind.TEXT,
            backend=ModelBackend.OPENAI,
            location=state.url,
            model_name="fake",
            source="tests/fake_llm.py",
            license="test only",
        )
        yield state


def model_id() -> str:
    return str(ModelEntry.objects.get(name="Fake screenwriter").public_id)


def run(project: Project, cast: Cast, kind: str, **params: Any) -> GenerationJob:
    access = project_access_for_user(user=cast.owner, public_id=project.public_id, needs="editor")
    job = job_services.job_start(access=access, kind=kind, params={**params, "model": model_id()})
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded", GenerationJob.objects.get(pk=job.pk).error
    job.refresh_from_db()
    return job


def script_text(project: Project) -> str:
    return crdt.text_of(script_services.script_doc(project))


def test_the_script_follows_the_logline(cast: Cast, server: FakeLLM) -> None:
    job = run(cast.project, cast, "write_screenplay", logline=LOGLINE, scenes=3, seed=7)
    script = fountain.parse(script_text(cast.project))
    headings = [e.text for e in script.elements if e.kind == "scene_heading"]
    cues = {fountain.cue_name(e.text)[0] for e in script.elements if e.kind == "character"}
    story = extract(LOGLINE)
    assert [p.cue for p in story.people] == ["EMMA", "STRANGER"]
    assert cues == {"EMMA", "STRANGER"}  # the logline's people speak, and no one else
    assert all(valid_heading(h) for h in headings) and len(headings) == 3
    assert any("HARBOUR" in h for h in headings)
    assert headings[1].endswith(" - NIGHT")  # the turn comes at the time the logline names
    lines = [e.text for e in script.elements if e.kind == "dialogue"]
    assert lines and not any(narrates(line, sorted(cues)) for line in lines)
    for beat, body in zip(job.result["outline"], job.result["scenes"], strict=True):
        assert all(noun in body.lower() for noun in beat["nouns"])  # each scene holds what it is about
    assert job.result["provenance"]["prompt_version"] == "fountain-story-2"


def test_the_command_writes_the_script_the_job_writes(cast: Cast, server: FakeLLM, tmp_path: Path) -> None:
    run(cast.project, cast, "write_screenplay", logline=LOGLINE, scenes=3, seed=11)
    out = tmp_path / "draft.fountain"
    call_command(
        "write_screenplay", logline=LOGLINE, scenes=3, seed=11, model="Fake screenwriter", out=str(out), verbosity=0
    )
    assert out.read_text(encoding="utf-8") == script_text(cast.project)

    other = tmp_path / "other.fountain"
    call_command("write_screenplay", logline=LOGLINE, scenes=3, seed=12, model="Fake screenwriter", out=str(other))
    assert other.read_text(encoding="utf-8") != out.read_text(encoding="utf-8")  # the seed matters


def test_the_command_refuses_bad_options(server: FakeLLM, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No enabled text model named"):
        call_command("write_screenplay", logline=LOGLINE, model="Nobody", out=str(tmp_path / "x.fountain"))
    with pytest.raises(CommandError, match="scenes"):
        call_command(
            "write_screenplay", logline=LOGLINE, scenes=20, model="Fake screenwriter", out=str(tmp_path / "x.fountain")
        )


def test_an_endpoint_with_json_schemas_writes_the_outline_and_shots_as_json(cast: Cast, server: FakeLLM) -> None:
    job = run(cast.project, cast, "write_screenplay", logline=LOGLINE, scenes=3, rounds=3, seed=5)
    assert job.result["provenance"]["outline"] == "json-schema"
    assert "outline" in server.json_requests
    summaries = [beat["summary"] for beat in job.result["outline"]]
    assert all("circle each other" in s for s in summaries)  # the endpoint's words, kept by code's checks
    headings = [beat["heading"] for beat in job.result["outline"]]
    assert all(valid_heading(h) for h in headings)  # code still owns the headings

    shots = run(cast.project, cast, "shot_list", scene=1, seed=2)
    assert "shot_list" in server.json_requests
    assert shots.result["provenance"]["shots_written"] == "json-schema"
    assert Shot.objects.filter(scene__project=cast.project).count() >= 2


def test_an_endpoint_without_json_schemas_takes_the_staged_path(cast: Cast, server: FakeLLM) -> None:
    server.refuse_schemas = True
    job = run(cast.project, cast, "write_screenplay", logline=LOGLINE, scenes=3, rounds=3, seed=5)
    assert job.result["provenance"]["outline"] == "code"
    assert server.json_requests == []
    assert all(valid_heading(b["heading"]) for b in job.result["outline"])
    shots = run(cast.project, cast, "shot_list", scene=1, seed=2)
    assert shots.result["provenance"]["shots_written"] == "staged"


def test_a_model_entry_can_turn_json_schemas_off(cast: Cast, server: FakeLLM) -> None:
    ModelEntry.objects.filter(name="Fake screenwriter").update(config={"structured": "off"})
    job = run(cast.project, cast, "write_screenplay", logline=LOGLINE, scenes=2, rounds=2, seed=5)
    assert job.result["provenance"]["outline"] == "code"
    assert server.json_requests == []
