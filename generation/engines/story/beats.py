# SPDX-License-Identifier: GPL-3.0-or-later
"""The beat outline, written by code from the logline's story: setup -> turn -> resolution, and more
beats for more scenes. Each beat has its heading, its people, its premise nouns and a one-line summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generation.engines.story import lexicon as lx
from generation.engines.story.extract import Person, Place, Story, extract

TIMES = ("DAY", "NIGHT", "DAWN", "DUSK", "MORNING", "EVENING", "CONTINUOUS", "LATER")
HEADING = re.compile(
    r"^(INT\.|EXT\.|INT\./EXT\.) ([A-Z0-9][A-Z0-9 '&.,/-]{0,60}[A-Z0-9.']) - (" + "|".join(TIMES) + ")$"
)
CLOCK = ("DAWN", "MORNING", "DAY", "DUSK", "EVENING", "NIGHT")
KINDS = {
    1: ("whole",),
    2: ("setup", "resolution"),
    3: ("setup", "turn", "resolution"),
    4: ("setup", "complication", "turn", "resolution"),
    5: ("setup", "inciting", "complication", "turn", "resolution"),
    6: ("setup", "inciting", "complication", "midpoint", "crisis", "resolution"),
    7: ("setup", "inciting", "complication", "midpoint", "crisis", "climax", "resolution"),
    8: ("setup", "inciting", "complication", "midpoint", "complication", "crisis", "climax", "resolution"),
}
PEAKS = ("turn", "climax", "crisis", "whole")
TEMPLATES = {
    "whole": (
        "{Where}, {a} and {b} face {thing}, and something between them changes.",
        "{A} and {b} meet over {thing} {where}, and neither leaves the same.",
    ),
    "setup": (
        "{Where}, {a} comes upon {thing}, and {b} wants to know why.",
        "{A} keeps {thing} hidden {where} until {b} arrives.",
    ),
    "inciting": (
        "{B} brings {a} news of {thing} {where}.",
        "{Where}, {b} finds out about {thing} and confronts {a}.",
    ),
    "complication": (
        "{Where}, {b} pushes {a} about {thing}, and the two fall out.",
        "{A} tries to hide {thing} from {b} {where}, and fails.",
    ),
    "midpoint": (
        "{Where}, {a} learns the truth about {thing} and tells {b}.",
        "{A} shows {b} what {thing} really meant, {where}.",
    ),
    "turn": (
        "{Where}, {a} and {b} quarrel over {thing}, and {a} must choose.",
        "{Where}, {b} turns against {a} over {thing}, and {a} has to act.",
    ),
    "crisis": (
        "{Where}, {a} risks losing {thing}, and {b} with it.",
        "Everything about {thing} goes wrong for {a} {where}, in front of {b}.",
    ),
    "climax": (
        "{Where}, {a} faces {b} with {thing} at last.",
        "{A} stakes everything on {thing} {where} while {b} watches.",
    ),
    "resolution": (
        "{Where}, {a} makes peace with {b} and lets {thing} go.",
        "{A} and {b} meet again {where}, and see {thing} with new eyes.",
    ),
}
# Places that read both from inside and out: a single place alternates INT. and EXT. across scenes.
BOTH_SIDES = lx._words(
    "lighthouse house cabin cottage farmhouse church chapel boat ship ferry car truck van train barn"
)


@dataclass
class Beat:
    heading: str
    summary: str
    kind: str = ""
    people: list[str] = field(default_factory=list)  # cues of who is in the scene, in speaking order
    nouns: list[str] = field(default_factory=list)  # premise nouns the scene's text must hold


@dataclass
class Plan:
    story: Story
    cast: list[Person]
    beats: list[Beat]


def valid_heading(heading: str) -> bool:
    """INT.|EXT.|INT./EXT. <place> - <time>, where the place is never a time word."""
    match = HEADING.match(heading)
    if match is None:
        return False
    words = re.findall(r"[A-Z]+", match[2])
    return bool(words) and not any(w.lower() in lx.TIME_WORDS for w in words)


def mention_of(cue: str) -> str:
    """How prose names someone: a name as written (EMMA -> Emma), a role with "the" (the retired cop)."""
    words = cue.lower().split()
    if (words and words[-1] in lx.PERSON_NOUNS | set(lx.PLURAL_PERSONS.values())) or words[-1].endswith(
        ("man", "woman", "keeper")
    ):
        if words[0] not in lx.TITLES or len(words) == 1:
            return "the " + " ".join(words)
    return " ".join(w.capitalize() for w in words)


def _people(story: Story, seed: int) -> list[Person]:
    cast = list(story.people)
    if not cast:
        cast.append(Person(cue="STRANGER", mention="the stranger", role="stranger"))
    if len(cast) < 2:
        # The outline brings in a second person on purpose, so the lead has someone to speak to.
        taken = {w for p in cast for w in p.cue.split()}
        names = [n for n in lx.INTRODUCED_NAMES if n not in taken]
        name = names[seed % len(names)]
        role = lx.INTRODUCED_ROLES[seed % len(lx.INTRODUCED_ROLES)]
        cast.append(Person(cue=name, mention=name.title(), name=name.title(), role=role))
    return cast


def _places(story: Story, cast: list[Person]) -> list[Place]:
    places = list(story.places)
    for person in cast:
        head = person.role.split()[-1] if person.role else ""
        if len(places) >= 2:
            break
        where = lx.ROLE_PLACES.get(head)
        if where and where not in {p.name for p in places}:
            last = where.split()[-1].lower()
            places.append(Place(where, exterior=last in lx.EXTERIORS, from_logline=False))
    if not places:
        lead = cast[0]
        home = f"{lead.cue}'S HOUSE" if lead.name else "HOUSE"
        places.append(Place(home, exterior=False, from_logline=False))
    return places


def _times(kinds: tuple[str, ...], story: Story, seed: int) -> list[str]:
    """A time of day per beat, in clock order through one day (or into the next), the peak at the
    time the logline names ("before nightfall" -> DUSK), else at night."""
    peak = next((i for i, k in enumerate(kinds) if k in PEAKS), len(kinds) - 1)
    peak_time = story.times[0] if story.times else ("NIGHT" if len(kinds) > 1 else ("DAY", "NIGHT")[seed % 2])
    day = list(CLOCK) * 3
    at = CLOCK.index(peak_time) + (len(CLOCK) if CLOCK.index(peak_time) < peak else 0)
    before = max(1, min(3, at // peak)) if peak else 1
    after = 1 + seed % 2
    return [day[at - (peak - i) * before] if i < peak else day[at + (i - peak) * after] for i in range(len(kinds))]


def _beat_people(cast: list[Person], count: int) -> list[list[Person]]:
    lead, others = cast[0], cast[1:]
    groups = [[lead, others[i % len(others)]] for i in range(count)]
    unseen = [p for p in others if all(p not in g for g in groups)]
    groups[-1].extend(unseen[:2])
    if count >= 3 and len(others) > 1:
        groups[-1].extend(p for p in others[:2] if p not in groups[-1])
    # Who speaks first: whoever has spoken least so far, so that everyone gets a line early.
    spoken = {p.cue: 0 for p in cast}
    ordered: list[list[Person]] = []
    for group in groups:
        first = min(group, key=lambda p: (spoken[p.cue], group.index(p)))
        spoken[first.cue] += 1
        ordered.append([first, *[p for p in group if p is not first]])
    return ordered


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(mentions: list[str]) -> str:
    return mentions[0] if len(mentions) == 1 else ", ".join(mentions[:-1]) + " and " + mentions[-1]


def plan(logline: str, count: int, seed: int = 0) -> Plan:
    """The outline for `count` scenes: headings, people, premise nouns and summaries, all from the logline."""
    story = extract(logline)
    cast = _people(story, seed)
    places = _places(story, cast)
    kinds = KINDS.get(count) or (KINDS[8] + ("complication",) * (count - 8))[:count]
    if count > 8:
        kinds = (*KINDS[8][:-3], *("complication",) * (count - 8), *KINDS[8][-3:])
    times = _times(kinds, story, seed)
    groups = _beat_people(cast, count)
    introduced = {p.cue for p in cast if p not in story.people}
    beats: list[Beat] = []
    seen_place: dict[str, int] = {}
    for i, kind in enumerate(kinds):
        place = places[i % len(places)]
        if i == count - 1 and count > len(places) > 1:
            place = places[0]  # the story comes home at the end
        visits = seen_place.get(place.name, 0)
        seen_place[place.name] = visits + 1
        exterior = place.exterior
        if place.name.split()[-1].lower() in BOTH_SIDES and len(places) == 1 and visits % 2 == 1:
            exterior = not exterior
        prefix = "EXT." if exterior else "INT."
        time = times[i]
        heading = f"{prefix} {place.name} - {time}"
        if beats and heading == beats[-1].heading:
            heading = f"{prefix} {place.name} - LATER"
        nouns = [story.nouns[i % len(story.nouns)]] if story.nouns else []
        group = groups[i]
        mentions = [p.mention for p in group]
        lead = cast[0].mention
        others = [m for m in mentions if m != lead] or mentions[1:] or [lead]
        thing = f"the {nouns[0]}" if nouns else "the past"
        template = TEMPLATES[kind][(seed + i) % len(TEMPLATES[kind])]
        fields = {"where": place.where(), "a": lead, "b": _join(others), "thing": thing}
        summary = template.format(**fields, **{k.title(): _capital(v) for k, v in fields.items() if k != "thing"})
        for person in group:
            if person.cue in introduced and all(person.cue not in b.people for b in beats):
                summary += f" {person.mention} is {person.role}."
        beats.append(Beat(heading, summary, kind, [p.cue for p in group], nouns))
    return Plan(story=story, cast=cast, beats=beats)
