"""Editorial exports of a cut of stills: the shot-list CSV and the storyboard PDF here; the EDL, FCPXML and
OTIO timelines in `editlists` (written by OpenTimelineIO), re-exported here. No Django.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from PIL import Image

from .editlists import AUDIO_DIR, FRAMES_DIR, MUSIC_DIR, AudioClip, EditClip, cut_timeline, to_edl, to_fcpxml, to_otio

__all__ = [
    "AUDIO_DIR", "FRAMES_DIR", "MUSIC_DIR", "SHOT_LIST_COLUMNS", "AudioClip", "EditClip", "PdfFrame", "PdfScene",
    "cut_timeline", "shot_list_csv", "storyboard_pdf", "to_edl", "to_fcpxml", "to_otio",
]  # fmt: skip
SHOT_LIST_COLUMNS = (
    "scene", "scene_heading", "shot", "shot_type", "camera_angle", "lens_mm", "subjects",
    "description", "script_lines", "duration_seconds", "stale", "frame_file",
)  # fmt: skip
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _one_line(text: str) -> str:
    """Text for a one-line field: line breaks become spaces."""
    return " ".join(text.split())


def _csv_value(value: object) -> str:
    """A cell: lists joined with '; ', booleans as yes/no, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return "; ".join(_csv_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


# What makes a spreadsheet read a cell as a formula (OWASP's list: a leading minus too).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def shot_list_csv(rows: list[dict[str, object]], *, excel: bool = False) -> str:
    """RFC 4180 shot list with a header row; `excel` adds a UTF-8 BOM and defuses cells that look like formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SHOT_LIST_COLUMNS)
    for row in rows:
        cells = [_csv_value(row.get(column)) for column in SHOT_LIST_COLUMNS]
        if excel:
            cells = [f"'{c}" if c[:1] in FORMULA_STARTS else c for c in cells]
        writer.writerow(cells)
    return ("\ufeff" if excel else "") + out.getvalue()


@dataclass
class PdfFrame:
    """One storyboard panel: a PNG path ('' when not rendered) and the text under it."""

    image: str
    label: str
    notes: str = ""
    excerpt: str = ""
    comments: list[str] = field(default_factory=list)


@dataclass
class PdfScene:
    """A scene of the storyboard: its heading, number and panels."""

    heading: str
    number: str
    frames: list[PdfFrame] = field(default_factory=list)


PANELS_PER_PAGE = (3, 2)  # columns, rows
_FALLBACKS = str.maketrans({"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u2009": " "})


def _latin(text: str) -> str:
    """Text a core (cp1252) font can show: accents stripped where needed, anything else as '?'."""
    out = []
    for char in text.translate(_FALLBACKS):
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            out.append(bare if bare and bare.isascii() else "?")
    return "".join(out)


class _Board(FPDF):
    """The storyboard document, with a footer on every page after the title page."""

    doc_title = ""
    sans = "Helvetica"

    def footer(self) -> None:
        """Title and page number."""
        if self.page_no() > 1:
            self.set_y(-10)
            self.set_font(self.sans, "", 7.5)
            self.set_text_color(120)
            self.cell(0, 4, f"{self.doc_title}  ·  page {self.page_no()} of {{nb}}", align="C")


def storyboard_pdf(
    *,
    title: str,
    scenes: list[PdfScene],
    paper: str = "A4",
    credits: Sequence[tuple[str, str]] = (),
    footnote: str = "",
) -> bytes:
    """A landscape storyboard (paper "A4" or "Letter"): a title page, then each scene's headed 3 x 2 grids of panels.

    `credits` (heading, detail) become a last page, "Made with", naming the models that made the pictures and
    their terms, with `footnote` under them.
    """
    if paper.lower() not in ("a4", "letter"):
        raise ValueError(f"paper must be A4 or Letter, not {paper!r}")
    texts = [title, footnote] + [t for s in scenes for t in (s.heading, s.number)] + [t for c in credits for t in c]
    texts += [t for s in scenes for f in s.frames for t in (f.label, f.notes, *f.comments)]
    have = {name: (DEJAVU_DIR / f"{name}.ttf").exists() for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono")}
    unicode = any(_latin(t) != t for t in texts) and have["DejaVuSans"] and have["DejaVuSans-Bold"]
    mono_unicode = have["DejaVuSansMono"] and any(_latin(f.excerpt) != f.excerpt for s in scenes for f in s.frames)
    pdf = _Board(orientation="L", unit="mm", format=paper.lower())
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_auto_page_break(False)
    pdf.set_margins(12, 12, 12)
    pdf.set_title(title)
    pdf.set_creator("filmstudio")
    if unicode:
        pdf.add_font("DejaVu", "", str(DEJAVU_DIR / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(DEJAVU_DIR / "DejaVuSans-Bold.ttf"))
        pdf.sans = "DejaVu"
    if mono_unicode:
        pdf.add_font("DejaVuMono", "", str(DEJAVU_DIR / "DejaVuSansMono.ttf"))
    sans = pdf.sans

    def clean(text: str) -> str:
        return text if unicode else _latin(text)

    pdf.doc_title = clean(_one_line(title))
    cols, rows = PANELS_PER_PAGE
    margin, gutter, head_h, foot_h = 12.0, 6.0, 14.0, 12.0
    cell_w = (pdf.w - 2 * margin - (cols - 1) * gutter) / cols
    img_h = cell_w * 9 / 16
    cell_h = (pdf.h - margin - head_h - foot_h - (rows - 1) * gutter) / rows
    images: dict[str, io.BytesIO | None] = {}

    def image(path: str) -> io.BytesIO | None:
        if path not in images:
            try:
                with Image.open(path) as im:
                    im.draft("RGB", (640, 360))
                    alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
                    picture = im.convert("RGBA" if alpha else "RGB")
                picture = picture.reduce(max(1, min(picture.width // 640, picture.height // 360)))
                picture.thumbnail((960, 540), Image.Resampling.BILINEAR)
                if alpha:  # flatten onto white paper
                    picture = Image.alpha_composite(Image.new("RGBA", picture.size, "white"), picture).convert("RGB")
                buffer = io.BytesIO()
                picture.save(buffer, "JPEG", quality=85)
                images[path] = buffer
            except (OSError, ValueError):
                images[path] = None
        return images[path]

    def lines(text: str, family: str, style: str, size: float) -> list[str]:
        pdf.set_font(family, style, size)
        wrapped = cast(list[str], pdf.multi_cell(cell_w, 3, text, dry_run=True, output=MethodReturnValue.LINES))
        return wrapped if pdf.is_ttf_font else [ln.encode("latin-1").decode("cp1252") for ln in wrapped]

    def fit(line: str, truncated: bool, width: float = cell_w) -> str:
        if not truncated and pdf.get_string_width(line) <= width:
            return line
        while line and pdf.get_string_width(line.rstrip() + "…") > width:
            line = line[:-1]
        return line.rstrip() + "…"

    def panel(frame: PdfFrame, x: float, y: float) -> None:
        data = image(frame.image) if frame.image else None
        pdf.set_fill_color(228)
        pdf.rect(x, y, cell_w, img_h, "F")
        if data is not None:
            pdf.image(data, x, y, cell_w, img_h, keep_aspect_ratio=True)
        else:
            pdf.set_xy(x, y + img_h / 2 - 3)
            pdf.set_font("Helvetica", "I", 9)
            pdf.set_text_color(130)
            pdf.cell(cell_w, 6, "not rendered" if not frame.image else "image missing", align="C")
        pdf.set_draw_color(150)
        pdf.rect(x, y, cell_w, img_h)
        pdf.set_text_color(20)
        pdf.set_font(sans, "B", 9)
        pdf.set_xy(x, y + img_h + 1)
        pdf.cell(cell_w, 4.5, fit(clean(_one_line(frame.label)), False))
        mono = "DejaVuMono" if mono_unicode and _latin(frame.excerpt) != frame.excerpt else "Courier"
        excerpt = frame.excerpt if mono == "DejaVuMono" else _latin(frame.excerpt)
        comments = "\n".join(f"» {_one_line(c)}" for c in frame.comments if c.strip())
        parts = [(sans, "", 7.5, clean(frame.notes.strip())), (mono, "", 7.5, excerpt.strip("\n"))]
        parts.append((sans, "", 7, clean(comments)))
        wrapped = [lines(text, f, st, sz) if text else [] for f, st, sz, text in parts]
        budget, give = int((cell_h - img_h - 6.5) // 3.3), [0, 0, 0]
        while budget > 0 and any(g < len(w) for g, w in zip(give, wrapped, strict=True)):
            for i in (1, 0, 2, 1):
                if budget > 0 and give[i] < len(wrapped[i]):
                    give[i], budget = give[i] + 1, budget - 1
        cursor = y + img_h + 6
        for (family, style, size, _), text_lines, n in zip(parts, wrapped, give, strict=True):
            pdf.set_font(family, style, size)
            pdf.set_text_color(90 if family == sans else 20)
            for k, line in enumerate(text_lines[:n]):
                pdf.set_xy(x, cursor)
                pdf.cell(cell_w, 3.3, fit(line, k == n - 1 and n < len(text_lines)))
                cursor += 3.3
            cursor += 0.6 if n else 0

    pdf.add_page()
    pdf.set_y(pdf.h * 0.3)
    pdf.set_font(sans, "B", 28)
    pdf.multi_cell(0, 12, clean(_one_line(title))[:200] or "Untitled", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(sans, "", 12)
    pdf.set_text_color(90)
    n, count = len(scenes), sum(len(s.frames) for s in scenes)
    pdf.cell(0, 10, f"Storyboard  ·  {n} scene{'s' * (n != 1)}  ·  {count} frame{'s' * (count != 1)}", align="C")
    per_page = cols * rows
    for scene in scenes:
        heading = clean(_one_line(f"{scene.number}. {scene.heading}" if scene.number else scene.heading))
        for page in range(max(1, math.ceil(len(scene.frames) / per_page))):
            pdf.add_page()
            pdf.set_font(sans, "B", 13)
            pdf.set_text_color(20)
            pdf.set_xy(margin, margin)
            width = pdf.w - 2 * margin
            pdf.cell(width, 8, fit(heading + (" (continued)" if page else ""), False, width))
            if not scene.frames:
                pdf.set_xy(margin, margin + head_h)
                pdf.set_font("Helvetica", "I", 10)
                pdf.cell(0, 6, "No frames in this scene.")
            for i, frame in enumerate(scene.frames[page * per_page : (page + 1) * per_page]):
                row, col = divmod(i, cols)
                panel(frame, margin + col * (cell_w + gutter), margin + head_h + row * (cell_h + gutter))
    if credits:
        pdf.add_page()
        pdf.set_xy(margin, margin)
        pdf.set_font(sans, "B", 13)
        pdf.set_text_color(20)
        pdf.cell(0, 8, "Made with", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for heading, detail in credits:
            pdf.set_font(sans, "B", 10)
            pdf.set_text_color(20)
            pdf.multi_cell(0, 5, clean(_one_line(heading)), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(sans, "", 9)
            pdf.set_text_color(70)
            pdf.multi_cell(0, 4.5, clean(" ".join(detail.split())), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)
        if footnote:
            pdf.ln(2)
            pdf.set_font(sans, "", 8)
            pdf.set_text_color(110)
            pdf.multi_cell(0, 4, clean(" ".join(footnote.split())), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
