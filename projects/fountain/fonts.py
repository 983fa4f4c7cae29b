"""The fonts the screenplay PDF embeds, found among the installed fonts and made ready for fpdf.

Courier Prime (OFL, Debian fonts-courier-prime) prints the page. For characters it lacks, DejaVu
Sans Mono (Cyrillic, Greek; fonts-dejavu-core) and Noto Sans Mono CJK (Chinese, Japanese, Korean;
fonts-noto-cjk) take over, each only when a script needs it. A missing font is a clear error
naming its package, never a page of question marks.

Both Courier Prime and Noto CJK have PostScript (CFF) outlines, which fpdf 2.8 embeds wrongly (a
CFF font program declared as TrueType; for CID-keyed Noto, an encoding CMap that pypdf and some
viewers misread). So each face is cut down to the characters of the document and redrawn with
TrueType outlines first; DejaVu is TrueType already.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

from projects.fountain.errors import ScreenplayFontMissing


@dataclass(frozen=True)
class FontFamily:
    name: str  # as people know it
    package: str  # the Debian package that installs it
    faces: dict[str, tuple[str, int]]  # fpdf style -> (file name, font number in a collection)


PAGE_FONT = "CourierPrime"
FONTS = {
    PAGE_FONT: FontFamily(
        "Courier Prime",
        "fonts-courier-prime",
        {
            "": ("Courier Prime.otf", 0),
            "B": ("Courier Prime Bold.otf", 0),
            "I": ("Courier Prime Italic.otf", 0),
            "BI": ("Courier Prime Bold Italic.otf", 0),
        },
    ),
    # Fallbacks, in the order they are tried for a character Courier Prime lacks.
    "DejaVuSansMono": FontFamily(
        "DejaVu Sans Mono", "fonts-dejavu-core", {"": ("DejaVuSansMono.ttf", 0), "B": ("DejaVuSansMono-Bold.ttf", 0)}
    ),
    "NotoSansMonoCJK": FontFamily(  # the Noto CJK collections' eighth font is Noto Sans Mono CJK SC
        "Noto Sans Mono CJK", "fonts-noto-cjk", {"": ("NotoSansCJK-Regular.ttc", 7), "B": ("NotoSansCJK-Bold.ttc", 7)}
    ),
}
FALLBACKS = [family for family in FONTS if family != PAGE_FONT]
# Where fonts are looked for: FILMSTUDIO_FONT_DIRS (os.pathsep-separated) first, then the usual places.
FONT_DIRS: tuple[str | Path, ...] = (
    *filter(None, os.environ.get("FILMSTUDIO_FONT_DIRS", "").split(os.pathsep)),
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    Path.home() / ".local" / "share" / "fonts",
    "/Library/Fonts",
)


@cache
def font_path(filename: str) -> Path | None:
    """The first font file of that name under FONT_DIRS."""
    for folder in FONT_DIRS:
        for root, _dirs, files in os.walk(folder):
            if filename in files:
                return Path(root) / filename
    return None


def font_file(family: str, style: str) -> tuple[Path, int]:
    """The installed file of a face and its number in a collection; ScreenplayFontMissing if none."""
    fonts = FONTS[family]
    filename, number = fonts.faces[style]
    path = font_path(filename)
    if path is None:
        raise ScreenplayFontMissing(
            f"Printing this script needs the {fonts.name} font ({filename}), which is not installed: "
            f"install the Debian package {fonts.package} (make system-deps)."
        )
    return path, number


@cache
def coverage(family: str) -> frozenset[int]:
    """The code points a family's regular face has glyphs for."""
    path, number = font_file(family, "")
    return frozenset(TTFont(path, fontNumber=number, lazy=True).getBestCmap())


def families_for(text: str) -> list[str]:
    """Courier Prime, then the fallbacks that draw what it can't of text, in order."""
    needed = {ord(c) for c in set(text) if not c.isspace()} - coverage(PAGE_FONT)
    families = [PAGE_FONT]
    for family in FALLBACKS:
        covered = needed & coverage(family) if needed else set()
        if covered:
            families.append(family)
            needed -= covered
    return families


def embeddable(family: str, style: str, text: str, folder: Path) -> Path:
    """A TrueType file in folder with the face's glyphs for the characters of text (and ASCII)."""
    path, number = font_file(family, style)
    font = TTFont(path, fontNumber=number, lazy=True)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps, which the subsetter would warn about
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + string.printable)
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    out = folder / f"{family}-{style or 'R'}.ttf"
    font.save(out)
    return out


def _to_truetype(font: TTFont) -> None:
    """Redraw a CFF font's glyphs as TrueType quadratic outlines, in place."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
