"""A person's body and hair from the words of their look (pure Python, no bpy).

`read_physique` reads sex, age, build, height and hair from a character's look ("a heavy-set man in his
fifties with gray hair and a beard"): the hair colour and beard words are `face_attributes.read_look`'s, so the
figure and the character designer read a look the same way. Whatever the look leaves open is drawn from the
name, so a character keeps their body in every shot. `costume_colours` gives the people of a frame clothes
that differ, each keeping theirs from shot to shot.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass

from generation.engines.face_attributes import read_look

# sRGB-ish base colours of hair (linear values, as materials take them).
HAIR_COLOURS: dict[str, tuple[float, float, float]] = {
    "black": (0.025, 0.02, 0.018),
    "brown": (0.11, 0.055, 0.025),
    "blond": (0.55, 0.38, 0.16),
    "red": (0.38, 0.1, 0.03),
    "gray": (0.42, 0.41, 0.4),
}
_DEFAULT_HAIR = ("brown", "black", "brown", "blond", "black", "brown")

_FEMALE = re.compile(
    r"\b(woman|women|girl|lady|she|her|female|mother|mom|mum|grandmother|granny|wife|daughter|sister|aunt|"
    r"actress|waitress|queen|princess|nun|widow|bride|girlfriend|niece|matriarch|blonde|mrs|ms|miss|madam|"
    r"grandma|nana|stewardess|hostess|mistress|duchess|policewoman|businesswoman)\b"
)
_MALE = re.compile(
    r"\b(man|men|boy|guy|he|his|him|male|father|dad|grandfather|grandpa|husband|son|brother|uncle|king|prince|"
    r"priest|groom|boyfriend|nephew|gentleman|bloke|mr|sir|policeman|businessman|fireman|cowboy|grandad)\b"
)
_CHILD = re.compile(r"\b(girl|boy|child|kid|toddler|schoolgirl|schoolboy|little|young (son|daughter))\b")
_AGE = re.compile(r"\b(\d{1,2})[- ](years?[- ]old|yo)\b|\bof (\d{1,2})\b|\baged? (\d{1,2})\b")
_TEEN = re.compile(r"\b(teen|teenager|teenage|adolescent)\b")
_OLD = re.compile(
    r"\b(old|elderly|aged|aging|ageing|grandmother|grandfather|granny|grandpa|retired|in (his|her|their) "
    r"(sixties|seventies|eighties|nineties)|(sixty|seventy|eighty)[- ]something|wrinkled|frail)\b"
)
_HEAVY = re.compile(r"\b(heavy|heavy[- ]set|stocky|burly|fat|overweight|portly|stout|big|broad|bulky|chubby|plump|"
                    r"muscular|hulking|barrel[- ]chested)\b")  # fmt: skip
_SLIM = re.compile(r"\b(slim|thin|skinny|slender|wiry|petite|lanky|gaunt|slight|willowy|lean|bony)\b")
_TALL = re.compile(r"\b(tall|towering|lanky|giant)\b")
_SHORT = re.compile(r"\b(short|small|tiny|petite|diminutive)\b(?![- ]?hair)")
_BALD = re.compile(r"\b(bald|balding|shaved head|shaven head|hairless|skinhead)\b")
_LONG = re.compile(r"\b(long|flowing|shoulder[- ]length|ponytail|braids?|braided|curls|curly|wavy|mane)\b")
_SHORT_HAIR = re.compile(r"\b(short|cropped|crew[- ]cut|buzz[- ]?cut|close[- ]cropped)[- ]hair(ed)?\b|\bcrew[- ]cut\b")
_BUN = re.compile(r"\b(bun|updo|chignon)\b")


@dataclass(frozen=True)
class Physique:
    body: str  # man, woman, boy, girl
    old: bool
    height: float  # metres
    build: float  # shoulders, hips and limbs against an average adult's
    hair: str  # short, long, bald, bun
    hair_color: tuple[float, float, float]
    beard: bool


def _hash(name: str) -> int:
    return zlib.crc32(name.upper().encode())


def read_physique(name: str, look: str = "") -> Physique:
    """The body, height, build and hair a look asks for; what it leaves open comes from the name alone."""
    h = _hash(name)
    # The look speaks first; then the name itself ("MOM", "OLD MAN", "MRS. PEEL", "GIRL #2").
    words = re.sub(r"[^a-z' ]+", " ", name.lower())
    text = " " + look.lower().replace("\u2019", "'") + " | " + words + " "
    female, male = _FEMALE.search(text), _MALE.search(text)
    # The first word that says wins ("a woman and her son" is a woman).
    woman = female is not None and (male is None or female.start() < male.start())
    ages = [int(g) for m in _AGE.finditer(text) for g in m.groups() if g and g.isdigit()]
    child = (bool(_CHILD.search(text)) and not _TEEN.search(text)) or bool(ages and ages[0] < 13)
    old = bool(_OLD.search(text)) or bool(ages and ages[0] >= 62)
    body = ("girl" if woman else "boy") if child else ("woman" if woman else "man")
    # Height: 1.62-1.88 m for a man, 1.55-1.75 m for a woman, 1.15-1.45 m for a child.
    spread = (h % 1000) / 1000
    lo, hi = {"man": (1.66, 1.88), "woman": (1.56, 1.74), "boy": (1.15, 1.45), "girl": (1.15, 1.42)}[body]
    height = lo + spread * (hi - lo)
    if _TALL.search(text):
        height = hi + 0.04
    elif _SHORT.search(text):
        height = lo
    if old and not child:
        height -= 0.03
    build = 0.92 + ((h >> 10) % 1000) / 1000 * 0.16
    if _HEAVY.search(text):
        build = 1.28
    elif _SLIM.search(text):
        build = 0.86
    wanted = read_look(text).wanted
    colour_word = wanted.get("hair") or ("gray" if old else _DEFAULT_HAIR[(h >> 20) % len(_DEFAULT_HAIR)])
    if _BALD.search(text):
        hair = "bald"
    elif _BUN.search(text):
        hair = "bun"
    elif _LONG.search(text) and not _SHORT_HAIR.search(text):
        hair = "long"
    elif _SHORT_HAIR.search(text):
        hair = "short"
    else:
        hair = ("bun" if old else "long") if body in ("woman", "girl") else "short"
    beard = wanted.get("facial_hair") == "beard" and body == "man"
    return Physique(
        body=body,
        old=old,
        height=round(height, 3),
        build=round(build, 3),
        hair=hair,
        hair_color=HAIR_COLOURS.get(colour_word, HAIR_COLOURS["brown"]),
        beard=beard,
    )


# Costume colours (linear RGB): far apart in hue and lightness, so that any two of them tell people apart.
PALETTE: list[tuple[float, float, float]] = [
    (0.55, 0.12, 0.1),  # brick red
    (0.12, 0.25, 0.55),  # blue
    (0.2, 0.42, 0.18),  # green
    (0.6, 0.53, 0.1),  # mustard
    (0.38, 0.18, 0.48),  # purple
    (0.12, 0.12, 0.13),  # charcoal
    (0.7, 0.64, 0.56),  # stone
    (0.75, 0.32, 0.08),  # orange
]


def colour_distance(a: tuple[float, ...] | list[float], b: tuple[float, ...] | list[float]) -> float:
    return math.dist(a, b)


def costume_colours(names: list[str], given: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Clothes for each name: the colour given, or a palette colour drawn from the name, moved on along the
    palette while it is too close to one taken before (names earlier in the list keep theirs first)."""
    given = given or {}
    out: dict[str, list[float]] = {}
    for name in names:
        if given.get(name):
            out[name] = list(given[name])
            continue
        start = _hash(name) % len(PALETTE)
        for step in range(len(PALETTE)):
            colour = list(PALETTE[(start + step) % len(PALETTE)])
            if all(colour_distance(colour, taken) >= MIN_COSTUME_DISTANCE for taken in out.values()):
                break
        else:
            colour = list(PALETTE[start])
        out[name] = colour
    return out


