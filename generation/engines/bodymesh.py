"""One smooth human body per kind of body (man, woman, boy, girl), skinned to `staging`'s 17 bones.

The body is a Blender Skin modifier over a skeleton-shaped graph of points with radii (pelvis, waist, ribs,
chest, shoulders, neck; tapered arms with hands; thighs, knees, calves, ankles, heels and toes) and two levels
of subdivision, evaluated once per kind of body and process and kept as arrays (`template`). It is made with the
arms and legs spread (an A pose), where each vertex's weights are plain to find (its nearest bones, measured in
each bone's own thickness, blended at the joints), and then brought to the rest pose by those same weights, so
the armature carries it smoothly. Each face has a role: costume (top and sleeves), legs (trousers), skin (neck
and hands) or shoes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from generation.engines import staging

ROLES = ("costume", "legs", "skin", "shoes")
A_POSE_ARMS, A_POSE_LEGS = 35.0, 7.0  # degrees the limbs spread while the weights are found
SUBDIVISIONS = 2

# Radii (across x, across y) of the trunk at heights of the rest skeleton (1.77 tall), per kind of body.
_TRUNK: dict[str, list[tuple[float, float, tuple[float, float]]]] = {
    # (z, y offset, (rx, ry))
    "man": [
        (0.86, 0.01, (0.15, 0.105)),
        (1.03, 0.0, (0.135, 0.095)),
        (1.18, 0.0, (0.15, 0.1)),
        (1.31, 0.0, (0.165, 0.105)),
        (1.40, 0.01, (0.15, 0.09)),
        (1.47, 0.015, (0.056, 0.056)),
        (1.56, 0.02, (0.05, 0.05)),
    ],
    "woman": [
        (0.86, 0.015, (0.17, 0.11)),
        (1.04, 0.0, (0.115, 0.082)),
        (1.17, -0.005, (0.13, 0.095)),
        (1.29, -0.015, (0.14, 0.112)),
        (1.39, 0.01, (0.125, 0.085)),
        (1.47, 0.015, (0.046, 0.046)),
        (1.56, 0.02, (0.042, 0.042)),
    ],
}
_TRUNK["boy"] = [(z, y, (rx * 0.95, ry * 0.97)) for z, y, (rx, ry) in _TRUNK["man"]]
_TRUNK["girl"] = [(z, y, (rx * 0.98, ry)) for z, y, (rx, ry) in _TRUNK["woman"][:3]] + [
    (1.29, 0.0, (0.13, 0.095)),
    *_TRUNK["woman"][4:],
]
# Limb radii: (shoulder, mid upper arm, elbow, mid forearm, wrist, palm (x, y), fingertips (x, y)) and
# (hip, mid thigh, knee, calf, ankle, heel, ball of the foot, toe).
_ARMS = {
    "man": (0.058, 0.05, 0.04, 0.042, 0.03, (0.018, 0.042), (0.013, 0.03)),
    "woman": (0.048, 0.042, 0.034, 0.035, 0.026, (0.015, 0.036), (0.011, 0.026)),
}
_LEGS = {
    "man": (0.095, 0.078, 0.052, 0.058, 0.036, 0.045, 0.046, 0.036),
    "woman": (0.1, 0.08, 0.05, 0.052, 0.032, 0.04, 0.04, 0.032),
}
_ARMS["boy"], _ARMS["girl"] = _ARMS["man"], _ARMS["woman"]
_LEGS["boy"], _LEGS["girl"] = _LEGS["man"], _LEGS["woman"]
# How thick each bone's flesh is: distances to a bone are measured in these, so a torso vertex is not taken by
# an arm that passes closer to it than the spine does.
_BONE_RADIUS = {"hips": 0.15, "spine": 0.13, "chest": 0.15, "neck": 0.05, "head": 0.1, "upper_arm": 0.05,
                "forearm": 0.04, "hand": 0.035, "thigh": 0.085, "shin": 0.055, "foot": 0.045}  # fmt: skip


@dataclass(frozen=True)
class Template:
    """A body at rest for a 1.77 m skeleton of build 1: vertices, polygons (flat loop vertex indices and each
    polygon's first loop), each vertex's weights per bone (in `staging.BONES` order) and each face's role."""

    co: np.ndarray  # (n, 3)
    loops: np.ndarray  # (l,)
    starts: np.ndarray  # (p,)
    weights: np.ndarray  # (n, bones)
    roles: np.ndarray  # (p,) index into ROLES


_CACHE: dict[str, Template] = {}


def _spread(point: tuple[float, float, float], pivot: tuple[float, float, float], degrees: float) -> np.ndarray:
    """`point` turned about the Y axis through `pivot` so that what hangs below the pivot swings out to +x."""
    a = math.radians(degrees)
    dx, dz = point[0] - pivot[0], point[2] - pivot[2]
    return np.array(
        [pivot[0] + dx * math.cos(a) - dz * math.sin(a), point[1], pivot[2] + dx * math.sin(a) + dz * math.cos(a)]
    )


def _a_pose(body: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The rest bones with the arms and legs spread: bone -> (head, tail)."""
    rest = staging.skeleton(staging.REST_HEIGHT, 1.0, body)
    out = {}
    for name, (head, tail, _) in rest.items():
        side = 1.0 if name.endswith(".L") else -1.0
        if name.split(".")[0] in ("upper_arm", "forearm", "hand"):
            pivot, angle = rest[f"upper_arm.{name[-1]}"][0], A_POSE_ARMS * side
        elif name.split(".")[0] in ("thigh", "shin", "foot"):
            pivot, angle = rest[f"thigh.{name[-1]}"][0], A_POSE_LEGS * side
        else:
            out[name] = (np.array(head), np.array(tail))
            continue
        out[name] = (_spread(head, pivot, angle), _spread(tail, pivot, angle))
    return out


def _graph(body: str) -> tuple[list[np.ndarray], list[tuple[int, int]], list[tuple[float, float]]]:
    """The skin graph in the A pose: points, edges and radii."""
    bones = _a_pose(body)
    points: list[np.ndarray] = []
    radii: list[tuple[float, float]] = []
    edges: list[tuple[int, int]] = []

    def add(p: np.ndarray, r: float | tuple[float, float], after: int | None) -> int:
        points.append(np.asarray(p, dtype=float))
        radii.append((r, r) if isinstance(r, float) else r)
        if after is not None:
            edges.append((after, len(points) - 1))
        return len(points) - 1

    trunk: list[int] = []
    for z, y, r in _TRUNK[body]:
        trunk.append(add(np.array([0.0, y, z]), r, trunk[-1] if trunk else None))
    shoulder_row, pelvis = trunk[4], trunk[0]
    arm, leg = _ARMS[body], _LEGS[body]
    for side in ("L", "R"):
        ua, fa, hand = bones[f"upper_arm.{side}"], bones[f"forearm.{side}"], bones[f"hand.{side}"]
        i = add(ua[0], arm[0], shoulder_row)
        i = add(ua[0] * 0.45 + ua[1] * 0.55, arm[1], i)
        i = add(ua[1], arm[2], i)
        i = add(fa[0] * 0.6 + fa[1] * 0.4, arm[3], i)
        i = add(fa[1], arm[4], i)
        i = add(hand[0] * 0.4 + hand[1] * 0.6, arm[5], i)
        add(hand[1], arm[6], i)
        th, sh, ft = bones[f"thigh.{side}"], bones[f"shin.{side}"], bones[f"foot.{side}"]
        i = add(th[0] + np.array([0.0, 0.0, 0.02]), leg[0], pelvis)
        i = add(th[0] * 0.5 + th[1] * 0.5, leg[1], i)
        i = add(th[1], leg[2], i)
        i = add(sh[0] * 0.7 + sh[1] * 0.3 + np.array([0.0, 0.01, 0.0]), leg[3], i)
        ankle = add(sh[1] + np.array([0.0, 0.0, 0.01]), leg[4], i)
        add(sh[1] + np.array([0.0, 0.035, -0.035]), leg[5], ankle)
        ball = add(ft[0] * 0.45 + ft[1] * 0.55 + np.array([0.0, 0.0, -0.005]), leg[6], ankle)
        add(ft[1] + np.array([0.0, 0.02, 0.015]), leg[7], ball)
    return points, edges, radii


def _evaluate(points: list[np.ndarray], edges: list[tuple[int, int]], radii: list[tuple[float, float]]) -> Any:
    """The skinned, subdivided surface of the graph as arrays (co, loops, starts)."""
    import bpy

    graph = bpy.data.meshes.new("Body graph")
    graph.from_pydata([tuple(p) for p in points], edges, [])
    obj = bpy.data.objects.new("Body graph", graph)
    bpy.context.scene.collection.objects.link(obj)
    skin = obj.modifiers.new("Skin", "SKIN")
    skin.branch_smoothing = 0.6
    layer = graph.skin_vertices[0].data
    for vert, r in zip(layer, radii, strict=True):
        vert.radius = r
    layer[0].use_root = True
    obj.modifiers.new("Smooth", "SUBSURF").levels = SUBDIVISIONS
    evaluated = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
    mesh = evaluated.to_mesh()
    co = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
    mesh.vertices.foreach_get("co", co)
    loops = np.empty(len(mesh.loops), dtype=np.int32)
    mesh.loops.foreach_get("vertex_index", loops)
    starts = np.empty(len(mesh.polygons), dtype=np.int32)
    mesh.polygons.foreach_get("loop_start", starts)
    evaluated.to_mesh_clear()
    bpy.data.objects.remove(obj)
    bpy.data.meshes.remove(graph)
    # The skin leaves a few loose vertices where branches meet: keep only those the faces use.
    used = np.unique(loops)
    remap = np.full(len(co) // 3, -1, dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    return co.reshape(-1, 3)[used], remap[loops], starts


def _bone_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray, radius: float) -> np.ndarray:
    """How far points are from a bone: across it in units of its flesh's thickness, past its ends in units of
    OVERSHOOT (so a joint hands its vertices over to the next bone within a few centimetres)."""
    ab = b - a
    length = max(float(np.linalg.norm(ab)), 1e-9)
    along = (p - a) @ ab / length
    t = np.clip(along / length, 0.0, 1.0)
    across = np.linalg.norm(p - (a + t[:, None] * ab), axis=1)
    over = np.maximum(0.0, np.maximum(-along, along - length))
    across = np.sqrt(np.maximum(across**2 - over**2, 0.0))
    return np.hypot(across / radius, over / OVERSHOOT)


OVERSHOOT = 0.03


def _weights(co: np.ndarray, bones: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Each vertex's weights: its nearest bones in units of their thickness, the nearest three blended."""
    names = list(staging.BONES)
    dist = np.empty((len(co), len(names)))
    for j, name in enumerate(names):
        head, tail = bones[name]
        dist[:, j] = _bone_distance(co, head, tail, _BONE_RADIUS[name.split(".")[0]])
        side = 1.0 if name.endswith(".L") else -1.0 if name.endswith(".R") else 0.0
        if side:  # a limb never takes the other side's vertices
            dist[co[:, 0] * side < -0.01, j] = np.inf
    nearest = dist.min(axis=1, keepdims=True)
    w = np.exp(-(dist - nearest) / 0.22)
    np.put_along_axis(w, np.argsort(dist, axis=1)[:, 3:], 0.0, axis=1)
    w = np.where(w < 0.05, 0.0, w)
    return w / w.sum(axis=1, keepdims=True)


def _to_rest(co: np.ndarray, weights: np.ndarray, body: str) -> np.ndarray:
    """The A-pose vertices moved to the rest pose by their weights (linear blend skinning)."""
    rest = staging.skeleton(staging.REST_HEIGHT, 1.0, body)
    out = np.zeros_like(co)
    for j, name in enumerate(staging.BONES):
        part = name.split(".")[0]
        if part in ("upper_arm", "forearm", "hand", "thigh", "shin", "foot"):
            side = 1.0 if name.endswith(".L") else -1.0
            root = "upper_arm" if part in ("upper_arm", "forearm", "hand") else "thigh"
            pivot = np.array(rest[f"{root}.{name[-1]}"][0])
            a = -math.radians((A_POSE_ARMS if root == "upper_arm" else A_POSE_LEGS) * side)
            d = co - pivot
            moved = np.stack(
                [pivot[0] + d[:, 0] * math.cos(a) - d[:, 2] * math.sin(a), co[:, 1],
                 pivot[2] + d[:, 0] * math.sin(a) + d[:, 2] * math.cos(a)], axis=1
            )  # fmt: skip
        else:
            moved = co
        out += weights[:, j : j + 1] * moved
    return out


def _roles(co: np.ndarray, loops: np.ndarray, starts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each face's role from its main bone and height (rest, 1.77 m): the clothes' lines."""
    names = list(staging.BONES)
    ends = np.append(starts[1:], len(loops))
    roles = np.empty(len(starts), dtype=np.int32)
    main = weights.argmax(axis=1)
    for f, (a, b) in enumerate(zip(starts, ends, strict=True)):
        verts = loops[a:b]
        z = float(co[verts, 2].mean())
        bone = names[int(np.bincount(main[verts]).argmax())].split(".")[0]
        if bone in ("hand", "head", "neck") or (z > 1.435 and abs(float(co[verts, 0].mean())) < 0.07):
            role = "skin"
        elif bone == "foot" or (bone == "shin" and z < 0.115):
            role = "shoes"
        elif bone in ("thigh", "shin") or (bone == "hips" and z < 0.975):
            role = "legs"
        elif bone == "forearm" and z < 0.905:
            role = "skin"  # the wrist below the cuff
        else:
            role = "costume"
        roles[f] = ROLES.index(role)
    return roles


def template(body: str) -> Template:
    """The body's mesh at rest (built once per process and kind of body)."""
    body = body if body in staging.BODIES else "man"
    if body not in _CACHE:
        points, edges, radii = _graph(body)
        co, loops, starts = _evaluate(points, edges, radii)
        weights = _weights(co, _a_pose(body))
        rest = _to_rest(co, weights, body)
        _CACHE[body] = Template(rest, loops, starts, weights, _roles(rest, loops, starts, weights))
    return _CACHE[body]
