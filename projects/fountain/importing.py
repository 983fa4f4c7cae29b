"""Turning an uploaded file into Fountain text, with a clear error for anything else."""

from __future__ import annotations

from projects.fountain.errors import ScreenplayImportError
from projects.fountain.fdx import read_fdx
from projects.fountain.writer import write

MAX_IMPORT_BYTES = 5 * 1024 * 1024
EXTENSIONS = (".fountain", ".spmd", ".txt", ".fdx")


def check_upload(data: bytes, filename: str) -> None:
    """The checks that need no parsing (type, emptiness, size, binary), so a big file that a worker
    will read is refused at once when it is plainly not a screenplay."""
    name = filename.lower()
    if not name.endswith(EXTENSIONS):
        raise ScreenplayImportError(f"“{filename}” is not a screenplay file: use .fountain, .fdx or .txt.")
    if not data.strip():
        raise ScreenplayImportError(f"“{filename}” is empty.")
    if len(data) > MAX_IMPORT_BYTES:
        raise ScreenplayImportError(f"“{filename}” is larger than 5 MB.")
    if b"\x00" in data:
        raise ScreenplayImportError(f"“{filename}” looks like a binary file, not a screenplay.")


def import_screenplay(data: bytes, filename: str) -> str:
    """Fountain text from a .fountain, .txt or .fdx file's bytes."""
    check_upload(data, filename)
    if filename.lower().endswith(".fdx"):
        try:
            return write(read_fdx(data))
        except ScreenplayImportError as exc:
            raise ScreenplayImportError(f"“{filename}”: {exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScreenplayImportError(
            f"“{filename}” is not UTF-8 text (byte {exc.start} is not valid). Save it as UTF-8 and try again."
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
