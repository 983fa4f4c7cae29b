"""What a shop sells, read from its heading (a BAKERY, a BOOKSHOP, a PHARMACY), and the shop dressed for it.

`shop_kind_for` names the kind; `SHOP_LAYOUTS` holds a layout per kind (the shell, door, window, counter and
till of every shop, then the kind's own fixtures against the back and side walls, the stage kept clear);
`SHOP_COLOURS` the walls and floor that go with it. A shop whose words name no kind keeps the general store.
"""

from __future__ import annotations

import random
import re

from generation.engines.setlibrary.places import COOL, WARM, Layout, window
from generation.engines.setlibrary.props import Vec, light, prop

# Heading (then action) words naming what a shop sells; the first kind a word matches wins.
SHOP_KINDS: dict[str, tuple[str, ...]] = {
    "bakery": ("bakery", "bakeries", "bakehouse", "bakeshop", "boulangerie", "patisserie", "pastry shop",
               "bread shop", "baker's", "bakers", "baker"),
    "bookshop": ("bookshop", "bookstore", "book shop", "book store", "bookseller", "booksellers", "library",
                 "books"),
    "pharmacy": ("pharmacy", "drugstore", "drug store", "chemist", "chemist's", "apothecary", "dispensary"),
    "grocery": ("grocery", "grocer", "grocer's", "greengrocer", "groceries", "supermarket", "market", "deli",
                "convenience store", "bodega", "minimart", "mini mart", "corner store", "produce"),
    "florist": ("florist", "florist's", "flower shop", "flower stall", "flowers"),
    "butcher": ("butcher", "butcher's", "butchers", "butcher shop", "meat market", "charcuterie"),
    "liquor": ("liquor store", "liquor", "off licence", "off-licence", "wine shop", "wine store", "bottle shop"),
    "clothes": ("boutique", "clothes", "clothing", "dress shop", "tailor", "tailor's", "fashion", "department store",
                "thrift store", "thrift shop"),
    "hardware": ("hardware", "hardware store", "ironmonger", "tool shop", "lumber yard", "diy"),
    "record": ("record store", "record shop", "records", "vinyl", "music store"),
}  # fmt: skip


def shop_kind_for(heading: str, action: str = "") -> str:
    """The kind of shop a heading (else its action) names, or "" when neither says what it sells."""
    for text in (heading, action):
        t = text.lower().replace("’", "'")
        for kind, words in SHOP_KINDS.items():
            if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", t) for w in words):
                return kind
    return ""


# Walls, floor (a shop's look from across the street): warm cream for bread, deep green for books, ...
SHOP_COLOURS: dict[str, tuple[Vec, Vec]] = {
    "bakery": ((0.93, 0.8, 0.55), (0.55, 0.3, 0.16)),
    "bookshop": ((0.16, 0.3, 0.22), (0.36, 0.22, 0.12)),
    "grocery": ((0.92, 0.92, 0.88), (0.7, 0.72, 0.7)),
    "pharmacy": ((0.86, 0.95, 0.92), (0.85, 0.85, 0.86)),
    "florist": ((0.72, 0.84, 0.66), (0.5, 0.45, 0.4)),
    "butcher": ((0.9, 0.92, 0.92), (0.62, 0.62, 0.6)),
    "liquor": ((0.4, 0.2, 0.14), (0.3, 0.22, 0.16)),
    "clothes": ((0.95, 0.88, 0.88), (0.75, 0.7, 0.65)),
    "hardware": ((0.62, 0.66, 0.7), (0.45, 0.45, 0.43)),
    "record": ((0.2, 0.18, 0.3), (0.25, 0.2, 0.18)),
}
# The sign over the back wall, in the kind's colour.
SIGN: dict[str, str] = {
    "bakery": "crust", "bookshop": "gold", "grocery": "leaves", "pharmacy": "pharmacy_green", "florist": "pink",
    "butcher": "vinyl_red", "liquor": "gold", "clothes": "dark", "hardware": "yellow", "record": "neon",
}  # fmt: skip


