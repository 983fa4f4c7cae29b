"""Writing a project archive, and the project's content as comparable data.

Rows link to each other by public_id; every media file a row points at travels under `media/`
with its path relative to the project's media folder. The same snapshot feeds the zip and
`archive_content`, so what is compared is exactly what travels.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify

from generation import licences
from generation.model_services import MEDIA_PREFIX, resolve_location
from generation.models import GenerationJob, ModelEntry
from generation.paths import project_media_root
from projects.about.selectors import project_credits
from projects.archive.layout import (
    ANIMATICS,
    ARCHIVE_FORMAT,
    BREAKDOWN,
    CHARACTERS,
    CHUNK,
    FIELDS,
    FRAMES,
    JOBS,
    LINKS,
    MANIFEST,
    MANY_PEOPLE,
    MEDIA,
    MEDIA_FIELDS,
    MODELS,
    PEOPLE,
    PROJECT,
    REVISIONS,
    SCRIPT,
    app_version,
    dump,
    is_uuid,
    name_problem,
    substitute,
)
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
    Scene,
    Screenplay,
    ScriptNote,
    ScriptNoteReply,
    Shot,
)
from projects.script import crdt
from projects.teams.selectors import ProjectAccess

# Already compressed: deflating them again costs time and saves nothing.
_STORED = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp4", ".webm", ".mov", ".zip", ".pt", ".glb", ".npz"}


@dataclass
class Snapshot:
    documents: dict[str, Any]
    script: str
    media: dict[str, Path] = field(default_factory=dict)  # path under the media folder -> file
    missing: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # public_id -> a label that survives an import
    counts: dict[str, int] = field(default_factory=dict)


def _user(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _row(obj: Any, kind: str, links: dict[str, dict[int, str]]) -> dict[str, Any]:
    row: dict[str, Any] = {"public_id": str(obj.public_id)} if hasattr(obj, "public_id") else {}
    row.update({name: dump(getattr(obj, name)) for name in FIELDS[kind]})
    for name, target in LINKS.get(kind, {}).items():
        row[name] = links[target].get(getattr(obj, f"{name}_id"))
    for name in PEOPLE.get(kind, ()):
        row[name] = (
            sorted(_user(u) for u in getattr(obj, name).all()) if name in MANY_PEOPLE else _user(getattr(obj, name))
        )
    return row


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _note_rows(
    project: Project, script: str, labels: dict[str, str], links: dict[str, dict[int, str]]
) -> list[dict[str, Any]]:
    """The notes on the script, each with its words as character offsets into the exported text."""
    from projects.script.services import script_doc

    notes = list(
        ScriptNote.objects.filter(screenplay__project=project)
        .select_related("author", "resolved_by")
        .prefetch_related(
            "mentions",
            Prefetch(
                "replies",
                queryset=ScriptNoteReply.objects.select_related("author").prefetch_related("mentions").order_by("pk"),
            ),
        )
        .order_by("pk")
    )
    if not notes:
        return []
    doc = script_doc(project)
    ranges = crdt.note_ranges(doc, [(bytes(n.start), bytes(n.end)) for n in notes])
    # Offsets count in the document's text; the archive carries the settled text, the same once edits settle.
    length = len(script)
    rows = []
    for n, (note, found) in enumerate(zip(notes, ranges, strict=True)):
        labels[str(note.public_id)] = f"note:{n}"
        start, end = found if found is not None else (0, 0)
        replies = []
        for m, reply in enumerate(note.replies.all()):
            labels[str(reply.public_id)] = f"note:{n}/reply:{m}"
            replies.append(_row(reply, "reply", links))
        row = _row(note, "note", links)
        rows.append({**row, "start": min(start, length), "end": min(end, length), "replies": replies})
    return rows


def project_snapshot(project: Project) -> Snapshot:
    """Everything that travels in the archive, read in an order an import reproduces."""
    root = project_media_root(project.public_id)
    real_root = root.resolve()
    screenplay = Screenplay.objects.filter(project=project).first()
    jobs = list(GenerationJob.objects.filter(project=project).select_related("requested_by").order_by("pk"))
    characters = list(
        Character.objects.filter(project=project)
        .prefetch_related(Prefetch("portraits", queryset=Portrait.objects.order_by("pk")))
        .order_by("name")
    )
    frames = list(
        Frame.objects.filter(project=project)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=FrameComment.objects.select_related("author", "resolved_by")
                .prefetch_related("mentions")
                .order_by("pk"),
            )
        )
        .order_by("pk")
    )
    portraits = [p for c in characters for p in c.portraits.all()]
    named = {_as_dict(_as_dict(f.render_info).get("stylized")).get("model") for f in frames}
    refs = {_as_dict(j.params).get("model") for j in jobs} | {_as_dict(j.result).get("model") for j in jobs}
    entries = list(
        ModelEntry.objects.filter(
            Q(pk__in={p.model_id for p in portraits if p.model_id})
            | Q(project=project)
            | Q(trained_by_job__project=project)
            | Q(name__in={n for n in named if isinstance(n, str)})
            | Q(public_id__in={r for r in refs if is_uuid(r)})
        )
        # Never another team's model: only everyone's, and this project's own.
        .filter(Q(project__isnull=True) | Q(project=project))
        .order_by("pk")
    )
    scenes = list(
        Scene.objects.filter(project=project)
        .prefetch_related(Prefetch("shots", queryset=Shot.objects.order_by("position", "pk")))
        .order_by("position")
    )
    links: dict[str, dict[int, str]] = {
        "job": {j.pk: str(j.public_id) for j in jobs},
        "model": {m.pk: str(m.public_id) for m in entries},
        "scene": {s.pk: str(s.public_id) for s in scenes},
        "portrait": {p.pk: str(p.public_id) for p in portraits},
    }
    snap = Snapshot(documents={}, script=screenplay.text if screenplay else "")
    labels = snap.labels
    labels[str(project.public_id)] = "project"

    def add_media(rel: Any) -> None:
        if not isinstance(rel, str) or not rel or rel in snap.media or rel in snap.missing:
            return
        path = (root / rel).resolve()
        if name_problem(rel) is None and real_root in path.parents and path.is_file():
            snap.media[rel] = path
        else:
            snap.missing.append(rel)

    revisions = []
    links["revision"] = {}
    for revision in Revision.objects.filter(screenplay__project=project).prefetch_related("authors").order_by("number"):
        labels[str(revision.public_id)] = f"revision:{revision.number}"
        links["revision"][revision.pk] = str(revision.public_id)
        revisions.append(_row(revision, "revision", links))
    revision_sets = []
    for revision_set in (
        RevisionSet.objects.filter(screenplay__project=project).select_related("started_by").order_by("number")
    ):
        labels[str(revision_set.public_id)] = f"revision_set:{revision_set.number}"
        revision_sets.append(_row(revision_set, "revision_set", links))
    note_rows = _note_rows(project, snap.script, labels, links)
    scene_rows = []
    for scene in scenes:
        labels[str(scene.public_id)] = f"scene:{scene.position}"
        shots = []
        for n, shot in enumerate(scene.shots.all()):
            labels[str(shot.public_id)] = f"scene:{scene.position}/shot:{n}"
            shots.append(_row(shot, "shot", links))
        scene_rows.append({**_row(scene, "scene", links), "shots": shots})
    locations = [_row(loc, "location", links) for loc in Location.objects.filter(project=project).order_by("name")]
    character_rows = []
    for character in characters:
        labels[str(character.public_id)] = f"character:{character.name}"
        portrait_rows = []
        for n, portrait in enumerate(character.portraits.all()):
            labels[str(portrait.public_id)] = f"character:{character.name}/portrait:{n}"
            portrait_rows.append(_row(portrait, "portrait", links))
            for name in MEDIA_FIELDS["portrait"]:
                add_media(getattr(portrait, name))
        character_rows.append({**_row(character, "character", links), "portraits": portrait_rows})
    frame_rows = []
    for n, frame in enumerate(frames):
        labels[str(frame.public_id)] = f"frame:{n}"
        comments = []
        for m, comment in enumerate(frame.comments.all()):
            labels[str(comment.public_id)] = f"frame:{n}/comment:{m}"
            comments.append(_row(comment, "comment", links))
        for name in MEDIA_FIELDS["frame"]:
            add_media(getattr(frame, name))
        frame_rows.append({**_row(frame, "frame", links), "comments": comments})
    animatic_rows = []
    animatics = Animatic.objects.filter(project=project).select_related("created_by").order_by("pk")
    for n, animatic in enumerate(animatics):
        labels[str(animatic.public_id)] = f"animatic:{n}"
        animatic_rows.append(_row(animatic, "animatic", links))
        for name in MEDIA_FIELDS["animatic"]:
            add_media(getattr(animatic, name))
    music_rows = []
    tracks = MusicTrack.objects.filter(project=project).select_related("uploaded_by").order_by("pk")
    for n, track in enumerate(tracks):
        labels[str(track.public_id)] = f"music_track:{n}"
        music_rows.append(_row(track, "music_track", links))
        for name in MEDIA_FIELDS["music_track"]:
            add_media(getattr(track, name))
    job_rows = []
    for n, job in enumerate(jobs):
        labels[str(job.public_id)] = f"job:{n}"
        job_rows.append(_row(job, "job", links))
        files = _as_dict(job.result).get("files")
        for item in files if isinstance(files, list) else []:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                add_media(f"jobs/{job.public_id}/{item['name']}")
        if job.preview:
            add_media(f"jobs/{job.public_id}/{job.preview}")
    model_rows = []
    for entry in entries:
        labels[str(entry.public_id)] = f"model:{entry.kind}:{entry.sha256 or entry.name}"
        team = entry.project_id == project.pk
        rel = None
        if team and entry.location.startswith(MEDIA_PREFIX):
            path = Path(resolve_location(entry.location)).resolve()
            if real_root in path.parents and path.is_file():
                rel = path.relative_to(real_root).as_posix()
                add_media(rel)
        file = MEDIA + rel if rel in snap.media else None
        model_rows.append({**_row(entry, "model", links), "team": team, "file": file})
    members = (
        Membership.objects.filter(project=project, accepted_at__isnull=False)
        .select_related("user")
        .order_by("user__username")
    )
    snap.documents = {
        PROJECT: {
            "public_id": str(project.public_id),
            "title": project.title,
            "logline": project.logline,
            "created_at": dump(project.created_at),
            # For the record only: an import never grants anyone access.
            "members": [{"username": m.user.get_username(), "role": m.role} for m in members],
            "screenplay": {
                "title_page": screenplay.title_page if screenplay else {},
                "parsed_at": dump(screenplay.parsed_at) if screenplay else None,
                "scene_numbers_locked": screenplay.scene_numbers_locked if screenplay else False,
                "locked_numbers": screenplay.locked_numbers if screenplay else [],
            },
        },
        REVISIONS: {"revisions": revisions, "revision_sets": revision_sets, "notes": note_rows},
        BREAKDOWN: {"scenes": scene_rows, "locations": locations},
        CHARACTERS: {"characters": character_rows},
        FRAMES: {"frames": frame_rows},
        ANIMATICS: {"animatics": animatic_rows, "music_tracks": music_rows},
        MODELS: {"models": model_rows},
        JOBS: {"jobs": job_rows},
    }
    snap.counts = {
        "revisions": len(revisions),
        "revision_sets": len(revision_sets),
        "scenes": len(scene_rows),
        "shots": sum(len(s["shots"]) for s in scene_rows),
        "locations": len(locations),
        "characters": len(character_rows),
        "portraits": len(portraits),
        "frames": len(frame_rows),
        "comments": sum(len(f["comments"]) for f in frame_rows),
        "notes": len(note_rows),
        "note_replies": sum(len(n["replies"]) for n in note_rows),
        "animatics": len(animatic_rows),
        "music_tracks": len(music_rows),
        "jobs": len(job_rows),
        "models": len(model_rows),
        "media_files": len(snap.media),
    }
    return snap


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _content(snap: Snapshot, media_sha256: dict[str, str]) -> dict[str, Any]:
    documents = copy.deepcopy(snap.documents)
    project = documents[PROJECT]
    for key in ("public_id", "created_at", "members"):
        project.pop(key)
    project["screenplay"].pop("parsed_at")
    for model in documents[MODELS]["models"]:
        model.pop("name")  # names are unique per instance: an import may have to add " (2)"
    content = substitute({"script": snap.script, "documents": documents, "media": media_sha256}, snap.labels)
    content["documents"][MODELS]["models"].sort(key=lambda m: m["public_id"])
    return dict(content)


def archive_content(project: Project) -> dict[str, Any]:
    """The project's content as comparable data: no ids, rows linked by labels, media by sha256."""
    snap = project_snapshot(project)
    return _content(snap, {rel: file_sha256(path) for rel, path in snap.media.items()})


def content_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _info(name: str, when: tuple[int, ...], *, stored: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when[:6])  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o100644 << 16
    return info


def _write_bytes(zf: zipfile.ZipFile, name: str, data: bytes, when: tuple[int, ...]) -> dict[str, Any]:
    zf.writestr(_info(name, when), data)
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _write_file(zf: zipfile.ZipFile, name: str, path: Path, when: tuple[int, ...]) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    info = _info(name, when, stored=path.suffix.lower() in _STORED)
    with open(path, "rb") as source, zf.open(info, "w", force_zip64=path.stat().st_size > 1 << 30) as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def project_export_archive(*, access: ProjectAccess, out: Path | None = None) -> Path:
    """Write the whole project as one zip (temp file, then rename); returns its path."""
    project = access.project
    now = timezone.now()
    if out is None:
        name = f"{slugify(project.title)[:60] or 'project'}-{now:%Y%m%d-%H%M%S}.zip"
        out = project_media_root(project.public_id) / "exports" / name
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    snap = project_snapshot(project)
    when = now.timetuple()[:6]
    files: dict[str, dict[str, Any]] = {}
    media_sha256: dict[str, str] = {}
    fd, temp_name = tempfile.mkstemp(dir=out.parent, prefix=".export-", suffix=".zip.part")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            for name, data in snap.documents.items():
                files[name] = _write_bytes(zf, name, _json_bytes(data), when)
            files[SCRIPT] = _write_bytes(zf, SCRIPT, snap.script.encode(), when)
            for rel, path in snap.media.items():
                files[MEDIA + rel] = _write_file(zf, MEDIA + rel, path, when)
                media_sha256[rel] = files[MEDIA + rel]["sha256"]
            manifest = {
                "format": ARCHIVE_FORMAT,
                "app": "filmstudio",
                "app_version": app_version(),
                "exported_at": now.isoformat(),
                "project": {"public_id": str(project.public_id), "title": project.title},
                "counts": snap.counts,
                "content_sha256": content_sha256(_content(snap, media_sha256)),
                "missing_media": snap.missing,
                # Which models made the media inside, under which terms (e.g. non-commercial training data).
                "licence": licences.STUDIO_LICENCE,
                "made_with": [asdict(c) for c in project_credits(project=project)],
                "files": files,
            }
            zf.writestr(_info(MANIFEST, when), _json_bytes(manifest))
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return out
