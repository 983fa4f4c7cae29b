"""Editorial exports of a cut of stills: CMX 3600 EDL, FCPXML 1.10, OTIO JSON, shot-list CSV, storyboard PDF. No Django.

Times are seconds on the record timeline. Every boundary is rounded to a frame on its own (absolute, not
accumulated lengths), so long cuts never drift. A dissolve on a clip starts at that clip's record in and
runs `transition_seconds` into it, with the outgoing clip held over it (a still has unlimited handles);
a dissolve with nothing just before it is a dissolve from black. Clips shorter than a frame are dropped.
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal, cast
from urllib.parse import quote

from fpdf import FPDF
from fpdf.enums import MethodReturnValue
from PIL import Image

Transition = Literal["cut", "dissolve"]
Audio = Sequence[tuple[str, float, float]]  # (file under AUDIO_DIR, start seconds, duration seconds)
FRAMES_DIR, AUDIO_DIR = "frames", "audio"  # relative media folders named in FCPXML and OTIO
CROSS_DISSOLVE_UID = "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"
SHOT_LIST_COLUMNS = (
    "scene", "scene_heading", "shot", "shot_type", "camera_angle", "lens_mm", "subjects",
    "description", "script_lines", "duration_seconds", "stale", "frame_file",
)  # fmt: skip
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass
class EditClip:
    """One still on the record timeline, and how it comes in."""

    name: str
    source_file: str
    start: float
    duration: float
    transition: Transition = "cut"
    transition_seconds: float = 0.0
    note: str = ""


@dataclass(frozen=True)
class _Cut:
    """A clip resolved to whole frames: record in/out, dissolve-in frames, and whether it abuts the previous cut."""

    clip: EditClip
    rec_in: int
    rec_out: int
    length: int
    dissolve: int
    joined: bool


def _frames(seconds: float, fps: int) -> int:
    """Seconds to the nearest frame, rounded as the animatic renderer rounds (Python's round)."""
    return round(seconds * fps)


def _layout(clips: list[EditClip], fps: int) -> list[_Cut]:
    """Sort clips by start and resolve them to frames; an overlapped clip is trimmed at the next one's start."""
    if fps <= 0:
        raise ValueError("fps must be positive")
    if any(c.start < 0 or c.duration < 0 or c.transition_seconds < 0 for c in clips):
        raise ValueError("clip start, duration and transition_seconds must not be negative")
    ordered = sorted(clips, key=lambda c: c.start)
    ins = [_frames(c.start, fps) for c in ordered]
    cuts: list[_Cut] = []
    for i, clip in enumerate(ordered):
        rec_out = _frames(clip.start + clip.duration, fps)
        if i + 1 < len(ordered):
            rec_out = min(rec_out, ins[i + 1])
        if rec_out <= ins[i]:
            continue
        wanted = _frames(clip.transition_seconds, fps) if clip.transition == "dissolve" else 0
        joined = bool(cuts) and cuts[-1].rec_out == ins[i]
        cuts.append(_Cut(clip, ins[i], rec_out, rec_out - ins[i], max(0, min(wanted, rec_out - ins[i])), joined))
    return cuts


def _tc(frames: int, fps: int) -> str:
    """Non-drop-frame timecode HH:MM:SS:FF."""
    seconds, ff = divmod(frames, fps)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}:{ff:02d}"


def _one_line(text: str) -> str:
    """Text for a one-line field: line breaks become spaces."""
    return " ".join(text.split())