def _shell(kind: str, dims: Vec, lit: float, *, till: bool = True) -> Layout:
    """What every shop has: the door and window on the left wall, the counter and till front right, a sign
    over the back wall, ceiling lights (warm for bread, books and flowers; cool white for the rest)."""
    w, d, h = dims
    props = [prop("door", -w / 2 + 0.03, -2.6, yaw=-90, mat="glass"), prop("sign", 0.0, d / 2 - 0.05, h - 0.45,
                                                                            mat=SIGN[kind])]  # fmt: skip
    if till:
        props += [
            prop("counter", w / 2 - 1.3, -1.6, yaw=90, scale=(0.8, 1.0, 1.0)),
            prop("cash_register", w / 2 - 1.3, -1.2, 1.05, yaw=-90),
        ]
    colour = WARM if kind in ("bakery", "bookshop", "florist", "liquor", "record", "clothes") else COOL
    lights = [light(f"ceiling light {i + 1}", "area", (x, 1.0, h - 0.05), colour, 90 + 60 * lit, 1.2, (x, 1.0, 0.0))
              for i, x in enumerate((-2.0, 2.0))]  # fmt: skip
    return props, lights, [window("left", -1.5, 3.5, 1.8, 0.6)]


def _along_back(kind: str, dims: Vec, xs: tuple[float, ...], depth: float = 0.3) -> list[dict]:
    return [prop(kind, x, dims[1] / 2 - depth) for x in xs]


def _along_right(kind: str, dims: Vec, ys: tuple[float, ...], depth: float = 0.3) -> list[dict]:
    return [prop(kind, dims[0] / 2 - depth, y, yaw=90) for y in ys]


def bakery(dims: Vec, rng: random.Random, lit: float) -> Layout:
    _w, d, _ = dims
    props, lights, windows = _shell("bakery", dims, lit, till=False)
    props += _along_back("bread_rack", dims, (-2.8, -1.0, 1.0, 2.8))
    props += [prop("display_case", x, d / 2 - 2.0) for x in (-1.05, 1.05)]
    props += [prop("cash_register", 2.0, d / 2 - 2.0, 0.94, yaw=180)]
    props += _along_right("bread_rack", dims, (-1.4, 0.4))
    lights.append(light("counter lamp", "point", (0.0, d / 2 - 2.0, 2.4), WARM, 40 + 40 * lit, 0.2))
    return props, lights, windows


