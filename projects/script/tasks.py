"""Project tasks: settling the script after edits (on the light `default` queue)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from projects.script import services as script_services


@shared_task(name="projects.settle_script", acks_late=True)
def settle_script(project_public_id: str) -> bool:
    """Turn the edited CRDT document into text, a revision and the breakdown. Idempotent."""
    # Clear the throttle first: an edit that lands while we run schedules the next settle.
    script_services._redis().delete(script_services._settle_key(project_public_id))
    return script_services.script_settle(project_public_id=project_public_id)


@shared_task(name="projects.settle_pending_scripts")
def settle_pending_scripts() -> int:
    """Periodic: settle scripts whose edits were stored while their settle could not be queued."""
    return script_services.scripts_settle_pending()


@worker_ready.connect
def _settle_on_start(**_: Any) -> None:
    # Edits stored while Redis (or every worker) was down settle as soon as a worker is back.
    settle_pending_scripts.delay()
