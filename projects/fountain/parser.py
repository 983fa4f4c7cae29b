"""A Fountain parser (https://fountain.io/syntax) that keeps the source lines of every element.

Written here rather than taken from screenplain 0.12.0 (read for this): its parser deletes boneyard
with a regex before splitting lines (so every later line number shifts), drops notes, folds synopses
into the scene before them, upper-cases headings, keeps no source line at all, and pulls in
reportlab. The breakdown needs line spans (the navigator, stale-frame tracking) and the writer
needs every element back for lossless round trips.
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
from projects.fountain.text import without

# Chinese screenplays open scenes with 内景 (inside) and 外景 (outside): "内景。客厅 - 夜".
HEADING = re.compile(r"^((INT|EXT|EST|INT\.?/EXT|I/E)[.\s]|(内|內|外|内外|內外)景[。．.\s])", re.IGNORECASE)
SCENE_NUMBER = re.compile(r"[\w.\-]+")
TITLE_KEY = re.compile(
    r"^(title|credit|author|authors|source|draft date|date|contact|copyright|notes|revision|format|font):\s*(.*)$",
    re.IGNORECASE,
)
TRANSITION_RE = re.compile(r"^[A-Z0-9 .'\-]+ TO:$")
PAGE_BREAK_RE = re.compile(r"^={3,}$")
PARENTHETICAL_RE = re.compile(r"^\(.*\)$")
# A line that could open a scene (a heading, or "." forcing one), found without parsing.
_HEADING_LINE = re.compile(r"^[ \t]*(?:" + HEADING.pattern[1:] + r"|\.[^.\s])", re.IGNORECASE | re.MULTILINE)


def heading_count(source: str) -> int:
    """About how many scene headings the text has: every line that could open a scene, counted in
    one pass (a hundred times faster than parsing), to tell a big script from a small one."""
    return sum(1 for _ in _HEADING_LINE.finditer(source))


def _is_character(line: str) -> bool:
    if line.startswith("@"):
        return bool(line[1:].replace("^", "").strip())
    name = without(line, "(", ")").replace("^", "").strip()
    return bool(name) and any(c.isalpha() for c in name) and name == name.upper() and not name.startswith("!")


def _heading(line: str) -> Element | None:
    stripped = line.strip()
    forced = stripped.startswith(".") and not stripped.startswith("..") and bool(stripped[1:].strip())
    if not forced and not HEADING.match(stripped):
        return None
    text = stripped[1:].strip() if forced else stripped
    number = ""
    # Looked for at the end only: a regex search for "\s+#...#$" backtracks on long runs of spaces.
    opens = text.rfind("#", 0, len(text) - 1) if text.endswith("#") else -1
    if opens > 0 and text[opens - 1].isspace() and SCENE_NUMBER.fullmatch(text[opens + 1 : -1]):
        number = text[opens + 1 : -1]
        text = text[:opens].rstrip()
    return Element(SCENE_HEADING, text, scene_number=number, forced=forced)


def parse(source: str) -> Script:
    """Parse Fountain text. Never raises: anything unrecognised is action."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    script = Script()
    i = _title_page(lines, script)
    n = len(lines)
    closers = {closer: _next_with(lines, closer) for closer in ("*/", "]]")}
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        # Boneyard and notes that stand alone may span lines and blank lines. One that is never
        # closed stays text: half-typed "/*" must not swallow the rest of the script.
        if stripped.startswith("/*") and _closes_alone(lines, i, "/*", "*/", closers["*/"]):
            i = _span(lines, i, "/*", "*/", BONEYARD, script)
            continue
        if stripped.startswith("[[") and _closes_alone(lines, i, "[[", "]]", closers["]]"]):
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


def _next_with(lines: list[str], closer: str) -> list[int]:
    """For each line, the first line at or after it that holds closer (len(lines) if none)."""
    found = [len(lines)] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        found[index] = index if closer in lines[index] else found[index + 1]
    return found


def _closes_alone(lines: list[str], i: int, opener: str, closer: str, next_with: list[int]) -> bool:
    """Whether the span opened on line i closes with nothing after it on the closing line."""
    first = lines[i].strip()[len(opener) :]
    if closer in first:
        return not first[first.find(closer) + len(closer) :].strip()
    j = next_with[i + 1]
    return j < len(lines) and not lines[j][lines[j].find(closer) + len(closer) :].strip()


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
    # Sections and synopses are one line each and may stand right above other lines.
    peeled = 0
    while peeled < len(block) and (not block[peeled].strip() or _outline(block[peeled].strip()) is not None):
        outline = _outline(block[peeled].strip(), first_line + peeled)
        if outline is not None:
            add(outline)
        peeled += 1
    if peeled == len(block):
        return
    block, first_line = block[peeled:], first_line + peeled
    line_no = first_line
    first = block[0].strip()
    last_line = first_line + len(block) - 1

    if len(block) == 1:
        if PAGE_BREAK_RE.match(first):
            add(Element(PAGE_BREAK, "", line_no, line_no))
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
        text = "\n".join(b.strip()[1:-1].strip() for b in block).strip("\n")
        if text:  # "><" alone centres nothing: it stays action
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
        text = "\n".join(b.rstrip() for b in block).strip("\n")
        if text.strip():  # a lone "!" forces nothing: no empty action that Final Draft couldn't keep
            add(Element(ACTION, text, first_line, last_line, forced=True))
        return
    add(Element(ACTION, "\n".join(b.rstrip() for b in block).strip("\n"), first_line, last_line))


def _outline(line: str, line_no: int = 0) -> Element | None:
    if line.startswith("#"):
        depth = len(line) - len(line.lstrip("#"))
        return Element(SECTION, line[depth:].strip(), line_no, line_no, depth=depth)
    if line.startswith("=") and not line.startswith("=="):
        return Element(SYNOPSIS, line[1:].strip(), line_no, line_no)
    return None


def _dialogue(block: list[str], first_line: int, script: Script) -> None:
    cue = block[0].strip()
    forced = cue.startswith("@")
    if forced:
        cue = cue[1:].strip()
    dual = cue.endswith("^")
    if dual:
        cue = cue[:-1].rstrip()
    script.elements.append(Element(CHARACTER, cue, first_line, first_line, dual=dual, forced=forced))
    speech: list[str] = []
    speech_start = first_line + 1

    def flush(last_line: int) -> None:
        # Blank lines only matter between a speech's lines, never at its end.
        while speech and not speech[-1]:
            speech.pop()
            last_line -= 1
        if speech:
            script.elements.append(Element(DIALOGUE, "\n".join(speech), speech_start, last_line))
        speech.clear()

    for offset, raw in enumerate(block[1:], start=1):
        line = raw.strip() if raw != "  " else ""
        if PARENTHETICAL_RE.match(line):
            flush(first_line + offset - 1)
            script.elements.append(Element(PARENTHETICAL, line, first_line + offset, first_line + offset))
        elif line or speech:  # a speech never starts with an empty line
            if not speech:
                speech_start = first_line + offset
            speech.append(line)
    flush(first_line + len(block) - 1)


def strip_markup(text: str) -> str:
    """Text without inline notes, boneyard and emphasis marks (for counting and display)."""
    text = without(without(text, "[[", "]]"), "/*", "*/")
    return re.sub(r"(?<!\\)[*_]", "", text)
