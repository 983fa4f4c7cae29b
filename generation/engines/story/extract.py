# SPDX-License-Identifier: GPL-3.0-or-later
"""The logline's people, places and premise nouns, found by a small deterministic reader."""

from __future__ import annotations

from dataclasses import dataclass, field

from generation.engines.story import lexicon as lx
from generation.engines.story.nouns import noun_pattern, premise_nouns, times_named
from generation.engines.story.words import (
    PUNCTUATION,
    Token,
    is_name,
    is_person_noun,
    is_verb,
    known,
    singular,
    tokenize,
)

PLACE_MODIFIERS = lx._words(
    """old abandoned flooded empty dark haunted remote deserted crowded ruined burning sinking quiet derelict
    tiny rundown run-down shabby grand lonely ancient sunken frozen"""
)
NAME_ONLY_ADJECTIVES = lx._words("late dead")


@dataclass(frozen=True)
class Person:
    """Someone in the logline: `cue` is how their speeches are headed, `mention` how prose names them."""

    cue: str
    mention: str
    name: str = ""
    role: str = ""


@dataclass(frozen=True)
class Place:
    name: str  # as a heading writes it: LIGHTHOUSE, FLOODED RIVER, PARIS
    exterior: bool
    from_logline: bool = True
    proper: bool = False  # a place's own name (Paris): prose says "in Paris", not "at the paris"

    def where(self) -> str:
        if self.proper:
            return f"{'on' if self.name.split()[-1] in ('ISLAND', 'ISLE') else 'in'} {self.name.title()}"
        return f"at the {self.name.lower()}"


@dataclass
class Story:
    logline: str
    people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    nouns: list[str] = field(default_factory=list)  # premise nouns as the logline writes them
    times: list[str] = field(default_factory=list)  # heading times the logline names (NIGHT, DUSK, ...)
    names: list[str] = field(default_factory=list)  # every proper name in the logline, people's and places'


@dataclass
class _Found:
    order: float  # where the person stands in the story's order of importance
    start: int  # the first and last token of the words that name them
    end: int
    person: Person


def _upper(words: list[str]) -> str:
    return " ".join(w.upper() for w in words)


def _phrase_start(tokens: list[Token], head: int) -> int:
    """The first modifier before a head noun: back to a determiner, preposition, punctuation or verb."""
    start = head
    while start > 0:
        before = tokens[start - 1]
        if (
            before.text in PUNCTUATION
            or before.lower in lx.FUNCTION_WORDS
            or before.possessive
            or is_verb(before.lower)
            or (before.capital and is_name(before))
            or head - start >= 3
        ):
            break
        start -= 1
    return start


