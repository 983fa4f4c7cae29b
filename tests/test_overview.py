"""The Studio page's pipeline overview: what each stage says, what it offers next, and that it moves live."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import Animatic, Character, Frame, Scene, Shot
from projects.teams.overview import project_overview
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, make_cast
from tests.sockets import connect_as
from tests.stages import frames_without_rendering, load_script

pytestmark = pytest.mark.django_db


def overview_for(cast: Cast):  # type: ignore[no-untyped-def]
    return project_overview(access=project_access_for_user(user=cast.viewer, public_id=cast.project.public_id))


def stage(cast: Cast, key: str):  # type: ignore[no-untyped-def]
    return next(s for s in overview_for(cast).stages if s.key == key)


def test_a_new_project_is_asked_for_its_script_first(cast: Cast) -> None:
    cast.project.logline = "A projectionist finds the last reel of a lost film is still being shot."
    cast.project.save()
    overview = overview_for(cast)
    assert overview.next_key == "script" and not any(s.done for s in overview.stages)
    client = Client()
    client.force_login(cast.editor)
    html = client.get(reverse("projects:detail", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert 'id="overview-write-form"' in html
    form = html[html.index('id="overview-write-form"') : html.index("</form>", html.index('id="overview-write-form"'))]
    assert cast.project.logline in form and 'value="write_screenplay"' in form
    # The job form opens on writing the screenplay, prefilled with the logline.
    first = re.search(r'data-kind-select>\s*<option value="(\w+)"', html)
    assert first and first[1] == "write_screenplay"

    viewer = Client()
    viewer.force_login(cast.viewer)
    html = viewer.get(reverse("projects:detail", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert 'id="project-overview"' in html and "<form" not in html[html.index('id="project-overview"') :]


def test_each_stage_follows_the_project(cast: Cast) -> None:
    load_script(cast)
    scenes = Scene.objects.filter(project=cast.project).count()
    script = stage(cast, "script")
    assert script.done and script.summary.startswith(f"{scenes} scenes")
    cast_stage = stage(cast, "characters")
    characters = Character.objects.filter(project=cast.project, in_script=True).count()
    assert not cast_stage.done and cast_stage.summary == f"0 of {characters} characters have a face"
    assert overview_for(cast).next_key == "characters"
    # The next step names the character to design first: the one with the most dialogue and no face yet.
    lead = Character.objects.filter(project=cast.project, in_script=True).order_by("-dialogue_words", "name").first()
    assert lead is not None and overview_for(cast).faceless == lead
    client = Client()
    client.force_login(cast.editor)
    html = client.get(reverse("projects:detail", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert f'/characters/{lead.public_id}/" id="overview-design-link"' in html

    first_scene = Scene.objects.filter(project=cast.project).order_by("position").first()
    assert first_scene is not None
    frames = frames_without_rendering(cast, first_scene)
    board = stage(cast, "storyboard")
    assert not board.done and board.summary == f"0 of {len(frames)} frames rendered" and not board.pictures
    now = timezone.now()
    Frame.objects.filter(pk__in=[f.pk for f in frames]).update(
        image="frames/x/frame.png", rendered_at=now, rendered_spec_version=F("spec_version")
    )
    board = stage(cast, "storyboard")
    assert board.done and len(board.pictures) == min(6, len(frames))
    Frame.objects.filter(pk=frames[0].pk).update(is_stale=True)
    board = stage(cast, "storyboard")
    assert not board.done and board.summary.endswith("1 stale")
    Frame.objects.filter(pk=frames[0].pk).update(is_stale=False)
    # A frame whose set changed since its render is not rendered as it stands.
    Frame.objects.filter(pk=frames[1].pk).update(spec_version=frames[1].spec_version + 1)
    board = stage(cast, "storyboard")
    assert not board.done and board.summary == f"{len(frames) - 1} of {len(frames)} frames rendered"
    Frame.objects.filter(pk=frames[1].pk).update(spec_version=frames[1].spec_version)
    # Frames of a shot removed from the list are kept, stale, for reference: they don't hold the stage back.
    Shot.objects.filter(scene=first_scene, position=frames[-1].position).delete()
    Frame.objects.filter(pk=frames[-1].pk).update(is_stale=True)
    board = stage(cast, "storyboard")
    assert board.done and board.summary == f"{len(frames) - 1} of {len(frames) - 1} frames rendered"

    assert not stage(cast, "animatic").done
    film = Animatic.objects.create(project=cast.project, video="animatics/a/film.mp4", duration_seconds=73, width=640)
    film.height = 360
    film.save()
    animatic = stage(cast, "animatic")
    assert animatic.done and animatic.summary == "1:13 film, 640×360"
    # A frame rendered after the film: the film is behind.
    Frame.objects.filter(pk=frames[1].pk).update(rendered_at=film.created_at + timedelta(seconds=5))
    animatic = stage(cast, "animatic")
    assert not animatic.done and "changed since" in animatic.detail


@pytest.mark.django_db(transaction=True)
async def test_the_studio_page_socket_gets_the_overview_when_frames_change() -> None:
    cast: Cast = await database_sync_to_async(make_cast)()
    base = f"/ws/projects/{cast.project.public_id}/"
    _, studio = await connect_as(cast.viewer, base + "?show=jobs,overview")
    _, plain = await connect_as(cast.viewer, base)
    first = await studio.receive_from(timeout=5)  # connecting (or reconnecting) gets the current state of both
    assert 'id="jobs-panel"' in first and 'id="project-overview"' in first
    await plain.receive_from(timeout=5)
    layer = get_channel_layer()
    # A burst of changes (a storyboard render) is one rebuild of the overview.
    for _ in range(5):
        await layer.group_send(
            f"project.{cast.project.public_id}", {"type": "frame.changed", "frame": str(cast.project.public_id)}
        )
    html = await studio.receive_from(timeout=5)
    assert 'id="project-overview"' in html and 'hx-swap-oob="true"' in html and 'data-stage="storyboard"' in html
    assert await studio.receive_nothing(timeout=0.6)
    assert await plain.receive_nothing(timeout=0.3)
    await studio.disconnect()
    await plain.disconnect()


def test_the_overview_costs_the_same_queries_for_any_project_size(cast: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            overview_for(cast)
        return len(captured)

    empty = queries()
    load_script(cast)
    for scene in Scene.objects.filter(project=cast.project).order_by("position")[:3]:
        frames_without_rendering(cast, scene)
    Frame.objects.filter(project=cast.project).update(image="frames/x/frame.png", rendered_at=timezone.now())
    assert queries() == empty <= 11, empty
