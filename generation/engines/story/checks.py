# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks on what the model writes inside the outline: a speech that narrates, a name nobody asked
for, a paragraph whose time of day contradicts its heading. A piece that fails is sampled again."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generation.engines.story import lexicon as lx
from generation.engines.story.words import is_verb

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
CAPITALISED = re.compile(r"(?<![A-Za-z'’])([A-Z][a-z]{2,})\b")
SPEECH_TAG = "|".join(sorted(lx.SPEECH_VERBS))
THIRD_PERSON = r"(?:[Hh]e|[Ss]he|(?!(?:You|We|They|It|This|That|What|Who)\b)[A-Z][a-z]+|[Tt]he [a-z]+)"
NARRATION = re.compile(
    rf"(?:^|[,.;:!?]\s*|\s){THIRD_PERSON}\s+(?:{SPEECH_TAG})\b|\b(?:{SPEECH_TAG})\s+(?:he|she|the [a-z]+)\b",
)
NOT_PAST = lx._words("indeed hundred sacred naked wicked need speed breed proceed succeed exceed bleed creed freed")
HIGH_SUN = r"sunlight|sunshine|daylight|sun (?:shines|beats|is high|blazes)"
SUNRISE = r"sunrise|daybreak|sun (?:rises|is rising|comes up|came up|rose)"
DARK = r"midnight|moonlight|moonlit|the moon|starlight|starry|night sky|after dark|darkness falls"
SUNSET = r"sunset|nightfall|sun (?:had|has) set|sun sets"
# Words a paragraph may not use under each heading time: the day it describes would be another one.
WRONG_TIME = {
    time: re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    for time, words in {
        "NIGHT": rf"morning|afternoon|noon|midday|{SUNRISE}|{HIGH_SUN}",
        "EVENING": rf"morning|noon|midday|{SUNRISE}|sun is high",
        "DUSK": rf"morning|noon|midday|{SUNRISE}|sun is high|midnight",
        "DAY": rf"{DARK}|{SUNSET}",
        "MORNING": rf"afternoon|evening|{DARK}|{SUNSET}",
        "DAWN": rf"afternoon|noon|midday|evening|{SUNSET}",
    }.items()
}
ALLOWED_CAPITALS = lx.NOT_NAMES | {"i", "i'm", "i've", "i'll", "i'd", "ok", "mr", "mrs", "ms", "dr"}


def narrates(line: str, names: Iterable[str] = ()) -> bool:
    """A speech that reports instead of speaking: "…Emma said gently", "he replied", or a third-person
    past-tense account with no I, we or you in it."""
    text = line.strip()
    if not text:
        return False
    if '"' in text or "“" in text or "”" in text:
        return True
    if NARRATION.search(text):
        return True
    words = [w.lower().replace("’", "'") for w in WORD.findall(text)]
    if not words or any(w in lx.FIRST_SECOND_PERSON for w in words):
        return False
    if "?" not in text and words[0] not in lx.VERBS and _third_person_past(words):
        return True  # "This was the moment she'd always dreamed of": a report about someone, told to no one
    starts_third = words[0] in lx.THIRD_PERSON_STARTS or words[0] == "the"
    lowered = {n.lower() for name in names for n in name.split()}
    starts_third = starts_third or words[0] in lowered
    if not starts_third:
        return False
    past = any(w in lx.IRREGULAR_PAST or (w.endswith("ed") and len(w) > 4 and w not in NOT_PAST) for w in words)
    acting = len(words) > 1 and words[1].endswith("s") and is_verb(words[1])
    return past or acting


SUBJECTS = lx._words("he she they he'd she'd they'd")
PRESENT = lx._words("is are am isn't aren't do does don't doesn't has have can can't will won't must")


def _present(word: str) -> bool:
    return word in PRESENT or (word.endswith("s") and word not in lx.IRREGULAR_PAST and is_verb(word))


def _third_person_past(words: list[str]) -> bool:
    """He, she or they, then (after at most one adverb) a verb in the past tense, in a sentence
    that has said nothing in the present before it ("nobody believes he stole it" speaks)."""
    for i, word in enumerate(words):
        if _present(word):
            return False
        if word in SUBJECTS:
            for verb in words[i + 1 : i + 3]:
                if verb in lx.IRREGULAR_PAST or (verb.endswith("ed") and len(verb) > 4 and verb not in NOT_PAST):
                    return True
    return False


def stray_names(text: str, allowed: Iterable[str]) -> list[str]:
    """Names in a block that no one gave it: common first names, and capitalised words mid-sentence
    that are neither the cast, the logline's words, nor ordinary capitals."""
    known = {w.lower() for a in allowed for w in WORD.findall(a)} | ALLOWED_CAPITALS
    found: list[str] = []
    for match in CAPITALISED.finditer(text):
        word = match.group(1)
        lower = word.lower()
        if lower in known or lower in lx.WEEKDAYS or lower in lx.MONTHS:
            continue
        before = text[: match.start()].rstrip()
        sentence_start = not before or before[-1] in '.!?:;"—-(' or before.endswith("...")
        if lower in lx.COMMON_FIRST_NAMES or not sentence_start:
            if word not in found:
                found.append(word)
    return found


def contradicts_time(paragraph: str, time: str) -> bool:
    """An action paragraph whose time of day (or a weekday) argues with its heading's."""
    if any(w.lower() in lx.WEEKDAYS for w in WORD.findall(paragraph)):
        return True
    wrong = WRONG_TIME.get(time)
    return bool(wrong and wrong.search(paragraph))
