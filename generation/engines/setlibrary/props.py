"""The prop library: what each prop is made of (`shapes.SHAPES`), painted with, and called in an action.

Each prop is one mesh of primitive parts, so the renderer needs no per-prop code. `PROP_KEYWORDS` are the
words of an action that name a prop; `SURFACES` the props small ones stand on.
"""

from __future__ import annotations

from typing import Any

from generation.engines.setlibrary import shapes
from generation.engines.setlibrary.shapes import Part, Vec
from generation.engines.setlibrary.shopshapes import SHOP_PROP_MATERIAL, SHOP_SHAPES

SHAPES: dict[str, list[Part]] = {**shapes.SHAPES, **SHOP_SHAPES}

SMALL_PROPS = ("cup", "bottle", "phone", "paper", "book", "gun", "key", "box", "briefcase", "candle", "laptop",
               "glass", "sunglasses", "rifle", "knife", "money", "radio", "bag")  # fmt: skip
VEHICLES = ("car", "truck", "bus", "boat", "bicycle", "motorcycle")
# Action words naming a prop; the first matching kind wins for a word, so longer and rarer words come first.
PROP_KEYWORDS: dict[str, tuple[str, ...]] = {
    "table": ("table",),
    "chair": ("chair", "armchair", "chairs"),
    "desk": ("desk",),
    "lamp": ("lamp", "lamps"),
    "bench": ("bench",),
    "truck": ("truck", "pickup", "lorry", "semi", "van", "trucks"),
    "bus": ("bus", "coach", "buses"),
    "bicycle": ("bicycle", "bike", "bikes", "bicycles", "cycle"),
    "motorcycle": ("motorcycle", "motorbike", "scooter", "harley"),
    "boat": ("boat", "boats", "rowboat", "yacht", "sailboat", "dinghy", "canoe", "kayak", "speedboat", "ferry"),
    "car": (
        "car",
        "cars",
        "taxi",
        "cab",
        "sedan",
        "porsche",
        "chevy",
        "chevrolet",
        "cadillac",
        "mazda",
        "lexus",
        "jeep",
        "limo",
        "limousine",
        "convertible",
        "mustang",
        "ferrari",
        "volkswagen",
        "vw",
        "buick",
        "ford",
        "toyota",
        "honda",
        "bmw",
        "mercedes",
        "corvette",
        "suv",
        "landcruiser",
        "gti",
    ),
    "tree": ("tree", "trees", "oak", "pine"),
    "rock": ("rock", "rocks", "boulder", "stone"),
    "counter": ("counter", "bar top"),
    "stool": ("stool", "stools"),
    "sofa": ("sofa", "couch"),
    "bed": ("bed",),
    "bookshelf": ("bookshelf", "bookcase", "shelves"),
    "cup": ("cup", "mug", "coffee", "tea"),
    "bottle": ("bottle", "bottles", "whiskey", "beer", "beers", "wine", "bourbon", "booze"),
    "glass": ("glass", "glasses", "tumbler", "martini", "cocktail", "shot glass"),
    "sunglasses": ("sunglasses", "shades"),
    "phone": ("phone", "cellphone", "smartphone", "telephone", "receiver"),
    "paper": ("letter", "note", "envelope", "paper", "papers", "document", "photo", "photograph", "map", "card"),
    "book": ("book", "notebook", "diary", "journal"),
    "rifle": ("rifle", "shotgun", "sniper", "scope"),
    "gun": ("gun", "guns", "pistol", "revolver", "handgun", "firearm"),
    "knife": ("knife", "dagger", "blade"),
    "money": ("money", "cash", "bills", "wad"),
    "key": ("key", "keys"),
    "box": ("box", "package", "parcel"),
    "crate": ("crate", "crates"),
    "briefcase": ("briefcase", "suitcase"),
    "bag": ("bag", "backpack", "duffel", "purse"),
    "candle": ("candle", "candles"),
    "laptop": ("laptop", "computer"),
    "radio": ("radio", "walkie"),
    "tv": ("tv", "television", "tube"),
    "fridge": ("fridge", "refrigerator", "cooler"),
    "stove": ("stove", "oven"),
    "sink": ("sink",),
    "toilet": ("toilet",),
    "bathtub": ("bathtub", "tub", "bath"),
    "mirror": ("mirror",),
    "door": ("door", "doors", "doorway", "screen door"),
    "window": ("window", "windows"),
    "pool": ("pool", "swimming pool"),
    "fence": ("fence",),
    "barrel": ("barrel", "barrels", "drum"),
    "tent": ("tent",),
    "gravestone": ("grave", "gravestone", "headstone", "tombstone"),
    "campfire": ("campfire", "bonfire", "fire"),
    "umbrella": ("umbrella", "parasol"),
    "tire": ("tire", "tyre", "tires"),
    "lighthouse": ("lighthouse",),
    "haybale": ("hay", "haybale"),
    "cactus": ("cactus", "cacti"),
    "plant": ("plant", "plants", "houseplant"),
    "clock": ("clock",),
}
PROP_MATERIAL: dict[str, str] = {
    "table": "wood", "chair": "wood", "desk": "dark_wood", "lamp": "lamp_shade", "bench": "wood",
    "car": "car_paint", "tree": "leaves", "rock": "rock", "counter": "counter", "stool": "vinyl_red",
    "sofa": "fabric", "bed": "fabric", "bookshelf": "dark_wood", "cup": "plastic", "bottle": "bottle_glass",
    "phone": "dark", "paper": "paper", "book": "leather", "gun": "dark", "key": "metal", "box": "wood",
    "briefcase": "leather", "candle": "paper", "laptop": "metal", "building": "brick", "streetlamp": "dark",
    "neon": "neon", "booth": "vinyl_red", "monitor": "screen", "cabinet": "metal", "rug": "fabric",
    "door": "dark_wood", "car_seat": "leather", "dashboard": "dark", "steering_wheel": "dark",
    "pendant": "lamp_shade", "campfire": "fire", "driftwood": "bark", "umbrella": "vinyl_red",
    "glass": "glass", "sunglasses": "dark", "rifle": "dark", "knife": "chrome", "money": "paper", "bag": "leather",
    "radio": "dark", "tv": "dark", "fridge": "porcelain", "stove": "porcelain", "sink": "wood", "toilet": "porcelain",
    "bathtub": "porcelain", "mirror": "glass", "wardrobe": "wood", "nightstand": "wood", "coffee_table": "wood",
    "hospital_bed": "chrome", "iv_stand": "chrome", "curtain": "hospital", "shelf": "steel", "cash_register": "dark",
    "pew": "dark_wood", "altar": "stone", "lectern": "dark_wood", "blackboard": "chalkboard",
    "school_desk": "wood", "clock": "dark", "pallet": "wood", "crate": "wood", "barrel": "rust", "forklift": "yellow",
    "workbench": "wood", "tire": "rubber", "garage_door": "siding", "house": "siding", "fence": "paper",
    "hedge": "leaves", "mailbox": "dark", "lounge_chair": "plastic", "diving_board": "canvas", "pool": "tile",
    "lifeguard_tower": "wood", "towel": "vinyl_red", "pier": "wood", "bollard": "dark", "boat": "hull",
    "lighthouse": "paper", "buoy": "vinyl_red", "rope_coil": "rope", "reeds": "grass", "log": "bark",
    "bush": "leaves", "stump": "bark", "haybale": "yellow", "barn": "vinyl_red", "scarecrow": "canvas",
    "cactus": "cactus", "dune": "sand", "mesa": "rust", "mountain": "rock", "parapet": "concrete",
    "water_tank": "wood", "ac_unit": "steel", "antenna": "metal", "stair_hut": "brick", "mast": "wood",
    "railing": "chrome", "helm": "wood", "gravestone": "stone", "tent": "canvas", "bridge": "concrete",
    "traffic_light": "dark", "hydrant": "vinyl_red", "window": "dark_wood", "truck": "truck_paint",
    "bus": "bus_paint", "bicycle": "vinyl_red", "motorcycle": "dark", "plant": "leaves", "stairs": "wood",
    "gear_stick": "dark", **SHOP_PROP_MATERIAL,
}  # fmt: skip
# Height of the surface small props stand on.
SURFACES: dict[str, float] = {
    "table": 0.75, "desk": 0.75, "counter": 1.05, "dashboard": 0.75, "bench": 0.45, "coffee_table": 0.445,
    "nightstand": 0.54, "workbench": 0.94, "school_desk": 0.74, "altar": 1.04, "crate": 0.7,
}  # fmt: skip

