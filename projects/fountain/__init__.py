"""Fountain screenplays in pure Python (no Django): parse with source lines, write Fountain back,
read and write Final Draft, break down into scenes, characters and locations, and print to PDF."""

from __future__ import annotations

from projects.fountain.breakdown import Breakdown, breakdown, cue_name, split_heading
from projects.fountain.errors import ScreenplayImportError
from projects.fountain.fdx import read_fdx, write_fdx
from projects.fountain.importing import MAX_IMPORT_BYTES, import_screenplay
from projects.fountain.model import KINDS, Element, Script
from projects.fountain.parser import parse, strip_markup
from projects.fountain.pdf import export_pdf
from projects.fountain.writer import write


def export_fdx(script: Script) -> bytes:
    return write_fdx(script)


__all__ = [
    "KINDS",
    "MAX_IMPORT_BYTES",
    "Breakdown",
    "Element",
    "ScreenplayImportError",
    "Script",
    "breakdown",
    "cue_name",
    "export_fdx",
    "export_pdf",
    "import_screenplay",
    "parse",
    "read_fdx",
    "split_heading",
    "strip_markup",
    "write",
    "write_fdx",
]
