"""A job's row on an open page: the first event to arrive for a job inserts its row, whatever its order."""

from __future__ import annotations

import pytest

from generation.events import job_state
from generation.models import GenerationJob
from projects.jobs import parts as job_parts
from projects.live.parts import Page
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast
from tests.factories import JobFactory


@pytest.mark.django_db
def test_a_progress_event_that_overtakes_the_created_one_still_inserts_the_row(cast: Cast) -> None:
    access = project_access_for_user(user=cast.viewer, public_id=cast.project.public_id)
    page = Page(user=cast.viewer, access=access, anchor="", object_id="")
    job: GenerationJob = JobFactory(project=cast.project, requested_by=cast.editor)  # type: ignore[assignment]
    job.seq, job.progress = 2, 0.3
    started = job_state(job)
    # The worker's first progress arrives before the request's "created" event (both sent as it commits).
    assert page.is_fresh(started)
    html = job_parts._row(page, {"type": "job.event", "event": "updated", "job": started})
    assert 'hx-swap-oob="afterbegin:#jobs-panel"' in html and started["public_id"] in html
    # The next progress replaces that row; the late "created" (older) is dropped before it is rendered.
    job.seq = 3
    later = job_state(job)
    assert page.is_fresh(later)
    assert "afterbegin" not in job_parts._row(page, {"type": "job.event", "event": "updated", "job": later})
    job.seq = 1
    assert not page.is_fresh(job_state(job))
