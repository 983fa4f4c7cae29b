"""The breakdown a production reads off a script: scenes with page lengths, characters, locations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from projects.fountain.model import (
    ACTION,
    BONEYARD,
    CHARACTER,
    DIALOGUE,
    NOTE,
    PAGE_BREAK,
    PARENTHETICAL,
    SCENE_HEADING,
    SECTION,
    SYNOPSIS,
    Element,
    Script,
)
from projects.fountain.names import clean_name
from projects.fountain.parser import parse, strip_markup
from projects.fountain.pdf import LINES_PER_PAGE, WIDTH
from projects.fountain.revisions import scene_numbers
from projects.fountain.text import count_words, inside, without, wrap_spans

INT_EXT = re.compile(
    r"^(INT\.?/EXT\.?|EXT\.?/INT\.?|I/E\.?|INT\.?|EXT\.?|EST\.?|内外景|內外景|内景|內景|外景)[。．]?\s*", re.IGNORECASE
)
INT_EXT_WORDS = {"内景": "INT", "內景": "INT", "外景": "EXT", "内外景": "INT/EXT", "內外景": "INT/EXT"}
# Words that mark the last comma-separated part of a heading as its time ("INT. FLAT, DAY"),
# for scripts that don't use the " - " separator.
TIME_WORDS = re.compile(
    r"\b(DAY|NIGHT|MORNING|AFTERNOON|EVENING|DAWN|DUSK|SUNRISE|SUNSET|NOON|MIDNIGHT|TWILIGHT|LATER|"
    r"CONTINUOUS|SAME|MAGIC HOUR|MOMENTS?)\b",
    re.IGNORECASE,
)
# A heading's last part that says the scene runs on from the one before rather than when it is.
CONTINUITY = re.compile(r"CONTINUOUS|CONTINUED|CONT'D|SAME|SAME TIME", re.IGNORECASE)
PUNCTUATION = " .-,"  # trimmed from the ends of each part


class HeadingParts(NamedTuple):
    int_ext: str
    location: str
    time_of_day: str
    continuity: str  # CONTINUOUS, CONTINUED, SAME when the heading ends with one after its time


@dataclass
class SceneInfo:
    number: str
    heading: str
    int_ext: str
    location: str
    time_of_day: str
    start_line: int
    end_line: int
    continuity: str = ""
    lines: int = 0
    characters: set[str] = field(default_factory=set)
    synopses: list[str] = field(default_factory=list)

    @property
    def eighths(self) -> int:
        return max(1, round(self.lines * 8 / LINES_PER_PAGE))


@dataclass
class CharacterInfo:
    name: str
    first_scene: str = ""
    scenes: set[str] = field(default_factory=set)
    dialogue_lines: int = 0  # speeches
    dialogue_words: int = 0
    extensions: set[str] = field(default_factory=set)

    @property
    def scene_count(self) -> int:
        return len(self.scenes)


@dataclass
class LocationInfo:
    name: str
    scenes: list[str] = field(default_factory=list)
    int_ext: set[str] = field(default_factory=set)
    times_of_day: set[str] = field(default_factory=set)


@dataclass
class Breakdown:
    title_page: dict[str, str]
    scenes: list[SceneInfo]
    characters: list[CharacterInfo]
    locations: list[LocationInfo]
    dual_dialogues: int = 0
    dual_pairs: list[tuple[str, str]] = field(default_factory=list)  # (left speaker, right speaker ^)
    notes: list[str] = field(default_factory=list)
    boneyard: list[str] = field(default_factory=list)
    sections: list[tuple[int, str]] = field(default_factory=list)
    synopses: list[str] = field(default_factory=list)


def heading_parts(heading: str) -> HeadingParts:
    """INT/EXT, location, time of day and continuity of a scene heading."""
    heading = " ".join(heading.split())
    match = INT_EXT.match(heading)
    int_ext = ""
    if match:
        int_ext = INT_EXT_WORDS.get(match.group(1)) or match.group(1).upper().replace(".", "")
    rest = (heading[match.end() :] if match else heading).strip(PUNCTUATION)
    continuity = ""
    opener = {"]": "[", ")": "("}.get(rest[-1:], "")
    if opener and rest.rfind(opener) > 0:  # "NIGHT [CONTINUOUS]"
        at = rest.rfind(opener)
        if CONTINUITY.fullmatch(rest[at + 1 : -1].strip()):
            rest, continuity = rest[:at].strip(PUNCTUATION), rest[at + 1 : -1].strip().upper()
    for separator in (" - ", ","):
        split = _last_part(rest, separator)
        if split is None:
            continue
        head, last = split
        if not continuity and CONTINUITY.fullmatch(last):
            # CONTINUED never says when; CONTINUOUS and SAME do, unless a time comes before them.
            before = _last_part(head, separator)
            if last.upper() == "CONTINUED" or (before is not None and TIME_WORDS.search(before[1])):
                rest, continuity = head, last.upper()
                split = _last_part(rest, separator)
                if split is None:
                    break
                head, last = split
        if separator == " - " or TIME_WORDS.search(last):
            return HeadingParts(int_ext, head, last, continuity)
        break
    return HeadingParts(int_ext, rest, "", continuity)


def _last_part(text: str, separator: str) -> tuple[str, str] | None:
    head, found, last = text.rpartition(separator)
    head, last = head.strip(PUNCTUATION), last.strip(PUNCTUATION)
    return (head, last) if found and head else None


def split_heading(heading: str) -> tuple[str, str, str]:
    """INT/EXT, location and time of day of a scene heading."""
    parts = heading_parts(heading)
    return parts.int_ext, parts.location, parts.time_of_day


def layout_lines(element: Element) -> int:
    """Printed lines an element takes, plus the blank line before it (an estimate in Courier 12)."""
    if element.kind in (NOTE, BONEYARD, SECTION, SYNOPSIS, PAGE_BREAK):
        return 0
    width = WIDTH.get(element.kind, WIDTH[ACTION])  # the PDF's own columns, so eighths match the printed page
    text = strip_markup(element.text)
    wrapped = sum(len(wrap_spans(line, width)) for line in text.split("\n"))
    blank_before = 0 if element.kind in (PARENTHETICAL, DIALOGUE) else 1
    return wrapped + blank_before


def cue_name(cue: str) -> tuple[str, list[str]]:
    """A character cue's name and extensions: "BIG EDWARD (V.O.)" -> ("BIG EDWARD", ["V.O."])."""
    # "(O.S., PRELAP)" is two extensions.
    extensions = [part.strip().upper() for e in inside(cue, "(", ")") for part in e.split(",") if part.strip()]
    return clean_name(without(cue, "(", ")").replace("^", "")).upper(), extensions


