"""A screenplay PDF in industry layout: Courier 12 pt, standard margins and indents, ~55 lines a
page, page numbers from page 2, (MORE)/(CONT'D) across page breaks, optional scene numbers."""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass, field

from fpdf import FPDF

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
    Script,
)
from projects.fountain.parser import strip_markup

LINES_PER_PAGE = 55
LINE_H = 1 / 6  # inches: 12 pt Courier, 6 lines an inch
TOP = 1.0
PAPER = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}
# Left edges (inches from the paper's left edge) and widths in characters (Courier 12 = 10 a inch).
X = {ACTION: 1.5, SCENE_HEADING: 1.5, CHARACTER: 3.7, PARENTHETICAL: 3.1, DIALOGUE: 2.5, LYRICS: 2.5}
WIDTH = {ACTION: 60, SCENE_HEADING: 60, CHARACTER: 38, PARENTHETICAL: 25, DIALOGUE: 35, LYRICS: 35, TRANSITION: 60}
ASCII = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2014": "--",
        "\u2013": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


@dataclass
class Line:
    text: str
    kind: str
    scene_number: str = ""


@dataclass
class Block:
    lines: list[Line]
    kind: str
    cue: str = ""  # for speeches: the character, to repeat as (CONT'D)
    blank_before: bool = True
    new_page: bool = False
    pages: list[int] = field(default_factory=list)


def _clean(text: str) -> str:
    # The PDF core Courier font covers Latin-1; typographic punctuation becomes its ASCII twin.
    text = strip_markup(text).translate(ASCII)
    return "".join(
        c
        if ord(c) < 256
        else (unicodedata.normalize("NFKD", c)[:1] if ord(unicodedata.normalize("NFKD", c)[:1] or "?") < 256 else "?")
        for c in text
    )


def _wrap(text: str, kind: str) -> list[str]:
    out: list[str] = []
    for raw in _clean(text).split("\n"):
        out += textwrap.wrap(raw, WIDTH.get(kind, 60)) or [""]
    return out


def blocks_of(script: Script, *, scene_numbers: bool) -> list[Block]:
    blocks: list[Block] = []
    pending_break = False
    count = 0
    speech: Block | None = None
    for element in script.elements:
        kind = element.kind
        if kind in (PARENTHETICAL, DIALOGUE) and speech is not None:
            speech.lines += [Line(t, kind) for t in _wrap(element.text, kind)]
            continue
        speech = None
        if kind == PAGE_BREAK:
            pending_break = True
            continue
        block: Block | None = None
        if kind == SCENE_HEADING:
            count += 1
            number = (element.scene_number or str(count)) if scene_numbers else ""
            lines = [Line(t, kind) for t in _wrap(element.text.upper(), kind)]
            lines[0].scene_number = number
            block = Block(lines, kind)
        elif kind == CHARACTER:
            cue = _clean(element.text)
            block = speech = Block([Line(cue, CHARACTER)], CHARACTER, cue=cue.split("(")[0].strip())
        elif kind in (ACTION, TRANSITION, CENTERED, LYRICS):
            block = Block([Line(t, kind) for t in _wrap(element.text, kind)], kind)
        elif kind in (PARENTHETICAL, DIALOGUE):  # a speech with no cue
            block = Block([Line(t, kind) for t in _wrap(element.text, kind)], kind)
        if block is not None:
            block.new_page = pending_break
            pending_break = False
            blocks.append(block)
    return blocks


def paginate(blocks: list[Block]) -> list[list[Line | None]]:
    """Lines of each page (None is a blank line), keeping headings with what follows and
    splitting long speeches with (MORE) / (CONT'D)."""
    pages: list[list[Line | None]] = [[]]

    def room() -> int:
        return LINES_PER_PAGE - len(pages[-1])

    def new_page() -> None:
        if pages[-1]:
            pages.append([])

    for index, block in enumerate(blocks):
        if block.new_page:
            new_page()
        gap = 1 if pages[-1] else 0
        need = gap + len(block.lines)
        if block.kind == SCENE_HEADING and index + 1 < len(blocks):
            need += 1 + min(2, len(blocks[index + 1].lines))  # never strand a heading
        if need <= room():
            _place(pages[-1], block.lines, gap)
            continue
        if block.kind == CHARACTER and _split_speech(pages, block, gap):
            continue
        if block.kind == ACTION and room() - gap >= 2 and len(block.lines) - (room() - gap) >= 2:
            split = room() - gap
            _place(pages[-1], block.lines[:split], gap)
            pages.append([])
            _place(pages[-1], block.lines[split:], 0)
            continue
        new_page()
        _place(pages[-1], block.lines, 0)
        while len(pages[-1]) > LINES_PER_PAGE:  # a block longer than a page
            overflow = pages[-1][LINES_PER_PAGE:]
            del pages[-1][LINES_PER_PAGE:]
            pages.append(list(overflow))
    return pages