def to_edl(clips: list[EditClip], *, title: str, fps: int = 24) -> str:
    """A CMX 3600 EDL (non-drop frame, record from 01:00:00:00, every still from source 00:00:00:00)."""
    rec0 = 3600 * fps

    def event(n: int, reel: str, kind: str, frames: int | None, src: tuple[int, int], rec: tuple[int, int]) -> str:
        tcs = f"{_tc(src[0], fps)} {_tc(src[1], fps)} {_tc(rec0 + rec[0], fps)} {_tc(rec0 + rec[1], fps)}"
        return f"{n:03d}  {reel:<8} {'V':<5} {kind:<4} {'' if frames is None else f'{frames:03d}':>3} {tcs}"

    lines = [f"TITLE: {_one_line(title)[:70]}", "FCM: NON-DROP FRAME", ""]
    cuts = _layout(clips, fps)
    for n, cut in enumerate(cuts, start=1):
        prev = cuts[n - 2] if n > 1 and cut.joined else None
        if cut.dissolve:
            held = prev.length if prev else 0
            lines.append(event(n, "AX" if prev else "BL", "C", None, (held, held), (cut.rec_in, cut.rec_in)))
            lines.append(event(n, "AX", "D", cut.dissolve, (0, cut.length), (cut.rec_in, cut.rec_out)))
            lines.append(f"* FROM CLIP NAME: {_one_line(prev.clip.name) if prev else 'BLACK'}")
            lines.append(f"* TO CLIP NAME: {_one_line(cut.clip.name)}")
        else:
            lines.append(event(n, "AX", "C", None, (0, cut.length), (cut.rec_in, cut.rec_out)))
            lines.append(f"* FROM CLIP NAME: {_one_line(cut.clip.name)}")
        lines.append(f"* SOURCE FILE: {_one_line(cut.clip.source_file)}")
        if cut.clip.note.strip():
            lines.append(f"* COMMENT: {_one_line(cut.clip.note)}")
        lines.append("")
    return "\n".join(lines)


def _rt(frames: int, fps: int) -> str:
    """An FCPXML rational time such as 37/24s."""
    return "0s" if frames == 0 else f"{frames}/{fps}s"


def to_fcpxml(
    clips: list[EditClip], *, title: str, fps: int = 24, width: int = 1280, height: int = 720, audio: Audio = ()
) -> str:
    """FCPXML 1.10: stills as asset-clips in a spine with cross dissolves; audio (file, start, duration) on lane -1."""
    cuts = _layout(clips, fps)
    root = ET.Element("fcpxml", version="1.10")
    resources = ET.SubElement(root, "resources")
    ET.SubElement(
        resources, "format", id="r1", frameDuration=f"1/{fps}s", width=str(width), height=str(height),
        colorSpace="1-1-1 (Rec. 709)",
    )  # fmt: skip
    ids: dict[tuple[str, str], str] = {}

    def asset(kind: str, file: str, seconds: float = 0.0) -> str:
        if (kind, file) not in ids:
            ids[kind, file] = f"r{len(ids) + 3}"
            attrs = {"id": ids[kind, file], "name": PurePosixPath(file).stem, "start": "0s"}
            if kind == "video":
                attrs |= {"duration": "0s", "hasVideo": "1", "format": "r1", "videoSources": "1"}
            else:
                attrs |= {"duration": _rt(_frames(seconds, fps), fps), "hasAudio": "1", "audioSources": "1"}
                attrs |= {"audioChannels": "2", "audioRate": "48000"}
            element = ET.SubElement(resources, "asset", attrs)
            folder = FRAMES_DIR if kind == "video" else AUDIO_DIR
            ET.SubElement(element, "media-rep", kind="original-media", src=f"file:./{quote(f'{folder}/{file}')}")
        return ids[kind, file]

    if any(c.dissolve for c in cuts):
        ET.SubElement(resources, "effect", id="r2", name="Cross Dissolve", uid=CROSS_DISSOLVE_UID)
    library = ET.SubElement(root, "library")
    project = ET.SubElement(ET.SubElement(library, "event", name=title), "project", name=title)
    sequence = ET.SubElement(
        project, "sequence", format="r1", tcStart="0s", tcFormat="NDF", audioLayout="stereo", audioRate="48k"
    )
    spine = ET.SubElement(sequence, "spine")
    items: list[tuple[int, int, ET.Element]] = []  # (offset, length, element) of everything that takes time

    def gap(start: int, end: int) -> None:
        element = ET.SubElement(spine, "gap", name="Gap", offset=_rt(start, fps), duration=_rt(end - start, fps))
        element.set("start", "0s")
        items.append((start, end - start, element))

    position = 0
    for cut in cuts:
        if cut.rec_in > position:
            gap(position, cut.rec_in)
        if cut.dissolve:
            transition = ET.SubElement(
                spine, "transition", name="Cross Dissolve", offset=_rt(cut.rec_in, fps),
                duration=_rt(cut.dissolve, fps),
            )  # fmt: skip
            ET.SubElement(transition, "filter-video", ref="r2", name="Cross Dissolve")
        element = ET.SubElement(
            spine, "asset-clip", ref=asset("video", cut.clip.source_file), offset=_rt(cut.rec_in, fps),
            name=cut.clip.name, duration=_rt(cut.length, fps), start="0s", tcFormat="NDF",
        )  # fmt: skip
        if cut.clip.note.strip():
            ET.SubElement(element, "note").text = cut.clip.note
        items.append((cut.rec_in, cut.length, element))
        position = cut.rec_out
    sounds = [(name, _frames(start, fps), _frames(seconds, fps)) for name, start, seconds in audio]
    sounds = [(name, start, length) for name, start, length in sounds if length > 0]
    end = max([position, *(start + length for _, start, length in sounds)])
    if end > position:
        gap(position, end)
    for name, start, length in sounds:
        offset, _, parent = next(item for item in items if item[0] <= start < item[0] + item[1])
        ET.SubElement(
            parent, "asset-clip", ref=asset("audio", name, length / fps), lane="-1",
            offset=_rt(start - offset, fps), name=PurePosixPath(name).stem, duration=_rt(length, fps),
            start="0s", audioRole="dialogue",
        )  # fmt: skip
    sequence.set("duration", _rt(end, fps))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n{body}\n'


