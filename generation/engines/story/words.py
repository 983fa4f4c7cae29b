# SPDX-License-Identifier: GPL-3.0-or-later
"""Words of a logline: tokens, and whether a word names a person, is a verb, or is a name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generation.engines.story import lexicon as lx

TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+|[.,;:!?()\"]")
SENTENCE_ENDS = {".", "!", "?"}
PUNCTUATION = {".", ",", ";", ":", "!", "?", "(", ")", '"'}
# Participles that end a noun phrase ("a message written by ..."), and nouns too vague to carry a scene.


@dataclass
class Token:
    text: str
    lower: str
    capital: bool
    starts_sentence: bool
    possessive: bool
    index: int


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    start = True
    for match in TOKEN.finditer(text.replace("’", "'")):
        raw = match.group()
        if raw in PUNCTUATION:
            out.append(Token(raw, raw, False, False, False, len(out)))
            start = raw in SENTENCE_ENDS or (start and raw in {'"', "("})
            continue
        possessive = raw.lower().endswith("'s") or (raw.endswith("s'") and len(raw) > 3)
        word = raw[:-2] if raw.lower().endswith("'s") else raw.rstrip("'")
        out.append(Token(word, word.lower(), word[:1].isupper(), start, possessive, len(out)))
        start = False
    return out


def singular(word: str) -> str:
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


def known(word: str) -> bool:
    return (
        word in lx.FUNCTION_WORDS
        or word in lx.ADJECTIVES
        or word in lx.TIME_WORDS
        or word in lx.VERBS
        or is_verb(word)
        or is_person_noun(word)
        or singular(word) in lx.PERSON_NOUNS
        or word in lx.INTERIORS
        or word in lx.EXTERIORS
        or word in lx.NUMBER_WORDS
    )


def is_name(token: Token) -> bool:
    if not token.capital or token.lower in lx.NOT_NAMES or len(token.text) < 2:
        return False
    if token.lower in lx.TIME_WORDS or token.lower in lx.FUNCTION_WORDS:
        return False
    if token.starts_sentence:
        return not known(token.lower)
    return True
