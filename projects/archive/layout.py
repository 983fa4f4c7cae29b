"""What a project archive holds: its member names, each row kind's fields and JSON types, its limits."""

from __future__ import annotations

import re
import stat
import tomllib
import uuid
import zipfile
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeGuard

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

ARCHIVE_FORMAT = 1
MAX_ARCHIVE_BYTES = 2 * 1024**3  # uncompressed; settings.ARCHIVE_MAX_BYTES overrides it
MAX_UPLOAD_BYTES = 512 * 1024**2  # the zip itself; settings.ARCHIVE_MAX_UPLOAD_BYTES overrides it
MAX_MEMBERS = 50_000
MAX_JSON_DEPTH = 64  # the archive's own documents nest 8 deep at most
CHUNK = 1 << 20

MANIFEST = "manifest.json"
PROJECT = "project.json"
SCRIPT = "script/current.fountain"
REVISIONS = "script/revisions.json"  # also the notes on the script (absent from older archives)
BREAKDOWN = "breakdown.json"
CHARACTERS = "characters.json"
FRAMES = "frames.json"
ANIMATICS = "animatics.json"
MODELS = "models.json"
JOBS = "jobs.json"
DOCUMENTS = (PROJECT, REVISIONS, BREAKDOWN, CHARACTERS, FRAMES, ANIMATICS, MODELS, JOBS)
MEDIA = "media/"
# The documents are parsed in memory (JSON of many small values takes several times its size), so
# each has a cap of its own, checked against the zip's declared size before a byte is read. Media
# stream to disk; the archive's total bounds them.
MiB = 1024**2
DOCUMENT_MAX_BYTES = {
    MANIFEST: 16 * MiB,
    PROJECT: 4 * MiB,
    SCRIPT: 16 * MiB,
    REVISIONS: 128 * MiB,
    BREAKDOWN: 32 * MiB,
    CHARACTERS: 64 * MiB,
    FRAMES: 64 * MiB,
    ANIMATICS: 16 * MiB,
    MODELS: 4 * MiB,
    JOBS: 32 * MiB,
}


class ArchiveError(ValidationError):
    """An archive that can't be imported (or made), with a message a person can act on."""


def max_bytes() -> int:
    return int(getattr(settings, "ARCHIVE_MAX_BYTES", None) or MAX_ARCHIVE_BYTES)


def max_upload_bytes() -> int:
    return int(getattr(settings, "ARCHIVE_MAX_UPLOAD_BYTES", None) or MAX_UPLOAD_BYTES)