def extract(logline: str) -> Story:
    """The logline's people (names, or roles that become cues), places and premise nouns."""
    tokens = tokenize(logline)
    story = Story(logline=logline)
    used: set[int] = set()  # tokens that belong to a person or a place
    people: list[_Found] = []
    places: list[tuple[int, Place]] = []

    # Proper names: runs of capitalised words. After a place preposition they name a place.
    i = 0
    while i < len(tokens):
        token = tokens[i]
        title = token.capital and token.lower in lx.TITLES and i + 1 < len(tokens) and is_name(tokens[i + 1])
        if not (is_name(token) or title):
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].capital and tokens[j].lower not in lx.FUNCTION_WORDS:
            if tokens[j - 1].possessive:
                break
            j += 1
        run = tokens[i:j]
        before = tokens[i - 1].lower if i > 0 else ""
        before2 = tokens[i - 2].lower if i > 1 else ""
        words = [t.text for t in run]
        story.names.extend(words)
        if before in lx.PLACE_PREPOSITIONS or (before == "the" and before2 in lx.PLACE_PREPOSITIONS):
            places.append((i, Place(_upper(words), exterior=True, proper=True)))
        else:
            is_title = run[0].lower in lx.TITLES and len(run) > 1
            cue = _upper(words[:1] if not is_title else words[:1] + words[-1:])
            mention = " ".join(words[:2] if is_title else words[:1])
            people.append(_Found(i, i, j - 1, Person(cue=cue, mention=mention, name=words[0])))
        used.update(range(i, j))
        i = j

    # Roles: a person noun with up to two words before it ("a retired cop", "his estranged daughter").
    for i, token in enumerate(tokens):
        if i in used or token.text in PUNCTUATION or (token.capital and is_name(token)):
            continue
        word = token.lower
        one = singular(word)
        if not (is_person_noun(word) or is_person_noun(one)):
            continue
        if i + 1 < len(tokens) and not token.possessive:
            after = tokens[i + 1].lower
            # A person noun that modifies another one ("police officer") is part of the next phrase.
            if is_person_noun(after) and i + 1 not in used:
                continue
        start = _phrase_start(tokens, i)
        before = tokens[start - 1].lower if start > 0 else ""
        modifiers = [t.lower for t in tokens[start:i] if t.lower not in lx.NUMBER_WORDS]
        for t in tokens[start:i]:
            if t.lower in lx.INTERIORS or t.lower in lx.EXTERIORS:
                places.append((t.index, Place(t.text.upper(), exterior=t.lower in lx.EXTERIORS)))
        plural = one != word and word not in lx.PERSON_NOUNS
        head = one if plural else word
        if before in lx.POSSESSIVES or head in lx.KINSHIP:
            modifiers = [m for m in modifiers if m not in lx.ADJECTIVES]
        modifiers = [m for m in modifiers if m not in NAME_ONLY_ADJECTIVES][-1:]
        role_words = [*modifiers, head]
        role = " ".join(role_words)
        used.update(range(start, i + 1))
        count = 2 if plural else 1
        if plural and start > 0 and tokens[start - 1].lower in lx.NUMBER_WORDS:
            count = min(lx.NUMBER_WORDS[tokens[start - 1].lower], 3)
        position = float(i)
        if token.possessive and any(
            is_person_noun(t.lower) or is_person_noun(singular(t.lower)) for t in tokens[i + 1 : i + 4]
        ):
            position += 3.5  # "a fisherman's son": the son leads, his father comes after him
        if count == 1:
            people.append(_Found(position, start, i, Person(cue=_upper(role_words), mention=f"the {role}", role=role)))
            continue
        order = ("OLDER", "YOUNGER", "YOUNGEST") if head in lx.SIBLINGS else ("FIRST", "SECOND", "THIRD")
        for n in range(count):
            label = order[n].lower()
            twin = Person(cue=f"{order[n]} {head.upper()}", mention=f"the {label} {head}", role=role)
            people.append(_Found(position, start, i, twin))

    story.people = _merge_appositives(tokens, people)

    # Places by their nouns ("a flooded river", "the police station", "a boat").
    for i, token in enumerate(tokens):
        word = token.lower
        if i in used or not (word in lx.INTERIORS or word in lx.EXTERIORS) or token.possessive:
            continue
        if i > 0 and is_person_noun(singular(tokens[i - 1].lower)) and not tokens[i - 1].possessive:
            continue  # "his son camp in the woods": a verb, right after its subject
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and following.lower in lx.INTERIORS | lx.EXTERIORS and i + 1 not in used:
            continue  # "hospital ward": the second word is the head
        if following is not None and not (
            following.text in PUNCTUATION
            or following.lower in lx.FUNCTION_WORDS
            or is_verb(following.lower)
            or following.lower in lx.TIME_WORDS
        ):
            continue  # a place noun that modifies another noun ("a car crash") names no place
        words = [token.text]
        prev = tokens[i - 1] if i > 0 else None
        if (
            prev is not None
            and prev.text not in PUNCTUATION
            and not prev.possessive
            and prev.lower not in lx.FUNCTION_WORDS
            and prev.lower not in lx.TIME_WORDS
            and not is_person_noun(prev.lower)
            and (prev.lower in PLACE_MODIFIERS or not known(prev.lower) or prev.lower in lx.INTERIORS)
        ):
            words.insert(0, prev.text)
            used.add(i - 1)
        used.add(i)
        places.append((i, Place(_upper(words), exterior=word in lx.EXTERIORS)))
    seen: set[str] = set()
    for _, place in sorted(places, key=lambda p: p[0]):
        if place.name not in seen:
            seen.add(place.name)
            story.places.append(place)

    story.nouns = premise_nouns(tokens, used)
    story.times = times_named(tokens)
    return story


APPOSITION = {",", "a", "an", "the", "named", "called"}


def _merge_appositives(tokens: list[Token], people: list[_Found]) -> list[Person]:
    """ "Emma, a retired cop", "a retired cop named Emma" and "her brother Tom" are one person each."""
    merged: list[_Found] = []
    for found in sorted(people, key=lambda f: f.start):
        if merged:
            last = merged[-1]
            between = {t.lower for t in tokens[last.end + 1 : found.start]}
            if (
                between <= APPOSITION
                and found.start - last.end <= 4
                and bool(last.person.name) != bool(found.person.name)
            ):
                named, role = (last, found) if last.person.name else (found, last)
                person = Person(named.person.cue, named.person.mention, named.person.name, role.person.role)
                merged[-1] = _Found(min(last.order, found.order), last.start, found.end, person)
                continue
        merged.append(found)
    unique: list[Person] = []
    for found in sorted(merged, key=lambda f: f.order):
        if found.person.cue not in {p.cue for p in unique}:
            unique.append(found.person)
    return unique[:4]


__all__ = ["Person", "Place", "Story", "extract", "noun_pattern"]
