"""Text helpers that stay linear on a 5 MB upload, where the obvious regexes (".*?" between two
marks, textwrap on one enormous line) go quadratic."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from itertools import accumulate


def spans(text: str, opener: str, closer: str) -> list[tuple[int, int]]:
    """(start, end) of each opener...closer span, shortest first match like a non-greedy regex."""
    found: list[tuple[int, int]] = []
    at = 0
    while (start := text.find(opener, at)) >= 0:
        end = text.find(closer, start + len(opener))
        if end < 0:
            break  # no closer anywhere after: no later opener can close either
        at = end + len(closer)
        found.append((start, at))
    return found


def inside(text: str, opener: str, closer: str) -> list[str]:
    """The contents of each opener...closer span."""
    return [text[start + len(opener) : end - len(closer)] for start, end in spans(text, opener, closer)]


def without(text: str, opener: str, closer: str) -> str:
    """Text with every opener...closer span removed."""
    out: list[str] = []
    at = 0
    for start, end in spans(text, opener, closer):
        out.append(text[at:start])
        at = end
    out.append(text[at:])
    return "".join(out)


def char_columns(char: str) -> int:
    """Columns a character takes in a monospaced line: two for wide (CJK) characters, none for
    combining marks and format characters, one for the rest."""
    if char.isascii():
        return 1
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def columns(text: str) -> int:
    """Columns a line takes in a monospaced font."""
    return len(text) if text.isascii() else sum(char_columns(c) for c in text)


def count_words(text: str) -> int:
    """Words of text, each wide (CJK) letter counting as one: Chinese and Japanese put no spaces between words."""
    if text.isascii():
        return len(text.split())
    wide = sum(1 for c in text if c.isalnum() and char_columns(c) == 2)
    narrow = "".join(" " if char_columns(c) == 2 else c for c in text)
    return wide + len(narrow.split())


def wrap_spans(line: str, width: int) -> list[tuple[int, int]]:
    """Where a line breaks at width columns: at the last space that fits (spaces at a break are
    dropped), else mid-word, like textwrap. Wide characters take two columns. Always at least one
    (possibly empty) span."""
    # ends[i]: the columns of line[:i]; the furthest break from start is the last i within width.
    ends = None if line.isascii() else list(accumulate((char_columns(c) for c in line), initial=0))
    found: list[tuple[int, int]] = []
    start = 0
    while (len(line) - start if ends is None else ends[-1] - ends[start]) > width:
        limit = start + width if ends is None else max(start + 1, bisect_right(ends, ends[start] + width) - 1)
        cut = line.rfind(" ", start, limit + 1)
        after = cut if cut > start else limit
        end = after
        while end > start and line[end - 1] == " ":
            end -= 1
        found.append((start, end))
        start = after
        while start < len(line) and line[start] == " ":
            start += 1
    end = len(line)
    while end > start and line[end - 1] == " ":
        end -= 1
    found.append((start, end))
    return found
