"""A screenplay PDF in industry layout: Courier 12 pt, standard margins and indents, ~55 lines a
page, page numbers from page 2, (MORE)/(CONT'D) across page breaks, optional scene numbers.
In production (projects/fountain/revisions.py) the numbers are locked ("12A", "12 OMITTED"), lines
changed since an earlier text carry "*" in the right margin, and revised pages name their revision.

The fonts are embedded (projects/fountain/fonts.py): Courier Prime for the page, and fallbacks for
the characters it lacks (Cyrillic, Greek, Chinese, Japanese, Korean). Wide (CJK) characters take
two columns of the layout."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import zip_longest
from pathlib import Path

from fpdf import FPDF

from projects.fountain import fonts
from projects.fountain.emphasis import BOLD, ITALIC, UNDERLINE, runs
from projects.fountain.fonts import PAGE_FONT
from projects.fountain.model import (
    ACTION,
    CENTERED,
    CHARACTER,
    DIALOGUE,
    LYRICS,
    PAGE_BREAK,
    PARENTHETICAL,
    SCENE_HEADING,
    TRANSITION,
    Element,
    Script,
)
from projects.fountain.parser import parse, strip_markup
from projects.fountain.revisions import (
    Changes,
    changed_rows,
    changes_since,
    number_key,
    omitted_numbers,
    printed_numbers,
)
from projects.fountain.revisions import scene_numbers as _scene_numbers
from projects.fountain.text import char_columns, columns, without, wrap_spans

Style = frozenset[str]

LINES_PER_PAGE = 55
LINE_H = 1 / 6  # inches: 12 pt Courier, 6 lines an inch
CHAR_W = 0.1  # inches: 12 pt Courier, 10 characters an inch
TOP, LEFT, RIGHT = 1.0, 1.5, 1.0
PAPER = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}
# Left edges (inches from the paper's left edge) and widths in characters.
X = {ACTION: 1.5, SCENE_HEADING: 1.5, CHARACTER: 3.7, PARENTHETICAL: 3.1, DIALOGUE: 2.5, LYRICS: 2.5}
WIDTH = {ACTION: 60, SCENE_HEADING: 60, CHARACTER: 38, PARENTHETICAL: 25, DIALOGUE: 35, LYRICS: 35, TRANSITION: 60}
# Dual dialogue: two narrower speeches side by side, the left one from the action margin.
DUAL_X = ({CHARACTER: 2.5, PARENTHETICAL: 1.8, DIALOGUE: 1.5}, {CHARACTER: 5.6, PARENTHETICAL: 4.9, DIALOGUE: 4.6})
DUAL_WIDTH = {CHARACTER: 20, PARENTHETICAL: 22, DIALOGUE: 28}
FPDF_STYLE = {BOLD: "B", ITALIC: "I", UNDERLINE: "U"}
REVISION_MARK = "*"
MARK_FROM_EDGE = 0.5  # inches: the revision asterisk's left edge from the paper's right edge


@dataclass(frozen=True)
class Revised:
    """How to print a revised script: the text to mark changes against (None: no marks), the
    revision set's name and date for the title page and revised pages, and the locked numbers."""

    since: Script | None = None
    name: str = ""  # "Blue"
    date: str = ""  # "6 Dec 2026"
    locked_numbers: list[str] | None = None  # None: numbers are not locked

    @property
    def title_line(self) -> str:
        return f"{self.name} Revision — {self.date}" if self.name else ""

    @property
    def header(self) -> str:
        return f"{self.name} Rev. {self.date}" if self.name else ""


class _Marker:
    """Marks the printed lines of changed elements (all of a new one; of a replaced one, the rows not
    found in what it replaced, wrapped the same way)."""

    def __init__(self, changes: Changes | None) -> None:
        self.changes = changes

    def mark(self, index: int, lines: list[Line], wrap: Callable[[str], list[Line]]) -> list[Line]:
        if self.changes is None or not lines:
            return lines
        if index in self.changes.replaced:
            old_rows = [line.text for text in self.changes.replaced[index] for line in wrap(text)]
            for line, changed in zip(lines, changed_rows([line.text for line in lines], old_rows), strict=True):
                line.changed = changed
        if index in self.changes.after_removal:
            lines[0].changed = True
        return lines

    def only_after_removal(self, index: int) -> bool:
        """Whether element `index` is marked only because something before it was removed."""
        return self.changes is not None and index in self.changes.after_removal and index not in self.changes.replaced


