"""Rebuild a project's breakdown (scenes, characters, locations) from its settled Fountain text.

The rows are written in short batches, each its own transaction, so other people's writes get in
between them: on SQLite a transaction holds the whole database's write lock, and a single one over
a 223k-scene script held it for minutes, until everyone else's writes failed with "database is
locked". Rows that did not change are not written at all.

Every batch first checks that no newer rebuild has begun (`Screenplay.breakdown_version`): an older
rebuild that finds one stops, and the newer one, which read the newer text, finishes the work. A
finished rebuild records the hash of the text it was built from (`Screenplay.breakdown_of`), so one
that was interrupted (its worker died) is done again at the next settle.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from projects import fountain
from projects.fountain.names import fit_name
from projects.models import CHARACTER_NAME_LENGTH, LOCATION_NAME_LENGTH, Character, Location, Project, Scene, Screenplay

# While scenes change places, each one that moves waits at PARKED + its id: (project, position) is
# unique, and no script has ten million scenes (5 MB of ".X" headings is 1.3 million).
PARKED = 10_000_000
# How often SQLite's busy handler retries a writer that has waited over a third of a second.
SQLITE_RETRY_SECONDS = 0.1
# Told (rows written so far, rows to write) after each batch, outside any transaction.
OnBatch = Callable[[int, int], None]
# built: the breakdown now matches the text; current: it already did; superseded: a newer rebuild took over.
Outcome = Literal["built", "current", "superseded"]
T = TypeVar("T")


class Superseded(Exception):
    """A newer rebuild has begun: this one must write no more."""


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Writer:
    """Runs each batch in its own short transaction, after checking that this rebuild is still the newest."""

    screenplay_id: int
    version: int
    total: int
    on_batch: OnBatch | None
    done: int = 0

    def batch(self, rows: int, write: Callable[..., object], *args: Any) -> None:
        """`write(*args)` runs inside the transaction: read and build rows before, so the lock is held briefly."""
        started = time.monotonic()
        with transaction.atomic():
            current = Screenplay.objects.select_for_update().filter(
                pk=self.screenplay_id, breakdown_version=self.version
            )
            if not current.exists():
                raise Superseded()
            write(*args)
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # A writer waiting for SQLite's lock retries every 100 ms once it has waited a while: a
            # pause as long as the batch (up to that) lets it in instead of the next batch.
            time.sleep(min(time.monotonic() - started, SQLITE_RETRY_SECONDS))
        self.skip(rows)

    def skip(self, rows: int) -> None:
        """Rows that need no writing (they did not change)."""
        self.done += rows
        if self.on_batch is not None:
            self.on_batch(self.done, self.total)


@dataclass
class _Plan:
    delete: list[int] = field(default_factory=list)
    park: list[int] = field(default_factory=list)
    keep: list[tuple[int, int]] = field(default_factory=list)  # (row id, index of its scene)
    create: list[int] = field(default_factory=list)  # indexes of scenes that get new rows


def _scene_values(scene: fountain.SceneInfo, index: int, lines: list[str]) -> dict[str, Any]:
    return {
        "position": index,
        "number": scene.number,
        "int_ext": scene.int_ext[:20],
        "location": fit_name(scene.location, LOCATION_NAME_LENGTH),
        "time_of_day": scene.time_of_day[:100],
        "eighths": scene.eighths,
        "start_line": scene.start_line,
        "end_line": scene.end_line,
        "characters": sorted(fit_name(name, CHARACTER_NAME_LENGTH) for name in scene.characters),
        "synopsis": " ".join(scene.synopses)[:2000],
        "content_hash": hashlib.sha256("\n".join(lines[scene.start_line - 1 : scene.end_line]).encode()).hexdigest(),
    }


@dataclass
class _Changes:
    """Rows whose values changed, written by one UPDATE of just the changed columns, run for each row.

    A prepared statement per row, not bulk_update's CASE over the whole batch: when a line is added at
    the top of a 50,000-scene script every scene's line numbers change, and that took minutes."""

    model: Any
    rows: list[Any] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)

    def add(self, row: Any, values: dict[str, Any]) -> None:
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        if changed:
            self.rows.append(row)
            self.columns.update(changed)

    def statement(self) -> tuple[str, list[list[Any]]]:
        """The UPDATE and its parameters for each row (made before the transaction: it only runs them)."""
        meta = self.model._meta
        fields = [meta.get_field(name) for name in sorted(self.columns)]
        quote = connection.ops.quote_name
        columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        # Names come from the model, values go as parameters.
        sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
        return sql, [
            [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk] for row in self.rows
        ]

    def save(self) -> None:
        if self.rows:
            _execute_many(*self.statement())


