# SPDX-License-Identifier: GPL-3.0-or-later
"""A logline's premise nouns (what the story is about) and the times of day it names."""

from __future__ import annotations

import re

from generation.engines.story import lexicon as lx
from generation.engines.story.words import PUNCTUATION, Token, is_person_noun, is_verb, singular

PARTICIPLES = lx._words(
    """written hidden stolen broken taken given forgotten frozen driven chosen known shown seen found lost left
    built made held kept buried sent bound torn worn sworn drawn grown thrown sunk shot caught"""
)
VAGUE_NOUNS = lx._words(
    """way thing things lot kind sort part life time world end rest side person people one ones place everything
    something nothing anything someone everyone nobody year years day days night nights"""
)


def premise_nouns(tokens: list[Token], used: set[int]) -> list[str]:
    """Heads of noun phrases that are not people, places or times: the things the story is about."""
    nouns: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.lower not in lx.DETERMINERS and not (i > 0 and tokens[i - 1].possessive):
            i += 1
            continue
        j = i + 1 if token.lower in lx.DETERMINERS else i
        phrase: list[Token] = []
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
                and singular(word) not in lx.TIME_WORDS
                and word not in VAGUE_NOUNS
                and word not in lx.NUMBER_WORDS
                and word not in lx.ADJECTIVES
                and not is_person_noun(word)
                and not is_person_noun(singular(word))
                and len(word) > 2
                and word not in nouns
            ):
                nouns.append(word)
        i = max(j, i + 1)
    return nouns[:6]


def times_named(tokens: list[Token]) -> list[str]:
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
    stem = singular(noun.lower())
    return re.compile(rf"\b{re.escape(stem)}(?:s|es)?\b|\b{re.escape(noun.lower())}\b", re.IGNORECASE)