def bookshop(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, _d, _ = dims
    props, lights, windows = _shell("bookshop", dims, lit)
    props += _along_back("bookcase", dims, (-3.6, -2.4, -1.2, 0.0, 1.2, 2.4, 3.6), 0.22)
    props += _along_right("bookcase", dims, (0.0, 1.2, 2.4), 0.22)
    props += [prop("book_table", -2.2, 1.0), prop("bookcase", -1.2, 1.9, yaw=180)]
    props += [prop("lamp", w / 2 - 1.3, -1.9, 1.05, scale=(0.5, 0.5, 0.35))]
    lights.append(light("reading lamp", "point", (w / 2 - 1.3, -1.9, 1.5), WARM, 40 * lit + 10, 0.1))
    return props, lights, windows


def grocery(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, _ = dims
    props, lights, windows = _shell("grocery", dims, lit)
    props += [prop("grocery_shelf", x, 2.0, yaw=90) for x in (-1.2, 1.4)]
    props += [prop("produce_stand", x, d / 2 - 0.7) for x in (-2.7, -0.6)]
    props += [prop("fridge", x, d / 2 - 0.4, mat="glass") for x in (1.4, 2.3, 3.2)]
    props += [prop("produce_stand", -w / 2 + 0.8, 0.3, yaw=-90, scale=(0.8, 1.0, 1.0))]
    return props, lights, windows


def pharmacy(dims: Vec, rng: random.Random, lit: float) -> Layout:
    _w, d, _h = dims
    props, lights, windows = _shell("pharmacy", dims, lit, till=False)
    props += _along_back("pharmacy_shelf", dims, (-3.2, -1.6, 1.6, 3.2), 0.22)
    props += [prop("counter", 0.0, d / 2 - 1.5, scale=(0.9, 1.0, 1.0), mat="porcelain")]
    props += [prop("cash_register", 0.8, d / 2 - 1.5, 1.05, yaw=180), prop("cross_sign", 0.0, d / 2 - 0.12, 2.2)]
    props += _along_right("pharmacy_shelf", dims, (-1.4, 0.2, 1.8), 0.22)
    props += [prop("grocery_shelf", -2.0, 0.6, yaw=90, scale=(0.8, 0.8, 0.8), mat="porcelain")]
    lights.append(light("cross glow", "point", (0.0, d / 2 - 0.4, 2.2), (0.3, 1.0, 0.5), 15 + 15 * lit, 0.2))
    return props, lights, windows


def florist(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, d, _ = dims
    props, lights, windows = _shell("florist", dims, lit)
    colours = ("vinyl_red", "pink", "yellow", "paper", "orange", "goods_blue", "pink", "vinyl_red")
    # Buckets of flowers along the back: a row on low tables, a row on the floor in front of them.
    props += [prop("table", x, d / 2 - 0.45, scale=(1.6, 0.7, 1.0)) for x in (-2.4, 0.0, 2.4)]
    props += [prop("flower_bucket", -3.2 + 0.4 * i, d / 2 - 0.45, 0.75, mat=colours[i % len(colours)])
              for i in range(17)]  # fmt: skip
    props += [prop("flower_bucket", -3.0 + 0.5 * i, d / 2 - 1.2, mat=colours[(i + 3) % len(colours)])
              for i in range(13)]  # fmt: skip
    props += [prop("plant", -w / 2 + 0.6, 1.2), prop("plant", -w / 2 + 0.6, 2.2, scale=(1.3, 1.3, 1.5))]
    props += [prop("flower_bucket", w / 2 - 0.5, y, mat=colours[i]) for i, y in enumerate((0.2, 0.7, 1.2, 1.7))]
    return props, lights, windows


def butcher(dims: Vec, rng: random.Random, lit: float) -> Layout:
    _w, d, _ = dims
    props, lights, windows = _shell("butcher", dims, lit, till=False)
    props += [prop("meat_case", x, d / 2 - 1.8) for x in (-1.2, 1.2)]
    props += [prop("meat_rail", x, d / 2 - 0.2) for x in (-2.2, 0.0, 2.2)]
    props += [prop("cash_register", 2.5, d / 2 - 1.8, 0.94, yaw=180)]
    props += [prop("counter", x, d / 2 - 0.4, scale=(0.6, 1.0, 1.0), mat="steel") for x in (-2.5, 2.5)]
    return props, lights, windows


def liquor(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props, lights, windows = _shell("liquor", dims, lit)
    props += _along_back("bottle_wall", dims, (-3.0, -1.1, 0.8, 2.7), 0.22)
    props += [prop("bottle_wall", x, 1.5, yaw=90) for x in (-1.5,)] + [prop("crate", 0.5, 1.2), prop("crate", 1.3, 1.2)]
    return props, lights, windows


def clothes(dims: Vec, rng: random.Random, lit: float) -> Layout:
    w, _d, _ = dims
    props, lights, windows = _shell("clothes", dims, lit)
    props += _along_back("clothes_rack", dims, (-2.8, -1.0, 0.8, 2.6), 0.4)
    props += [prop("clothes_rack", x, 1.2, yaw=rng.uniform(-10, 10)) for x in (-2.0, 1.8)]
    props += [prop("mirror", -w / 2 + 0.05, 1.0, yaw=-90), prop("rug", 0.0, 0.0, scale=(1.2, 1.2, 1.0), mat="pink")]
    return props, lights, windows


def hardware(dims: Vec, rng: random.Random, lit: float) -> Layout:
    props, lights, windows = _shell("hardware", dims, lit)
    props += _along_back("tool_wall", dims, (-3.0, -1.1, 0.8, 2.7), 0.25)
    props += [prop("shelf", x, 1.6, yaw=90) for x in (-1.8, 0.6)]
    props += [prop("barrel", 2.6, 1.0), prop("barrel", 3.2, 1.3), prop("crate", -3.2, 0.4)]
    return props, lights, windows


def record(dims: Vec, rng: random.Random, lit: float) -> Layout:
    _w, d, _ = dims
    props, lights, windows = _shell("record", dims, lit)
    props += [prop("record_bin", x, y) for x in (-2.4, -0.6) for y in (0.9, 2.3)]
    props += _along_back("bookcase", dims, (-3.0, -1.8, 1.8, 3.0), 0.22)
    props += [prop("neon", 0.0, d / 2 - 0.04, 2.4, mat="neon")]
    lights.append(light("neon", "point", (0.0, d / 2 - 0.4, 2.4), (1.0, 0.2, 0.65), 20 + 20 * lit, 0.3))
    return props, lights, windows


SHOP_LAYOUTS = {
    "bakery": bakery, "bookshop": bookshop, "grocery": grocery, "pharmacy": pharmacy, "florist": florist,
    "butcher": butcher, "liquor": liquor, "clothes": clothes, "hardware": hardware, "record": record,
}  # fmt: skip