def _inserts(model: Any, rows: list[Any]) -> tuple[str, list[list[Any]]]:
    """An INSERT of new rows and its parameters for each (made before the transaction, as above:
    bulk_create builds its SQL inside it, and that was most of the time a 1,000-row batch held SQLite)."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    names, marks = ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
    return sql, [[f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields] for row in rows]


def _execute_many(sql: str, params: list[list[Any]]) -> None:
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def breakdown_rebuild(*, project: Project, on_batch: OnBatch | None = None, batch_size: int | None = None) -> Outcome:
    """Rebuild scenes and locations from the script's settled text, update the characters in place
    (their sheets stay) and mark frames whose lines changed stale, in short transactions."""
    size = batch_size or settings.SCRIPT_BREAKDOWN_BATCH
    with transaction.atomic():
        screenplay = Screenplay.objects.select_for_update().get(project=project)
        text, digest, locked = screenplay.text, text_digest(screenplay.text), screenplay.scene_numbers_locked
        if screenplay.breakdown_of == digest:
            return "current"
        version = screenplay.breakdown_version + 1
        Screenplay.objects.filter(pk=screenplay.pk).update(breakdown_version=version)
    # From here on only this rebuild writes breakdown rows (an older one stops at its next batch),
    # so what it reads now stays true until it finishes or a newer one begins.
    result = fountain.breakdown(fountain.parse(text), locked=locked)
    lines = text.split("\n")
    # Scenes keep their rows (and so their shots and frames) while their heading stays: the k-th
    # scene with a heading takes over the k-th row that had it.
    existing: dict[str, deque[tuple[int, int]]] = {}
    for pk, heading, position in (
        Scene.objects.filter(project=project).order_by("position").values_list("pk", "heading", "position")
    ):
        existing.setdefault(heading, deque()).append((pk, position))
    plan = _Plan()
    for index, scene in enumerate(result.scenes):
        rows = existing.get(scene.heading[:500])
        if rows:
            pk, position = rows.popleft()
            plan.keep.append((pk, index))
            if position != index:
                plan.park.append(pk)
        else:
            plan.create.append(index)
    plan.delete = [pk for rows in existing.values() for pk, _ in rows]
    del existing

    places = {fit_name(place.name, LOCATION_NAME_LENGTH): place for place in result.locations}
    known_places = dict(Location.objects.filter(project=project).values_list("name", "pk"))
    people: dict[str, fountain.CharacterInfo] = {}
    for found in result.characters:
        # A name over the column is stored fitted (its start and a hash), so each import finds its row again.
        people[fit_name(found.name, CHARACTER_NAME_LENGTH)] = found
    known_people = {
        name: (pk, by_hand, in_script)
        for pk, name, by_hand, in_script in Character.objects.filter(project=project).values_list(
            "pk", "name", "added_by_hand", "in_script"
        )
    }
    gone_places = [pk for name, pk in known_places.items() if name not in places]
    # Characters who left the script keep their rows (and sheets), with no scenes or lines.
    left = [
        pk
        for name, (pk, by_hand, in_script) in known_people.items()
        if name not in people and in_script and not by_hand
    ]

    total = (
        len(plan.delete)
        + len(plan.park)
        + len(plan.keep)
        + len(plan.create)
        + len(gone_places)
        + len(places)
        + len(people)
        + len(left)
        + 1
    )
    writer = _Writer(screenplay_id=screenplay.pk, version=version, total=total, on_batch=on_batch)
    try:
        _write_scenes(writer, project, plan, result.scenes, lines, size)
        _write_locations(writer, project, places, known_places, gone_places, size)
        _write_characters(writer, project, people, left, size)
        writer.batch(1, _finish, project, screenplay.pk, text, digest, dict(result.title_page))
    except Superseded:
        return "superseded"
    return "built"


def _finish(project: Project, screenplay_id: int, text: str, digest: str, title_page: dict[str, Any]) -> None:
    from projects.storyboard.services import frames_mark_stale

    Screenplay.objects.filter(pk=screenplay_id).update(
        title_page=title_page, parsed_at=timezone.now(), breakdown_of=digest
    )
    # With the scene rows this text gave, so a frame is judged against its scene's lines in this text.
    frames_mark_stale(project=project, text=text)


def _write_scenes(
    writer: _Writer, project: Project, plan: _Plan, scenes: list[fountain.SceneInfo], lines: list[str], size: int
) -> None:
    for chunk in _chunks(plan.delete, size):
        writer.batch(len(chunk), _delete, Scene, chunk)
    # Rows that move wait aside first, so no position is ever taken twice.
    for chunk in _chunks(plan.park, size):
        writer.batch(len(chunk), _park, chunk)

    for kept in _chunks(plan.keep, size):
        rows = Scene.objects.in_bulk([pk for pk, _ in kept])
        changes = _Changes(Scene)
        for pk, index in kept:
            if pk in rows:
                changes.add(rows[pk], _scene_values(scenes[index], index, lines))
        if changes.rows:
            writer.batch(len(kept), _execute_many, *changes.statement())
        else:
            writer.skip(len(kept))
    for created in _chunks(plan.create, size):
        new = [
            Scene(project=project, heading=scenes[index].heading[:500], **_scene_values(scenes[index], index, lines))
            for index in created
        ]
        writer.batch(len(created), _execute_many, *_inserts(Scene, new))


def _delete(model: Any, pks: Sequence[int]) -> None:
    model.objects.filter(pk__in=pks).delete()


def _park(pks: Sequence[int]) -> None:
    Scene.objects.filter(pk__in=pks).update(position=PARKED + F("pk"))


def _save_locations(changed: tuple[str, list[list[Any]]], new: tuple[str, list[list[Any]]]) -> None:
    _execute_many(*changed)
    _execute_many(*new)


def _location_values(place: fountain.LocationInfo) -> dict[str, Any]:
    return {
        "scene_count": len(place.scenes),
        "scene_numbers": place.scenes,
        "int_ext": sorted(place.int_ext),
        "times_of_day": sorted(place.times_of_day),
    }


def _write_locations(
    writer: _Writer,
    project: Project,
    places: dict[str, fountain.LocationInfo],
    known: dict[str, int],
    gone: list[int],
    size: int,
) -> None:
    for chunk in _chunks(gone, size):
        writer.batch(len(chunk), _delete, Location, chunk)

    for names in _chunks(list(places), size):
        rows = Location.objects.in_bulk([known[name] for name in names if name in known])
        changes = _Changes(Location)
        for name in names:
            if known.get(name) in rows:
                changes.add(rows[known[name]], _location_values(places[name]))
        new = [
            Location(project=project, name=name, **_location_values(places[name]))
            for name in names
            if name not in known
        ]
        if changes.rows or new:
            writer.batch(len(names), _save_locations, changes.statement(), _inserts(Location, new))
        else:
            writer.skip(len(names))


def _character_values(found: fountain.CharacterInfo) -> dict[str, Any]:
    return {
        "in_script": True,
        "first_scene": found.first_scene,
        "scene_count": found.scene_count,
        "dialogue_lines": found.dialogue_lines,
        "dialogue_words": found.dialogue_words,
        "extensions": sorted(found.extensions),
    }


def _write_characters(
    writer: _Writer, project: Project, people: dict[str, fountain.CharacterInfo], left: list[int], size: int
) -> None:
    def write(names: Sequence[str]) -> None:
        # Read again inside the batch: someone may have added a character by hand since the plan.
        rows = {row.name: row for row in Character.objects.filter(project=project, name__in=names)}
        # Only the script's counts: a sheet someone saves meanwhile keeps its text and face.
        changes = _Changes(Character)
        for name in names:
            if name in rows:
                changes.add(rows[name], _character_values(people[name]))
        changes.save()
        Character.objects.bulk_create(
            Character(project=project, name=name, **_character_values(people[name]))
            for name in names
            if name not in rows
        )

    for names in _chunks(list(people), size):
        writer.batch(len(names), write, names)
    for chunk in _chunks(left, size):
        writer.batch(len(chunk), _leave_script, chunk)


def _leave_script(pks: Sequence[int]) -> None:
    Character.objects.filter(pk__in=pks, added_by_hand=False).update(
        in_script=False, scene_count=0, dialogue_lines=0, dialogue_words=0
    )
