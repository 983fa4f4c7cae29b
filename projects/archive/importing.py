"""Importing a checked archive as a new project: every row is planned (and checked) before any is written.

Every row gets a new public_id; links inside the archive and UUIDs inside its JSON fields and media
paths follow the mapping, so a job's files land in its new job folder. People map by username to
this instance's accounts (or to nobody); only the importing user becomes a member.
"""

from __future__ import annotations

import shutil
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from generation.model_services import MEDIA_PREFIX
from generation.models import ACTIVE_STATUSES, GenerationJob, JobStatus, ModelEntry
from generation.paths import project_media_root
from projects.archive.layout import (
    ANIMATICS,
    ANY,
    BREAKDOWN,
    CHARACTERS,
    FIELDS,
    FRAMES,
    JOBS,
    LINKS,
    LIST,
    MANY_PEOPLE,
    MEDIA,
    MEDIA_FIELDS,
    MODELS,
    OBJ,
    PEOPLE,
    PROJECT,
    REVISIONS,
    ArchiveError,
    is_uuid,
    load,
    name_problem,
    parse_time,
    substitute,
)
from projects.archive.reading import OpenedArchive, open_archive, read_member
from projects.models import (
    Animatic,
    Character,
    Frame,
    FrameComment,
    Location,
    Membership,
    MusicTrack,
    Portrait,
    Project,
    Revision,
    RevisionSet,
    Role,
    Scene,
    Screenplay,
    ScriptNote,
    ScriptNoteReply,
    Shot,
)
from projects.script import crdt

PLACEHOLDER_NOTE = (
    "Imported with a project archive, but its weights were not on this instance, so it is disabled here. "
    "Put the weights at its location, check the sha256, then enable it in the admin."
)
NOT_FINISHED = "Not finished when the project was exported; it was not re-run here."
MODEL_CLASSES: dict[str, type[Model]] = {
    "job": GenerationJob,
    "model": ModelEntry,
    "revision": Revision,
    "revision_set": RevisionSet,
    "scene": Scene,
    "shot": Shot,
    "location": Location,
    "character": Character,
    "portrait": Portrait,
    "frame": Frame,
    "comment": FrameComment,
    "animatic": Animatic,
    "music_track": MusicTrack,
    "note": ScriptNote,
    "reply": ScriptNoteReply,
}
ORDER = (
    *("job", "model", "revision", "revision_set", "scene", "shot", "location"),
    *("character", "portrait", "frame", "comment", "animatic", "music_track", "note", "reply"),
)
PRESERVED_TIMES = {
    *("job", "revision", "portrait", "frame", "comment", "animatic", "music_track", "revision_set", "note", "reply"),
}
TIME_FIELD = {"revision_set": "started_at"}  # the others keep created_at


@dataclass
class Plan:
    project_id: uuid.UUID
    title: str
    logline: str
    script: str
    title_page: dict[str, Any]
    parsed_at: datetime | None
    scene_numbers_locked: bool = False
    locked_numbers: list[str] = field(default_factory=list)
    rows: dict[str, list[Any]] = field(default_factory=lambda: {kind: [] for kind in MODEL_CLASSES})
    team_files: dict[int, str] = field(default_factory=dict)  # id(new model entry) -> its checkpoint's path
    identities: list[tuple[Character, Portrait]] = field(default_factory=list)
    people: list[tuple[Any, str, list[User]]] = field(default_factory=list)  # row, many-to-many field, users
    media: list[tuple[zipfile.ZipInfo, str, str]] = field(default_factory=list)  # member, path, sha256
    note_spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # id(new note) -> its characters


def _items(container: Any, key: str, where: str) -> list[tuple[dict[str, Any], str]]:
    items = container.get(key) if isinstance(container, dict) else None
    if not isinstance(items, list):
        raise ArchiveError(f"{where} should hold a list “{key}”; the archive was refused.")
    singular = key.removesuffix("s")
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise ArchiveError(f"{where}: {singular} {n} should be an object; the archive was refused.")
    return [(item, f"{where}, {singular} {n}") for n, item in enumerate(items, 1)]