PROP_KINDS: tuple[str, ...] = tuple(sorted({*PROP_MATERIAL, *SMALL_PROPS}))


def prop_parts(kind: str, scale: Vec) -> list[Part]:
    """The primitive parts of a prop at this scale (scale is baked in, so windows keep their size)."""
    sx, sy, sz = scale
    if kind == "building":
        parts: list[Part] = [("box", (0, 0, sz / 2), (sx, sy, sz), "main", (0, 0, 0))]
        cols, rows = max(1, int(sx / 2.5)), max(1, int((sz - 1.0) / 3.0))
        for c in range(cols):
            for r in range(rows):
                x = -sx / 2 + (c + 0.5) * sx / cols
                parts.append(("box", (x, -sy / 2 - 0.02, 2.0 + r * 3.0), (1.2, 0.06, 1.5), "window", (0, 0, 0)))
        return parts
    if kind not in SHAPES:
        raise KeyError(kind)
    out: list[Part] = []
    for shape, (cx, cy, cz), dims, role, rot in SHAPES[kind]:
        if shape == "box":
            dims = (dims[0] * sx, dims[1] * sy, dims[2] * sz)
        elif shape in ("cyl", "cone"):
            dims = (dims[0] * sx, dims[1] * sx, dims[2] * sz)
        elif shape == "sphere" and len(dims) == 3:
            dims = (dims[0] * sx, dims[1] * sy, dims[2] * sz)
        else:
            dims = (dims[0] * max(sx, sy, sz),)
        out.append((shape, (cx * sx, cy * sy, cz * sz), dims, role, rot))
    return out


def prop_roles(kind: str) -> set[str]:
    """The material roles a prop's parts use besides its own ("main")."""
    if kind == "building":
        return {"window"}
    return {part[3] for part in SHAPES[kind] if part[3] != "main"}


def prop(
    kind: str, x: float, y: float, z: float = 0.0, yaw: float = 0.0, scale: Vec = (1, 1, 1), mat: str = ""
) -> dict[str, Any]:
    """One prop entry of a set spec."""
    return {
        "kind": kind,
        "position": [round(x, 3), round(y, 3), round(z, 3)],
        "rotation": [0.0, 0.0, round(yaw, 1)],
        "scale": [round(s, 3) for s in scale],
        "material": mat or PROP_MATERIAL.get(kind, "wood"),
    }


def light(name: str, kind: str, pos: Vec, color: Vec, power: float, size: float = 0.1, aim: Vec | None = None) -> dict:
    """One practical light entry (point/spot/area); `aim` is the point a spot or area light faces."""
    return {
        "name": name,
        "kind": kind,
        "position": [round(v, 3) for v in pos],
        "color": list(color),
        "power": round(power, 1),
        "size": size,
        "aim": [round(v, 3) for v in (aim or (pos[0], pos[1], 0.0))],
    }
