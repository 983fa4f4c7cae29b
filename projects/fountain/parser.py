"""A Fountain parser (https://fountain.io/syntax) that keeps the source line of every element.

Written here rather than taken from screenplain or jouvence: screenplain turns text into render
objects without source line spans and drops notes and boneyard, and jouvence is unmaintained
(2020) and loses line numbers too; the breakdown (scene line spans for the navigator and stale
frame tracking) and lossless round trips need both.
"""

from __future__ import annotations

import re

from projects.fountain.model import (
    ACTION,
    BONEYARD,
    CENTERED,
    CHARACTER,
    DIALOGUE,
    LYRICS,
    NOTE,
    PAGE_BREAK,
    PARENTHETICAL,
    SCENE_HEADING,
    SECTION,
    SYNOPSIS,
    TRANSITION,
    Element,
    Script,
)

HEADING = re.compile(r"^(INT|EXT|EST|INT\.?/EXT|I/E)[.\s]", re.IGNORECASE)
SCENE_NUMBER = re.compile(r"\s+#([\w.\-]+)#\s*$")
TITLE_KEY = re.compile(
    r"^(title|credit|author|authors|source|draft date|date|contact|copyright|notes|revision|format|font):\s*(.*)$",
    re.IGNORECASE,
)
TRANSITION_RE = re.compile(r"^[A-Z0-9 .'\-]+ TO:$")
PAGE_BREAK_RE = re.compile(r"^={3,}$")
PARENTHETICAL_RE = re.compile(r"^\(.*\)$")
NOTE_ONLY = re.compile(r"^\[\[.*\]\]$", re.DOTALL)


def _is_character(line: str) -> bool:
    if line.startswith("@"):
        return len(line) > 1
    name = re.sub(r"\(.*?\)", "", line).replace("^", "").strip()
    return bool(name) and any(c.isalpha() for c in name) and name == name.upper() and not name.startswith("!")


def _heading(line: str) -> Element | None:
    stripped = line.strip()
    forced = stripped.startswith(".") and not stripped.startswith("..")
    if not forced and not HEADING.match(stripped):
        return None
    text = stripped[1:].strip() if forced else stripped
    number = ""
    match = SCENE_NUMBER.search(text)
    if match:
        number = match.group(1)
        text = text[: match.start()].rstrip()
    return Element(SCENE_HEADING, text, scene_number=number, forced=forced)