def _clean(obj: Model, where: str) -> None:
    relations = [f.name for f in obj._meta.get_fields() if f.is_relation]
    try:
        obj.clean_fields(exclude=relations)
    except ValidationError as exc:
        problems = [
            f"“{name}”: {error.messages[0]}"
            for name, errors in exc.error_dict.items()
            for error in errors
            if error.code != "blank"  # the source instance allowed it; so do we
        ]
        if problems:
            raise ArchiveError(f"{where}: {'; '.join(problems)}.") from exc


class _Builder:
    """Turns the archive's documents into unsaved rows, checking types, links and choices on the way."""

    def __init__(self, archive: OpenedArchive) -> None:
        docs = archive.documents
        self.mapping: dict[str, str] = {}
        self.kind_of: dict[str, str] = {}
        self.objects: dict[str, Any] = {}  # new public_id -> row
        self.matched: dict[str, ModelEntry] = {}
        scenes = _items(docs[BREAKDOWN], "scenes", BREAKDOWN)
        characters = _items(docs[CHARACTERS], "characters", CHARACTERS)
        frames = _items(docs[FRAMES], "frames", FRAMES)
        self.rows: dict[str, list[tuple[dict[str, Any], str]]] = {
            "job": _items(docs[JOBS], "jobs", JOBS),
            "model": _items(docs[MODELS], "models", MODELS),
            "revision": _items(docs[REVISIONS], "revisions", REVISIONS),
            # Archives from before revision sets have none.
            "revision_set": _items(docs[REVISIONS], "revision_sets", REVISIONS)
            if isinstance(docs[REVISIONS], dict) and "revision_sets" in docs[REVISIONS]
            else [],
            "scene": scenes,
            "location": _items(docs[BREAKDOWN], "locations", BREAKDOWN),
            "character": characters,
            "frame": frames,
            "animatic": _items(docs[ANIMATICS], "animatics", ANIMATICS),
            # Archives from before members' own music have none.
            "music_track": _items(docs[ANIMATICS], "music_tracks", ANIMATICS)
            if isinstance(docs[ANIMATICS], dict) and "music_tracks" in docs[ANIMATICS]
            else [],
        }
        revisions = docs[REVISIONS]
        # Archives from before notes have none.
        self.rows["note"] = _items(revisions, "notes", REVISIONS) if "notes" in revisions else []
        self.children = {
            "shot": {id(row): _items(row, "shots", where) for row, where in scenes},
            "portrait": {id(row): _items(row, "portraits", where) for row, where in characters},
            "comment": {id(row): _items(row, "comments", where) for row, where in frames},
            "reply": {id(row): _items(row, "replies", where) for row, where in self.rows["note"]},
        }
        self.users = self._users()

    def all_rows(self) -> list[tuple[str, dict[str, Any], str]]:
        out = [(kind, row, where) for kind, rows in self.rows.items() for row, where in rows]
        for kind, by_parent in self.children.items():
            out += [(kind, row, where) for rows in by_parent.values() for row, where in rows]
        return out

    def _users(self) -> dict[str, User]:
        names: set[str] = set()
        for kind, row, where in self.all_rows():
            for name in PEOPLE.get(kind, ()):
                value = row.get(name)
                values = value if name in MANY_PEOPLE and isinstance(value, list) else [value]
                if name in MANY_PEOPLE and not isinstance(value, list):
                    raise ArchiveError(f"{where}: “{name}” should be a list of usernames.")
                if any(v is not None and not isinstance(v, str) for v in values):
                    raise ArchiveError(f"{where}: “{name}” should hold usernames.")
                names.update(v for v in values if v)
        return {u.get_username(): u for u in get_user_model().objects.filter(username__in=names)}

    def map_ids(self) -> None:
        for kind, row, where in self.all_rows():
            if kind == "location":
                continue
            public_id = row.get("public_id")
            if not is_uuid(public_id):
                raise ArchiveError(f"{where}: “public_id” should be a UUID.")
            if public_id in self.kind_of:
                raise ArchiveError(f"{where}: public_id {public_id} is used twice in the archive.")
            self.kind_of[public_id] = kind
            self.mapping[public_id] = str(uuid.uuid4())
        for row, where in self.rows["model"]:
            fields = load(row, "model", where)
            if row.get("team") is True and row.get("file") is not None:
                continue  # a team's checkpoint that travelled: it gets a new entry of its own
            shared = ModelEntry.objects.filter(project__isnull=True, kind=fields["kind"]).order_by("-enabled", "pk")
            found = (shared.filter(sha256=fields["sha256"]).first() if fields["sha256"] else None) or shared.filter(
                name=fields["name"]
            ).first()
            if found is not None:
                self.mapping[row["public_id"]] = str(found.public_id)
                self.matched[str(found.public_id)] = found

    def fields(self, kind: str, row: dict[str, Any], where: str) -> dict[str, Any]:
        values = load(row, kind, where)
        for name, code in FIELDS[kind].items():
            if code in (OBJ, LIST, ANY) or name in MEDIA_FIELDS.get(kind, ()):
                values[name] = substitute(values[name], self.mapping)
        for name in MEDIA_FIELDS.get(kind, ()):
            # A stored path must stay inside the project's folder (it may name a file that didn't travel).
            old_path = row.get(name) or ""
            problem = name_problem(old_path) if old_path else None
            if problem:
                raise ArchiveError(f"{where}: “{name}” {problem}; refused.")
        for name, target in LINKS.get(kind, {}).items():
            old = row.get(name)
            if old is not None and self.kind_of.get(old) != target:
                raise ArchiveError(f"{where}: “{name}” points at {target} {old!r}, which is not in the archive.")
            values[name] = None if old is None else self.objects.get(self.mapping[old])
        for name in PEOPLE.get(kind, ()):
            if name not in MANY_PEOPLE:
                values[name] = self.users.get(row.get(name) or "")
        return values

    def make(self, plan: Plan, kind: str, row: dict[str, Any], where: str, **extra: Any) -> Any:
        values = {**self.fields(kind, row, where), **extra}
        if kind != "location":
            values["public_id"] = self.mapping[row["public_id"]]
        obj = MODEL_CLASSES[kind](**values)
        _clean(obj, where)
        if kind != "location":
            self.objects[values["public_id"]] = obj
        for name in PEOPLE.get(kind, ()):
            if name in MANY_PEOPLE:
                plan.people.append((obj, name, [self.users[n] for n in row[name] if n in self.users]))
        plan.rows[kind].append(obj)
        return obj


