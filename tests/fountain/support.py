"""Shared helpers for the Fountain engine tests (plain pytest, no Django)."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from projects.fountain.model import Element, Script
from tests.conftest import screenplay

NAMES = ["Big-Fish", "Brick-and-Steel", "The-Last-Birthday-Card"]
# Elements Final Draft has no paragraph type for (they travel through our FDX as General paragraphs).
FOUNTAIN_ONLY = {"section", "synopsis", "note", "boneyard", "page_break"}


def fixture(name: str, ext: str) -> bytes:
    """A screenplay fixture's bytes; the calling test is skipped when the file is missing."""
    return screenplay(f"{name}.{ext}").read_bytes()


def same_elements(a: Script, b: Script) -> bool:
    return len(a.elements) == len(b.elements) and all(x.same_as(y) for x, y in zip(a.elements, b.elements, strict=True))


def described(elements: list[Element]) -> list[tuple[str, str, str, bool, int]]:
    """Elements as comparable tuples, for readable assertion diffs."""
    return [(e.kind, e.text, e.scene_number, e.dual, e.depth) for e in elements]


def fonts_by_text(data: bytes, page: int = 0) -> dict[str, Any]:
    """The font dictionary each piece of text on a PDF page is drawn with."""
    found: dict[str, Any] = {}

    def visit(text: str, cm: object, tm: object, font: Any, size: float) -> None:
        found.setdefault(text.strip(), font)

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def printed_pieces(data: bytes) -> list[list[tuple[float, float, str]]]:
    """Each page's drawn text pieces as (x, y, text), inches from the page's left and bottom edges."""
    pages: list[list[tuple[float, float, str]]] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found: list[tuple[float, float, str]] = []

        def visit(
            text: str, cm: Any, tm: Any, font: Any, size: float, found: list[tuple[float, float, str]] = found
        ) -> None:
            if text.strip():
                found.append((round(tm[4] / 72, 3), round(tm[5] / 72, 3), text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages
