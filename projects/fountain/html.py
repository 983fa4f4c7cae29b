# SPDX-License-Identifier: GPL-3.0-or-later
"""The script as the HTML preview shows it: emphasis as <em>, <strong> and <u> (as the PDF prints it),
and dual dialogue as two speeches side by side. Pure Python: every character of the script is escaped."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from projects.fountain.emphasis import BOLD, ITALIC, UNDERLINE, runs
from projects.fountain.model import CHARACTER, DIALOGUE, PARENTHETICAL, Element, Script
from projects.fountain.parser import strip_markup
from projects.fountain.text import without

TAGS = ((UNDERLINE, "u"), (BOLD, "strong"), (ITALIC, "em"))


def emphasis_html(text: str) -> str:
    """Fountain text as escaped HTML with its emphasis as tags; notes and boneyard left out, line breaks kept."""
    text = without(without(text, "[[", "]]"), "/*", "*/")
    parts = runs(text)
    if parts is None:  # marks that don't pair up: the words without them, as the PDF prints them
        return escape(strip_markup(text).replace("\\*", "*").replace("\\_", "_")).replace("\n", "<br>")
    out: list[str] = []
    for run, styles in parts:
        opened = [tag for style, tag in TAGS if style in styles]
        out.append("".join(f"<{t}>" for t in opened))
        out.append(escape(run).replace("\n", "<br>"))
        out.append("".join(f"</{t}>" for t in reversed(opened)))
    return "".join(out)


@dataclass
class Row:
    """One row of the preview: an element, or two speeches side by side (dual dialogue)."""

    element: Element | None = None
    left: list[Element] = field(default_factory=list)
    right: list[Element] = field(default_factory=list)

    @property
    def dual(self) -> bool:
        return self.element is None


def preview_rows(script: Script) -> list[Row]:
    """The script's elements in preview order, a speech whose cue is marked ^ paired with the one before it."""
    rows: list[Row] = []
    elements = script.elements
    i = 0
    while i < len(elements):
        element = elements[i]
        if element.kind != CHARACTER:
            rows.append(Row(element))
            i += 1
            continue
        end = i + 1
        while end < len(elements) and elements[end].kind in (PARENTHETICAL, DIALOGUE):
            end += 1
        speech = elements[i:end]
        previous = _speech_before(rows)
        if element.dual and previous is not None:
            del rows[len(rows) - len(previous) :]
            rows.append(Row(left=previous, right=speech))
        else:
            rows.extend(Row(e) for e in speech)
        i = end
    return rows


def _speech_before(rows: list[Row]) -> list[Element] | None:
    """The single speech the rows end with (its cue, parentheticals and dialogue), if they do."""
    speech: list[Element] = []
    for row in reversed(rows):
        if row.element is None:
            return None
        speech.insert(0, row.element)
        if row.element.kind == CHARACTER:
            return None if row.element.dual else speech
        if row.element.kind not in (PARENTHETICAL, DIALOGUE):
            return None
    return None
