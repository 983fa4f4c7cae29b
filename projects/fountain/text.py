"""Text helpers that stay linear on a 5 MB upload, where the obvious regexes (".*?" between two
marks, textwrap on one enormous line) go quadratic."""

from __future__ import annotations


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


def wrap_spans(line: str, width: int) -> list[tuple[int, int]]:
    """Where a line breaks at width characters: at the last space that fits (spaces at a break
    are dropped), else mid-word, like textwrap. Always at least one (possibly empty) span."""
    found: list[tuple[int, int]] = []
    start = 0
    while len(line) - start > width:
        cut = line.rfind(" ", start, start + width + 1)
        after = cut if cut > start else start + width
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
