"""What a holding figure holds: the thing the action names with the verb that makes them hold (pure Python).

"Mara holds a phone", "JOE grabs the pistol and waits", "She sips her coffee": the words come from the prop
library's (`setlibrary.props.PROP_KEYWORDS`) for the things a hand can hold, plus flowers.
"""

from __future__ import annotations

import re

from generation.engines import staging
from generation.engines.setlibrary.props import PROP_KEYWORDS
from generation.engines.setschema import HELD_THINGS

# Words for each held thing: the prop library's, a few more, and flowers (no prop of their own).
_EXTRA: dict[str, tuple[str, ...]] = {
    "phone": ("mobile", "cell"),
    "glass": ("drink", "wineglass", "champagne"),
    "cup": ("mug", "mugs", "cups", "teacup"),
    "book": ("books", "novel", "bible", "album", "file", "folder"),
    "bag": ("bags", "handbag", "satchel", "sack", "shopping"),
    "paper": ("letters", "cards", "postcard", "telegram", "newspaper", "ticket", "check", "cheque"),
    "flowers": ("flowers", "flower", "bouquet", "roses", "rose", "tulips", "lilies", "daisies", "posy"),
    "gun": ("weapon",),
    "knife": ("knives", "switchblade", "scalpel", "razor"),
}
WORDS: dict[str, str] = {}
for _thing in HELD_THINGS:
    for _word in (*PROP_KEYWORDS.get(_thing, ()), *_EXTRA.get(_thing, ())):
        WORDS.setdefault(_word, _thing)
_THINGS = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)) + r")\b", re.I)
_HOLD = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in sorted(staging.VERB_POSES["holding"], key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_PRONOUN = re.compile(r"\b(he|she|they)\b", re.IGNORECASE)


def held_thing(name: str, action: str, names: list[str] | None = None) -> str | None:
    """The thing `name` holds in the action: the first that a sentence of theirs names after its holding verb
    (or anywhere in it). Their sentences are those that name them and, as `staging.poses_from` reads them, those
    that name nobody but say he or she right after a sentence that named them last (they: named them at all).
    None when no such sentence names a thing."""
    cast = list(dict.fromkeys([*(names or []), name]))
    last: list[str] = []
    for sentence in _SENTENCES.split(staging.action_text(action)):
        named = [n for _, n in sorted((m.start(), n) for n in cast
                 for m in [re.search(rf"\b{re.escape(n)}\b", sentence, re.IGNORECASE)] if m)]  # fmt: skip
        start = 0
        if named:
            last = named
            if name not in named:
                continue
            start = re.search(rf"\b{re.escape(name)}\b", sentence, re.IGNORECASE).start()  # type: ignore[union-attr]
        else:
            pronoun = _PRONOUN.search(sentence)
            plural = pronoun is not None and pronoun.group(1).lower() == "they"
            if pronoun is None or name not in ((last or cast) if plural else (last[-1:] or cast)):
                if len(cast) > 1 or pronoun is not None:
                    continue
        verb = _HOLD.search(sentence, start)
        if verb is None:
            continue
        thing = _THINGS.search(sentence, verb.end()) or _THINGS.search(sentence)
        if thing is not None:
            return WORDS[thing.group(1).lower()]
    return None