def breakdown(script: Script | str, *, locked: bool = False) -> Breakdown:
    """Scenes, characters and locations of a parsed script (or of Fountain text); `locked`: its scene
    numbers are locked, so a scene without one is numbered after the scene before it (12A)."""
    if isinstance(script, str):
        script = parse(script)
    numbers = iter(scene_numbers(script, locked=locked))
    scenes: list[SceneInfo] = []
    characters: dict[str, CharacterInfo] = {}
    result = Breakdown(title_page=dict(script.title_page), scenes=scenes, characters=[], locations=[])
    current: SceneInfo | None = None
    speaker: CharacterInfo | None = None
    last_cue = ""  # the speaker before a cue marked ^ is the other half of the dual dialogue
    for element in script.elements:
        kind = element.kind
        if kind == SCENE_HEADING:
            parts = heading_parts(element.text)
            if not (parts.int_ext or parts.time_of_day or parts.continuity):
                # A bare heading (".SCOTT", ".THE TRUCK SLAMS...") is a shot, not a place: it stays
                # where the scene before it is, as a secondary heading does on a shooting script.
                where = current or SceneInfo("", "", "", "", "", 0, 0)
                parts = HeadingParts(where.int_ext, where.location, where.time_of_day, "")
            current = SceneInfo(
                number=next(numbers),
                heading=" ".join(element.text.split()),
                int_ext=parts.int_ext,
                location=clean_name(parts.location).upper(),
                time_of_day=parts.time_of_day.upper(),
                continuity=parts.continuity,
                start_line=element.start_line,
                end_line=element.end_line,
            )
            scenes.append(current)
        if current is not None:
            current.end_line = max(current.end_line, element.end_line)
            current.lines += layout_lines(element)
        if kind == CHARACTER:
            name, extensions = cue_name(element.text)
            speaker = characters.setdefault(name, CharacterInfo(name=name))
            speaker.extensions.update(extensions)
            speaker.dialogue_lines += 1
            if element.dual:
                result.dual_dialogues += 1
                result.dual_pairs.append((last_cue, name))
            last_cue = name
            if current is not None:
                speaker.scenes.add(current.number)
                speaker.first_scene = speaker.first_scene or current.number
                current.characters.add(name)
        elif kind == DIALOGUE and speaker is not None:
            speaker.dialogue_words += count_words(strip_markup(element.text))
        elif kind != PARENTHETICAL:
            speaker = None
        if kind == NOTE:
            result.notes.append(element.text)
        elif kind == BONEYARD:
            result.boneyard.append(element.text)
        elif kind == SECTION:
            result.sections.append((element.depth, element.text))
        elif kind == SYNOPSIS:
            result.synopses.append(element.text)
            if current is not None:
                current.synopses.append(element.text)
        if kind not in (NOTE, BONEYARD):  # notes and boneyard may also sit inside any other element's lines
            result.notes += inside(element.text, "[[", "]]")
            result.boneyard += inside(element.text, "/*", "*/")
    result.characters = sorted(characters.values(), key=lambda c: (-c.dialogue_words, c.name))
    locations: dict[str, LocationInfo] = {}
    for scene in scenes:
        if not scene.location:
            continue
        place = locations.setdefault(scene.location, LocationInfo(name=scene.location))
        place.scenes.append(scene.number)
        if scene.int_ext:
            place.int_ext.add(scene.int_ext)
        if scene.time_of_day:
            place.times_of_day.add(scene.time_of_day)
    result.locations = sorted(locations.values(), key=lambda place: (-len(place.scenes), place.name))
    return result


__all__ = [
    "Breakdown",
    "CharacterInfo",
    "HeadingParts",
    "LocationInfo",
    "SceneInfo",
    "breakdown",
    "cue_name",
    "heading_parts",
    "split_heading",
]
