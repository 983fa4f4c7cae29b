"""Character bios and shot lists from a real script with the real default model (tasks called directly)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from generation.engines.breakdown_writing import plan_shots
from generation.models import JobStatus
from generation.tasks import run_job
from projects import fountain
from projects.jobs import services as job_services
from projects.models import Character, RevisionSource, Scene, Shot
from projects.script import crdt
from projects.script.services import script_doc, script_replace_text
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, screenplay

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
]


def test_shots_follow_the_scene_structure() -> None:
    text = (
        "EXT. PATIO - DAY\n\nBrick sits with a beer.\n\nSTEEL\nBeer's ready!\n\nBRICK\nAre they cold?\n\n"
        "A can hisses open.\n"
    )
    elements = [(e.kind, e.text, e.start_line, e.end_line) for e in fountain.parse(text).elements]
    plans = plan_shots(elements, ["BRICK", "STEEL"])
    assert [(p.shot_type, p.subjects) for p in plans] == [
        ("wide", ["BRICK", "STEEL"]),
        ("ots", ["STEEL", "BRICK"]),
        ("close-up", ["BRICK"]),
        ("insert", []),
    ]
    assert (plans[1].start_line, plans[1].end_line) == (5, 6)


@pytest.mark.django_db(transaction=True)
@pytest.mark.heavy
def test_bios_and_a_shot_list_come_from_the_script(cast: Cast) -> None:
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    script_replace_text(
        access=access, text=screenplay("Brick-and-Steel.fountain").read_text(), source=RevisionSource.IMPORT
    )
    bios_job = job_services.job_start(
        access=access, kind="character_bios", params={"characters": "BRICK, STEEL", "seed": 5}
    )
    assert run_job.apply(args=(str(bios_job.public_id),)).get() == "succeeded"
    bios_job.refresh_from_db()
    for name in ("BRICK", "STEEL"):
        character = Character.objects.get(project=cast.project, name=name)
        assert character.look and character.personality, (name, bios_job.result)
        assert character.bio_provenance["seed"] == 5 and character.bio_provenance["model"].startswith("SmolLM2")

    shots_job = job_services.job_start(access=access, kind="shot_list", params={"scene": 1, "seed": 9})
    assert run_job.apply(args=(str(shots_job.public_id),)).get() == "succeeded"
    scene = Scene.objects.get(project=cast.project, position=0)
    shots = list(Shot.objects.filter(scene=scene))
    assert shots[0].shot_type == "wide" and len(shots) >= 4
    assert all(s.description for s in shots)
    assert all(scene.start_line <= s.start_line <= s.end_line <= scene.end_line for s in shots[1:])
    assert {"BRICK", "STEEL"} <= {name for s in shots for name in s.subjects}

    client = Client()
    client.force_login(cast.viewer)
    report = client.get(
        reverse("projects:script-report", kwargs={"project_id": cast.project.public_id, "report": "shots"})
    ).content.decode()
    assert shots[0].description in report
    characters = client.get(
        reverse("projects:script-report", kwargs={"project_id": cast.project.public_id, "report": "characters"})
    ).content.decode()
    assert Character.objects.get(project=cast.project, name="BRICK").look in characters

    missing = job_services.job_start(access=access, kind="shot_list", params={"scene": 99})
    assert run_job.apply(args=(str(missing.public_id),)).get() == "failed"
    missing.refresh_from_db()
    assert missing.status == JobStatus.FAILED and missing.error == "The script has no scene 99."


TWO_SCENES = (
    "INT. DINER - NIGHT\n\nEdward waits in a booth with two coffees.\n\nEDWARD\nYou're late.\n\n"
    "WILL\nI'm always late.\n\nEXT. RIVER - DAY\n\nThe water is high and brown.\n"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.heavy
def test_continue_from_the_cursor_writes_there_and_nowhere_else(cast: Cast) -> None:
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    script_replace_text(access=access, text=TWO_SCENES, source=RevisionSource.IMPORT)
    cursor = TWO_SCENES.index("EXT. RIVER")  # the browser's offset (ASCII: UTF-16 units = characters)
    job = job_services.job_start(
        access=access, kind="continue_script", params={"cursor": cursor, "rounds": 2, "seed": 3}
    )
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"
    job.refresh_from_db()
    text = crdt.text_of(script_doc(cast.project))
    assert text.startswith(TWO_SCENES[:cursor]) and text.endswith(TWO_SCENES[cursor:])
    added = text[cursor : len(text) - len(TWO_SCENES[cursor:])]
    assert all(block in added for block in job.result["added"]) and job.result["added"]
    assert [e.kind for e in fountain.parse(added).elements][:1] in (["action"], ["character"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.heavy
def test_rewriting_a_scene_replaces_only_that_scene(cast: Cast) -> None:
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id, needs="editor")
    script_replace_text(access=access, text=TWO_SCENES, source=RevisionSource.IMPORT)
    job = job_services.job_start(
        access=access, kind="rewrite_scene", params={"scene": 1, "instruction": "make it tense", "rounds": 3, "seed": 8}
    )
    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"
    job.refresh_from_db()
    assert job.result["placed"] == "replaced the scene"
    text = crdt.text_of(script_doc(cast.project))
    river = TWO_SCENES[TWO_SCENES.index("EXT. RIVER") :]
    assert text.startswith("INT. DINER - NIGHT\n\n") and text.endswith(river)
    assert "Edward waits in a booth" not in text
    headings = [e.text for e in fountain.parse(text).elements if e.kind == "scene_heading"]
    assert headings == ["INT. DINER - NIGHT", "EXT. RIVER - DAY"]
