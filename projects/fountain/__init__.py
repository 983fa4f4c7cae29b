"""Fountain screenplays in pure Python (no Django): parse with source lines, write Fountain back,
read and write Final Draft, break down into scenes, characters and locations, and print to PDF.

No Fountain library is used. screenplain 0.12.0 (the maintained one on PyPI, read for this) parses
into render objects with no source lines, deletes boneyard before splitting lines (shifting every
later line number), drops notes, folds synopses into the scene before them and upper-cases
headings, so neither the breakdown (line spans) nor lossless round trips can be built on it; its
FDX writer skips the title page and the Fountain-only elements and it has no FDX reader; its PDF
writer needs reportlab, where fpdf2 already serves here. Only defusedxml (safe XML) and fpdf2 (PDF)
come from outside.
"""

from __future__ import annotations

from projects.fountain.breakdown import (
    Breakdown,
    CharacterInfo,
    LocationInfo,
    SceneInfo,
    breakdown,
    cue_name,
    heading_parts,
    split_heading,
)
from projects.fountain.errors import ScreenplayFontMissing, ScreenplayImportError
from projects.fountain.fdx import read_fdx, write_fdx
from projects.fountain.importing import MAX_IMPORT_BYTES, check_upload, import_screenplay
from projects.fountain.model import KINDS, Element, Script
from projects.fountain.parser import heading_count, parse, strip_markup
from projects.fountain.pdf import export_pdf
from projects.fountain.writer import write


def export_fdx(script: Script | str) -> bytes:
    """Final Draft XML for a parsed script or Fountain text."""
    return write_fdx(parse(script) if isinstance(script, str) else script)


__all__ = [
    "KINDS",
    "MAX_IMPORT_BYTES",
    "Breakdown",
    "CharacterInfo",
    "Element",
    "LocationInfo",
    "SceneInfo",
    "ScreenplayFontMissing",
    "ScreenplayImportError",
    "Script",
    "breakdown",
    "check_upload",
    "cue_name",
    "export_fdx",
    "export_pdf",
    "heading_count",
    "heading_parts",
    "import_screenplay",
    "parse",
    "read_fdx",
    "split_heading",
    "strip_markup",
    "write",
    "write_fdx",
]