def _free_name(name: str, taken: set[str]) -> str:
    candidate, n = name[:120], 2
    while candidate in taken or ModelEntry.objects.filter(name=candidate).exists():
        candidate, n = f"{name[:110]} ({n})", n + 1
    taken.add(candidate)
    return candidate


def plan_import(archive: OpenedArchive, *, title: str | None) -> Plan:
    """Every row the import will write, built and checked; nothing is written yet."""
    docs = archive.documents
    project = docs[PROJECT]
    screenplay = project.get("screenplay") if isinstance(project, dict) else None
    if not isinstance(project, dict) or not isinstance(screenplay, dict):
        raise ArchiveError(f"{PROJECT} should hold the project and its screenplay; the archive was refused.")
    if not isinstance(project.get("title"), str) or not isinstance(project.get("logline"), str):
        raise ArchiveError(f"{PROJECT} needs a “title” and a “logline”; the archive was refused.")
    if not isinstance(screenplay.get("title_page"), dict):
        raise ArchiveError(f"{PROJECT}: the screenplay's “title_page” should be an object.")
    parsed_at = screenplay.get("parsed_at")
    locked, numbers = screenplay.get("scene_numbers_locked", False), screenplay.get("locked_numbers", [])
    if not isinstance(locked, bool) or not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
        raise ArchiveError(
            f"{PROJECT}: “scene_numbers_locked” should be true/false and “locked_numbers” a list of text."
        )
    b = _Builder(archive)
    b.map_ids()
    plan = Plan(
        project_id=uuid.uuid4(),
        title=((title or "").strip() or project["title"])[:200],
        logline=project["logline"][:2000],
        script=archive.script,
        title_page=screenplay["title_page"],
        parsed_at=parse_time(parsed_at, f"{PROJECT}: “parsed_at”") if isinstance(parsed_at, str) else None,
        scene_numbers_locked=locked,
        locked_numbers=numbers,
    )
    if is_uuid(project.get("public_id")):
        b.mapping[project["public_id"]] = str(plan.project_id)
    media_names = {info.filename for info in archive.media}
    for row, where in b.rows["job"]:
        job = b.make(plan, "job", row, where)
        if job.status in ACTIVE_STATUSES:
            job.status, job.message = JobStatus.CANCELLED, NOT_FINISHED
    taken: set[str] = set()
    for row, where in b.rows["model"]:
        new_id = b.mapping[row["public_id"]]
        if new_id in b.matched:
            b.objects[new_id] = b.matched[new_id]
            continue
        file, team = row.get("file"), row.get("team")
        if not isinstance(team, bool) or not (file is None or (isinstance(file, str) and file in media_names)):
            raise ArchiveError(f"{where}: “team” should be true/false and “file” a media file in the archive.")
        travels = team and file is not None
        fields = load(row, "model", where)
        entry = b.make(
            plan,
            "model",
            row,
            where,
            name=_free_name(fields["name"], taken),
            enabled=travels,
            is_default=False,
            license_note=fields["license_note"]
            if travels
            else f"{fields['license_note']}\n\n{PLACEHOLDER_NOTE}".strip(),
        )
        if travels and isinstance(file, str):
            plan.team_files[id(entry)] = substitute(file[len(MEDIA) :], b.mapping)
    for row, where in b.rows["revision"]:
        b.make(plan, "revision", row, where)
    for row, where in b.rows["revision_set"]:
        if row.get("base") is None:
            raise ArchiveError(f"{where}: “base” should be the revision the set started from.")
        b.make(plan, "revision_set", row, where)
    for row, where in b.rows["scene"]:
        scene = b.make(plan, "scene", row, where)
        for child, child_where in b.children["shot"][id(row)]:
            b.make(plan, "shot", child, child_where, scene=scene)
    for row, where in b.rows["location"]:
        b.make(plan, "location", row, where)
    identities: list[tuple[Character, Any, str]] = []
    for row, where in b.rows["character"]:
        character = b.make(plan, "character", row, where, identity=None)
        identities.append((character, row.get("identity"), where))
        for child, child_where in b.children["portrait"][id(row)]:
            b.make(plan, "portrait", child, child_where, character=character)
    for character, old, where in identities:
        if old is not None:
            if b.kind_of.get(old) != "portrait":
                raise ArchiveError(f"{where}: “identity” points at portrait {old!r}, which is not in the archive.")
            plan.identities.append((character, b.objects[b.mapping[old]]))
    for row, where in b.rows["frame"]:
        frame = b.make(plan, "frame", row, where)
        for child, child_where in b.children["comment"][id(row)]:
            b.make(plan, "comment", child, child_where, frame=frame)
    for row, where in b.rows["animatic"]:
        b.make(plan, "animatic", row, where)
    for row, where in b.rows["music_track"]:
        b.make(plan, "music_track", row, where)
    for row, where in b.rows["note"]:
        start, end = row.get("start"), row.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
            raise ArchiveError(f"{where}: “start” and “end” should be whole numbers.")
        assert isinstance(start, int) and isinstance(end, int)
        if not 0 <= start <= end <= len(plan.script):
            raise ArchiveError(f"{where}: “start” and “end” should lie within the script (0 to {len(plan.script)}).")
        note = b.make(plan, "note", row, where, start=b"", end=b"")
        plan.note_spans[id(note)] = (start, end)
        for child, child_where in b.children["reply"][id(row)]:
            b.make(plan, "reply", child, child_where, note=note)
    sha256 = archive.manifest["files"]
    for info in archive.media:
        path = substitute(info.filename[len(MEDIA) :], b.mapping)
        if name_problem(path):
            raise ArchiveError(f"“{info.filename}” {name_problem(path)}; the archive was refused.")
        plan.media.append((info, path, sha256[info.filename]["sha256"]))
    return plan


