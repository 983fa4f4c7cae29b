"""Opening a project archive and checking it member by member, before anything is written.

The upload's size and the declared sizes are checked against the limits first (each document has a
cap of its own), then every member is read (at most its declared size, so a zip bomb stops at the
first byte too many) and hashed as it streams; a document is parsed only once its checksum matches,
and refused if it nests too deep.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from projects.archive.layout import (
    ARCHIVE_FORMAT,
    CHUNK,
    DOCUMENTS,
    MANIFEST,
    MAX_JSON_DEPTH,
    MAX_MEMBERS,
    MEDIA,
    SCRIPT,
    ArchiveError,
    max_bytes,
    max_upload_bytes,
    member_max_bytes,
    member_problem,
    nested_deeper_than,
    size_label,
)
from projects.media import STUDIO_SUFFIXES, media_suffix

_REFUSED = "the archive was refused"
_DAMAGED = (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError, OSError, ValueError)


@dataclass
class OpenedArchive:
    zf: zipfile.ZipFile
    manifest: dict[str, Any]
    documents: dict[str, Any]
    script: str
    media: list[zipfile.ZipInfo] = field(default_factory=list)

    def close(self) -> None:
        self.zf.close()


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink: Callable[[bytes], Any] | None = None) -> str:
    """The member's sha256, reading no more than its declared size; each chunk goes to `sink`."""
    digest, seen = hashlib.sha256(), 0
    try:
        with zf.open(info) as source:
            while chunk := source.read(CHUNK):
                seen += len(chunk)
                if seen > info.file_size:
                    raise ArchiveError(
                        f"“{info.filename}” unpacks to more than the {info.file_size} bytes it declares; {_REFUSED}."
                    )
                digest.update(chunk)
                if sink is not None:
                    sink(chunk)
    except _DAMAGED as exc:
        raise ArchiveError(
            f"“{info.filename}” is damaged or its declared size is wrong ({exc}); {_REFUSED}. Export the project again."
        ) from exc
    if seen != info.file_size:
        raise ArchiveError(f"“{info.filename}” is shorter than the {info.file_size} bytes it declares; {_REFUSED}.")
    return digest.hexdigest()


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _read_checked(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sha256: str | None) -> bytes:
    """A document's bytes, once they match the manifest's checksum (the manifest itself has none)."""
    buffer = bytearray()
    digest = read_member(zf, info, buffer.extend)
    if sha256 is not None and digest != sha256:
        raise _mismatch(info.filename)
    return bytes(buffer)


def _mismatch(name: str) -> ArchiveError:
    return ArchiveError(
        f"“{name}” does not match its checksum in the manifest: the archive is damaged or was changed "
        f"after export; {_REFUSED}."
    )


def _read_json(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sha256: str | None) -> Any:
    too_deep = ArchiveError(
        f"“{info.filename}” is nested more than {MAX_JSON_DEPTH} levels deep, which no filmstudio export "
        f"writes; {_REFUSED}."
    )
    data = _read_checked(zf, info, sha256)
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"“{info.filename}” is not UTF-8 text; {_REFUSED}.") from exc
    except json.JSONDecodeError as exc:
        raise ArchiveError(
            f"“{info.filename}” is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); {_REFUSED}."
        ) from exc
    except ValueError as exc:
        raise ArchiveError(f"“{info.filename}” is not valid JSON ({exc}); {_REFUSED}.") from exc
    except RecursionError as exc:
        raise too_deep from exc
    if nested_deeper_than(value, MAX_JSON_DEPTH):
        raise too_deep
    return value


def _check_manifest(manifest: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(manifest, dict):
        raise ArchiveError(f"manifest.json should hold an object; {_REFUSED}.")
    version = manifest.get("format")
    if version != ARCHIVE_FORMAT:
        if isinstance(version, int) and not isinstance(version, bool) and version > ARCHIVE_FORMAT:
            raise ArchiveError(
                f"This archive has format {version}, made by a newer filmstudio; this one reads format "
                f"{ARCHIVE_FORMAT}. Update filmstudio here, then import it again."
            )
        raise ArchiveError(
            f"manifest.json declares an unknown archive format ({version!r}); this filmstudio reads format "
            f"{ARCHIVE_FORMAT}. Is this a filmstudio project export?"
        )
    project = manifest.get("project")
    if not isinstance(project, dict) or not isinstance(project.get("title"), str):
        raise ArchiveError(f"manifest.json does not say which project it holds; {_REFUSED}.")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise ArchiveError(f"manifest.json has no list of files and their checksums; {_REFUSED}.")
    for name, entry in files.items():
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("sha256"), str)
            or len(entry["sha256"]) != 64
            or not isinstance(entry.get("size"), int)
        ):
            raise ArchiveError(f"manifest.json: the entry for “{name}” needs a sha256 and a size; {_REFUSED}.")
    return files


