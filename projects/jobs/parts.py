"""The htmx partials for jobs, rendered the same way for pages and for websocket pushes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from django.template.loader import render_to_string

from generation.events import JobState

JOBS_TEMPLATE = "generation/_jobs.html"
_CACHE_SIZE = 512
# Many sockets in one process show the same job: render each (job, seq, view) once.
_cache: OrderedDict[tuple[str, int, str, bool], str] = OrderedDict()


def _cached(key: tuple[str, int, str, bool], render: Callable[[], str]) -> str:
    html = _cache.get(key)
    if html is None:
        html = render()
        _cache[key] = html
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return html


def job_row_html(state: JobState, *, can_write: bool, published_at: float | None = None) -> str:
    """One job's row; `published_at` (from the event) lets clients measure delivery delay."""
    context = {"job": state, "can_write": can_write, "published_at": published_at}
    return _cached(
        (state["public_id"], state["seq"], "row", can_write),
        lambda: render_to_string(f"{JOBS_TEMPLATE}#job", context),
    )


def job_created_html(state: JobState, *, can_write: bool, published_at: float | None = None) -> str:
    """A new job's row, inserted at the top of the jobs panel (htmx out-of-band afterbegin)."""
    context = {"job": state, "can_write": can_write, "published_at": published_at}
    return _cached(
        (state["public_id"], state["seq"], "created", can_write),
        lambda: render_to_string(f"{JOBS_TEMPLATE}#job-created", context),
    )


def job_detail_html(state: JobState, *, can_write: bool, published_at: float | None = None) -> str:
    context = {"job": state, "can_write": can_write, "published_at": published_at}
    return _cached(
        (state["public_id"], state["seq"], "detail", can_write),
        lambda: render_to_string(f"{JOBS_TEMPLATE}#job-detail", context),
    )


def jobs_panel_html(states: list[JobState], *, can_write: bool, project_public_id: str) -> str:
    return render_to_string(
        f"{JOBS_TEMPLATE}#panel",
        {"jobs": states, "can_write": can_write, "project_public_id": project_public_id},
    )
