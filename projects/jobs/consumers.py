"""The job's live socket: one job's detail page, for every member watching it."""

from __future__ import annotations

from projects.jobs import selectors as job_selectors
from projects.live.consumers import PageConsumer
from projects.teams.selectors import AnyUser, ProjectAccess


class JobConsumer(PageConsumer):
    """ws/jobs/<uuid>/: one job's detail page, live."""

    anchor = "job"
    url_kwarg = "job_id"
    default_parts = frozenset({"job"})

    def find(self, user: AnyUser, object_id: str) -> ProjectAccess:
        return job_selectors.job_access_for_user(user=user, public_id=object_id).access
