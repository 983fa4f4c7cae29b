"""A person's body and hair from the words of their look (pure Python, no bpy).

`read_physique` reads sex, age, build, height and hair from a character's look ("a heavy-set man in his
fifties with gray hair and a beard"): the hair colour and beard words are `face_attributes.read_look`'s, so the
figure and the character designer read a look the same way. Whatever the look leaves open is drawn from the
name, so a character keeps their body in every shot. `read_script_cues` reads what the script's action lines
say about someone nobody described ("MARIA wipes the counter. She smiles", "Old MARTIN", "ELSA, a girl of ten");
`read_physique` hears it last, after the look and the name. `costume_colours` gives the people of a frame clothes
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
    r"\b(woman|women|girl|lady|landlady|she|her|female|mother|mom|mum|grandmother|granny|wife|daughter|sister|aunt|"
    r"actress|waitress|queen|princess|nun|widow|bride|girlfriend|niece|matriarch|blonde|mrs|ms|miss|madam|"
    r"grandma|nana|stewardess|hostess|mistress|duchess|policewoman|businesswoman)\b"
)
_MALE = re.compile(
    r"\b(man|men|boy|guy|landlord|he|his|him|male|father|dad|grandfather|grandpa|husband|son|brother|uncle|king|prince|"
    r"priest|groom|boyfriend|nephew|gentleman|bloke|mr|sir|policeman|businessman|fireman|cowboy|grandad)\b"
)
_CHILD = re.compile(r"\b(girl|boy|child|kid|toddler|schoolgirl|schoolboy|little|young (son|daughter))\b")
_AGE = re.compile(r"\b(\d{1,2})[- ](years?[- ]old|yo)\b|\bof (\d{1,2})\b|\baged? (\d{1,2})\b")
_TEEN = re.compile(r"\b(teen|teenager|teenage|adolescent)\b")
_OLD = re.compile(
    r"\b(old|elderly|aged|aging|ageing|grandmother|grandfather|granny|grandpa|retired|in (his|her|their) "
    r"(sixties|seventies|eighties|nineties)|(sixty|seventy|eighty)[- ]something|wrinkled|frail|retiree)\b"
)
_HEAVY = re.compile(r"\b(heavy|heavy[- ]set|stocky|burly|fat|overweight|portly|stout|big|broad|bulky|chubby|plump|"
                    r"muscular|hulking|barrel[- ]chested)\b")  # fmt: skip
_SLIM = re.compile(r"\b(slim|thin|skinny|slender|wiry|petite|lanky|gaunt|slight|willowy|lean|bony)\b")
_TALL = re.compile(r"\b(tall|towering|lanky|giant)\b")
_SHORT = re.compile(r"\b(short|small|tiny|petite|diminutive)\b(?![- ]?hair)")
_BALD = re.compile(r"\b(bald|balding|shaved head|shaven head|hairless|skinhead)\b")
_LONG = re.compile(  # "long hair", not "a long coat"
    r"\b(long(?![- ](coat|overcoat|dress|gown|skirt|sleeves?|jacket|trench|raincoat|scarf))|flowing|"
    r"shoulder[- ]length|ponytail|braids?|braided|curls|curly|wavy|mane)\b"
)
_SHORT_HAIR = re.compile(r"\b(short|cropped|crew[- ]cut|buzz[- ]?cut|close[- ]cropped)[- ]hair(ed)?\b|\bcrew[- ]cut\b")
_BUN = re.compile(r"\b(bun|updo|chignon)\b")
# Clothes: a skirt or dress from the hips, a jacket (a suit's with matching trousers) or a long coat, a hat.
_DRESS = re.compile(r"\b(gowns?|ball[- ]gown|evening[- ]gown|skirts?|miniskirt|kilt|dress|dresses|sundress|frock)\b")
_JACKET = re.compile(
    r"\b(suits?|suited|tuxedo|tux|three[- ]piece|jackets?|blazer|sport[- ]coat|"
    r"coats?|overcoat|trench[- ]?coat|raincoat|greatcoat|parka|duster)\b"
)
_HAT = re.compile(r"\b(hats?|fedora|stetson|bowler|trilby|beanie|caps?|baseball[- ]cap|beret)\b")


@dataclass(frozen=True)
class Physique:
    body: str  # man, woman, boy, girl
    old: bool
    height: float  # metres
    build: float  # shoulders, hips and limbs against an average adult's
    hair: str  # short, long, bald, bun
    hair_color: tuple[float, float, float]
    beard: bool
    dress: str | None = None  # skirt, dress or gown
    jacket: str | None = None  # jacket, suit or coat
    hat: str | None = None  # hat or cap


def read_clothes(look: str) -> tuple[str | None, str | None, str | None]:
    """The skirt or dress, jacket and hat a look names ("a woman in a red dress", "a man in a suit and a
    fedora"): (skirt | dress | gown | None, jacket | suit | coat | None, hat | cap | None)."""
    text = look.lower()
    dress = jacket = hat = None
    m = _DRESS.search(text)
    if m:
        word = m.group(1)
        dress = "gown" if "gown" in word else "skirt" if "skirt" in word or word == "kilt" else "dress"
    m = _JACKET.search(text)
    if m:
        word = m.group(1)
        jacket = (
            "suit" if word.startswith(("suit", "tux", "three"))
            else "jacket" if word.startswith(("jacket", "blazer", "sport"))
            else "coat"
        )  # fmt: skip
    m = _HAT.search(text)
    if m:
        hat = "cap" if m.group(1).startswith(("cap", "baseball", "beanie", "beret")) else "hat"
    return dress, jacket, hat


def _hash(name: str) -> int:
    return zlib.crc32(name.upper().encode())


def _said(look: str, name: str) -> str:
    words = re.sub(r"[^a-z' ]+", " ", name.lower())
    return " " + look.lower().replace("\u2019", "'") + " | " + words + " "


def stated_sex(name: str, look: str = "") -> str | None:
    """ "woman" or "man" where the look or the name says which (the first word that says wins), else None."""
    text = _said(look, name)
    female, male = _FEMALE.search(text), _MALE.search(text)
    if female is None and male is None:
        return None
    return "woman" if female is not None and (male is None or female.start() < male.start()) else "man"


def read_physique(name: str, look: str = "", script: str = "") -> Physique:
    """The body, height, build and hair a look asks for; what it leaves open comes from the name, then from
    `script` (words `read_script_cues` found in the action lines), then from the name's hash alone."""
    h = _hash(name)
    # The look speaks first; then the name itself ("MOM", "OLD MAN", "MRS. PEEL", "GIRL #2"); then the script,
    # and only on what those two leave open (a look's "young" is not undone by the script's "old").
    text = _said(look, name)
    if script:
        cues = script.lower().split()
        sexed = bool(_FEMALE.search(text) or _MALE.search(text))
        aged = bool(_CHILD.search(text) or _TEEN.search(text) or _OLD.search(text) or _AGE.search(text))
        grown = r"\b(adult|middle[- ]aged|woman|man|lady|gentleman|wife|husband|mother|father|mrs|mr|\w+ties)\b"
        aged = aged or bool(re.search(grown, text))  # "a woman", "in his forties": no child
        young = bool(re.search(r"\byoung\b", text))  # "young" rules out "old", not a child of ten
        keep = [w for w in cues if (w in _SEX_CUES and not sexed) or (w in _AGE_CUES and not aged)]
        keep = [w for w in keep if not (young and w == "old")]
        text += "| " + " ".join(keep) + " "
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
    dress, jacket, hat = read_clothes(look)
    return Physique(
        body=body,
        old=old,
        height=round(height, 3),
        build=round(build, 3),
        hair=hair,
        hair_color=HAIR_COLOURS.get(colour_word, HAIR_COLOURS["brown"]),
        beard=beard,
        dress=dress,
        jacket=jacket,
        hat=hat,
    )


# What the script says about someone nobody described. A window is the sentence that names them and the next
# sentence of the same action paragraph; it speaks only when it names nobody else (or only others whose sex is
# known, and then only through the other sex's pronouns). Pronouns before the name, in an aside right after it
# ("DICK STEEL, his former partner") or in object place ("smiles at him") are someone else's.
_SEX_CUES = frozenset({"woman", "man"})
_AGE_CUES = frozenset({"old", "child"})
_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n|(?<=[.!?:])\s*\n")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
_SUBJECT = {"she": "woman", "he": "man", "herself": "woman", "himself": "man", "hers": "woman", "his": "man"}
# After these, "her" is an object ("hands her a coin", "looks at her."), not a possessive ("her father").
_NOT_A_NOUN = frozenset(
    "a an the to and or but in on at with for from of up down off out back away again as before after into onto "
    "over under through about around across behind beside toward towards by than then that this so is was".split()
)
# Words right before a name, or in an aside after it, that say who someone is ("Old MARTIN", "MARIA, a widow,").
_BEFORE = re.compile(
    r"(?<!year )(?<!years )(?<!year-)(?<!years-)"
    r"\b(old|elderly|aged|little|young|teenage|mrs|ms|miss|mr|madam|sir|grandma|grandpa|granny)\W*$"
)
_ASIDE_AGE = re.compile(r"(?<![\d.:/$])\b(\d{1,2})s?\b(?![\d.:/%])")


def _mentions(name: str, text: str, any_case: bool) -> list[re.Match[str]]:
    """Where a name appears: as a whole (case aside), or, only capitalised, as one of its words that is no title
    ("Steel" for DICK STEEL). With any_case=False only capitalised forms count ("Maria", "MARIA", not "brick")."""
    found = []
    pattern = r"(?<![A-Za-z])" + r"\W+".join(re.escape(w) for w in name.split()) + r"(?![A-Za-z])"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        if any_case or m.group()[0].isupper():
            found.append(m)
    if any_case:
        for word in name.split():
            bare = word.strip(".,'").lower()
            if len(bare) < 3 or _BEFORE.search(bare) or bare in ("the", "man", "woman", "boy", "girl", "dr"):
                continue
            found += [m for m in re.finditer(r"(?<![A-Za-z])" + re.escape(bare) + r"(?![A-Za-z])", text, re.I)
                      if m.group()[0].isupper()]  # fmt: skip
    return found


def _pronouns(text: str) -> tuple[dict[str, int], set[str]]:
    """Counts of subject, possessive and reflexive pronouns by sex, and the sexes that appear as objects."""
    counts = {"woman": 0, "man": 0}
    objects: set[str] = set()
    for m in _WORD.finditer(text):
        w = m.group().lower().replace("\u2019", "'")
        if w in _SUBJECT:
            counts[_SUBJECT[w]] += 1
        elif w == "him":
            objects.add("man")
        elif w == "her":
            # "her" right before a word that can start a noun phrase is a possessive ("her father"); before a
            # stop, a preposition or an article it is an object ("hands her a coin", "looks at her.").
            after = re.match(r"[ \t]+([A-Za-z]+)", text[m.end() :])
            if after and after.group(1).lower() not in _NOT_A_NOUN:
                counts["woman"] += 1
            else:
                objects.add("woman")
    return counts, objects


def read_script_cues(name: str, actions: list[str], known: dict[str, str | None] | None = None) -> str:
    """Words for `read_physique`'s `script`: "woman" or "man" where the pronouns near the name agree (by more
    than two to one), "old" or "child" where the words at the name say so ("Old MARTIN", "ELSA, a girl of ten",
    "MARIA (70s)"). `actions` are the script's action paragraphs (no dialogue); `known` maps the other characters'
    names to their sex where their look or name says it (None: unknown). An empty string: the script is silent."""
    others = {n: sex for n, sex in (known or {}).items() if n.strip() and n.upper() != name.upper()}
    counts = {"woman": 0, "man": 0}
    said: list[str] = []
    for paragraph in actions:
        sentences = [s for s in _SENTENCE.split(paragraph) if s and s.strip()]
        counted: set[int] = set()
        for i, sentence in enumerate(sentences):
            at = _mentions(name, sentence, any_case=False)
            if not at:
                continue
            # "EDWARD" inside "YOUNG EDWARD (10)" is someone else when YOUNG EDWARD is in the cast.
            longer = [m.span() for n in others if len(n) > len(name) for m in _mentions(n, sentence, False)]
            at = [m for m in at if not any(a <= m.start() and m.end() <= b for a, b in longer)]
            if not at:
                continue
            first = min(at, key=lambda m: m.start())
            before, after = sentence[: first.start()], sentence[first.end() :]
            surname = re.match(r"(?:\s+[A-Z][A-Z'.-]+\b)*", after)  # "BRICK BRADDOCK, retired ..." is BRICK's aside
            after = after[surname.end() :] if surname else after
            # An aside: a parenthesis, or up to six words between commas ("COGNITO, the criminal mastermind, is").
            aside = re.match(r"\s*(\([^)]*\)|,\s*(?:[\w'-]+\s+){0,5}[\w'-]+\s*[,.;])", after)
            said += _describing(before, aside.group() if aside else "")
            rest = after[aside.end() :] if aside else after
            window = [(i, rest)] + ([(i + 1, sentences[i + 1])] if i + 1 < len(sentences) else [])
            window = [(j, part) for j, part in window if j not in counted]
            named = {n for n in others if _mentions(n, sentence + " " + " ".join(p for _, p in window), True)}
            named = {n for n in named if not _mentions(name, n, True)}  # "STEEL" inside "DICK STEEL" is no one else
            if any(others[n] is None for n in named):
                continue  # someone else of unknown sex is there: whose pronoun is whose can't be told
            taken = {others[n] for n in named}
            found = {"woman": 0, "man": 0}
            seen: set[str] = set()
            for j, part in window:
                c, o = _pronouns(part)
                seen |= o
                for sex in found:
                    found[sex] += c[sex]
                counted.add(j)
            for sex in found:
                if sex not in taken and sex not in seen:  # an object "him"/"her" is someone else of that sex
                    counts[sex] += found[sex]
    words: list[str] = []
    sexes = [w for w in said if w in _SEX_CUES]
    if sexes:
        words.append(sexes[0])
    elif counts["woman"] > 2 * counts["man"]:
        words.append("woman")
    elif counts["man"] > 2 * counts["woman"]:
        words.append("man")
    # An age only where every word said at the name agrees: a character seen at six and at twenty-eight ("WILL
    # (6)", "WILL, now 28") keeps the body their look or name gives.
    ages = {w for w in said if w in (*_AGE_CUES, "adult")}
    if len(ages) == 1 and ages <= _AGE_CUES:
        words.append(ages.pop())
    return " ".join(words)


def _describing(before: str, aside: str) -> list[str]:
    """The sex and age words said at a name: the word right before it, and an aside right after it."""
    out: list[str] = []
    m = _BEFORE.search(before.lower())
    if m:
        out += _cue_words(m.group(1))
    for age in _ASIDE_AGE.finditer(aside):  # "(70s)", "(8)", ", now 28,"
        years = int(age.group(1))
        out.append("old" if years >= 60 else "child" if years < 13 else "adult")
    if aside:
        text = aside.lower()
        # An aside's pronouns ("his former partner") are about someone else; its nouns are about the name.
        text = re.sub(r"\b(his|her|hers|their|he|she|him|them)\b", " ", text)
        out += _cue_words(text)
    return [w for w in out if w]


def _cue_words(text: str) -> list[str]:
    text = f" {text} "
    female, male = _FEMALE.search(text), _MALE.search(text)
    out: list[str] = []
    if female or male:
        out.append("woman" if female and (not male or female.start() < male.start()) else "man")
    ages = [int(g) for m in _AGE.finditer(text) for g in m.groups() if g and g.isdigit()]
    if (_CHILD.search(text) and not _TEEN.search(text)) or (ages and ages[0] < 13):
        out.append("child")
    elif _OLD.search(text) or (ages and ages[0] >= 62):
        out.append("old")
    return out


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
