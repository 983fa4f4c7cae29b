"""Shared helpers for the Fountain engine tests (plain pytest, no Django)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects.fountain.model import Element, Script

# CI clones the project with shared/ beside it: /work/main/tests/fountain -> /work/shared.
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "screenplays"
NAMES = ["Big-Fish", "Brick-and-Steel", "The-Last-Birthday-Card"]
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"screenplay fixtures not found at {FIXTURES}")
# Elements Final Draft has no paragraph type for (they travel through our FDX as General paragraphs).
FOUNTAIN_ONLY = {"section", "synopsis", "note", "boneyard", "page_break"}


def fixture(name: str, ext: str) -> bytes:
    return (FIXTURES / f"{name}.{ext}").read_bytes()


def same_elements(a: Script, b: Script) -> bool:
    return len(a.elements) == len(b.elements) and all(x.same_as(y) for x, y in zip(a.elements, b.elements, strict=True))


def described(elements: list[Element]) -> list[tuple[str, str, str, bool, int]]:
    """Elements as comparable tuples, for readable assertion diffs."""
    return [(e.kind, e.text, e.scene_number, e.dual, e.depth) for e in elements]
