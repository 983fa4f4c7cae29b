"""Steering faces by description: measure looks from pixel regions, match them to what a description says.

Every attribute is read from fixed regions of the 64x64 DCGAN faces (the face is centred and fills most of
the frame: eyes near row 29, nose 33-40, upper lip 41-45, mouth 45-52, chin 55-62), in CIE Lab. Each class
is a small rule (thresholds on raw measurements, tried in order); the same rule softened with sigmoids gives
a graded membership, so ranking prefers clear matches over borderline ones. No Django imports.

Eyeball validation (16 faces per predicted class, on seeds 1 and 2; thresholds were set on seed 0):
- skin: light ~13/16, medium ~9/16, dark ~11/16; "dark" also catches light skin in very dim scenes.
- hair: blond ~11/16, black ~10-12/16 (includes very dark brown), brown ~8-10/16, red ~5/8 (red hair is
  rare, ~1%; red/pink caps were the main confusion, now sent to "other" by hue and chroma), gray weakest
  ~4/16 (sky, white caps and bald heads look alike at the top of a 64px head); "other" (caps, dye) ~13/16.
- facial_hair: beard ~6/16 (open mouths and side shadows fool it; white moustaches are missed),
  none ~12/16; "unknown" when the face is too dark to judge.
- lighting: dim ~15/16, bright ~16/16. light_direction: side ~9/16, even ~12/16.
- background: dark ~12/16, light ~12/16, blue ~10/16, green ~9/16, warm ~8/16 (long hair at the frame edge).
Top-6 of 256 per test description, by eye: blond, dark skin, dim and background requests look right; red
and gray hair requests often return caps or light-brown hair; "clean-shaven" now and then a beard.
`agreement()` measures how often ranked candidates agree with this classifier, not with a person, so read
it together with these per-class figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np


def _lab(images: np.ndarray) -> np.ndarray:
    """sRGB uint8 (..., 3) -> CIE Lab (D65), float32."""
    c = images.astype(np.float32) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]], np.float32)
    xyz = c @ m.T / np.array([0.95047, 1.0, 1.08883], np.float32)
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def _med(region: np.ndarray) -> np.ndarray:
    """Per-image median over a (N, h, w[, c]) region."""
    n = region.shape[0]
    flat = region.reshape(n, -1, region.shape[-1]) if region.ndim == 4 else region.reshape(n, -1)
    return np.median(flat, axis=1)


def measure_values(images: np.ndarray) -> dict[str, np.ndarray]:
    """Raw per-face measurements (each an (N,) float array) from fixed regions of (N, 64, 64, 3) uint8 faces."""
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[1:] != (64, 64, 3):
        raise ValueError(f"measure expects (N, 64, 64, 3) images, got {images.shape}")
    lab = _lab(images)
    lum = lab[..., 0]
    n = len(images)
    # Skin: the brighter quartile of cheeks and nose below the eyes (the lit side under side light).
    face = lum[:, 31:43, 22:42].reshape(n, -1)
    skin_l = np.percentile(face, 75, axis=1)
    skin_lab = _med(lab[:, 31:43, 22:42])
    # Hair: the top-centre band above the forehead; "unknown" when it is skin-coloured (bald, high forehead).
    hair = _med(lab[:, 1:8, 22:42])
    hair_skin = np.sqrt(((hair - skin_lab) ** 2).sum(-1))
    # Background: of four edge patches, the one least like the hair (long hair often covers the edges).
    patches = np.stack(
        [
            _med(lab[:, 0:10, 0:7]),
            _med(lab[:, 0:10, 57:64]),
            _med(lab[:, 10:36, 0:4]),
            _med(lab[:, 10:36, 60:64]),
        ],
        axis=1,
    )
    apart = np.sqrt(((patches - hair[:, None, :]) ** 2).sum(-1))
    padding = patches[..., 0] < 10.0  # black bars the crops were padded with, not a dark room
    apart = np.where(padding & ~padding.all(1, keepdims=True), -1.0, apart)
    pick = apart.argmax(1)
    bg = patches[np.arange(n), pick]
    hair_bg = np.sqrt(((hair - bg) ** 2).sum(-1))
    # Facial hair: upper lip vs the nose above it, jaw vs the cheek above it, each side; the weaker side
    # counts, so a shadow falling on one side is not a beard.
    lip = np.minimum(
        _med(lum[:, 33:39, 22:31]) - _med(lum[:, 41:45, 22:31]), _med(lum[:, 33:39, 33:42]) - _med(lum[:, 41:45, 33:42])
    )
    jaw = np.minimum(
        _med(lum[:, 33:41, 16:23]) - _med(lum[:, 48:57, 16:23]), _med(lum[:, 33:41, 41:48]) - _med(lum[:, 48:57, 41:48])
    )
    left, right = _med(lum[:, 24:46, 10:26]), _med(lum[:, 24:46, 38:54])
    return {
        "skin_l": skin_l,
        "hair_l": hair[:, 0],
        "hair_a": hair[:, 1],
        "hair_b": hair[:, 2],
        "hair_chroma": np.hypot(hair[:, 1], hair[:, 2]),
        "hair_hue": np.degrees(np.arctan2(hair[:, 2], hair[:, 1])) % 360,
        "hair_vs_skin": hair_skin,
        "hair_vs_background": hair_bg,
        "hair_over_skin": hair[:, 0] - skin_lab[:, 0],
        "lip_dark": lip,
        "jaw_dark": jaw,
        "face_l": _med(lum[:, 32:40, 18:46]),
        "image_l": lum.reshape(n, -1).mean(1),
        "side_diff": np.abs(left - right),
        "side_ratio": np.abs(left - right) / np.maximum(np.maximum(left, right), 10.0),
        "bg_l": bg[:, 0],
        "bg_chroma": np.hypot(bg[:, 1], bg[:, 2]),
        "bg_hue": np.degrees(np.arctan2(bg[:, 2], bg[:, 1])) % 360,
    }


# How soft each measurement's thresholds are (Lab units, degrees or a ratio) when grading membership.
SOFTNESS: dict[str, float] = {
    "skin_l": 4.0, "hair_l": 3.0, "hair_a": 3.0, "hair_b": 3.0, "hair_chroma": 3.0, "hair_hue": 4.0,
    "hair_vs_skin": 2.0, "hair_vs_background": 3.0, "hair_over_skin": 3.0, "beard_dark": 3.0, "face_l": 3.0,
    "image_l": 3.0, "side_diff": 3.0, "side_ratio": 0.06, "bg_l": 3.0, "bg_chroma": 2.5, "bg_hue": 8.0,
}  # fmt: skip

# Per attribute, classes tried in order: the first whose conditions all hold wins; the last is the fallback.
# Thresholds were set by viewing seed-0 faces sorted by each measurement (see the module docstring).
RULES: dict[str, list[tuple[str, str]]] = {
    "skin": [("dark", "skin_l<31"), ("light", "skin_l>=52"), ("medium", "")],
    "hair": [
        ("unknown", "hair_vs_skin<7"),  # the top of the frame is skin: bald, or a high forehead
        ("black", "hair_l<22"),
        ("other", "hair_chroma>=14 hair_hue>=100 hair_hue<330"),  # dyed hair, caps, hats
        ("red", "hair_chroma>=24 hair_chroma<58 hair_hue>=40 hair_hue<62 hair_a>=19"),  # red hair is orange
        ("other", "hair_chroma>=28 hair_hue<40"),  # red and pink caps: more saturated and pinker than hair
        ("other", "hair_chroma>=28 hair_hue>=330"),
        ("blond", "hair_l>=52 hair_b>=14"),
        ("gray", "hair_chroma<8 hair_l>=58 hair_over_skin>=8 hair_vs_background>=15"),
        ("brown", ""),
    ],
    "facial_hair": [("unknown", "face_l<22"), ("beard", "beard_dark>=14"), ("none", "")],
    "lighting": [("dim", "image_l<22"), ("bright", "image_l>=50"), ("normal", "")],
    "light_direction": [("side", "side_diff>=16 side_ratio>=0.35"), ("even", "")],
    "background": [
        ("dark", "bg_l<22"),
        ("green", "bg_chroma>=10 bg_hue>=95 bg_hue<200"),
        ("blue", "bg_chroma>=7 bg_hue>=200 bg_hue<300"),
        ("warm", "bg_chroma>=14 bg_hue<95"),
        ("light", "bg_l>=72"),
        ("neutral", ""),
    ],
}


ATTRIBUTES: dict[str, tuple[str, ...]] = {a: tuple(dict.fromkeys(name for name, _ in r)) for a, r in RULES.items()}


def _conditions(rule: str) -> list[tuple[str, float, int]]:
    """'key>=t key<t' -> [(key, t, +1 for >= / -1 for <)]."""
    out = []
    for term in rule.split():
        key, op, threshold = re.fullmatch(r"(\w+)(>=|<)([-\d.]+)", term).groups()  # type: ignore[union-attr]
        out.append((key, float(threshold), 1 if op == ">=" else -1))
    return out


def _derived(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {**values, "beard_dark": np.maximum(values["lip_dark"], values["jaw_dark"])}


def _grade(values: dict[str, np.ndarray], rule: str, soft: bool) -> np.ndarray:
    """Per face, whether (or, soft, how clearly: a fuzzy AND of sigmoids) all of a rule's conditions hold."""
    n = len(next(iter(values.values())))
    grade = np.ones(n, dtype=np.float64)
    for key, threshold, direction in _conditions(rule):
        if soft:
            margin = np.clip(direction * (values[key] - threshold) / SOFTNESS[key], -30, 30)
            grade = np.minimum(grade, 1.0 / (1.0 + np.exp(-margin)))
        else:
            grade = grade * ((values[key] >= threshold) if direction > 0 else (values[key] < threshold))
    return grade


