"""Project media is served only to members, never outside the project folder."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from generation.paths import project_media_root
from tests.conftest import Cast
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def put(project_public_id: object, relative: str, data: bytes = b"frame") -> None:
    path = project_media_root(str(project_public_id)) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def media_url(cast: Cast, relative: str) -> str:
    return reverse("projects:media", kwargs={"project_id": cast.project.public_id, "relative": relative})


def test_members_download_with_the_right_type(cast: Cast) -> None:
    put(cast.project.public_id, "jobs/j1/frame.png", b"\x89PNG...")
    client = Client()
    client.force_login(cast.viewer)
    response = client.get(media_url(cast, "jobs/j1/frame.png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG..."  # type: ignore[attr-defined]


@pytest.mark.parametrize("relative", ["../other/secret.txt", "jobs/../../x", "jobs/j1/.hidden", "jobs/j1", "nope.png"])
def test_traversal_hidden_files_folders_and_missing_files_are_404(cast: Cast, relative: str) -> None:
    other = ProjectFactory.create()
    put(other.public_id, "secret.txt")
    put(cast.project.public_id, "jobs/j1/.hidden")
    client = Client()
    client.force_login(cast.owner)
    assert client.get(media_url(cast, relative)).status_code == 404


def test_another_projects_file_is_404_for_a_member_of_this_one(cast: Cast) -> None:
    other = ProjectFactory.create()
    put(other.public_id, "jobs/j/report.json")
    client = Client()
    client.force_login(cast.owner)
    url = reverse("projects:media", kwargs={"project_id": other.public_id, "relative": "jobs/j/report.json"})
    assert client.get(url).status_code == 404


def test_production_hands_the_file_to_the_front_server(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    put(cast.project.public_id, "jobs/j1/a.json", b"{}")
    client = Client()
    client.force_login(cast.viewer)
    settings.MEDIA_ACCEL = "x-accel"
    response = client.get(media_url(cast, "jobs/j1/a.json"))
    assert response["X-Accel-Redirect"] == f"/protected-media/projects/{cast.project.public_id}/jobs/j1/a.json"
    assert response.content == b""
    settings.MEDIA_ACCEL = "x-sendfile"
    response = client.get(media_url(cast, "jobs/j1/a.json"))
    assert response["X-Sendfile"].endswith(f"projects/{cast.project.public_id}/jobs/j1/a.json")


@pytest.mark.parametrize("name", ["page.html", "x.svg", "app.js", "doc.xhtml", "feed.xml", "noextension"])
@pytest.mark.parametrize("accel", ["", "x-accel", "x-sendfile"])
def test_types_the_studio_never_writes_are_downloads_never_pages(
    cast: Cast, name: str, accel: str, settings: Any
) -> None:
    """An imported archive could carry HTML or SVG: it must never run as a page of the studio's origin."""
    put(cast.project.public_id, f"imported/{name}", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")
    settings.MEDIA_ACCEL = accel
    client = Client()
    client.force_login(cast.owner)
    response = client.get(media_url(cast, f"imported/{name}"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("frame.png", "image/png"),
        ("face.JPG", "image/jpeg"),
        ("still.webp", "image/webp"),
        ("cut.mp4", "video/mp4"),
        ("line.wav", "audio/wav"),
        ("captions.vtt", "text/vtt"),
        ("storyboard.pdf", "application/pdf"),
        ("report.json", "application/json"),
    ],
)
def test_the_studios_own_types_are_shown_inline_with_nosniff(cast: Cast, name: str, content_type: str) -> None:
    put(cast.project.public_id, f"jobs/j1/{name}")
    client = Client()
    client.force_login(cast.viewer)
    response = client.get(media_url(cast, f"jobs/j1/{name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
