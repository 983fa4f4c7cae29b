"""The shapes a shop is dressed with for what it sells: loaves, book spines, fruit, pill boxes, flowers, meat.

Each is one mesh of primitive parts (see `shapes`); fronts face -Y (the camera's side), backs at +Y.
"""

from __future__ import annotations

from generation.engines.setlibrary.shapes import ZERO, Part, Vec, box, cyl

FRUIT = ("vinyl_red", "orange", "yellow", "leaves", "vinyl_red", "leaves")
SPINES = ("vinyl_red", "goods_blue", "leaves", "yellow", "paper", "leather", "orange", "goods")
PETALS = ("vinyl_red", "pink", "yellow", "paper", "orange", "pink")


def egg(centre: Vec, radii: Vec, role: str) -> Part:
    return ("sphere", centre, radii, role, ZERO)


def _loaves(y: float, z: float, width: float, n: int, role: str = "bread") -> list[Part]:
    step = width / n
    return [egg((-width / 2 + (i + 0.5) * step, y, z + 0.06), (step * 0.42, 0.13, 0.07), role) for i in range(n)]


def _display_case() -> list[Part]:
    """A bakery's counter: a front of wood, loaves and rolls on its top under a glass pane on posts."""
    return [
        box((0, 0, 0.45), (2.0, 0.7, 0.9)),
        box((0, -0.36, 0.55), (1.9, 0.02, 0.5), "paper"),
        box((0, 0, 0.92), (2.0, 0.72, 0.04), "counter"),
        *_loaves(-0.12, 0.94, 1.9, 7),
        *_loaves(0.15, 0.94, 1.9, 9, "crust"),
        box((0, 0, 1.3), (2.0, 0.7, 0.015), "glass"),
        *(box((x, 0, 1.11), (0.03, 0.6, 0.38), "chrome") for x in (-0.98, 0.98)),
    ]


def _bread_rack() -> list[Part]:
    """A wall rack of bread: four shelves of loaves, baguettes standing in a basket at its foot."""
    parts = [box((0, 0.2, 1.1), (1.6, 0.04, 2.2)), *(box((x, 0, 1.1), (0.05, 0.45, 2.2)) for x in (-0.78, 0.78))]
    for i in range(4):
        z = 0.45 + 0.45 * i
        parts += [box((0, 0, z), (1.55, 0.42, 0.03)), *_loaves(0.0, z + 0.015, 1.5, 5, "bread" if i % 2 else "crust")]
    parts.append(box((0, -0.02, 0.15), (1.2, 0.35, 0.3), "rope"))
    parts += [cyl((-0.45 + 0.15 * i, -0.02, 0.5), 0.035, 0.7, "bread") for i in range(7)]
    return parts


def _bookcase() -> list[Part]:
    """A tall bookcase full of coloured spines, six shelves of them, in uneven heights."""
    parts = [box((0, 0.17, 1.2), (1.2, 0.02, 2.4)), *(box((x, 0, 1.2), (0.04, 0.36, 2.4)) for x in (-0.6, 0.6))]
    for i in range(6):
        z = 0.05 + 0.39 * i
        parts.append(box((0, 0, z), (1.2, 0.36, 0.03)))
        x = -0.56
        for j in range(14):
            width, height = 0.055 + 0.025 * ((i * 7 + j * 3) % 3), 0.22 + 0.03 * ((i + j * 5) % 4)
            if x + width > 0.56:
                break
            tilt = (0, -12, 0) if (i + j) % 9 == 4 else ZERO
            parts.append(box((x + width / 2, -0.01, z + 0.015 + height / 2), (width * 0.92, 0.26, height),
                             SPINES[(i * 3 + j * 5) % len(SPINES)], tilt))  # fmt: skip
            x += width
    return parts