def _create(kind: str, objs: list[Any]) -> None:
    if not objs:
        return
    model = MODEL_CLASSES[kind]
    time_field = TIME_FIELD.get(kind, "created_at")
    stamps = [getattr(obj, time_field, None) for obj in objs]
    model.objects.bulk_create(objs, batch_size=500)  # type: ignore[attr-defined]
    if kind in PRESERVED_TIMES:
        # auto_now_add stamped them now; the archive's times are the history worth keeping.
        for obj, stamp in zip(objs, stamps, strict=True):
            setattr(obj, time_field, stamp)
        model.objects.bulk_update(objs, [time_field], batch_size=500)  # type: ignore[attr-defined]


def _write(plan: Plan, *, user: User) -> Project:
    project = Project.objects.create(public_id=plan.project_id, title=plan.title, logline=plan.logline, created_by=user)
    Membership.objects.create(project=project, user=user, role=Role.OWNER, added_by=user, accepted_at=timezone.now())
    doc = crdt.load(b"")
    crdt.replace_all(doc, plan.script)  # a fresh document: no other instance's edit history
    screenplay = Screenplay.objects.create(
        project=project,
        text=plan.script,
        ydoc_snapshot=crdt.snapshot_of(doc),
        title_page=plan.title_page,
        parsed_at=plan.parsed_at,
        scene_numbers_locked=plan.scene_numbers_locked,
        locked_numbers=plan.locked_numbers,
    )
    for kind in ORDER:
        for obj in plan.rows[kind]:
            if kind in ("revision", "revision_set"):
                obj.screenplay = screenplay
            elif kind in ("job", "scene", "location", "character", "frame", "animatic", "music_track"):
                obj.project = project
            elif kind == "note":
                obj.screenplay = screenplay
                obj.start, obj.end = crdt.note_anchors(doc, *plan.note_spans[id(obj)])
            elif kind == "model":
                obj.project = project
                if id(obj) in plan.team_files:
                    obj.location = f"{MEDIA_PREFIX}projects/{project.public_id}/{plan.team_files[id(obj)]}"
        _create(kind, plan.rows[kind])
        if kind == "portrait" and plan.identities:
            for character, portrait in plan.identities:
                character.identity = portrait
            Character.objects.bulk_update([c for c, _ in plan.identities], ["identity"])
    for obj, name, users in plan.people:
        if users:
            getattr(obj, name).add(*users)
    return project


def _copy_media(archive: OpenedArchive, plan: Plan, root: Path) -> None:
    for info, path, sha256 in plan.media:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            digest = read_member(archive.zf, info, out.write)
        if digest != sha256:
            raise ArchiveError(f"“{info.filename}” changed while it was imported; nothing was imported.")


def project_import_archive(*, user: User, file: IO[bytes] | Path | str, title: str | None = None) -> Project:
    """Import an archive as a new project owned by `user`: all checks first, then one transaction."""
    archive = open_archive(file)
    try:
        plan = plan_import(archive, title=title)
        root = project_media_root(plan.project_id)
        try:
            with transaction.atomic():
                project = _write(plan, user=user)
                _copy_media(archive, plan, root)
        except (IntegrityError, DataError) as exc:
            shutil.rmtree(root, ignore_errors=True)
            raise ArchiveError(f"The archive's rows could not be saved here ({exc}); nothing was imported.") from exc
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
    finally:
        archive.close()
    return project
