"""Clothes the look names, as parts of a figure (numpy; the body's template from `bodymesh`).

A skirt, dress or gown is a bell from the waist, a little wider than the body at every height and flaring to
its hem, skinned to the hips and (more towards the hem) the thighs, so a stride swings it. A jacket recolours
the body's top and sleeves and the hips below the waist, leaving a shirt's V at the chest; a coat adds a
skirt-like hem to the knee. A hat is a crown and a brim, a cap a rounded crown and a visor, on the head.
All of it is made once per process and kind of body, at rest (1.77 m, build 1), and scaled with the body.
"""

from __future__ import annotations

import numpy as np

from generation.engines import bodymesh, meshparts, staging

# (top of the bell, hem, how much it flares per metre down, its own role) at rest.
BELLS: dict[str, tuple[float, float, float, str]] = {
    "skirt": (1.0, 0.5, 0.16, "skirt"),
    "dress": (1.0, 0.46, 0.16, "skirt"),
    "gown": (1.0, 0.05, 0.2, "skirt"),
    "coat": (0.99, 0.42, 0.06, "jacket"),
}
WEIGHT_LEVELS = 20
_CACHE: dict[tuple[str, ...], object] = {}


def _face_centres(t: bodymesh.Template) -> np.ndarray:
    counts = np.diff(np.append(t.starts, len(t.loops)))
    return np.add.reduceat(t.co[t.loops], t.starts, axis=0) / counts[:, None]


def bell(kind: str, style: str) -> meshparts.Part:
    """The skirt (or a coat's hem) of `style` around the `kind`'s body at rest, weighted to hips and thighs."""
    key = ("bell", kind, style)
    if key not in _CACHE:
        _CACHE[key] = _bell(kind, style)
    part = _CACHE[key]
    assert isinstance(part, meshparts.Part)
    return part


def _bell(kind: str, style: str) -> meshparts.Part:
    t = bodymesh.template(kind)
    top, hem, flare, role = BELLS[style]
    bones = list(staging.BONES)
    lower = [bones.index(b) for b in ("hips", "spine", "thigh.L", "thigh.R", "shin.L", "shin.R")]
    trunk = t.co[np.isin(t.weights.argmax(axis=1), lower)]
    rings, segments = 10, 28
    zs = np.linspace(top, hem, rings)
    angles = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    co = []
    rx = ry = 0.0
    yc = 0.0
    for i, z in enumerate(zs):
        band = trunk[np.abs(trunk[:, 2] - z) < 0.03]
        if len(band):
            yc = float((band[:, 1].max() + band[:, 1].min()) / 2)
            mx = float(np.abs(band[:, 0]).max()) + 0.02
            my = float((band[:, 1].max() - band[:, 1].min()) / 2) + 0.02
        else:
            mx, my = rx, ry
        step = 0.0 if i == 0 else (zs[i - 1] - z) * flare
        rx, ry = max(mx, rx + step), max(my, ry + step * 0.8)
        co += [[rx * np.sin(a), yc - ry * np.cos(a), z] for a in angles]
    co_arr = np.array(co)
    polys = [[j * segments + i, (j + 1) * segments + i, (j + 1) * segments + (i + 1) % segments,
              j * segments + (i + 1) % segments] for j in range(rings - 1) for i in range(segments)]  # fmt: skip
    loops = np.array([v for p in polys for v in p], dtype=np.int32)
    starts = np.arange(0, len(loops), 4, dtype=np.int32)
    # Down the bell the thighs take over from the hips; across it, the side's own thigh.
    depth = (top - co_arr[:, 2]) / (top - hem)
    thighs = np.clip(depth * 1.4, 0.0, 1.0) * 0.85
    left = np.clip(0.5 + co_arr[:, 0] / 0.16, 0.0, 1.0)
    weights = {"hips": 1.0 - thighs, "thigh.L": thighs * left, "thigh.R": thighs * (1.0 - left)}
    groups = []
    for bone, w in weights.items():
        levels = np.round(w * WEIGHT_LEVELS) / WEIGHT_LEVELS
        groups += [(bone, float(level), np.flatnonzero(levels == level).tolist()) for level in np.unique(levels)
                   if level > 0]  # fmt: skip
    roles = np.zeros(len(starts), dtype=np.int32)
    return meshparts.Part(co_arr, loops, starts, roles, (role,), True, groups=tuple(groups))


def jacket_roles(kind: str) -> np.ndarray:
    """The body's face roles with a jacket on: index into `JACKET_ROLES` (the body's, a jacket, shirt and tie)."""
    key = ("jacket", kind)
    if key not in _CACHE:
        t = bodymesh.template(kind)
        c = _face_centres(t)
        roles = t.roles.copy()
        costume, legs = bodymesh.ROLES.index("costume"), bodymesh.ROLES.index("legs")
        jacket, shirt = len(bodymesh.ROLES), len(bodymesh.ROLES) + 1
        # A jacket's hem comes past the waist, over the top of the hips, where the arms hang clear of it.
        roles[(roles == costume) | ((roles == legs) & (c[:, 2] > 0.8) & (np.abs(c[:, 0]) < 0.2))] = jacket
        v = (roles == jacket) & (c[:, 1] < -0.03) & (c[:, 2] > 1.16)
        v &= np.abs(c[:, 0]) < 0.06 * np.clip((c[:, 2] - 1.16) / 0.27, 0.0, 1.0) + 0.004
        roles[v] = shirt
        roles[v & (np.abs(c[:, 0]) < 0.011) & (c[:, 2] < 1.41)] = shirt + 1  # a tie down the shirt
        _CACHE[key] = roles
    roles_arr = _CACHE[key]
    assert isinstance(roles_arr, np.ndarray)
    return roles_arr


JACKET_ROLES = (*bodymesh.ROLES, "jacket", "shirt", "tie")


def hat(style: str, cy: float) -> meshparts.Part:
    """A hat (crown and brim) or a cap (a rounded crown and a visor) for a head of scale 1 centred at height 0
    (`cy` its centre's y), following the head bone."""
    if style == "cap":
        crown = meshparts.ellipsoid((0.0, cy, 0.045), (0.1, 0.116, 0.1), "hat", u=16, v=8)
        visor = meshparts.box((0.0, cy - 0.14, 0.06), (0.15, 0.09, 0.012), "hat", rot=(-8.0, 0.0, 0.0))
        return meshparts.join([crown, visor]).following("head")
    crown = meshparts.cylinder((0.0, 0.0, 0.0), 0.1, 0.085, 0.085, "hat", segments=16)
    crown = crown.moved(meshparts.affine((0.0, cy, 0.12), (0.0, 0.0, 0.0), (1.0, 1.15, 1.0)))
    brim = meshparts.cylinder((0.0, 0.0, 0.0), 0.15, 0.15, 0.01, "hat", segments=20)
    brim = brim.moved(meshparts.affine((0.0, cy, 0.08), (-4.0, 0.0, 0.0), (1.0, 1.12, 1.0)))
    band = meshparts.cylinder((0.0, 0.0, 0.0), 0.1005, 0.0975, 0.022, "band", segments=16)
    band = band.moved(meshparts.affine((0.0, cy, 0.095), (0.0, 0.0, 0.0), (1.0, 1.15, 1.0)))
    return meshparts.join([crown, brim, band]).following("head")