def _book_table() -> list[Part]:
    """A low table of books laid flat in stacks, their covers up."""
    parts = [box((0, 0, 0.7), (1.4, 0.8, 0.05)), *(box((x, y, 0.35), (0.05, 0.05, 0.7)) for x in (-0.65, 0.65)
                                                   for y in (-0.35, 0.35))]  # fmt: skip
    for i in range(6):
        x, y = -0.45 + 0.45 * (i % 3), -0.18 + 0.36 * (i // 3)
        for k in range(1 + (i * 2) % 3):
            parts.append(box((x, y, 0.745 + 0.045 * k), (0.3, 0.22, 0.04), SPINES[(i + k * 3) % len(SPINES)]))
    return parts


def _produce_stand() -> list[Part]:
    """A greengrocer's tiers: three steps of crates tipped towards the aisle, each heaped with one fruit."""
    parts = []
    for row in range(3):
        y, z = -0.35 + 0.4 * row, 0.35 + 0.3 * row
        parts.append(box((0, y, z / 2), (1.9, 0.42, z), "wood"))
        for c in range(3):
            x, role = -0.62 + 0.62 * c, FRUIT[(row * 3 + c) % len(FRUIT)]
            parts.append(box((x, y, z + 0.06), (0.58, 0.38, 0.12), "main"))
            parts += [egg((x - 0.2 + 0.1 * k, y - 0.1 + 0.1 * (k % 3), z + 0.14 + 0.02 * (k % 2)), (0.055, 0.055, 0.05),
                          role) for k in range(5)]  # fmt: skip
    return parts


def _grocery_shelf() -> list[Part]:
    """A supermarket gondola: four shelves of cans and packets in bright colours, a price strip on each."""
    parts = [box((0, 0.0, 0.9), (1.8, 0.06, 1.8), "main"), box((0, 0, 0.05), (1.8, 0.8, 0.1), "main")]
    for i in range(4):
        z = 0.15 + 0.42 * i
        for side in (-1, 1):
            parts.append(box((0, side * 0.22, z), (1.8, 0.38, 0.025), "main"))
            parts.append(box((0, side * 0.41, z - 0.02), (1.8, 0.01, 0.04), "paper"))
            for j in range(9):
                role = SPINES[(i * 2 + j + (side > 0)) % len(SPINES)]
                if j % 3 == 1:
                    parts.append(cyl((-0.8 + 0.2 * j, side * 0.22, z + 0.1), 0.05, 0.18, role))
                else:
                    parts.append(box((-0.8 + 0.2 * j, side * 0.22, z + 0.13), (0.16, 0.12, 0.24), role))
    return parts


def _pharmacy_shelf() -> list[Part]:
    """A white wall unit of small boxes and bottles: medicines, in white, blue and green packets."""
    parts = [box((0, 0.18, 1.05), (1.6, 0.03, 2.1)), *(box((x, 0, 1.05), (0.04, 0.38, 2.1)) for x in (-0.8, 0.8))]
    roles = ("paper", "goods_blue", "paper", "pharmacy_green", "paper", "vinyl_red")
    for i in range(6):
        z = 0.1 + 0.34 * i
        parts.append(box((0, 0, z), (1.6, 0.38, 0.025)))
        parts += [box((-0.68 + 0.124 * j, -0.02, z + 0.085), (0.1, 0.14, 0.14 + 0.03 * (j % 2)),
                      roles[(i + j) % len(roles)]) for j in range(12)]  # fmt: skip
    return parts


def _cross_sign() -> list[Part]:
    """A pharmacy's green cross, lit, on a bracket from the wall."""
    return [box((0, 0, 0), (0.6, 0.08, 0.2)), box((0, 0, 0), (0.2, 0.08, 0.6)), box((0, 0.2, 0), (0.05, 0.35, 0.05),
                                                                                     "metal")]  # fmt: skip


def _flower_bucket() -> list[Part]:
    """A zinc bucket of cut flowers: stems and a dome of blossoms in one colour with a few of another."""
    parts = [cyl((0, 0, 0.17), 0.17, 0.34, "metal", ZERO, 0.14)]
    for k in range(9):
        x, y = -0.1 + 0.1 * (k % 3), -0.1 + 0.1 * (k // 3)
        parts.append(cyl((x * 0.8, y * 0.8, 0.45), 0.008, 0.3, "leaves"))
        parts.append(egg((x, y, 0.62 + 0.04 * (k % 2)), (0.06, 0.06, 0.05), "main" if k % 4 else "paper"))
    parts.append(egg((0, 0, 0.52), (0.17, 0.17, 0.08), "leaves"))
    return parts


def _meat_case() -> list[Part]:
    """A butcher's white chilled counter: cuts of red meat on its bed behind a sloped glass front."""
    parts = [box((0, 0, 0.45), (2.2, 0.8, 0.9), "porcelain"), box((0, 0.05, 0.92), (2.1, 0.62, 0.04), "paper")]
    parts += [egg((-0.85 + 0.24 * i, -0.05 + 0.18 * (i % 2), 0.96), (0.1, 0.07, 0.04), "meat") for i in range(8)]
    parts.append(box((0, -0.3, 1.08), (2.2, 0.02, 0.34), "glass", (-35, 0, 0)))
    return parts


def _meat_rail() -> list[Part]:
    """A rail on the wall with joints of meat hanging from hooks."""
    parts = [cyl((0, 0, 2.2), 0.02, 2.0, "chrome", (0, 90, 0))]
    for i in range(5):
        x = -0.8 + 0.4 * i
        parts += [cyl((x, 0, 2.05), 0.006, 0.3, "chrome"), egg((x, 0, 1.7), (0.11, 0.09, 0.24), "meat")]
    return parts


def _bottle_wall() -> list[Part]:
    """A liquor store's wall of bottles: five shelves of them, brown, green and clear."""
    parts = [box((0, 0.18, 1.1), (1.8, 0.03, 2.2)), *(box((x, 0, 1.1), (0.04, 0.36, 2.2)) for x in (-0.9, 0.9))]
    roles = ("bottle_glass", "green_glass", "bottle_glass", "paper", "green_glass", "vinyl_red")
    for i in range(5):
        z = 0.1 + 0.42 * i
        parts.append(box((0, 0, z), (1.8, 0.36, 0.025), "wood"))
        for j in range(12):
            x, role = -0.8 + 0.145 * j, roles[(i + j) % len(roles)]
            parts += [cyl((x, -0.02, z + 0.12), 0.04, 0.22, role), cyl((x, -0.02, z + 0.28), 0.013, 0.1, role)]
    return parts


def _clothes_rack() -> list[Part]:
    """A chrome rail on two stands, hung with shirts and coats in a run of colours."""
    parts = [cyl((0, 0, 1.45), 0.015, 1.6, "chrome", (0, 90, 0))]
    parts += [cyl((x, 0, 0.72), 0.015, 1.45, "chrome") for x in (-0.8, 0.8)]
    parts += [box((x, 0, 0.01), (0.05, 0.5, 0.02), "chrome") for x in (-0.8, 0.8)]
    for i in range(11):
        role = SPINES[(i * 3) % len(SPINES)]
        parts.append(box((-0.7 + 0.14 * i, 0, 1.1), (0.06, 0.45, 0.7 + 0.15 * (i % 3)), role))
    return parts


def _tool_wall() -> list[Part]:
    """A hardware store's pegboard of tools over a shelf of paint tins and a bin of pipe."""
    parts = [box((0, 0.15, 1.4), (1.8, 0.03, 1.4), "cardboard"), box((0, 0, 0.45), (1.8, 0.4, 0.9), "steel")]
    for i in range(10):
        x, z = -0.75 + 0.17 * i, 1.2 + 0.4 * (i % 3)
        parts.append(box((x, 0.1, z), (0.04, 0.05, 0.32), "dark" if i % 2 else "vinyl_red"))
        parts.append(box((x, 0.1, z + 0.17), (0.12, 0.05, 0.05), "metal"))
    parts += [cyl((-0.7 + 0.2 * i, -0.02, 1.02), 0.08, 0.22, ("goods_blue", "paper", "yellow", "vinyl_red")[i % 4])
              for i in range(8)]  # fmt: skip
    return parts


def _record_bin() -> list[Part]:
    """A record shop's browser: a waist-high box of LP sleeves standing on end, in every colour."""
    parts = [box((0, 0, 0.4), (1.4, 0.7, 0.8), "main")]
    parts += [box((-0.6 + 0.06 * i, 0, 0.95), (0.01, 0.32, 0.32), SPINES[(i * 5) % len(SPINES)], (0, -10, 0))
              for i in range(20)]  # fmt: skip
    return parts


SHOP_SHAPES: dict[str, list[Part]] = {
    "display_case": _display_case(),
    "bread_rack": _bread_rack(),
    "bookcase": _bookcase(),
    "book_table": _book_table(),
    "produce_stand": _produce_stand(),
    "grocery_shelf": _grocery_shelf(),
    "pharmacy_shelf": _pharmacy_shelf(),
    "cross_sign": _cross_sign(),
    "flower_bucket": _flower_bucket(),
    "meat_case": _meat_case(),
    "meat_rail": _meat_rail(),
    "bottle_wall": _bottle_wall(),
    "clothes_rack": _clothes_rack(),
    "tool_wall": _tool_wall(),
    "record_bin": _record_bin(),
    "sign": [box((0, 0, 0), (2.4, 0.05, 0.5)), box((0, -0.03, 0), (2.2, 0.01, 0.34), "paper")],
}
SHOP_PROP_MATERIAL: dict[str, str] = {
    "display_case": "wood", "bread_rack": "wood", "bookcase": "dark_wood", "book_table": "dark_wood",
    "produce_stand": "wood", "grocery_shelf": "porcelain", "pharmacy_shelf": "porcelain",
    "cross_sign": "pharmacy_green",
    "flower_bucket": "vinyl_red", "meat_case": "porcelain", "meat_rail": "chrome", "bottle_wall": "dark_wood",
    "clothes_rack": "chrome", "tool_wall": "steel", "record_bin": "wood", "sign": "wood",
}  # fmt: skip