def member_max_bytes(name: str) -> int:
    """The most one member may unpack to: its document's cap, or the archive's for media."""
    return DOCUMENT_MAX_BYTES.get(name, max_bytes())


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether parsed JSON nests lists and objects more than `limit` levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def size_label(n: int) -> str:
    value, unit = float(n), "bytes"
    for bigger in ("KiB", "MiB", "GiB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{n} bytes" if unit == "bytes" else f"{value:.1f} {unit}"


@cache
def app_version() -> str:
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


# --- rows: the plain fields of each kind and their JSON types ("?" = may be null) -----------------

TEXT, INT, NUM, BOOL = "text", "whole number", "number", "true/false"
OBJ, LIST, ANY, DATE = "object", "list", "value", "date"
DATE_OR_NULL, NUM_OR_NULL = "date?", "number?"

FIELDS: dict[str, dict[str, str]] = {
    "revision": {"number": INT, "text": TEXT, "source": TEXT, "note": TEXT, "created_at": DATE},
    "revision_set": {"number": INT, "started_at": DATE},
    "scene": {
        **{k: TEXT for k in ("number", "heading", "int_ext", "location", "time_of_day", "content_hash", "synopsis")},
        **{k: INT for k in ("position", "eighths", "start_line", "end_line")},
        "characters": LIST,
    },
    "shot": {
        **{k: INT for k in ("position", "lens_mm", "start_line", "end_line")},
        **{k: TEXT for k in ("shot_type", "camera_angle", "description")},
        "subjects": LIST,
        "provenance": OBJ,
    },
    "location": {"name": TEXT, "scene_count": INT, "scene_numbers": LIST, "int_ext": LIST, "times_of_day": LIST},
    "character": {
        **{k: TEXT for k in ("name", "first_scene", "description", "look", "personality", "wants", "needs")},
        **{k: TEXT for k in ("key_actions", "notes")},
        **{k: INT for k in ("scene_count", "dialogue_lines", "dialogue_words", "version")},
        "in_script": BOOL,
        "added_by_hand": BOOL,
        "extensions": LIST,
        "bio_provenance": OBJ,
    },
    "portrait": {
        **{k: TEXT for k in ("kind", "model_name", "model_sha256", "image", "upscaled", "upscaler")},
        "latent": ANY,
        "seed": INT,
        "index": INT,
        "score": NUM_OR_NULL,
        "matched": LIST,
        "missed": LIST,
        "parents": OBJ,
        "chosen_at": DATE_OR_NULL,
        "created_at": DATE,
    },
    "frame": {
        **{k: TEXT for k in ("scene_heading", "shot_type", "camera_angle", "description", "source_text")},
        **{k: TEXT for k in ("image", "depth", "stylized", "render_mode", "last_error")},
        **{k: INT for k in ("position", "lens_mm", "start_line", "end_line", "spec_version", "rendered_spec_version")},
        "subjects": LIST,
        "is_stale": BOOL,
        "set_spec": OBJ,
        "render_seconds": NUM_OR_NULL,
        "render_info": OBJ,
        "duration_seconds": NUM_OR_NULL,
        "rendered_at": DATE_OR_NULL,
        "created_at": DATE,
    },
    "comment": {"body": TEXT, "resolved": BOOL, "created_at": DATE},
    # A note on the script: its words as character offsets into script/current.fountain (an import
    # anchors them again in its fresh CRDT document), and the words as they read when it was made.
    "note": {"body": TEXT, "quote": TEXT, "resolved": BOOL, "created_at": DATE},
    "reply": {"body": TEXT, "created_at": DATE},
    "animatic": {
        **{k: TEXT for k in ("video", "captions_vtt", "captions_srt", "edl", "fcpxml")},
        **{k: INT for k in ("width", "height", "fps")},
        "duration_seconds": NUM,
        "burn_captions": BOOL,
        "voices": BOOL,
        "timeline": OBJ,
        "created_at": DATE,
    },
    # A member's own music track (absent from older archives): its file travels under media/music/.
    "music_track": {"name": TEXT, "file": TEXT, "size_bytes": INT, "duration_seconds": NUM, "created_at": DATE},
    "job": {
        **{k: TEXT for k in ("kind", "status", "message", "error", "preview")},
        "params": OBJ,
        "result": OBJ,
        "progress": NUM,
        "seq": INT,
        "attempts": INT,
        "created_at": DATE,
        "started_at": DATE_OR_NULL,
        "finished_at": DATE_OR_NULL,
    },
    "model": {
        **{k: TEXT for k in ("name", "kind", "backend", "location", "model_name", "source", "license", "license_note")},
        "sha256": TEXT,
        "config": OBJ,
    },
}
# Links between rows, by the linked row's public_id: field -> kind of the row it points at.
LINKS: dict[str, dict[str, str]] = {
    "portrait": {"job": "job", "model": "model"},
    "frame": {"scene": "scene", "last_job": "job"},
    "animatic": {"job": "job"},
    "model": {"trained_by_job": "job"},
    "character": {"identity": "portrait"},
    "revision_set": {"base": "revision"},
}
# People, by username: one (or null), or a list for the many-to-many fields.
PEOPLE: dict[str, tuple[str, ...]] = {
    "revision": ("authors",),
    "revision_set": ("started_by",),
    "comment": ("author", "resolved_by", "mentions"),
    "note": ("author", "resolved_by", "mentions"),
    "reply": ("author", "mentions"),
    "animatic": ("created_by",),
    "music_track": ("uploaded_by",),
    "job": ("requested_by",),
}
MANY_PEOPLE = {"authors", "mentions"}
MEDIA_FIELDS: dict[str, tuple[str, ...]] = {
    "portrait": ("image", "upscaled"),
    "frame": ("image", "depth", "stylized"),
    "animatic": ("video", "captions_vtt", "captions_srt", "edl", "fcpxml"),
    "music_track": ("file",),
}


def dump(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


_MISSING = object()
_CHECKS = {
    TEXT: lambda v: isinstance(v, str),
    INT: lambda v: isinstance(v, int) and not isinstance(v, bool),
    NUM: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    BOOL: lambda v: isinstance(v, bool),
    OBJ: lambda v: isinstance(v, dict),
    LIST: lambda v: isinstance(v, list),
    ANY: lambda v: True,
    DATE: lambda v: isinstance(v, str),
}


def load(row: dict[str, Any], kind: str, where: str) -> dict[str, Any]:
    """The plain fields of one row, type-checked, with dates parsed (raises ArchiveError)."""
    out: dict[str, Any] = {}
    for name, code in FIELDS[kind].items():
        value = row.get(name, _MISSING)
        base = code.rstrip("?")
        if value is _MISSING or (value is None and not code.endswith("?")):
            raise ArchiveError(f"{where}: “{name}” is missing.")
        if value is not None and not _CHECKS[base](value):
            raise ArchiveError(f"{where}: “{name}” should be a {base}, not {type(value).__name__}.")
        if value is not None and base == DATE:
            value = parse_time(value, f"{where}: “{name}”")
        out[name] = float(value) if base == NUM and value is not None else value
    return out


def parse_time(value: str, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ArchiveError(f"{where} is not a date and time ({value[:40]!r}).") from exc
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


# --- names and links --------------------------------------------------------------------------------

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_uuid(value: Any) -> TypeGuard[str]:
    if not isinstance(value, str) or not UUID_RE.fullmatch(value):
        return False
    return str(uuid.UUID(value)) == value.lower()


def substitute(value: Any, mapping: dict[str, str]) -> Any:
    """`value` with every UUID that `mapping` knows replaced, in strings, keys and nested JSON."""
    if isinstance(value, str):
        return UUID_RE.sub(lambda m: mapping.get(m.group(0).lower(), m.group(0)), value) if "-" in value else value
    if isinstance(value, list):
        return [substitute(v, mapping) for v in value]
    if isinstance(value, dict):
        return {substitute(k, mapping): substitute(v, mapping) for k, v in value.items()}
    return value


def name_problem(name: str) -> str | None:
    """Why a member name (or a stored media path) can't be unpacked safely, or None."""
    if not name or "\x00" in name:
        return "has an empty or binary name"
    if "\\" in name:
        return "has a backslash in its path (a Windows path trick)"
    if name.startswith("/"):
        return "has an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    parts = name.removesuffix("/").split("/")
    if ".." in parts:
        return "has a “..” in its path, which would write outside the project"
    if any(part in ("", ".") for part in parts):
        return "has an empty or “.” segment in its path"
    return None


def member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member can't be unpacked safely: its name, or what kind of file it is."""
    problem = name_problem(info.filename)
    if problem:
        return problem
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "is a symbolic link"
    if info.create_system == 3 and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is not a regular file"
    if info.flag_bits & 0x1:
        return "is encrypted"
    return None
