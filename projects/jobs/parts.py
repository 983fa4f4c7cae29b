"""The htmx partials for jobs, the same for pages and for socket pushes; the live parts "jobs" and "job"."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from django.template.loader import render_to_string

from generation.events import JobState, job_group, job_state, project_group
from projects.jobs import selectors as job_selectors
from projects.live import parts as live_parts
from projects.live.parts import Event, Page

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


def _panel(page: Page) -> str:
    states = [job_state(job) for job in job_selectors.job_list_for_project(access=page.access)]
    for state in states:
        page.has_seen(state)
    return jobs_panel_html(states, can_write=page.can_write, project_public_id=page.project_id)


def _row(page: Page, event: Event) -> str:
    # A job's "created" event can arrive after its first progress (the worker starts it as the request commits):
    # whichever comes first inserts the row; the late "created" is then older than what the page has and dropped.
    new = page.adds_row(event["job"])
    render = job_created_html if event["event"] == "created" or new else job_row_html
    return render(event["job"], can_write=page.can_write, published_at=event.get("published_at"))


def _detail(page: Page) -> str:
    found = job_selectors.job_access_for_user(user=page.user, public_id=page.object_id)
    state = job_state(found.job)
    page.last_seq[state["public_id"]] = state["seq"]
    return job_detail_html(state, can_write=page.can_write)


def _detail_event(page: Page, event: Event) -> str:
    state: JobState = event["job"]
    if state["public_id"] != page.object_id:
        return ""
    return job_detail_html(state, can_write=page.can_write, published_at=event.get("published_at"))


# Every page with a jobs panel: its rows, live (a new job is inserted at the top).
live_parts.register(
    "jobs", group=lambda page: project_group(page.project_id), initial=_panel, on={"job.event": _row}, queries=False
)
# A job's own page.
live_parts.register(
    "job",
    anchor="job",
    group=lambda page: job_group(page.object_id),
    initial=_detail,
    on={"job.event": _detail_event},
    queries=False,
)
