"""Meshes as arrays: the parts a figure is made of (body, head, hair, clothes, what the hand holds), moved and
joined with numpy and handed to Blender in one go (`foreach_set`), so building a person costs a few
milliseconds rather than a bmesh round trip.

A `Part` is vertices, polygons (flat loop vertex indices and each polygon's first loop), each face's role (an
index into its `names`), smooth shading or not, optional UVs per loop, and how its vertices follow the bones:
all to one bone, or weight steps per bone (`groups`). Primitives (box, cylinder, ellipsoid) are made here; a
part made once with bmesh is read back with `from_mesh`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

Groups = tuple[tuple[str, float, list[int]], ...]  # (bone, weight, vertex indices)


@dataclass(frozen=True)
class Part:
    co: np.ndarray  # (n, 3)
    loops: np.ndarray  # (l,) int32
    starts: np.ndarray  # (p,) int32
    roles: np.ndarray  # (p,) int32 index into names
    names: tuple[str, ...]
    smooth: bool | np.ndarray = True
    uv: np.ndarray | None = None  # (l, 2)
    bone: str | None = None  # every vertex follows this bone (weight 1)
    groups: Groups = field(default=())

    def moved(self, matrix: np.ndarray) -> Part:
        """The part through a 4x4 matrix (or a 3x4 affine)."""
        m = np.asarray(matrix, dtype=np.float64)
        return replace(self, co=self.co @ m[:3, :3].T + m[:3, 3])

    def scaled(self, scale: Any, offset: Any = (0.0, 0.0, 0.0)) -> Part:
        return replace(self, co=self.co * np.asarray(scale, dtype=np.float64) + np.asarray(offset, dtype=np.float64))

    def renamed(self, names: tuple[str, ...]) -> Part:
        return replace(self, names=names)

    def following(self, bone: str) -> Part:
        return replace(self, bone=bone, groups=())


def rotation(degrees: Any) -> np.ndarray:
    """The 3x3 matrix of XYZ Euler angles in degrees (Blender's order: X first)."""
    x, y, z = (math.radians(a) for a in degrees)
    rx = np.array([[1, 0, 0], [0, math.cos(x), -math.sin(x)], [0, math.sin(x), math.cos(x)]])
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rz = np.array([[math.cos(z), -math.sin(z), 0], [math.sin(z), math.cos(z), 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(centre: Any = (0.0, 0.0, 0.0), rot: Any = (0.0, 0.0, 0.0), size: Any = (1.0, 1.0, 1.0)) -> np.ndarray:
    """A 4x4 matrix: scale by `size`, turn by `rot` (degrees), then move to `centre`."""
    m = np.eye(4)
    m[:3, :3] = rotation(rot) @ np.diag(np.asarray(size, dtype=np.float64))
    m[:3, 3] = centre
    return m


def _faces(polys: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    loops = np.array([i for p in polys for i in p], dtype=np.int32)
    starts = np.cumsum([0] + [len(p) for p in polys[:-1]]).astype(np.int32)
    return loops, starts


def _part(co: np.ndarray, polys: list[list[int]], role: str, smooth: bool) -> Part:
    loops, starts = _faces(polys)
    return Part(co, loops, starts, np.zeros(len(starts), dtype=np.int32), (role,), smooth)


_BOX_CO = np.array([[x, y, z] for z in (-0.5, 0.5) for y in (-0.5, 0.5) for x in (-0.5, 0.5)])
_BOX_FACES = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]]


def box(centre: Any, size: Any, role: str = "main", rot: Any = (0.0, 0.0, 0.0)) -> Part:
    return _part(_BOX_CO.copy(), _BOX_FACES, role, False).moved(affine(centre, rot, size))


def cylinder(
    centre: Any, r1: float, r2: float, h: float, role: str = "main", rot: Any = (0.0, 0.0, 0.0), segments: int = 12
) -> Part:
    """A cylinder or cone along z (radius r1 at the bottom, r2 at the top), centred on `centre`, capped."""
    a = np.linspace(0.0, 2 * math.pi, segments, endpoint=False)
    ring = np.stack([np.cos(a), np.sin(a)], axis=1)
    bottom = np.column_stack([ring * r1, np.full(segments, -h / 2)])
    top = np.column_stack([ring * r2, np.full(segments, h / 2)])
    polys = [[i, (i + 1) % segments, segments + (i + 1) % segments, segments + i] for i in range(segments)]
    polys += [list(range(segments - 1, -1, -1)), list(range(segments, 2 * segments))]
    part = _part(np.vstack([bottom, top]), polys, role, False)
    return part.moved(affine(centre, rot))


def ellipsoid(centre: Any, radii: Any, role: str = "main", rot: Any = (0.0, 0.0, 0.0), u: int = 12, v: int = 7) -> Part:
    """A UV sphere scaled to `radii`, smooth shaded."""
    co = [[0.0, 0.0, -1.0]]
    for j in range(1, v):
        phi = math.pi * j / v - math.pi / 2
        co += [[math.cos(phi) * math.cos(t), math.cos(phi) * math.sin(t), math.sin(phi)]
               for t in np.linspace(0.0, 2 * math.pi, u, endpoint=False)]  # fmt: skip
    co.append([0.0, 0.0, 1.0])
    top = len(co) - 1

    def ring(j: int, i: int) -> int:
        return 1 + (j - 1) * u + i % u

    polys = []
    for i in range(u):
        polys.append([0, ring(1, i + 1), ring(1, i)])
        polys.append([top, ring(v - 1, i), ring(v - 1, i + 1)])
        polys += [[ring(j, i), ring(j, i + 1), ring(j + 1, i + 1), ring(j + 1, i)] for j in range(1, v - 1)]
    return _part(np.array(co), polys, role, True).moved(affine(centre, rot, radii))


def join(parts: list[Part]) -> Part:
    """Parts joined into one (their roles kept by name; weights kept when every part follows one bone)."""
    names: list[str] = []
    for p in parts:
        names += [n for n in p.names if n not in names]
    co, loops, starts, roles, smooth = [], [], [], [], []
    nv = nl = 0
    for p in parts:
        co.append(p.co)
        loops.append(p.loops + nv)
        starts.append(p.starts + nl)
        roles.append(np.array([names.index(n) for n in p.names], dtype=np.int32)[p.roles])
        smooth.append(np.broadcast_to(np.asarray(p.smooth, dtype=bool), (len(p.starts),)))
        nv, nl = nv + len(p.co), nl + len(p.loops)
    bones = {p.bone for p in parts}
    return Part(
        np.vstack(co), np.concatenate(loops), np.concatenate(starts), np.concatenate(roles), tuple(names),
        np.concatenate(smooth), None, bones.pop() if len(bones) == 1 else None,
    )  # fmt: skip


def from_mesh(mesh: Any, names: tuple[str, ...]) -> Part:
    """A Blender mesh read back as a part (material index i is role names[i])."""
    co = np.empty(len(mesh.vertices) * 3)
    mesh.vertices.foreach_get("co", co)
    loops = np.empty(len(mesh.loops), dtype=np.int32)
    mesh.loops.foreach_get("vertex_index", loops)
    starts = np.empty(len(mesh.polygons), dtype=np.int32)
    mesh.polygons.foreach_get("loop_start", starts)
    roles = np.empty(len(mesh.polygons), dtype=np.int32)
    mesh.polygons.foreach_get("material_index", roles)
    smooth = np.empty(len(mesh.polygons), dtype=bool)
    mesh.polygons.foreach_get("use_smooth", smooth)
    return Part(co.reshape(-1, 3), loops, starts, roles, names, smooth)


def build_object(name: str, parts: list[Part], materials: dict[str, Any], bones: list[str]) -> Any:
    """One Blender mesh object of the parts, each face with its role's material (a role without one takes the
    first material), with a vertex group per bone carrying each part's weights."""
    import bpy

    slots = {role: i for i, role in enumerate(materials)}
    co, loops, starts, index, smooth, uvs = [], [], [], [], [], []
    nv = nl = 0
    offsets = []
    for p in parts:
        offsets.append(nv)
        co.append(p.co)
        loops.append(p.loops + nv)
        starts.append(p.starts + nl)
        index.append(np.array([slots.get(n, 0) for n in p.names], dtype=np.int32)[p.roles])
        smooth.append(np.broadcast_to(np.asarray(p.smooth, dtype=bool), (len(p.starts),)))
        uvs.append(p.uv if p.uv is not None else np.zeros((len(p.loops), 2)))
        nv, nl = nv + len(p.co), nl + len(p.loops)
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(nv)
    mesh.vertices.foreach_set("co", np.vstack(co).astype(np.float32).ravel())
    mesh.loops.add(nl)
    mesh.loops.foreach_set("vertex_index", np.concatenate(loops))
    all_starts = np.concatenate(starts)
    mesh.polygons.add(len(all_starts))
    mesh.polygons.foreach_set("loop_start", all_starts)
    mesh.polygons.foreach_set("material_index", np.concatenate(index))
    mesh.polygons.foreach_set("use_smooth", np.concatenate(smooth))
    mesh.update(calc_edges=True)
    if any(p.uv is not None for p in parts):
        mesh.uv_layers.new(name="UVMap").data.foreach_set("uv", np.vstack(uvs).astype(np.float32).ravel())
    for mat in materials.values():
        mesh.materials.append(mat)
    obj = bpy.data.objects.new(name, mesh)
    groups = {bone: obj.vertex_groups.new(name=bone) for bone in bones}
    for p, start in zip(parts, offsets, strict=True):
        if p.bone is not None:
            groups[p.bone].add(range(start, start + len(p.co)), 1.0, "REPLACE")
        for bone, weight, verts in p.groups:
            groups[bone].add([v + start for v in verts] if start else verts, weight, "REPLACE")
    return obj
