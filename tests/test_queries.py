"""Hot pages keep a fixed number of queries as a project grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import JobFactory, MembershipFactory, ProjectFactory, UserFactory

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