def parse(source: str) -> Script:
    """Parse Fountain text. Never raises: anything unrecognised is action."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    script = Script()
    i = _title_page(lines, script)
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        # Boneyard and notes that stand alone may span lines and blank lines.
        if stripped.startswith("/*"):
            i = _span(lines, i, "/*", "*/", BONEYARD, script)
            continue
        if stripped.startswith("[[") and _closes_alone(lines, i, "[[", "]]"):
            i = _span(lines, i, "[[", "]]", NOTE, script)
            continue
        block_start = i
        block: list[str] = []
        while i < n and (lines[i].strip() or (lines[i] == "  " and block)):
            block.append(lines[i])
            i += 1
        while block and not block[-1].strip():  # a two-space line only matters inside a speech
            block.pop()
        _block(block, block_start + 1, script)
    return script


def _title_page(lines: list[str], script: Script) -> int:
    if not lines or not TITLE_KEY.match(lines[0]) or HEADING.match(lines[0]):
        return 0
    i = 0
    key = ""
    values: list[str] = []
    while i < len(lines) and lines[i].strip():
        line = lines[i]
        match = TITLE_KEY.match(line) if not line[:1].isspace() else None
        if match:
            if key:
                script.title_page.append((key, "\n".join(values)))
            key, values = match.group(1), ([match.group(2).strip()] if match.group(2).strip() else [])
        elif key:
            values.append(line.strip())
        else:
            return 0
        i += 1
    if key:
        script.title_page.append((key, "\n".join(values)))
    return i


def _closes_alone(lines: list[str], i: int, opener: str, closer: str) -> bool:
    text = "\n".join(lines[i:])
    end = text.find(closer)
    return end >= 0 and not text[end + len(closer) :].split("\n", 1)[0].strip()


def _span(lines: list[str], i: int, opener: str, closer: str, kind: str, script: Script) -> int:
    start = i
    collected: list[str] = []
    first = lines[i].strip()[len(opener) :]
    rest = first
    while True:
        end = rest.find(closer)
        if end >= 0:
            collected.append(rest[:end])
            break
        collected.append(rest)
        i += 1
        if i >= len(lines):
            break
        rest = lines[i]
    script.elements.append(Element(kind, "\n".join(collected), start + 1, i + 1))
    return i + 1


def _block(block: list[str], first_line: int, script: Script) -> None:
    add = script.elements.append
    line_no = first_line
    first = block[0].strip()
    last_line = first_line + len(block) - 1

    if len(block) == 1:
        if PAGE_BREAK_RE.match(first):
            add(Element(PAGE_BREAK, "", line_no, line_no))
            return
        if first.startswith("#"):
            depth = len(first) - len(first.lstrip("#"))
            add(Element(SECTION, first[depth:].strip(), line_no, line_no, depth=depth))
            return
        if first.startswith("=") and not first.startswith("=="):
            add(Element(SYNOPSIS, first[1:].strip(), line_no, line_no))
            return
        heading = _heading(first)
        if heading is not None:
            heading.start_line = heading.end_line = line_no
            add(heading)
            return
        if first.startswith(">") and not first.endswith("<") and first[1:].strip():
            add(Element(TRANSITION, first[1:].strip(), line_no, line_no, forced=True))
            return
        if TRANSITION_RE.match(first):
            add(Element(TRANSITION, first, line_no, line_no))
            return

    if all(b.strip().startswith(">") and b.strip().endswith("<") and len(b.strip()) > 1 for b in block):
        text = "\n".join(b.strip()[1:-1].strip() for b in block)
        add(Element(CENTERED, text, first_line, last_line))
        return
    if all(b.strip().startswith("~") for b in block):
        add(Element(LYRICS, "\n".join(b.strip()[1:].lstrip() for b in block), first_line, last_line))
        return
    if len(block) > 1 and not first.startswith("!") and _is_character(first):
        _dialogue(block, first_line, script)
        return
    if first.startswith("!"):
        block = [block[0].lstrip()[1:], *block[1:]]
        add(Element(ACTION, "\n".join(b.rstrip() for b in block), first_line, last_line, forced=True))
        return
    add(Element(ACTION, "\n".join(b.rstrip() for b in block).strip("\n"), first_line, last_line))


def _dialogue(block: list[str], first_line: int, script: Script) -> None:
    cue = block[0].strip()
    forced = cue.startswith("@")
    if forced:
        cue = cue[1:]
    dual = cue.endswith("^")
    if dual:
        cue = cue[:-1].rstrip()
    script.elements.append(Element(CHARACTER, cue, first_line, first_line, dual=dual, forced=forced))
    speech: list[str] = []
    speech_start = first_line + 1
    for offset, raw in enumerate(block[1:], start=1):
        line = raw.strip() if raw != "  " else ""
        if PARENTHETICAL_RE.match(line):
            if speech:
                script.elements.append(Element(DIALOGUE, "\n".join(speech), speech_start, first_line + offset - 1))
                speech = []
            script.elements.append(Element(PARENTHETICAL, line, first_line + offset, first_line + offset))
            speech_start = first_line + offset + 1
        elif line or speech:  # a speech never starts with an empty line
            if not speech:
                speech_start = first_line + offset
            speech.append(line)
    if speech:
        script.elements.append(Element(DIALOGUE, "\n".join(speech), speech_start, first_line + len(block) - 1))


def strip_markup(text: str) -> str:
    """Text without inline notes, boneyard and emphasis marks (for counting and display)."""
    text = re.sub(r"\[\[.*?\]\]", "", text, flags=re.DOTALL)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return re.sub(r"(?<!\\)[*_]", "", text)
