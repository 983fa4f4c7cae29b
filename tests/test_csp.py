"""Content-Security-Policy: every page says where scripts, styles, sockets and media may come from,
and no page carries script of its own (inline code or handlers), so injected markup can't run."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from generation.paths import project_media_root
from projects.models import Frame, Scene
from tests.conftest import Cast
from tests.factories import CharacterFactory, JobFactory

pytestmark = pytest.mark.django_db


def policy(response: object) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def pages(cast: Cast) -> list[str]:
    project = cast.project.public_id
    character = CharacterFactory.create(project=cast.project, name="EDWARD")
    scene = Scene.objects.create(
        project=cast.project, position=0, number="1", heading="INT. DINER - NIGHT", start_line=1, end_line=3
    )
    frame = Frame.objects.create(project=cast.project, scene=scene, scene_heading=scene.heading, position=0)
    return [
        reverse("projects:list"),
        reverse("projects:detail", kwargs={"project_id": project}),
        reverse("projects:members", kwargs={"project_id": project}),
        reverse("projects:script", kwargs={"project_id": project}),
        reverse("projects:characters", kwargs={"project_id": project}),
        reverse("projects:character", kwargs={"project_id": project, "character_id": character.public_id}),
        reverse("projects:storyboard", kwargs={"project_id": project}),
        reverse("projects:frame", kwargs={"project_id": project, "frame_id": frame.public_id}),
        reverse("projects:animatic", kwargs={"project_id": project}),
        reverse("jobs:models", kwargs={"project_id": project}),
        reverse("jobs:detail", kwargs={"job_id": JobFactory.create(project=cast.project).public_id}),
        reverse("password_change"),
        reverse("about"),
    ]


def test_pages_carry_a_policy_that_allows_only_the_studios_own_scripts(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.owner)
    for url in pages(cast):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"], url  # no 'unsafe-inline', no 'unsafe-eval'
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert set(directives["img-src"]) == {"'self'", "data:", "blob:"} and directives["media-src"] == ["'self'"]
        # The live sockets: this host only, over ws: or wss:.
        assert set(directives["connect-src"]) == {"'self'", "ws://testserver", "wss://testserver"}


def test_the_login_page_and_media_files_carry_it_too(cast: Cast) -> None:
    assert "script-src 'self'" in Client().get(reverse("login"))["Content-Security-Policy"]
    path = project_media_root(cast.project.public_id) / "jobs" / "j" / "frame.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x89PNG")
    client = Client()
    client.force_login(cast.viewer)
    url = reverse("projects:media", kwargs={"project_id": cast.project.public_id, "relative": "jobs/j/frame.png"})
    assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""<[^>]+\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE)


def test_no_page_carries_inline_script_or_event_handlers(cast: Cast) -> None:
    """The policy would block them: every behaviour lives in static/js."""
    client = Client()
    client.force_login(cast.owner)
    for url in pages(cast):
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html))
        assert not HANDLER.search(html), (url, HANDLER.search(html))
        # htmx never evaluates attribute code (hx-on, js: values) on these pages.
        assert '"allowEval":false' in html.replace(" ", ""), url
