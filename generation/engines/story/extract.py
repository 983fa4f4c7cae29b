# SPDX-License-Identifier: GPL-3.0-or-later
"""The logline's people, places and premise nouns, found by a small deterministic reader."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generation.engines.story import lexicon as lx

TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+|[.,;:!?()\"]")
SENTENCE_ENDS = {".", "!", "?"}
PUNCTUATION = {".", ",", ";", ":", "!", "?", "(", ")", '"'}
# Participles that end a noun phrase ("a message written by ..."), and nouns too vague to carry a scene.
PARTICIPLES = lx._words(
    """written hidden stolen broken taken given forgotten frozen driven chosen known shown seen found lost left
    built made held kept buried sent bound torn worn sworn drawn grown thrown sunk shot caught"""
)
VAGUE_NOUNS = lx._words(
    """way thing things lot kind sort part life time world end rest side person people one ones place everything
    something nothing anything someone everyone nobody year years day days night nights"""
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


@dataclass
class _Token:
    text: str
    lower: str
    capital: bool
    starts_sentence: bool
    possessive: bool
    index: int


def tokenize(text: str) -> list[_Token]:
    out: list[_Token] = []
    start = True
    for match in TOKEN.finditer(text.replace("’", "'")):
        raw = match.group()
        if raw in PUNCTUATION:
            out.append(_Token(raw, raw, False, False, False, len(out)))
            start = raw in SENTENCE_ENDS or (start and raw in {'"', "("})
            continue
        possessive = raw.lower().endswith("'s") or (raw.endswith("s'") and len(raw) > 3)
        word = raw[:-2] if raw.lower().endswith("'s") else raw.rstrip("'")
        out.append(_Token(word, word.lower(), word[:1].isupper(), start, possessive, len(out)))
        start = False
    return out


def _singular(word: str) -> str:
    if word in lx.PLURAL_PERSONS:
        return lx.PLURAL_PERSONS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ves") and word[:-3] + "fe" in lx.PERSON_NOUNS:
        return word[:-3] + "fe"
    if word.endswith("es") and word[:-2] in lx.PERSON_NOUNS | lx.INTERIORS | lx.EXTERIORS:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


NOT_IST = lx._words("persist insist resist assist consist exist")


def is_person_noun(word: str) -> bool:
    return (
        word in lx.PERSON_NOUNS
        or (len(word) > 6 and word.endswith("ist") and word not in NOT_IST)
        or (len(word) > 5 and word.endswith(("man", "woman", "keeper")) and word not in {"human", "german"})
        or word in lx.PLURAL_PERSONS
    )


def is_verb(word: str) -> bool:
    """An inflected verb form (finds, learned, carrying) or a past tense, as opposed to a noun or adjective."""
    if word in lx.IRREGULAR_PAST or word in {"must", "can", "will", "would", "could", "should", "tries", "dies"}:
        return True
    for ending, stems in (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ed", ("", "e")), ("ing", ("", "e"))):
        if word.endswith(ending):
            base = word[: -len(ending)]
            if any(base + stem in lx.VERBS for stem in stems) or (
                len(base) > 2 and base[-1] == base[-2] and base[:-1] in lx.VERBS
            ):
                return True
    return False


def _known(word: str) -> bool:
    return (
        word in lx.FUNCTION_WORDS
        or word in lx.ADJECTIVES
        or word in lx.TIME_WORDS
        or word in lx.VERBS
        or is_verb(word)
        or is_person_noun(word)
        or _singular(word) in lx.PERSON_NOUNS
        or word in lx.INTERIORS
        or word in lx.EXTERIORS
        or word in lx.NUMBER_WORDS
    )


def _is_name(token: _Token) -> bool:
    if not token.capital or token.lower in lx.NOT_NAMES or len(token.text) < 2:
        return False
    if token.lower in lx.TIME_WORDS or token.lower in lx.FUNCTION_WORDS:
        return False
    if token.starts_sentence:
        return not _known(token.lower)
    return True


def _upper(words: list[str]) -> str:
    return " ".join(w.upper() for w in words)


def _phrase_start(tokens: list[_Token], head: int) -> int:
    """The first modifier before a head noun: back to a determiner, preposition, punctuation or verb."""
    start = head
    while start > 0:
        before = tokens[start - 1]
        if (
            before.text in PUNCTUATION
            or before.lower in lx.FUNCTION_WORDS
            or before.possessive
            or is_verb(before.lower)
            or (before.capital and _is_name(before))
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
        title = token.capital and token.lower in lx.TITLES and i + 1 < len(tokens) and _is_name(tokens[i + 1])
        if not (_is_name(token) or title):
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
        if i in used or token.text in PUNCTUATION or (token.capital and _is_name(token)):
            continue
        word = token.lower
        singular = _singular(word)
        if not (is_person_noun(word) or is_person_noun(singular)):
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
        plural = singular != word and word not in lx.PERSON_NOUNS
        head = singular if plural else word
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
            is_person_noun(t.lower) or is_person_noun(_singular(t.lower)) for t in tokens[i + 1 : i + 4]
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
        if i > 0 and is_person_noun(_singular(tokens[i - 1].lower)) and not tokens[i - 1].possessive:
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
            and (prev.lower in PLACE_MODIFIERS or not _known(prev.lower) or prev.lower in lx.INTERIORS)
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

    story.nouns = _premise_nouns(tokens, used)
    story.times = _times(tokens)
    return story


APPOSITION = {",", "a", "an", "the", "named", "called"}


def _merge_appositives(tokens: list[_Token], people: list[_Found]) -> list[Person]:
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


def _premise_nouns(tokens: list[_Token], used: set[int]) -> list[str]:
    """Heads of noun phrases that are not people, places or times: the things the story is about."""
    nouns: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.lower not in lx.DETERMINERS and not (i > 0 and tokens[i - 1].possessive):
            i += 1
            continue
        j = i + 1 if token.lower in lx.DETERMINERS else i
        phrase: list[_Token] = []
        while j < len(tokens):
            t = tokens[j]
            if t.text in PUNCTUATION or t.lower in lx.FUNCTION_WORDS:
                break
            after = tokens[j + 1].lower if j + 1 < len(tokens) else ""
            if phrase and (
                (is_verb(t.lower) and not t.lower.endswith("ing"))
                or t.lower in PARTICIPLES
                or (t.lower in lx.VERBS and after in lx.DETERMINERS | {"to"})
                or (t.lower.endswith("s") and not t.lower.endswith("ss") and after in lx.DETERMINERS | {"to"})
                or (phrase[-1].index in used and t.index not in used)
            ):
                break
            phrase.append(t)
            j += 1
            if t.possessive or len(phrase) == 4:
                break
        if phrase:
            head = phrase[-1]
            word = head.lower
            if (
                head.index not in used
                and not head.capital
                and word not in lx.TIME_WORDS
                and _singular(word) not in lx.TIME_WORDS
                and word not in VAGUE_NOUNS
                and word not in lx.NUMBER_WORDS
                and word not in lx.ADJECTIVES
                and not is_person_noun(word)
                and not is_person_noun(_singular(word))
                and len(word) > 2
                and word not in nouns
            ):
                nouns.append(word)
        i = max(j, i + 1)
    return nouns[:6]


def _times(tokens: list[_Token]) -> list[str]:
    found: list[str] = []
    mapping = {
        "night": "NIGHT",
        "midnight": "NIGHT",
        "tonight": "NIGHT",
        "nightfall": "DUSK",
        "sunset": "DUSK",
        "dusk": "DUSK",
        "twilight": "DUSK",
        "dawn": "DAWN",
        "sunrise": "DAWN",
        "daybreak": "DAWN",
        "morning": "MORNING",
        "evening": "EVENING",
    }
    for token in tokens:
        time = mapping.get(token.lower)
        if time and time not in found:
            found.append(time)
    return found


def noun_pattern(noun: str) -> re.Pattern[str]:
    """A noun in the singular or plural, as a whole word."""
    stem = _singular(noun.lower())
    return re.compile(rf"\b{re.escape(stem)}(?:s|es)?\b|\b{re.escape(noun.lower())}\b", re.IGNORECASE)