def cast_costumes(scenes: list[list[str]]) -> dict[str, list[float]]:
    """Clothes for a whole cast, keyed by upper-case name: anyone who shares a scene with someone wears a colour
    far from theirs (while the palette lasts; then the farthest it has). The characters in the most scenes
    choose first, each starting from the colour their name draws, so a character keeps theirs in every shot."""
    together: dict[str, set[str]] = {}
    for listed in scenes:
        names = {n.upper() for n in listed if n.strip()}
        for name in names:
            together.setdefault(name, set()).update(names - {name})
    count = {name: sum(name in {n.upper() for n in listed} for listed in scenes) for name in together}
    out: dict[str, list[float]] = {}
    for name in sorted(together, key=lambda n: (-count[n], n)):
        near = [out[other] for other in together[name] if other in out]
        start = _hash(name) % len(PALETTE)
        options = [list(PALETTE[(start + step) % len(PALETTE)]) for step in range(len(PALETTE))]
        free = [c for c in options if all(colour_distance(c, taken) >= MIN_COSTUME_DISTANCE for taken in near)]
        out[name] = free[0] if free else max(options, key=lambda c: min(colour_distance(c, t) for t in near))
    return out


MIN_COSTUME_DISTANCE = 0.25  # in linear RGB: two palette colours are at least this far apart
