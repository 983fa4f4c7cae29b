"""Hot pages keep a fixed number of queries as a project grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.characters import services as character_services
from projects.models import Frame, FrameComment, Scene
from projects.script import services as script_services
from tests.conftest import Cast
from tests.factories import (
    CharacterFactory,
    JobFactory,
    MembershipFactory,
    PortraitFactory,
    ProjectFactory,
    UserFactory,
)
from tests.stages import frames_without_rendering, load_script

pytestmark = pytest.mark.django_db


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(cast: Cast, jobs: int, members: int) -> None:
    for _ in range(jobs):
        JobFactory.create(project=cast.project, requested_by=UserFactory.create())
    for _ in range(members):
        MembershipFactory.create(project=cast.project)


@pytest.mark.parametrize("url_name", ["projects:detail", "jobs:panel", "projects:members"])
def test_project_pages_do_not_grow_their_queries(cast: Cast, url_name: str) -> None:
    client = Client()
    client.force_login(cast.owner)
    url = reverse(url_name, kwargs={"project_id": cast.project.public_id})
    grow(cast, jobs=2, members=1)
    small = count_queries(client, url)
    grow(cast, jobs=25, members=15)
    assert count_queries(client, url) == small


def test_project_list_does_not_grow_with_projects(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    small = count_queries(client, reverse("projects:list"))
    for _ in range(12):
        project = ProjectFactory.create()
        MembershipFactory.create(project=project, user=cast.owner)
    assert count_queries(client, reverse("projects:list")) == small


# --- the storyboard, a frame, a character sheet ----------------------------------------------------


def screenplay_of(scenes: int) -> str:
    """A script of `scenes` short scenes, two people talking in each."""
    names = ["ANNA", "BEN", "CARA", "DAN", "EVE", "FINN", "GUS"]
    parts = []
    for i in range(scenes):
        a, b = names[i % len(names)], names[(i + 1) % len(names)]
        parts.append(
            f"INT. ROOM {i + 1} - {'DAY' if i % 2 else 'NIGHT'}\n\n{a} waits by the window.\n\n"
            f"{a}\nWhere were you?\n\n{b}\nOut.\n\n{b} drops a set of keys on the table.\n"
        )
    return "\n".join(parts)


def storyboard_of(cast: Cast, scenes: int) -> list[Frame]:
    """The project's script grown to `scenes` scenes, each with its frames and an open note on its first."""
    load_script(cast, name="queries", text=screenplay_of(scenes))
    frames = []
    for scene in Scene.objects.filter(project=cast.project).order_by("position"):
        made = frames_without_rendering(cast, scene)
        if not made[0].comments.exists():
            FrameComment.objects.create(frame=made[0], author=cast.editor, body="Too dark here.")
        frames += made
    return frames


def test_the_storyboard_does_not_grow_its_queries_with_scenes_shots_and_frames(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    url = reverse("projects:storyboard", kwargs={"project_id": cast.project.public_id})
    small = storyboard_of(cast, scenes=2)
    queries = count_queries(client, url)
    large = storyboard_of(cast, scenes=6)
    assert len(large) >= 3 * len(small)
    assert count_queries(client, url) == queries


def test_a_storyboard_scene_does_not_grow_its_queries_with_its_shots(cast: Cast) -> None:
    load_script(cast, name="queries", text=screenplay_of(1))
    scene = Scene.objects.get(project=cast.project)
    client = Client()
    client.force_login(cast.owner)
    url = reverse(
        "projects:storyboard-scene", kwargs={"project_id": cast.project.public_id, "scene_id": scene.public_id}
    )

    def shots(count: int) -> None:
        rows: list[dict[str, object]] = [
            {"shot_type": "medium", "subjects": ["ANNA"], "description": f"Shot {i}."} for i in range(count)
        ]
        script_services.shot_list_replace(scene_id=scene.pk, shots=rows)
        assert len(frames_without_rendering(cast, scene)) == count

    shots(2)
    queries = count_queries(client, url)
    shots(6)
    assert count_queries(client, url) == queries


def test_a_frame_page_does_not_grow_its_queries_with_notes_mentions_or_frames(cast: Cast) -> None:
    frame = storyboard_of(cast, scenes=2)[1]
    client = Client()
    client.force_login(cast.owner)
    url = reverse("projects:frame", kwargs={"project_id": cast.project.public_id, "frame_id": frame.public_id})

    def notes(count: int) -> None:
        for i in range(count):
            note = FrameComment.objects.create(
                frame=frame, author=cast.editor, body=f"@olivia @vera note {i}", resolved=i % 2 == 1
            )
            note.mentions.set([cast.owner, cast.viewer])
            if note.resolved:
                FrameComment.objects.filter(pk=note.pk).update(resolved_by=cast.owner)

    notes(1)
    queries = count_queries(client, url)
    notes(5)
    storyboard_of(cast, scenes=6)
    assert count_queries(client, url) == queries


def test_a_character_sheet_does_not_grow_its_queries_with_designs_faces_or_cast(cast: Cast) -> None:
    edward = CharacterFactory.create(project=cast.project, name="EDWARD", look="Tall.")
    client = Client()
    client.force_login(cast.owner)
    ids = {"project_id": cast.project.public_id, "character_id": edward.public_id}
    url = reverse("projects:character", kwargs=ids)

    def design_runs(count: int) -> None:
        for _ in range(count):
            job = JobFactory.create(project=cast.project, kind="design_candidates", requested_by=cast.editor)
            faces = [PortraitFactory.create(character=edward, job=job, index=i) for i in range(4)]
            character_services.character_choose_identity(character=edward, portrait=faces[1])
            other = CharacterFactory.create(project=cast.project)
            face = PortraitFactory.create(character=other, job=job, index=10)
            character_services.character_choose_identity(character=other, portrait=face)

    design_runs(1)
    queries = count_queries(client, url)
    design_runs(5)
    assert count_queries(client, url) == queries