def _members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"The archive has {len(infos)} members, more than the {MAX_MEMBERS} an import accepts.")
    limit = max_bytes()
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        problem = member_problem(info)
        if problem:
            raise ArchiveError(f"“{info.filename}” {problem}; {_REFUSED}.")
        if info.is_dir():
            continue
        if info.filename in members:
            raise ArchiveError(f"“{info.filename}” appears twice in the archive; {_REFUSED}.")
        members[info.filename] = info
        cap = member_max_bytes(info.filename)
        if info.file_size > cap:
            raise ArchiveError(
                f"“{info.filename}” is larger than {size_label(cap)}, the most a project archive's "
                f"{'media file' if info.filename.startswith(MEDIA) else info.filename} may unpack to; {_REFUSED}."
            )
        total += info.file_size
        if total > limit:
            raise ArchiveError(
                f"The archive unpacks to more than {size_label(limit)} (reached at “{info.filename}”), the most an "
                f"import accepts here (ARCHIVE_MAX_BYTES); {_REFUSED}."
            )
    return members


def _upload_size(file: IO[bytes] | Path | str) -> int | None:
    if isinstance(file, str | Path):
        return os.path.getsize(file)
    size = getattr(file, "size", None)  # an UploadedFile knows it
    if isinstance(size, int):
        return size
    try:
        at = file.tell()
        end = file.seek(0, os.SEEK_END)
        file.seek(at)
    except (AttributeError, OSError, ValueError):
        return None
    return end


def open_archive(file: IO[bytes] | Path | str) -> OpenedArchive:
    """Open and check an archive: its size, safe names, sizes within limits, a known manifest, every checksum."""
    size, cap = _upload_size(file), max_upload_bytes()
    if size is not None and size > cap:
        raise ArchiveError(
            f"The archive is {size_label(size)}, larger than {size_label(cap)}, the most an import accepts here "
            f"(ARCHIVE_MAX_UPLOAD_BYTES); {_REFUSED}."
        )
    try:
        zf = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ArchiveError(
            "This file is not a zip archive, so it is not a filmstudio project export. "
            "Choose the .zip file that “Export project” made."
        ) from exc
    try:
        return _check(zf)
    except BaseException:
        zf.close()
        raise


def _check(zf: zipfile.ZipFile) -> OpenedArchive:
    members = _members(zf)
    if MANIFEST not in members:
        raise ArchiveError(
            "The archive has no manifest.json, so it was not made by filmstudio's “Export project” "
            "(or it was repacked). Export the project again and import that file."
        )
    manifest = _read_json(zf, members[MANIFEST], None)
    files = _check_manifest(manifest)
    for name, info in members.items():
        if name == MANIFEST:
            continue
        if name not in files:
            raise ArchiveError(f"“{name}” is in the archive but not in its manifest (it was changed after export).")
        if files[name]["size"] != info.file_size:
            raise ArchiveError(
                f"“{name}” is {info.file_size} bytes in the zip but {files[name]['size']} in the manifest; {_REFUSED}."
            )
        if name not in DOCUMENTS and name != SCRIPT and not name.startswith(MEDIA):
            raise ArchiveError(f"“{name}” is not part of a filmstudio project archive; {_REFUSED}.")
        if name.startswith(MEDIA) and media_suffix(name) not in STUDIO_SUFFIXES:
            raise ArchiveError(f"“{name}” is a type of file filmstudio never writes; {_REFUSED}.")
    for name in (*files, *DOCUMENTS, SCRIPT):
        if name not in members:
            raise ArchiveError(f"The archive has no “{name}” (the manifest or the format requires it); {_REFUSED}.")
    documents: dict[str, Any] = {}
    script = ""
    media: list[zipfile.ZipInfo] = []
    for name, info in members.items():
        sha256 = files.get(name, {}).get("sha256")
        if name == MANIFEST:
            continue
        if name in DOCUMENTS:
            documents[name] = _read_json(zf, info, sha256)
        elif name == SCRIPT:
            try:
                script = _read_checked(zf, info, sha256).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ArchiveError(f"“{name}” is not UTF-8 text; {_REFUSED}.") from exc
        else:
            if read_member(zf, info) != sha256:
                raise _mismatch(name)
            media.append(info)
    return OpenedArchive(zf=zf, manifest=manifest, documents=documents, script=script, media=media)
