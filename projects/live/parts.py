"""The registry of live page parts: what one page's socket can show, by name, and the events each part follows.

Each stage registers its parts from its own `parts.py` (loaded in `ProjectsConfig.ready`). A part renders
the same htmx partial the stage's views render, so a page and its socket never disagree. A page asks its
one socket for the parts it has (`?show=jobs,sheet`); the socket joins the group each of them needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generation.events import JobState
from projects.teams.selectors import AnyUser, ProjectAccess

Event = dict[str, Any]
# A part's html for an event ("" sends nothing).
Handler = Callable[["Page", Event], str]

# The objects a socket's URL can name. A part on "project" fits every page; the others need their object.
ANCHORS = ("project", "character", "frame", "job")


@dataclass
class Page:
    """One open page, as its socket knows it: who watches, with which access, on which object."""

    user: AnyUser
    access: ProjectAccess
    anchor: str
    object_id: str
    # Per job, the newest state this page has: an older event arriving late never replaces it.
    last_seq: dict[str, int] = field(default_factory=dict)
    # The jobs whose rows this page shows: a job's first event to arrive adds its row, whichever event it is.
    rows: set[str] = field(default_factory=set)

    @property
    def project_id(self) -> str:
        return str(self.access.project.public_id)

    @property
    def can_write(self) -> bool:
        return self.access.can_write

    def has_seen(self, state: JobState) -> None:
        self.last_seq[state["public_id"]] = max(self.last_seq.get(state["public_id"], 0), state["seq"])
        self.rows.add(state["public_id"])

    def adds_row(self, state: JobState) -> bool:
        """True the first time a job reaches this page (its row must be inserted, not replaced)."""
        new = state["public_id"] not in self.rows
        self.rows.add(state["public_id"])
        return new

    def is_fresh(self, state: JobState) -> bool:
        if state["seq"] <= self.last_seq.get(state["public_id"], 0):
            return False
        self.last_seq[state["public_id"]] = state["seq"]
        return True


@dataclass(frozen=True)
class Part:
    """A live part of a page: its group, its html on connect, and its html per event ("" sends nothing).

    Renderers may raise Http404 or PermissionDenied when the part's object is gone or out of reach:
    the socket then closes, as a page about a deleted object has nothing left to show.
    """

    name: str
    group: Callable[[Page], str]
    initial: Callable[[Page], str] | None = None
    on: Mapping[str, Handler] = field(default_factory=dict)
    anchor: str = "project"
    # False: the event handlers render from the event alone (no queries), right in the socket's loop.
    queries: bool = True
    # Above zero: a burst of events within this many seconds is rendered once, after the burst.
    delay: float = 0.0


_parts: dict[str, Part] = {}


def register(
    name: str,
    *,
    group: Callable[[Page], str],
    initial: Callable[[Page], str] | None = None,
    on: Mapping[str, Handler] | None = None,
    anchor: str = "project",
    queries: bool = True,
    delay: float = 0.0,
) -> Part:
    """Register a live part under a unique name (each stage's `parts.py` does this at import)."""
    if anchor not in ANCHORS:
        raise ValueError(f"Unknown anchor {anchor!r} for live part {name!r}")
    if name in _parts:
        raise ValueError(f"The live part {name!r} is registered twice")
    part = Part(name=name, group=group, initial=initial, on=dict(on or {}), anchor=anchor, queries=queries, delay=delay)
    _parts[name] = part
    return part


def get(name: str) -> Part:
    return _parts[name]


def parts_for(anchor: str, names: set[str]) -> list[Part]:
    """The registered parts among `names` that a socket on `anchor` can show, in a stable order."""
    return [_parts[n] for n in sorted(names) if n in _parts and _parts[n].anchor in ("project", anchor)]


def render(name: str, page: Page) -> str:
    """A part's html on connect (the current state); "" for a part that only follows events."""
    part = _parts[name]
    return part.initial(page) if part.initial is not None else ""