def memberships(values: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Graded membership in [0, 1] of every class, following the same rule order as the labels."""
    values = _derived(values)
    out: dict[str, dict[str, np.ndarray]] = {}
    for attribute, rules in RULES.items():
        remaining, out[attribute] = np.ones(len(values["skin_l"])), {}
        for name, rule in rules:
            grade = _grade(values, rule, soft=True)
            out[attribute][name] = out[attribute].get(name, 0.0) + remaining * grade  # a class may have 2 rules
            remaining = remaining * (1.0 - grade)
    return out


def labels(values: dict[str, np.ndarray]) -> list[dict[str, str]]:
    """Categorical attributes per face from raw measurements (the first rule that holds wins)."""
    values = _derived(values)
    n = len(next(iter(values.values())))
    columns: dict[str, np.ndarray] = {}
    for attribute, rules in RULES.items():
        col = np.full(n, "", dtype=object)
        for name, rule in rules:
            col[(col == "") & (_grade(values, rule, soft=False) > 0)] = name
        columns[attribute] = col
    return [{a: str(columns[a][i]) for a in RULES} for i in range(n)]


def measure(images: np.ndarray) -> list[dict[str, str]]:
    """Categorical attributes (skin, hair, facial_hair, lighting, light_direction, background) per face."""
    return labels(measure_values(images))


# --- descriptions -----------------------------------------------------------------------------

# (attribute, value, phrases), tried in order; each phrase is a regex matched on word boundaries, and a
# matched span is blanked so that later, shorter phrases ("shadow", "dark") can't reuse it.
_BACKDROP = r"(back(ground|drop)|wall|room)"
_SHADE = r"((plain|bright|pale|deep|dark|light|soft|dull|flat)[- ])?"  # "a bright white background"
PHRASES: list[tuple[str, str, str]] = [
    # A background named as such, before the words it contains ("bright", "dark") can mean the light.
    (
        "background",
        "dark",
        _SHADE + r"(dark|black|night|shadowy|dim)[- ]" + _BACKDROP + r"|against (the )?(dark|black)",
    ),
    ("background", "blue", _SHADE + r"blue[- ]" + _BACKDROP),
    ("background", "green", _SHADE + r"green[- ]" + _BACKDROP),
    ("background", "light", _SHADE + r"(white|light|pale|bright)[- ]" + _BACKDROP),
    ("background", "warm", _SHADE + r"(warm|orange|red|yellow|amber|golden)[- ]" + _BACKDROP),
    ("background", "neutral", _SHADE + r"(gr[ae]y|neutral|plain)[- ]" + _BACKDROP),
    (
        "facial_hair",
        "none",
        r"(no|without an?|without) (beard|moustache|mustache|facial hair)|clean[- ]shaven|beardless",
    ),
    ("facial_hair", "beard", r"beard(ed)?|mou?stache[sd]?|mustache[sd]?|stubbl[ey]|goatee|whiskers|unshaven"),
    ("hair", "red", r"(red|ginger|auburn|copper)[- ]?(hair(ed)?|head(ed)?)|redhead(ed)?|ginger"),
    ("hair", "gray", r"(gr[ae]y|silver|white|grizzled)[- ]?(hair(ed)?|head(ed)?)|gr[ae]ying"),
    ("hair", "blond", r"(blond|blonde|fair|golden|flaxen|platinum)[- ]?hair(ed)?|blonde?s?"),
    ("hair", "black", r"(black|jet[- ]black|dark|raven)[- ]?hair(ed)?"),
    ("hair", "brown", r"(brown|chestnut)[- ]?hair(ed)?|brunette"),
    ("skin", "light", r"(pale|fair|light|porcelain|white)[- ](skin(ned)?|complexion)|pale|pallid"),
    ("skin", "dark", r"(dark|black|brown|deep|ebony)[- ](skin(ned)?|complexion)"),
    ("skin", "dark", r"black (man|woman|boy|girl|guy|lady|teen(ager)?|person)"),
    ("skin", "medium", r"olive|tan(ned)?|bronzed?|sun[- ]?tanned|swarthy"),
    ("light_direction", "side", r"half in shadow|side[- ]?lit|lit from the side|harsh (lamp|light)|chiaroscuro"),
    ("light_direction", "even", r"evenly lit|soft (even )?light|flat light"),
    ("background", "green", r"forest|woods|woodland|jungle|garden|meadow|park"),
    ("background", "blue", r"beach|(at|by) the sea|seaside|shore|ocean|(blue )?sky"),
    ("background", "light", r"snowy?|overcast"),
    ("background", "warm", r"candle[- ]?lit|candlelight|firelight|lamplight|amber|warm light|tavern|sunset"),
    ("lighting", "dim", r"(at|by) night|night[- ]?time|shadowy|moody|dimly[- ]lit|in the dark|gloomy?|dim"),
    ("lighting", "bright", r"sun[- ]?lit|sunny|bright(ly lit)?|broad daylight|sunshine"),
]


@dataclass(frozen=True)
class LookReading:
    """What a look asks for that the steering measures, and the phrases it can't (shown as "not steered")."""

    wanted: dict[str, str]
    unsteered: list[str]


# A look is read phrase by phrase: split at punctuation and at "and", "with", "but".
_PHRASE_BREAK = re.compile(r"[.,;:!?()\n\u2014\u2013]+|\s+-\s+|\b(?:and|with|but|who|in|against|wearing|wears)\b")
_FILLER = re.compile(r"^(?:(?:an?|the|his|her|their|is|has|looks?|very|quite|some)\s+)+")


def read_look(text: str) -> LookReading:
    """The attribute values a look asks for (the first mention wins), and its phrases nothing here measures."""
    original = " " + text.lower().replace("\u2019", "'") + " "
    rest = original
    found: dict[str, tuple[int, str]] = {}
    spans: list[tuple[int, int, str, str]] = []
    for attribute, value, phrases in PHRASES:
        pattern = rf"\b(?:{phrases})\b"
        for match in re.finditer(pattern, rest):
            spans.append((match.start(), match.end(), attribute, value))
            if attribute not in found or match.start() < found[attribute][0]:
                found[attribute] = (match.start(), value)
        rest = re.sub(pattern, lambda m: " " * len(m.group(0)), rest)
    # Only mentions that steer count: a second, different value for the same attribute is not steered.
    steering = [(a, b) for a, b, attribute, value in spans if found[attribute][1] == value]
    unsteered = []
    start = 0
    for piece in [*_PHRASE_BREAK.finditer(original), None]:
        end = piece.start() if piece else len(original)
        phrase = original[start:end]
        steered = any(a < end and b > start for a, b in steering)
        start = piece.end() if piece else end
        words = _FILLER.sub("", phrase.strip())
        if words and not steered and re.search(r"[a-z]", words):
            unsteered.append(words)
    return LookReading(wanted={a: found[a][1] for a in ATTRIBUTES if a in found}, unsteered=unsteered)


def parse_description(text: str) -> dict[str, str]:
    """The attribute values a description asks for (only ones we can measure); the first mention wins."""
    return read_look(text).wanted


# --- scoring and ranking ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """One candidate in a ranking: its index in the pool, score, and which wanted attributes it met."""

    index: int
    score: float
    matched: list[str]
    missed: list[str]


def score(values_or_attrs: dict[str, Any], wanted: dict[str, str]) -> tuple[float, list[str], list[str]]:
    """One face's score in [0, 1] (half hard matches, half soft membership) and matched/missed names."""
    if all(isinstance(v, str) for v in values_or_attrs.values()):
        attrs, grades = values_or_attrs, None
    else:
        one = {k: np.atleast_1d(np.asarray(v, dtype=np.float64)) for k, v in values_or_attrs.items()}
        attrs, grades = labels(one)[0], memberships(one)
    matched: list[str] = []
    missed: list[str] = []
    total = 0.0
    for attribute, value in wanted.items():
        hit = attrs.get(attribute) == value
        (matched if hit else missed).append(f"{attribute}: {value}")
        soft = float(grades[attribute][value][0]) if grades is not None else float(hit)
        total += 0.5 * float(hit) + 0.5 * soft
    return (total / len(wanted) if wanted else 0.0), matched, missed


def rank_values(values: dict[str, np.ndarray], wanted: dict[str, str], top: int) -> list[Ranked]:
    """Rank faces by their measurements against wanted attributes: best first, ties by index."""
    attrs, grades = labels(values), memberships(values)
    n = len(attrs)
    total = np.zeros(n)
    for attribute, value in wanted.items():
        hits = np.array([a[attribute] == value for a in attrs], dtype=np.float64)
        total += 0.5 * hits + 0.5 * grades[attribute][value]
    if wanted:
        total /= len(wanted)
    order = sorted(range(n), key=lambda i: (-round(float(total[i]), 12), i))[: max(0, top)]
    out = []
    for i in order:
        matched = [f"{a}: {v}" for a, v in wanted.items() if attrs[i][a] == v]
        missed = [f"{a}: {v}" for a, v in wanted.items() if attrs[i][a] != v]
        out.append(Ranked(index=i, score=float(total[i]), matched=matched, missed=missed))
    return out


def rank(images: np.ndarray, description: str, top: int) -> list[Ranked]:
    """The `top` faces that best match a description, best first (deterministic; ties by index)."""
    return rank_values(measure_values(images), parse_description(description), top)


# --- agreement --------------------------------------------------------------------------------

TEST_DESCRIPTIONS: list[str] = [
    "A pale young woman with red hair.",
    "A bearded man with dark skin and black hair, lit by a harsh lamp.",
    "An old man with grey hair and a moustache, sitting in the garden.",
    "A blonde teenager at the beach, squinting in the sunlit afternoon.",
    "A clean-shaven detective with dark hair, half in shadow, at night.",
    "A redhead with fair skin walking through the forest.",
    "A tanned fisherman with a beard under the blue sky.",
    "A black woman with short black hair in a dimly lit bar.",
    "A fair-haired boy with pale skin in a snowy village.",
    "A brunette nurse with olive skin, evenly lit.",
    "A dark-skinned soldier with stubble, moody and shadowy.",
    "A silver-haired grandmother with pale skin by candlelight in a warm light.",
    "A ginger man with a goatee in the woods.",
    "A young man with brown hair and a tanned face, bright and sunny.",
    "A gaunt woman with black hair and pale skin, shadowy.",
    "An elderly white-haired man, clean-shaven, in a white room.",
]


def agreement(generator: Any, descriptions: list[str], *, pool: int = 256, top: int = 4, seed: int = 0) -> dict:
    """Per description, the share of stated attributes the top-`top` of `pool` candidates match, vs the pool."""
    from generation.engines.gan import latents_for

    rows: list[dict[str, Any]] = []
    sums: dict[str, list[float]] = {}  # attribute -> [top share, pool share, descriptions]
    for d, text in enumerate(descriptions):
        wanted = parse_description(text)
        if not wanted:
            continue
        values = measure_values(generator.faces(latents_for(seed * 1000 + d, pool)))
        hits = np.array([[a[k] == v for k, v in wanted.items()] for a in labels(values)], dtype=np.float64)
        best = [r.index for r in rank_values(values, wanted, top)]
        rows.append({"description": text, "wanted": wanted, "top": hits[best].mean(), "pool": hits.mean()})
        for j, attribute in enumerate(wanted):
            acc = sums.setdefault(attribute, [0.0, 0.0, 0.0])
            acc[0], acc[1], acc[2] = acc[0] + hits[best, j].mean(), acc[1] + hits[:, j].mean(), acc[2] + 1
    return {
        "pool": pool,
        "top": top,
        "overall_top": float(np.mean([r["top"] for r in rows])) if rows else 0.0,
        "overall_pool": float(np.mean([r["pool"] for r in rows])) if rows else 0.0,
        "per_attribute": {a: {"top": t / k, "pool": p / k, "n": int(k)} for a, (t, p, k) in sums.items()},
        "per_description": rows,
    }
