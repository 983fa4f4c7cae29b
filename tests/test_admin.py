"""The admin: every model listed and searchable; staff cancel and retry jobs."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from generation.models import GenerationJob, JobStatus
from projects.script import crdt
from projects.script.services import script_doc, script_settle, script_update_append
from tests.conftest import Cast
from tests.factories import JobFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(UserFactory.create(username="admin", is_staff=True, is_superuser=True))
    return client


def test_every_model_of_ours_is_in_the_admin() -> None:
    ours = [m for app in ("projects", "generation") for m in apps.get_app_config(app).get_models()]
    assert ours and all(admin.site.is_registered(m) for m in ours)


@pytest.mark.parametrize(
    "model",
    [
        "projects.project",
        "projects.membership",
        "generation.generationjob",
        "projects.screenplay",
        "projects.revision",
        "projects.scriptupdate",
        "projects.scene",
        "projects.character",
        "projects.location",
    ],
)
def test_changelists_load_search_and_filter(staff: Client, cast: Cast, model: str) -> None:
    JobFactory.create(project=cast.project, requested_by=cast.editor)
    doc = script_doc(cast.project)
    update = crdt.insert(doc, 0, "INT. DINER - NIGHT\n\nEDWARD\nBig Fish.\n")
    script_update_append(project=cast.project, author_id=cast.editor.pk, update=update)
    script_settle(project_public_id=str(cast.project.public_id))
    app_label, name = model.split(".")
    url = reverse(f"admin:{app_label}_{name}_changelist")
    page = staff.get(url, {"q": "Big"})
    assert page.status_code == 200
    assert "Big Fish" in page.content.decode()
    assert staff.get(url, {"q": "zzz-nothing"}).context["cl"].result_count == 0


def test_staff_cancel_and_retry_jobs_from_the_admin(staff: Client, cast: Cast) -> None:
    running = JobFactory.create(project=cast.project, status=JobStatus.RUNNING)
    failed = JobFactory.create(project=cast.project, status=JobStatus.FAILED, error="boom")
    url = reverse("admin:generation_generationjob_changelist")
    staff.post(url, {"action": "cancel_jobs", "_selected_action": [running.pk, failed.pk]})
    assert GenerationJob.objects.get(pk=running.pk).status == JobStatus.CANCELLED
    assert GenerationJob.objects.get(pk=failed.pk).status == JobStatus.FAILED  # skipped: already finished
    staff.post(url, {"action": "retry_jobs", "_selected_action": [failed.pk]})
    retried = GenerationJob.objects.get(pk=failed.pk)
    assert retried.status == JobStatus.QUEUED and retried.error == ""