class _Sheet(FPDF):
    """The PDF, with Courier Prime and the fallback families its text needs (files in folder)."""

    def __init__(self, text: str, folder: Path, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        families = fonts.families_for(text)
        self.fallbacks = families[1:]
        for family in families:
            for style in fonts.FONTS[family].faces:
                self.add_font(family, style, fonts.embeddable(family, style, text, folder))

    def family_of(self, char: str) -> str:
        """The family that draws a character: Courier Prime where it can (and for what none can)."""
        code = ord(char)
        if char.isascii() or code in fonts.coverage(PAGE_FONT):
            return PAGE_FONT
        return next((family for family in self.fallbacks if code in fonts.coverage(family)), PAGE_FONT)


@dataclass
class Line:
    text: str
    kind: str
    styles: list[Style] = field(default_factory=list)  # one per character; empty when plain
    x: float | None = None  # left edge when not the kind's own indent (dual dialogue)
    scene_number: str = ""
    beside: Line | None = None  # the right-hand speech's line in dual dialogue
    changed: bool = False  # revised since the text compared against: "*" in the right margin


@dataclass
class Block:
    lines: list[Line]
    kind: str
    cue: str = ""  # for speeches: the character, to repeat as (CONT'D)
    new_page: bool = False
    speech: list[Element] = field(default_factory=list)
    dual: bool = False
    first: int = 0  # a speech's first element's index in the script


def _printable(text: str) -> str:
    return text.replace("\t", "    ")


def _styled(text: str) -> tuple[str, list[Style]]:
    """Printable text without notes or emphasis marks, and the style of each of its characters."""
    text = without(without(text, "[[", "]]"), "/*", "*/")
    parts = runs(text)
    if parts is None:  # marks that don't pair up: print the words without them
        return _printable(strip_markup(text).replace("\\*", "*").replace("\\_", "_")), []
    chars: list[str] = []
    styles: list[Style] = []
    for run, style in parts:
        printable = _printable(run)
        chars.append(printable)
        styles += [style] * len(printable)
    return "".join(chars), styles if any(styles) else []


def _wrap(text: str, kind: str, width: int | None = None, x: float | None = None) -> list[Line]:
    """Lines of at most width characters, broken at spaces like textwrap, keeping each character's style."""
    width = width or WIDTH.get(kind, 60)
    plain, styles = _styled(text.upper() if kind in (SCENE_HEADING, CHARACTER, TRANSITION) else text)
    lines: list[Line] = []
    pos = 0
    for raw in plain.split("\n"):
        raw_styles = styles[pos : pos + len(raw)] if styles else []
        pos += len(raw) + 1
        lines += [Line(raw[start:end], kind, raw_styles[start:end], x) for start, end in wrap_spans(raw, width)]
    return lines


def _speech_lines(speech: list[Element], first: int, marker: _Marker, column: int | None = None) -> list[Line]:
    lines: list[Line] = []
    for offset, element in enumerate(speech):
        kind = element.kind if element.kind in (CHARACTER, PARENTHETICAL) else DIALOGUE
        if column is None:
            wrap = partial(_wrap, kind=kind)
        else:
            wrap = partial(_wrap, kind=kind, width=DUAL_WIDTH[kind], x=DUAL_X[column][kind])
        lines += marker.mark(first + offset, wrap(element.text), wrap)
    return lines


def _omitted(number: str, *, changed: bool = False) -> Block:
    return Block([Line("OMITTED", SCENE_HEADING, scene_number=number, changed=changed)], SCENE_HEADING)


def blocks_of(script: Script, *, scene_numbers: bool, revised: Revised | None = None) -> list[Block]:
    """The printed blocks of a script, each a run of lines that stand together."""
    revised = revised or Revised()
    marker = _Marker(None if revised.since is None else changes_since(revised.since, script))
    locked = revised.locked_numbers
    numbers = iter(_scene_numbers(script, locked=locked is not None))
    omitted = omitted_numbers(locked, _scene_numbers(script, locked=True)) if locked is not None else []
    # A scene omitted since the text compared against is a change: its OMITTED line carries the "*".
    omitted_since = set(omitted) & set(printed_numbers(revised.since)) if revised.since is not None else set()
    scene_numbers = scene_numbers or locked is not None
    blocks: list[Block] = []
    pending_break = False
    elements = script.elements
    i = 0
    while i < len(elements):
        element = elements[i]
        kind = element.kind
        i += 1
        if kind == PAGE_BREAK:
            pending_break = True
            continue
        if kind == CHARACTER:
            end = i
            while end < len(elements) and elements[end].kind in (PARENTHETICAL, DIALOGUE):
                end += 1
            first = i - 1
            speech, i = elements[first:end], end
            previous = blocks[-1] if blocks else None
            if element.dual and previous is not None and previous.speech and not previous.dual:
                rows = zip_longest(
                    _speech_lines(previous.speech, previous.first, marker, 0), _speech_lines(speech, first, marker, 1)
                )
                lines = [
                    (left or Line("", DIALOGUE)) if right is None else _beside(left, right) for left, right in rows
                ]
                blocks[-1] = Block(lines, "dual", new_page=previous.new_page, speech=previous.speech, dual=True)
                continue
            block = Block(_speech_lines(speech, first, marker), CHARACTER, speech=speech, first=first)
            block.cue = block.lines[0].text.split("(")[0].strip()
        elif kind == SCENE_HEADING:
            number = next(numbers)
            marked_omission = False
            while omitted and number_key(omitted[0]) < number_key(number):
                gone = omitted.pop(0)
                marked_omission = marked_omission or gone in omitted_since
                blocks.append(_omitted(gone, changed=gone in omitted_since))
            block = Block(marker.mark(i - 1, _wrap(element.text, kind), partial(_wrap, kind=kind)), kind)
            if marked_omission and marker.only_after_removal(i - 1):
                block.lines[0].changed = False  # the removal is marked on the OMITTED line, not the next scene
            if scene_numbers:
                block.lines[0].scene_number = number
        elif kind in (ACTION, TRANSITION, CENTERED, LYRICS, PARENTHETICAL, DIALOGUE):
            block = Block(marker.mark(i - 1, _wrap(element.text, kind), partial(_wrap, kind=kind)), kind)
        else:  # sections, synopses, notes and boneyard are for the writer, not the page
            continue
        block.new_page, pending_break = pending_break, False
        blocks.append(block)
    blocks += [_omitted(number, changed=number in omitted_since) for number in omitted]
    return blocks


def _beside(left: Line | None, right: Line) -> Line:
    row = left or Line("", DIALOGUE)
    row.beside = right
    return row


def paginate(blocks: list[Block]) -> list[list[Line | None]]:
    """Lines of each page (None is a blank line), keeping headings with what follows and
    splitting long speeches with (MORE) / (CONT'D)."""
    pages: list[list[Line | None]] = [[]]

    def room() -> int:
        return LINES_PER_PAGE - len(pages[-1])

    def new_page() -> None:
        page = pages[-1]
        if not page:
            return
        # A scene heading never ends a page: when what follows it moves on, the heading goes too.
        cut = len(page)
        while cut > 0 and _is_heading(page[cut - 1]):
            cut -= 1
        carried = page[cut:] if cut > 0 else []  # a page of nothing but a heading keeps it
        del page[len(page) - len(carried) :]
        while page and page[-1] is None:
            page.pop()
        pages.append(carried)

    for index, block in enumerate(blocks):
        if block.new_page:
            new_page()
        lines = block.lines
        moved = False  # whether this block has already been sent on to a fresh page
        while True:
            gap = 1 if pages[-1] else 0
            need = gap + len(lines)
            if block.kind == SCENE_HEADING and index + 1 < len(blocks):
                need += 1 + min(2, len(blocks[index + 1].lines))  # never strand a heading at a page's foot
            if need <= room():
                _place(pages[-1], lines, gap)
                break
            # What doesn't fit is split at the page's foot, again on each page it fills.
            rest: list[Line] | None = None
            if block.kind == CHARACTER:
                rest = _split_speech(pages[-1], lines, block.cue, gap)
            elif block.kind == ACTION:
                rest = _split_lines(pages[-1], lines, gap)
            if rest is not None:
                pages.append([])
                lines = rest
                continue
            if not moved:
                new_page()
                moved = True
                continue
            # Nowhere to split (a speech of parentheticals, dual dialogue): cut it at each page's foot.
            _place(pages[-1], lines, gap)
            while len(pages[-1]) > LINES_PER_PAGE:
                overflow = pages[-1][LINES_PER_PAGE:]
                del pages[-1][LINES_PER_PAGE:]
                pages.append(list(overflow))
            break
    return pages


def _is_heading(line: Line | None) -> bool:
    return line is not None and line.kind == SCENE_HEADING


def _place(page: list[Line | None], lines: list[Line], gap: int) -> None:
    page.extend([None] * gap)
    page.extend(lines)


def _split_lines(page: list[Line | None], lines: list[Line], gap: int) -> list[Line] | None:
    """Fill the page with a paragraph's first lines, at least two on each side; the rest, or None."""
    split = LINES_PER_PAGE - len(page) - gap
    if len(lines) - split < 2:
        if len(lines) <= LINES_PER_PAGE:
            return None  # a paragraph a line too long moves to the next page whole
        split = len(lines) - 2
    if split < 2:
        return None
    _place(page, lines[:split], gap)
    return lines[split:]


def _split_speech(page: list[Line | None], lines: list[Line], cue: str, gap: int) -> list[Line] | None:
    """Fill the page with a speech's first lines and (MORE); the rest under "CUE (CONT'D)", or None."""
    available = LINES_PER_PAGE - len(page) - gap - 1  # one line for (MORE)
    body = lines[1:]
    # At least two lines of speech on each side of the break, and never end on a parenthetical.
    split = min(available - 1, len(body) - 2)
    while split >= 2 and body[split - 1].kind == PARENTHETICAL:
        split -= 1
    if split < 2:
        return None
    _place(page, [lines[0], *body[:split], Line("(MORE)", CHARACTER)], gap)
    return [Line(f"{cue} (CONT'D)", CHARACTER), *body[split:]]


def export_pdf(
    script: Script | str, *, paper: str = "letter", scene_numbers: bool = False, revised: Revised | None = None
) -> bytes:
    """The script (a parsed Script or Fountain text) as a PDF in industry screenplay layout; `revised`
    prints it as a production revision (locked numbers, "*" on changed lines, the set's name and date)."""
    if isinstance(script, str):
        script = parse(script)
    revised = revised or Revised()
    width, height = PAPER.get(paper, PAPER["letter"])
    text = "".join(f"{e.text}{e.scene_number}" for e in script.elements)
    text += "".join(value for _, value in script.title_page) + revised.title_line + revised.header
    text += "".join(revised.locked_numbers or [])
    with tempfile.TemporaryDirectory(prefix="screenplay-fonts-") as folder:
        return _export(script, text + text.upper(), Path(folder), width, height, scene_numbers, revised)


def _export(
    script: Script, text: str, folder: Path, width: float, height: float, scene_numbers: bool, revised: Revised
) -> bytes:
    pdf = _Sheet(text, folder, unit="in", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0  # text starts exactly at the industry indents
    pdf.set_title(strip_markup(script.title()) or "Screenplay")
    pdf.set_creator("filmstudio")
    pdf.set_font(PAGE_FONT, size=12)
    if script.title_page or revised.title_line:
        _title_page(pdf, script, width, height, revised.title_line)
    pages = paginate(blocks_of(script, scene_numbers=scene_numbers, revised=revised))
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        header = f"{number}." if number > 1 else ""
        if revised.header and any(line is not None and _changed(line) for line in page):
            # A revised page names its revision beside the page number, as pages are swapped in by colour.
            header = f"{revised.header}    {header}".rstrip()
        if header:
            _text(pdf, width - RIGHT - columns(header) * CHAR_W, 0.5, header, [])
        for row, line in enumerate(page):
            if line is not None:
                _draw(pdf, line, TOP + row * LINE_H, width)
    return bytes(pdf.output())


def _changed(line: Line) -> bool:
    return line.changed or (line.beside is not None and line.beside.changed)


def _draw(pdf: _Sheet, line: Line, y: float, width: float, *, beside: bool = False) -> None:
    length = columns(line.text) * CHAR_W
    if line.kind == TRANSITION:
        x = width - RIGHT - length
    elif line.kind == CENTERED:
        x = LEFT + (width - RIGHT - LEFT - length) / 2
    else:
        x = line.x if line.x is not None else X.get(line.kind, LEFT)
    _text(pdf, x, y, line.text, line.styles)
    if line.scene_number:
        _text(pdf, 0.75, y, line.scene_number, [])
        _text(pdf, width - RIGHT + 0.1, y, line.scene_number, [])
    if not beside and _changed(line):
        _text(pdf, width - MARK_FROM_EDGE, y, REVISION_MARK, [])
    if line.beside is not None:
        _draw(pdf, line.beside, y, width, beside=True)


def _text(pdf: _Sheet, x: float, y: float, text: str, styles: list[Style]) -> None:
    """Text from x, run by run of one style (bold, italic, underline) and one font family.
    Families are chosen here rather than with fpdf's fallback fonts, whose text can lose its font
    after a run in a fallback font (a "(" before Chinese text went missing)."""
    families = [PAGE_FONT] * len(text) if text.isascii() else [pdf.family_of(c) for c in text]
    start = 0
    while start < len(text):
        style = styles[start] if styles else frozenset()
        family = families[start]
        end = start + 1
        while (
            end < len(text)
            and (styles[end] if styles else frozenset()) == style
            and families[end] == family
            and (family == PAGE_FONT or char_columns(text[end]) == char_columns(text[start]))
        ):
            end += 1
        faces = fonts.FONTS[family].faces
        wanted = "".join(FPDF_STYLE[s] for s in sorted(style) if s != UNDERLINE)
        face = wanted if wanted in faces else ("B" if "B" in wanted and "B" in faces else "")
        pdf.set_font(family, face + ("U" if UNDERLINE in style else ""))
        run = text[start:end]
        if family != PAGE_FONT:  # spread the run's glyphs over its columns (a wide one takes two)
            spare = columns(run) * CHAR_W - pdf.get_string_width(run)
            pdf.set_char_spacing(spare / len(run) * pdf.k)  # fpdf writes it as Tc, in points
        pdf.set_xy(x + columns(text[:start]) * CHAR_W, y)
        pdf.cell(columns(run) * CHAR_W, LINE_H, run)
        if family != PAGE_FONT:
            pdf.set_char_spacing(0)
        start = end


def _title_page(pdf: _Sheet, script: Script, width: float, height: float, revision: str = "") -> None:
    fields: dict[str, str] = {key.lower(): value for key, value in script.title_page}
    if revision:  # the revision in force heads the dates at the foot, as studios issue it
        fields["draft date"] = "\n".join(v for v in (revision, fields.get("draft date", "")) if v)
    pdf.add_page()
    y = height / 3
    for key in ("title", "credit", "author", "authors", "source"):
        if key not in fields:
            continue
        for line in _wrap(fields[key].upper() if key == "title" else fields[key], ACTION):
            _text(pdf, (width - columns(line.text) * CHAR_W) / 2, y, line.text, line.styles)
            y += LINE_H
        y += LINE_H * (3 if key == "title" else 1)
    # Contact and notes sit at the foot on the left, draft date and copyright on the right.
    for keys, left in ((("contact", "notes"), True), (("draft date", "copyright"), False)):
        lines: list[Line] = []
        for key in keys:
            if key in fields:
                lines += ([Line("", ACTION)] if lines else []) + _wrap(fields[key], ACTION, 30)
        y = height - 1.0 - len(lines) * LINE_H
        for line in lines:
            x = LEFT if left else width - RIGHT - columns(line.text) * CHAR_W
            _text(pdf, x, y, line.text, line.styles)
            y += LINE_H


def page_count(data: bytes) -> int:
    """Pages in a PDF this module wrote (each page object carries /Type /Page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
