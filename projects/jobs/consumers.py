"""The job's live socket: one job's detail page, for every member watching it."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from generation.events import JobState, job_group, job_state
from projects.jobs import selectors as job_selectors
from projects.jobs.parts import job_detail_html
from projects.live.consumers import ObjectConsumer
from projects.teams.selectors import ProjectAccess


class JobConsumer(ObjectConsumer):
    """ws/jobs/<uuid>/: one job's detail page, live."""

    async def authorize(self) -> ProjectAccess:
        job_id = self.scope["url_route"]["kwargs"]["job_id"]
        found = await database_sync_to_async(job_selectors.job_access_for_user)(
            user=self.scope["user"], public_id=job_id
        )
        self.group = job_group(found.job.public_id)
        self.job_public_id = found.job.public_id
        return found.access

    @database_sync_to_async
    def _detail(self) -> str:
        found = job_selectors.job_access_for_user(user=self.scope["user"], public_id=self.job_public_id)
        state = job_state(found.job)
        self.last_seq[state["public_id"]] = state["seq"]
        return job_detail_html(state, can_write=self.access.can_write)

    async def initial_html(self) -> str:
        return await self._detail()

    async def job_event(self, event: dict[str, Any]) -> None:
        state: JobState = event["job"]
        if self.is_fresh(state):
            await self.send(
                text_data=job_detail_html(
                    state, can_write=self.access.can_write, published_at=event.get("published_at")
                )
            )
