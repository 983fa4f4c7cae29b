"""Production revisions in pure Python: locked scene numbers (12, 12A, 12B; "12 OMITTED"), the
industry colour order of revision sets, and which printed elements changed since an earlier text.

Locked numbers live in the Fountain text itself, as forced scene numbers ("INT. HOUSE - DAY #12#"):
they survive any edit of the rest of the script and travel with Fountain and Final Draft exports.
A heading written after locking has none; it takes the number before it plus a letter (12A, 12B)
until the numbers are locked again."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from projects.fountain.model import (
    ACTION,
    CENTERED,
    CHARACTER,
    DIALOGUE,
    LYRICS,
    PARENTHETICAL,
    SCENE_HEADING,
    TRANSITION,
    Element,
    Script,
)

# The industry order of revision pages; after cherry it starts again with "2nd White".
COLOURS = ("White", "Blue", "Pink", "Yellow", "Green", "Goldenrod", "Buff", "Salmon", "Cherry")
PRINTED = frozenset({SCENE_HEADING, ACTION, CHARACTER, PARENTHETICAL, DIALOGUE, TRANSITION, CENTERED, LYRICS})
_NUMBER = re.compile(r"([A-Z]*)(\d+)([A-Z]*)", re.IGNORECASE)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def revision_colour(number: int) -> str:
    """The colour name of revision set `number`: 0 is the White draft, 1 Blue ... 8 Cherry, 9 2nd White."""
    rounds, index = divmod(number, len(COLOURS))
    return COLOURS[index] if rounds == 0 else f"{_ordinal(rounds + 1)} {COLOURS[index]}"


def number_key(number: str) -> tuple[int, int, str, str]:
    """Sorts scene numbers in shooting order: A1 before 1, 12 before 12A before 12B before 13."""
    match = _NUMBER.fullmatch(number)
    if match is None:
        return (1 << 30, 0, "", number)
    prefix, digits, suffix = match.groups()
    return (int(digits), 0 if prefix else 1, prefix.upper(), suffix.upper())


def _inserted_after(previous: str, following: str, taken: set[str]) -> str:
    if previous:
        match = _NUMBER.fullmatch(previous)
        letters = match.group(3) if match else ""
        if letters and letters[-1].upper() != "Z":
            candidate = previous[:-1] + chr(ord(letters[-1].upper()) + 1)
        else:
            candidate = previous + "A"
    else:  # before the first numbered scene: A1, B1, ...
        candidate = "A" + (following or "1")
    while candidate in taken:
        candidate += "A"
    return candidate


def scene_numbers(script: Script, *, locked: bool = False) -> list[str]:
    """The number of each scene heading: its forced number, else its count (unlocked) or the number
    before it with the next letter (locked: a scene inserted after 12 is 12A, then 12B)."""
    headings = [e for e in script.elements if e.kind == SCENE_HEADING]
    taken = {e.scene_number for e in headings if e.scene_number}
    first = next((e.scene_number for e in headings if e.scene_number), "")
    numbers: list[str] = []
    previous = ""
    for count, element in enumerate(headings, start=1):
        if element.scene_number:
            number = element.scene_number
        elif not locked:
            number = str(count)
        else:
            number = _inserted_after(previous, first, taken)
        taken.add(number)
        numbers.append(number)
        previous = number
    return numbers


def number_edits(text: str, script: Script, numbers: list[str] | None) -> list[tuple[int, int, str]]:
    """The edits that write each heading's number into the text as a forced number (`numbers`, one
    per heading), or take every forced number out (None): (start, end, replacement) character
    spans, in order, each within one heading's line, so concurrent typing elsewhere is untouched."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    lines = text.split("\n")
    edits: list[tuple[int, int, str]] = []
    headings = [e for e in script.elements if e.kind == SCENE_HEADING]
    for index, element in enumerate(headings):
        row = element.start_line - 1
        if not 0 <= row < len(lines):
            continue
        line = lines[row]
        end = len(line.rstrip())
        keep = end
        if element.scene_number and line[:end].endswith(f"#{element.scene_number}#"):
            keep = len(line[: end - len(element.scene_number) - 2].rstrip())
        wanted = "" if numbers is None else f" #{numbers[index]}#"
        if line[keep:] != wanted:
            edits.append((starts[row] + keep, starts[row] + len(line), wanted))
    return edits


def numbered_text(text: str, script: Script, numbers: list[str] | None) -> str:
    """The text with the number edits (number_edits) made."""
    for start, end, replacement in reversed(number_edits(text, script, numbers)):
        text = text[:start] + replacement + text[end:]
    return text


def printed_numbers(script: Script) -> list[str]:
    """The scene numbers a script printed with: locked ones (letters for scenes written since) once any heading
    has a forced number, else counted. An earlier text's numbers tell which OMITTED scenes are new since it."""
    return scene_numbers(script, locked=any(e.scene_number for e in script.elements if e.kind == SCENE_HEADING))


def omitted_numbers(locked: list[str], present: list[str]) -> list[str]:
    """Locked numbers whose scenes are gone, in shooting order."""
    there = set(present)
    return sorted((n for n in set(locked) if n not in there), key=number_key)


@dataclass
class Changes:
    """What changed in a script since an earlier one, by index into the new script's elements.

    `replaced[i]`: the earlier texts (same kind) that element i replaced; empty when it is new, so
    all of its lines are changed. `after_removal`: elements that follow a removed one (an asterisk
    on their first line marks where the text went)."""

    replaced: dict[int, list[str]] = field(default_factory=dict)
    after_removal: set[int] = field(default_factory=set)


def _key(element: Element) -> tuple[str, str, bool]:
    return (element.kind, element.text, element.dual)


def changes_since(old: Script, new: Script) -> Changes:
    """Which printed elements of `new` differ from `old` (notes, sections, scene numbers ignored)."""
    old_printed = [e for e in old.elements if e.kind in PRINTED]
    new_indexes = [i for i, e in enumerate(new.elements) if e.kind in PRINTED]
    a, b = [_key(e) for e in old_printed], [_key(new.elements[i]) for i in new_indexes]
    # Only the middle between the common head and tail goes to difflib (a one-word change in a
    # 6,000-element script: 0.5 s compared whole, next to nothing this way).
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(a=a[head : len(a) - tail], b=b[head : len(b) - tail], autojunk=False)
    changes = Changes()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        if tag == "equal":
            continue
        if tag == "delete":
            changes.after_removal.add(
                new_indexes[j1] if j1 < len(new_indexes) else new_indexes[-1] if new_indexes else -1
            )
            continue
        for j in range(j1, j2):
            element = new.elements[new_indexes[j]]
            changes.replaced[new_indexes[j]] = [e.text for e in old_printed[i1:i2] if e.kind == element.kind]
        if tag == "replace" and i2 - i1 > j2 - j1 and j2 < len(new_indexes):
            changes.after_removal.add(new_indexes[j2])
    return changes


def changed_rows(new_rows: list[str], old_rows: list[str]) -> list[bool]:
    """Which printed rows of a changed element are new: those not matched in its earlier rows."""
    marks = [True] * len(new_rows)
    for block in difflib.SequenceMatcher(a=old_rows, b=new_rows, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            marks[block.b + k] = False
    return marks
