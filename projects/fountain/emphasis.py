"""Fountain emphasis (*italic*, **bold**, _underline_) as styled runs, for Final Draft's Text Style and the PDF."""

from __future__ import annotations

import re

ITALIC = "Italic"
BOLD = "Bold"
UNDERLINE = "Underline"
# Outermost first: the order marks open in when runs are written back as Fountain.
ORDER = (UNDERLINE, BOLD, ITALIC)
MARK = {UNDERLINE: "_", BOLD: "**", ITALIC: "*"}
TOKEN = re.compile(r"\\[*_]|\*{1,3}|_")

Run = tuple[str, frozenset[str]]


def runs(text: str) -> list[Run] | None:
    """Styled runs of Fountain text, or None where its marks don't pair up so that they read back the same."""
    out: list[Run] = []
    stack: list[str] = []
    at = 0
    for match in TOKEN.finditer(text):
        token = match.group()
        if token.startswith("\\"):
            return None  # an escaped mark must stay a literal character, which styles can't say
        out.append((text[at : match.start()], frozenset(stack)))
        at = match.end()
        wanted = [BOLD, ITALIC] if token == "***" else [{"_": UNDERLINE, "*": ITALIC, "**": BOLD}[token]]
        if all(style in stack for style in wanted):
            if set(stack[-len(wanted) :]) != set(wanted):
                return None  # closes across another open mark: not nested, not ours to guess
            del stack[-len(wanted) :]
        elif any(style in stack for style in wanted):
            return None
        else:
            stack.extend(wanted)
    if stack:
        return None
    out.append((text[at:], frozenset()))
    merged = _merge(out)
    return merged if fountain_of(merged) == text else None


def _merge(parts: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for text, styles in parts:
        if not text:
            continue
        if merged and merged[-1][1] == styles:
            merged[-1] = (merged[-1][0] + text, styles)
        else:
            merged.append((text, styles))
    return merged


def fountain_of(parts: list[Run]) -> str:
    """Fountain text for styled runs, with marks nested in one fixed order."""
    out: list[str] = []
    stack: list[str] = []
    for text, styles in _merge(parts):
        while any(style not in styles for style in stack):
            out.append(MARK[stack.pop()])
        for style in ORDER:
            if style in styles and style not in stack:
                stack.append(style)
                out.append(MARK[style])
        out.append(text)
    out.extend(MARK[style] for style in reversed(stack))
    return "".join(out)


def plain_runs(text: str) -> list[Run]:
    """Runs for any text: styled where its marks pair up, else one unstyled run of the text as written."""
    return runs(text) or ([(text, frozenset())] if text else [])