def _otio_time(frames: int, fps: int) -> dict[str, Any]:
    """An OTIO RationalTime.1."""
    return {"OTIO_SCHEMA": "RationalTime.1", "rate": float(fps), "value": float(frames)}


def _otio_range(frames: int, fps: int) -> dict[str, Any]:
    """An OTIO TimeRange.1 of `frames` from zero."""
    return {"OTIO_SCHEMA": "TimeRange.1", "duration": _otio_time(frames, fps), "start_time": _otio_time(0, fps)}


def to_otio(clips: list[EditClip], *, title: str, fps: int = 24) -> str:
    """OpenTimelineIO JSON: a Stack with one video Track of Gap.1, Transition.1 and Clip.2 items."""
    base: dict[str, Any] = {"metadata": {}, "effects": [], "markers": [], "enabled": True, "color": None}
    children: list[dict[str, Any]] = []
    position = 0
    for cut in _layout(clips, fps):
        if cut.rec_in > position:
            children.append({"OTIO_SCHEMA": "Gap.1", "name": "", **base})
            children[-1]["source_range"] = _otio_range(cut.rec_in - position, fps)
        if cut.dissolve:
            children.append({
                "OTIO_SCHEMA": "Transition.1", "metadata": {}, "name": "Cross Dissolve",
                "in_offset": _otio_time(0, fps), "out_offset": _otio_time(cut.dissolve, fps),
                "transition_type": "SMPTE_Dissolve",
            })  # fmt: skip
        reference: dict[str, Any] = {
            "OTIO_SCHEMA": "ExternalReference.1", "metadata": {}, "name": cut.clip.source_file,
            "available_range": None, "available_image_bounds": None,
            "target_url": quote(f"{FRAMES_DIR}/{cut.clip.source_file}"),
        }  # fmt: skip
        clip = {"OTIO_SCHEMA": "Clip.2", "name": cut.clip.name, **base, "source_range": _otio_range(cut.length, fps)}
        clip |= {"media_references": {"DEFAULT_MEDIA": reference}, "active_media_reference_key": "DEFAULT_MEDIA"}
        clip["metadata"] = {"filmstudio": {"note": cut.clip.note}} if cut.clip.note else {}
        children.append(clip)
        position = cut.rec_out
    track = {"OTIO_SCHEMA": "Track.1", "name": "V1", **base, "source_range": None, "children": children}
    track["kind"] = "Video"
    stack = {"OTIO_SCHEMA": "Stack.1", "name": "tracks", **base, "source_range": None, "children": [track]}
    timeline = {"OTIO_SCHEMA": "Timeline.1", "metadata": {}, "name": title}
    timeline |= {"global_start_time": _otio_time(3600 * fps, fps), "tracks": stack}
    return json.dumps(timeline, indent=2, ensure_ascii=False)


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
