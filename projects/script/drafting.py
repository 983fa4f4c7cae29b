# SPDX-License-Identifier: GPL-3.0-or-later
"""A screenplay from a logline, written into a script: the one path that the *Write screenplay*
job (into the project's shared document) and `manage.py write_screenplay` (into a file) both take,
so the same seed writes the same script."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pycrdt import Doc

from generation.engines import screenplay
from generation.engines.base import JobFailed
from generation.engines.text import Sampling, TextBackend
from projects.models import Project
from projects.script import crdt
from projects.script import services as script_services

ROUNDS = ("action", "line", "line", "action", "line", "line", "action", "line", "line", "line")


class ScriptSink(Protocol):
    """Where the words go: headings first (an anchor per scene), then each accepted block at its anchor."""

    def earlier(self) -> dict[str, Any]: ...

    def begin(self, headings: list[str], record: dict[str, Any]) -> list[bytes]: ...

    def insert(self, anchor: bytes, block: str, key: list[int]) -> None: ...


@dataclass
class ProjectSink:
    """The project's shared script; every write is recorded in the job's checkpoint with it."""

    project: Project
    run: script_services.JobRun

    def earlier(self) -> dict[str, Any]:
        return script_services.generation_checkpoint(run=self.run)

    def begin(self, headings: list[str], record: dict[str, Any]) -> list[bytes]:
        return script_services.generation_begin(project=self.project, headings=headings, run=self.run, record=record)

    def insert(self, anchor: bytes, block: str, key: list[int]) -> None:
        script_services.generation_insert(project=self.project, anchor=anchor, block=block, run=self.run, key=key)


@dataclass
class DocSink:
    """A document of its own (for the command): the same CRDT edits as the shared script gets."""

    doc: Doc = field(default_factory=lambda: crdt.load(b""))

    def earlier(self) -> dict[str, Any]:
        return {}

    def begin(self, headings: list[str], record: dict[str, Any]) -> list[bytes]:
        return crdt.append_sections(self.doc, headings)[1]

    def insert(self, anchor: bytes, block: str, key: list[int]) -> None:
        crdt.insert_at_anchor(self.doc, anchor, block)

    def text(self) -> str:
        return crdt.text_of(self.doc)


@dataclass
class Written:
    beats: list[screenplay.Beat]
    characters: list[str]
    scenes: list[screenplay.Scene]
    outline_mode: str
    rejected: dict[str, int]


def outline_record(beats: list[screenplay.Beat]) -> list[dict[str, Any]]:
    """The outline as the job's checkpoint and result keep it."""
    return [
        {"heading": b.heading, "summary": b.summary, "kind": b.kind, "people": b.people, "nouns": b.nouns}
        for b in beats
    ]


def write_screenplay_into(
    sink: ScriptSink,
    backend: TextBackend,
    *,
    logline: str,
    scenes: int,
    rounds: int,
    sampling: Sampling,
    on_progress: Callable[[float, str], None] = lambda fraction, message: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Written:
    """Logline -> outline -> scenes, each accepted block inserted at its scene's anchor."""
    tails = [""] * scenes
    state: dict[str, Any] = {"fraction": 0.0}
    rejected: dict[str, int] = {}

    def step(fraction: float, message: str) -> None:
        state["fraction"] = fraction
        on_progress(fraction, message)

    def tokens(scene: int, text: str) -> None:
        # The words as the model writes them, shown live on the job; the script gets checked blocks.
        tails[scene] = (tails[scene] + text)[-120:]
        on_progress(state["fraction"], f"Scene {scene + 1}: …{tails[scene].strip()[-90:]}")

    def reject(kind: str, reason: str) -> None:
        rejected[reason] = rejected.get(reason, 0) + 1

    earlier = sink.earlier()
    done = {(scene, number): block for scene, number, block in earlier.get("written", [])}

    def accepted(scene: int, number: int, block: str) -> None:
        sink.insert(anchors[scene], block, [scene, number])

    progress = screenplay.Progress(step=step, tokens=tokens, accepted=accepted, should_stop=cancelled, rejected=reject)
    if earlier.get("anchors"):
        # An earlier run (its worker died, or it was retried) wrote the headings and some blocks:
        # go on after them with its outline, instead of writing the script a second time.
        beats = [
            screenplay.Beat(
                heading=b["heading"],
                summary=b["summary"],
                kind=b.get("kind", ""),
                people=list(b.get("people", [])),
                nouns=list(b.get("nouns", [])),
            )
            for b in earlier["outline"]
        ]
        characters = list(earlier["characters"])
        mode = str(earlier.get("outline_mode", "code"))
        anchors = [script_services.decode_anchor(a) for a in earlier["anchors"]]
        step(0.2, f"Resuming after the {len(done)} block(s) already in the script")
    else:
        try:
            drafted = screenplay.write_outline(backend, logline, scenes, sampling, progress)
        except ValueError as exc:
            raise JobFailed(f"Could not outline this logline ({exc}). Try another seed or a bigger model.") from exc
        beats, characters, mode = drafted.beats, drafted.characters, drafted.mode
        anchors = sink.begin(
            [b.heading for b in beats],
            {"outline": outline_record(beats), "characters": characters, "outline_mode": mode},
        )
    written = screenplay.write_scenes(
        backend, logline, beats, characters, sampling, progress, rounds=ROUNDS[:rounds], done=done
    )
    return Written(beats, characters, written, mode, rejected)