def _place(page: list[Line | None], lines: list[Line], gap: int) -> None:
    page.extend([None] * gap)
    page.extend(lines)


def _split_speech(pages: list[list[Line | None]], block: Block, gap: int) -> bool:
    available = LINES_PER_PAGE - len(pages[-1]) - gap - 1  # one line for (MORE)
    body = block.lines[1:]
    # At least two lines of speech on each side of the break, and never end on a parenthetical.
    split = min(available - 1, len(body) - 2)
    while split >= 2 and body[split - 1].kind == PARENTHETICAL:
        split -= 1
    if split < 2:
        return False
    _place(pages[-1], [block.lines[0], *body[:split], Line("(MORE)", CHARACTER)], gap)
    pages.append([])
    _place(pages[-1], [Line(f"{block.cue} (CONT'D)", CHARACTER), *body[split:]], 0)
    return True


def export_pdf(script: Script, *, paper: str = "letter", scene_numbers: bool = False) -> bytes:
    """The script as a PDF a screenwriter would accept."""
    width, height = PAPER.get(paper, PAPER["letter"])
    pdf = FPDF(unit="in", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0  # text starts exactly at the industry indents
    pdf.set_title(_clean(script.title()) or "Screenplay")
    pdf.set_creator("filmstudio")
    pdf.set_font("Courier", size=12)
    if script.title_page:
        _title_page(pdf, script, width, height)
    for number, page in enumerate(paginate(blocks_of(script, scene_numbers=scene_numbers)), start=1):
        pdf.add_page()
        if number > 1:
            pdf.set_xy(width - 1.0 - 0.6, 0.5)
            pdf.cell(0.6, LINE_H, f"{number}.", align="R")
        for row, line in enumerate(page):
            if line is None:
                continue
            y = TOP + row * LINE_H
            _draw(pdf, line, y, width)
    return bytes(pdf.output())


def _draw(pdf: FPDF, line: Line, y: float, width: float) -> None:
    kind = line.kind
    if kind == TRANSITION:
        pdf.set_xy(1.5, y)
        pdf.cell(width - 1.0 - 1.5, LINE_H, line.text.upper(), align="R")
        return
    if kind == CENTERED:
        pdf.set_xy(1.5, y)
        pdf.cell(width - 1.0 - 1.5, LINE_H, line.text, align="C")
        return
    pdf.set_xy(X.get(kind, 1.5), y)
    pdf.cell(0, LINE_H, line.text.upper() if kind == CHARACTER else line.text)
    if line.scene_number:
        pdf.set_xy(0.75, y)
        pdf.cell(0.6, LINE_H, line.scene_number)
        pdf.set_xy(width - 1.0 + 0.1, y)
        pdf.cell(0.6, LINE_H, line.scene_number)


def _title_page(pdf: FPDF, script: Script, width: float, height: float) -> None:
    fields = {key.lower(): _clean(value) for key, value in script.title_page}
    pdf.add_page()
    y = height / 3
    for key in ("title", "credit", "author", "authors", "source"):
        if key not in fields:
            continue
        for text in fields[key].split("\n"):
            pdf.set_xy(1.0, y)
            pdf.cell(width - 2.0, LINE_H, text.upper() if key == "title" else text, align="C")
            y += LINE_H
        y += LINE_H * (3 if key == "title" else 1)
    bottom = height - 1.0 - LINE_H * 5
    for key, x, align in (("contact", 1.5, "L"), ("draft date", width - 4.5, "R"), ("copyright", width - 4.5, "R")):
        if key not in fields:
            continue
        yy = bottom
        for text in fields[key].split("\n"):
            pdf.set_xy(x, yy)
            pdf.cell(3.0, LINE_H, text, align=align)
            yy += LINE_H
        if key == "draft date":
            bottom += LINE_H * 2


def page_count(data: bytes) -> int:
    """Pages in a PDF we wrote (each page object carries /Type /Page)."""
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") + data.count(b"/Type /Page ")
