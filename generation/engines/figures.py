"""People in a Blender set: a rigged humanoid per figure of a set spec (`bpy`, imported inside the functions).

`build_figure` makes an armature with the bones of `staging.skeleton`, poses it with `staging.POSE_ROTATIONS`
(the same rotations `staging.joints` computes in pure Python), and skins one mesh of rounded limbs to it: each
part follows one bone. The head is an ellipsoid whose front carries the chosen portrait. `focus_camera` points
a camera's depth of field at a figure's head, and `staging_report` says what a render placed where.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from generation.engines import bodymesh, clothes, meshparts, staging
from generation.engines.setschema import Figure, Material

SKIN, HAIR = (0.8, 0.6, 0.48), (0.14, 0.09, 0.06)
SHOES = (0.08, 0.07, 0.07)
HELD = (0.85, 0.8, 0.7)  # what a holding figure holds when the action names nothing: a pale box
MaterialFn = Callable[[str, Material], Any]


def portrait_image(path: str) -> Any:
    """The portrait as a bpy image, or None when there is no readable file."""
    import bpy

    if not path or not os.path.isfile(path):
        return None
    try:
        image = bpy.data.images.load(path, check_existing=True)
    except RuntimeError:
        return None
    return image if image.size[0] > 0 else None


def portrait_material(name: str, image: Any) -> Any:
    """The face material: the portrait as base colour and as emission, so it reads in any light."""
    import bpy

    mat = bpy.data.materials.new(f"Face {name}")
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    tex = nodes.new("ShaderNodeTexImage")
    tex.image, tex.extension = image, "EXTEND"
    links.new(tex.outputs["Color"], bsdf.inputs["Base Color"])
    links.new(tex.outputs["Color"], bsdf.inputs["Emission Color"])
    bsdf.inputs["Emission Strength"].default_value = FACE_GLOW
    bsdf.inputs["Roughness"].default_value = 0.7
    nodes.active = tex
    mat.diffuse_color = (*SKIN, 1.0)
    return mat


def sphere(bm: Any, matrix: Any, u_segments: int = 12, v_segments: int = 7) -> list[Any]:
    """A UV sphere of radius 1 through `matrix`, made vertex by vertex (bmesh.ops.create_uvsphere costs ~15 ms)."""
    from mathutils import Vector

    verts = [bm.verts.new(matrix @ Vector((0.0, 0.0, -1.0)))]
    for j in range(1, v_segments):
        phi = math.pi * j / v_segments - math.pi / 2
        z, r = math.sin(phi), math.cos(phi)
        for i in range(u_segments):
            theta = 2 * math.pi * i / u_segments
            verts.append(bm.verts.new(matrix @ Vector((r * math.cos(theta), r * math.sin(theta), z))))
    verts.append(bm.verts.new(matrix @ Vector((0.0, 0.0, 1.0))))
    top = len(verts) - 1

    def ring(j: int, i: int) -> int:
        return 1 + (j - 1) * u_segments + i % u_segments

    for i in range(u_segments):
        bm.faces.new((verts[0], verts[ring(1, i + 1)], verts[ring(1, i)]))
        bm.faces.new((verts[top], verts[ring(v_segments - 1, i)], verts[ring(v_segments - 1, i + 1)]))
        for j in range(1, v_segments - 1):
            bm.faces.new((verts[ring(j, i)], verts[ring(j, i + 1)], verts[ring(j + 1, i + 1)], verts[ring(j + 1, i)]))
    return verts


def prepared_portrait(path: str) -> tuple[str, tuple[float, float, float]]:
    """The portrait faded into its own skin tone outside an ellipse around the face (a new PNG, kept in the
    temporary folder by the portrait's content), and that skin tone (linear RGB, as materials take it).

    A DCGAN portrait's background (a dark band, a wall) would otherwise show on the forehead and the cheeks."""
    import hashlib
    import tempfile

    import numpy as np
    from PIL import Image

    with open(path, "rb") as handle:
        data = handle.read()
    key = hashlib.sha1(data + repr((FACE_OVAL, FACE_FADE, CHEEKS)).encode(), usedforsecurity=False).hexdigest()[:16]
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
    h, w, _ = rgb.shape
    patches = [rgb[int(h * y0) : int(h * y1), int(w * x0) : int(w * x1)].reshape(-1, 3) for x0, x1, y0, y1 in CHEEKS]
    skin = np.median(np.concatenate(patches), axis=0)
    y, x = np.mgrid[0:h, 0:w]
    cx, cy, ax, ay = FACE_OVAL
    r = np.hypot((x + 0.5 - cx * w) / (ax * w), (y + 0.5 - cy * h) / (ay * h))
    keep = np.clip((FACE_FADE - r) / (FACE_FADE - 1.0), 0.0, 1.0)[..., None] ** 1.5
    out = rgb * keep + skin * (1.0 - keep)
    target = os.path.join(tempfile.gettempdir(), "filmstudio-faces", f"{key}.png")
    if not os.path.isfile(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        partial = f"{target}.{os.getpid()}.tmp.png"
        Image.fromarray((out * 255 + 0.5).astype(np.uint8)).save(partial)
        os.replace(partial, target)
    linear = np.where(skin <= 0.04045, skin / 12.92, ((skin + 0.055) / 1.055) ** 2.4)
    return target, (float(linear[0]), float(linear[1]), float(linear[2]))


# The face's oval in a portrait (centre x, y and radii, fractions of the width and height, y down): the image is
# its own up to the oval, fades to the skin tone by FACE_FADE times the oval, and is skin beyond.
FACE_OVAL = (0.5, 0.55, 0.31, 0.34)
FACE_FADE = 1.3
# Where a portrait's skin tone is read: both cheeks and the bridge of the nose (x0, x1, y0, y1 fractions, y down).
CHEEKS = ((0.26, 0.38, 0.52, 0.66), (0.62, 0.74, 0.52, 0.66), (0.44, 0.56, 0.46, 0.58))


def _head_shape(x: float, y: float, z: float) -> tuple[float, float, float]:
    """A point of the unit sphere moved to a head's shape: the jaw and chin narrower than the cranium, the back
    of the lower head tucked in towards the neck, a nose and a brow in front."""
    if z < 0:
        x *= 1.0 - 0.3 * z * z
        if y > 0:
            y *= 1.0 - 0.35 * z * z
    else:
        x *= 1.0 - 0.06 * z * z
    if y < 0:
        y *= 1.0 + 0.14 * math.exp(-((x / 0.2) ** 2) - ((z + 0.12) / 0.22) ** 2)  # the nose
        y *= 1.0 + 0.03 * math.exp(-((x / 0.5) ** 2) - ((z - 0.3) / 0.12) ** 2)  # the brow
    return x, y, z


def _head_unit() -> meshparts.Part:
    """A head of scale 1 centred at height 0 (a shaped sphere): roles "skin" and, on its front, "face"."""
    made = meshparts.ellipsoid((0.0, 0.0, 0.0), (1.0, 1.0, 1.0), u=32, v=20)
    co = np.array([_head_shape(*p) for p in made.co]) * (HEAD_RX, HEAD_RY, HEAD_RZ) + (0.0, HEAD_CY, 0.0)
    counts = np.diff(np.append(made.starts, len(made.loops)))
    centres = np.add.reduceat(co[made.loops], made.starts, axis=0) / counts[:, None]
    front = ((centres[:, 1] - HEAD_CY) / HEAD_RY < -0.2) & (centres[:, 2] / HEAD_RZ < 0.8)
    return meshparts.Part(co, made.loops, made.starts, front.astype(np.int32), ("skin", "face"))


def _features_unit() -> meshparts.Part:
    """A neutral face for a head without a portrait: eyes and a mouth (role "hair", the darkest at hand)."""
    eyes = [meshparts.ellipsoid((sx * 0.036, HEAD_CY - HEAD_RY * 0.88, 0.02), (0.013,) * 3, "hair", u=8, v=6)
            for sx in (-1, 1)]  # fmt: skip
    mouth = meshparts.box((0.0, HEAD_CY - HEAD_RY * 0.86, -0.06), (0.04, 0.01, 0.007), "hair")
    return meshparts.join([*eyes, mouth])


def head_part(s: float, head_z: float, image: Any) -> list[meshparts.Part]:
    """The head at scale `s` around `head_z`, whose front carries the portrait (projected from the front, its
    aspect kept) or a plain face; it follows the head bone."""
    unit = _cached(("head",), _head_unit)
    margin = 0.1  # the face of a portrait rarely reaches its edges
    u_span, v_span = 1.0 - 2 * margin, 1.0 - 2 * margin
    if image is not None:
        aspect = (image.size[0] / max(1, image.size[1])) * (HEAD_RZ / HEAD_RX)
        u_span = v_span / aspect if aspect > 1 else u_span
        v_span = u_span * aspect if aspect <= 1 else v_span
    at = unit.co[unit.loops]
    uv = np.column_stack([0.5 + at[:, 0] / HEAD_RX * u_span / 2, 0.5 + at[:, 2] / HEAD_RZ * v_span / 2])
    head = replace(unit, uv=uv, names=("skin", "face" if image is not None else "skin"), bone="head")
    parts = [head.scaled(s, (0.0, 0.0, head_z))]
    if image is None:
        parts.append(_cached(("features",), _features_unit).scaled(s, (0.0, 0.0, head_z)).following("head"))
    return parts


# The head's radii and how far its centre sits back (y) at scale 1 (a 1.75 m adult).
HEAD_RX, HEAD_RY, HEAD_RZ, HEAD_CY = 0.092, 0.108, 0.125, 0.012
_PARTS: dict[tuple[Any, ...], meshparts.Part] = {}


def _cached(key: tuple[Any, ...], make: Callable[[], meshparts.Part]) -> meshparts.Part:
    """A part made once per process (arrays only: they outlive Blender's factory resets between frames)."""
    if key not in _PARTS:
        _PARTS[key] = make()
    return _PARTS[key]


def _from_bmesh(fill: Callable[[Any], None], names: tuple[str, ...]) -> meshparts.Part:
    """A part built with bmesh (material index i is role names[i]), read back as arrays."""
    import bmesh
    import bpy

    bm = bmesh.new()
    fill(bm)
    mesh = bpy.data.meshes.new("Part")
    bm.to_mesh(mesh)
    bm.free()
    part = meshparts.from_mesh(mesh, names)
    bpy.data.meshes.remove(mesh)
    return part


def _shell(
    bm: Any,
    centre: Any,
    radii: tuple[float, float, float],
    keep: Callable[[float, float, float], bool],
    slot: int,
    segments: tuple[int, int] = (32, 20),
    edge: Callable[[float], float] | None = None,
) -> None:
    """The part of an ellipsoid shell (head-shaped) whose faces' centres `keep` accepts (unit coordinates); `edge`
    (the height of its lower edge against y) moves the cut's vertices onto that line, so the edge runs smooth."""
    import bmesh
    from mathutils import Matrix, Vector

    made = sphere(bm, Matrix.Identity(4), *segments)
    unit = {v: v.co.copy() for v in made}
    faces = {f for v in made for f in v.link_faces}
    drop = [f for f in faces if not keep(*f.calc_center_median())]
    bmesh.ops.delete(bm, geom=drop, context="FACES_ONLY")
    bmesh.ops.delete(bm, geom=[v for v in made if v.is_valid and not v.link_faces], context="VERTS")
    for v, p in unit.items():
        if not v.is_valid:
            continue
        if edge is not None and v.is_boundary:
            z = max(-0.98, min(0.98, edge(p.y)))
            across = math.hypot(p.x, p.y) or 1.0
            ring = math.sqrt(1.0 - z * z) / across
            p = Vector((p.x * ring, p.y * ring, z))
        x, y, z = _head_shape(*p)
        v.co = Vector((centre[0] + x * radii[0], centre[1] + y * radii[1], centre[2] + z * radii[2]))
        for face in v.link_faces:
            face.material_index, face.smooth = slot, True


def hair_mesh(bm: Any, style: str, beard: bool, head_z: float, s: float, slot: int) -> None:
    """Hair over the head as the look says: short (a cap to the hairline), long (down the back to the
    shoulders, framing the face), a bun, or bald (a fringe round the back); a beard along the jaw."""
    rx, ry, rz, cy = 0.092 * s, 0.108 * s, 0.125 * s, 0.012 * s
    centre = (0.0, cy, head_z)  # the head's own centre: a shell scaled up from it stays outside the head
    cap = (rx * 1.1, ry * 1.08, rz * 1.08)

    def hairline(front: float, side: float, back: float) -> dict[str, Any]:
        a, b = (front + back) / 2 - side, (back - front) / 2  # through (-1, front), (0, side), (1, back)
        return {"keep": lambda x, y, z: z > side + b * y + a * y * y, "edge": lambda y: side + b * y + a * y * y}

    if style == "short":
        _shell(bm, centre, cap, slot=slot, **hairline(0.52, 0.12, -0.5))
    elif style == "bun":
        _shell(bm, centre, cap, slot=slot, **hairline(0.5, 0.05, -0.45))
        _shell(bm, (0.0, cy + ry * 0.95, head_z + rz * 0.45), (0.055 * s, 0.05 * s, 0.05 * s),
               lambda x, y, z: True, slot, (12, 8))  # fmt: skip
    elif style == "long":
        _shell(bm, centre, (rx * 1.13, ry * 1.1, rz * 1.08), slot=slot, **hairline(0.5, -0.45, -1.1))
        # Down the back to the shoulders: the back half of a longer shell, behind the neck.
        _shell(bm, (0.0, cy + 0.02 * s, head_z - 0.1 * s), (rx * 1.18, ry * 0.95, rz * 1.5),
               lambda x, y, z: y > 0.05 and z > -0.92, slot, (20, 12))  # fmt: skip
    else:  # bald: a fringe round the back of the head
        _shell(bm, centre, (rx * 1.06, ry * 1.06, rz * 1.06), lambda x, y, z: y > -0.1 and -0.35 < z < 0.12, slot)
    if beard:
        _shell(bm, centre, (rx * 1.07, ry * 1.07, rz * 1.07),
               lambda x, y, z: y < 0.25 and (z < -0.6 or (abs(x) > 0.6 and z < 0.1)), slot)  # fmt: skip


def build_figures(figs: list[Figure], material: MaterialFn) -> list[Any]:
    """Every figure's armature (`Rig <name>`), posed, with its skinned mesh (`Figure <name>`); returns the rigs.

    The bones of all rigs are made in one edit-mode session: entering and leaving it costs ~25 ms a time."""
    import bpy

    rigs = [_rig(fig) for fig in figs]
    if not rigs:
        return rigs
    for rig in rigs:
        rig.select_set(True)
    bpy.context.view_layer.objects.active = rigs[0]
    bpy.ops.object.mode_set(mode="EDIT")
    for fig, rig in zip(figs, rigs, strict=True):
        bones = rig.data.edit_bones
        for bone, (head, tail, parent) in staging.skeleton(fig.height, fig.build or 1.0, fig.body or "man").items():
            edit = bones.new(bone)
            edit.head, edit.tail, edit.roll = head, tail, 0.0
            if parent is not None:
                edit.parent = bones[parent]
    bpy.ops.object.mode_set(mode="OBJECT")
    for fig, rig in zip(figs, rigs, strict=True):
        rig.select_set(False)
        _dress(fig, rig, material)
    return rigs


def _rig(fig: Figure) -> Any:
    """An armature object without bones yet, standing where the figure stands, turned and dropped for its pose."""
    import bpy
    from mathutils import Euler, Matrix

    down = staging.drop(fig.pose, fig.height, fig.build or 1.0, fig.seat_height, fig.body or "man")
    arm = bpy.data.armatures.new(f"Rig {fig.name}")
    rig = bpy.data.objects.new(f"Rig {fig.name}", arm)
    rig.matrix_world = (
        Matrix.Translation(fig.position)
        @ Euler((0.0, 0.0, math.radians(fig.facing))).to_matrix().to_4x4()
        @ Matrix.Translation((0.0, 0.0, down))
    )
    bpy.context.scene.collection.objects.link(rig)
    return rig


def _dress(fig: Figure, rig: Any, material: MaterialFn) -> None:
    """Poses the rig and skins the figure's body (one smooth mesh), head, hair and clothes to it."""
    import bpy
    from mathutils import Matrix

    name, build, kind = fig.name, fig.build or 1.0, fig.body or "man"
    s = fig.height / 1.75
    rest = staging.skeleton(fig.height, build, kind)
    scene = bpy.context.scene
    # Each bone turns about the figure's own axes: in the bone's local frame that is B^-1 R B (B its rest turn).
    table = staging.POSE_ROTATIONS.get(fig.pose, {})
    for pose_bone in rig.pose.bones:
        angles = table.get(pose_bone.name)
        if angles is None:
            continue
        rest_turn = pose_bone.bone.matrix_local.to_3x3()
        turn = Matrix(staging.rotation(angles))
        pose_bone.rotation_mode = "QUATERNION"
        pose_bone.rotation_quaternion = (rest_turn.inverted() @ turn @ rest_turn).to_quaternion()

    skin_tone, image = SKIN, None
    if fig.portrait_path and os.path.isfile(fig.portrait_path):
        try:
            faded, skin_tone = prepared_portrait(fig.portrait_path)
        except OSError:
            faded = ""
        image = portrait_image(faded)
    colour = list(fig.color)
    hair = tuple(fig.hair_color) if fig.hair_color else HAIR

    def plain(rgb: Any, roughness: float = 0.8) -> Material:
        return Material(base_color=list(rgb), roughness=roughness, metallic=0.0)

    mats = {
        "costume": material(f"Costume {name}", plain(colour)),
        "legs": material(f"Legs {name}", plain(_trousers(colour))),
        "skin": material(
            f"Skin {name}",
            Material(
                base_color=list(skin_tone),
                roughness=0.6,
                metallic=0.0,
                emission=list(skin_tone),
                emission_strength=FACE_GLOW,
            ),
        ),
        "shoes": material(f"Shoes {name}", plain(SHOES, 0.5)),
        "hair": material(f"Hair {name}", plain(hair, 0.7)),
    }
    if image is not None:
        mats["face"] = portrait_material(name, image)
    # Clothes: a skirt (dark, like trousers) or a dress (the top's colour) bares the legs below it; a jacket
    # is a darker tone of the top over a pale shirt (a suit's trousers match it); a hat is dark, a cap the top's.
    if fig.dress in ("skirt", "dress"):
        mats["legs"] = mats["skin"]
    if fig.dress:
        mats["skirt"] = material(f"Skirt {name}", plain(colour if fig.dress != "skirt" else _trousers(colour)))
    if fig.jacket:
        tone = _jacket(colour)
        mats["jacket"] = material(f"Jacket {name}", plain(tone, 0.7))
        mats["shirt"] = material(f"Shirt {name}", plain(SHIRT, 0.8))
        mats["tie"] = material(f"Tie {name}", plain(HAT, 0.6)) if fig.jacket == "suit" else mats["shirt"]
        if fig.jacket == "suit":
            mats["legs"] = mats["jacket"]
    if fig.hat:
        mats["hat"] = material(f"Hat {name}", plain(colour if fig.hat == "cap" else HAT, 0.7))
        mats["band"] = mats["hair"] if fig.hat == "hat" else mats["hat"]
    held = _held(fig, build, s) if fig.pose in staging.HELD_PROP_POSES else None
    if held is not None:
        for role in held.names:
            if role == "held":
                mats[role] = material(f"Held {name}", plain(HELD, 0.6))
            else:
                look = HELD_LOOKS.get(role) or lib_materials()[role.removeprefix("held:")]
                mats[role] = material(f"{role} {name}", Material(**look))

    # The body: the kind's template scaled to this figure (build widens it, and thickens it a little less);
    # the head, hair, clothes and what the hands hold are parts of their own, joined into the one mesh.
    unit = fig.height / staging.REST_HEIGHT
    scale = (unit * build, unit * (1.0 + 0.7 * (build - 1.0)), unit)
    body = _body_part(kind)
    if fig.jacket:
        body = replace(body, roles=clothes.jacket_roles(kind), names=clothes.JACKET_ROLES)
    parts = [body.scaled(scale)]
    for style in (fig.dress, "coat" if fig.jacket == "coat" and not fig.dress else None):
        if style:
            parts.append(clothes.bell(kind, style).scaled(scale))
    head_bone = rest["head"]
    head_z = (head_bone[0][2] + head_bone[1][2]) / 2
    head_s = s * (CHILD_HEAD if kind in ("boy", "girl") else 1.0)
    parts += head_part(head_s, head_z, image)
    parts.append(_hair_part(fig.hair or "short", bool(fig.beard)).scaled(head_s, (0.0, 0.0, head_z)))
    if fig.hat:
        parts.append(clothes.hat(fig.hat, HEAD_CY).scaled(head_s, (0.0, 0.0, head_z)))
    if held is not None:
        parts.append(held)
    obj = meshparts.build_object(f"Figure {name}", parts, mats, list(rest))
    obj.parent = rig
    obj.modifiers.new("Rig", "ARMATURE").object = rig
    scene.collection.objects.link(obj)


def _body_part(kind: str) -> meshparts.Part:
    """The kind's body at rest as a part, its weights in steps of 1/WEIGHT_LEVELS (made once per process)."""

    def make() -> meshparts.Part:
        body = bodymesh.template(kind)
        levels = np.round(body.weights * WEIGHT_LEVELS) / WEIGHT_LEVELS
        groups = []
        for j, bone in enumerate(staging.BONES):
            column = levels[:, j]
            groups += [(bone, float(level), np.flatnonzero(column == level).tolist())
                       for level in np.unique(column[column > 0])]  # fmt: skip
        return meshparts.Part(body.co, body.loops, body.starts, body.roles, bodymesh.ROLES, True, groups=tuple(groups))

    return _cached(("body", kind), make)


def _hair_part(style: str, beard: bool) -> meshparts.Part:
    """Hair (and a beard) of scale 1 around height 0, following the head bone (made once per process)."""

    def make() -> meshparts.Part:
        part = _from_bmesh(lambda bm: hair_mesh(bm, style, beard, 0.0, 1.0, 0), ("hair",))
        return part.following("head")

    return _cached(("hair", style, beard), make)


FACE_GLOW = 0.35  # the face's (and so the skin's) emission: people read in a dim set
WEIGHT_LEVELS = 20  # weights are set in steps of 1/20: one call per step and bone
CHILD_HEAD = 1.15  # a child's head against the rest of them, bigger than an adult's


SHIRT, HAT = (0.86, 0.86, 0.83), (0.12, 0.09, 0.07)


def _jacket(colour: list[float]) -> tuple[float, float, float]:
    """A jacket's tone: the top's colour, darker (still its hue, so the frame's people stay apart)."""
    return (colour[0] * 0.38 + 0.02, colour[1] * 0.38 + 0.02, colour[2] * 0.38 + 0.025)


def lib_materials() -> dict[str, Any]:
    from generation.engines.setlibrary.materials import EXTRA_MATERIALS, MATERIALS

    return {**MATERIALS, **EXTRA_MATERIALS}


def _trousers(colour: list[float]) -> tuple[float, float, float]:
    """Trousers that go with the top: a dark shade of it, or denim blue under a light one."""
    if sum(colour) / 3 > 0.45:
        return (0.08, 0.11, 0.2)
    return (colour[0] * 0.4 + 0.03, colour[1] * 0.4 + 0.03, colour[2] * 0.4 + 0.035)


# How each held thing sits in the right hand, in the posed figure's frame (X its left, -Y ahead, Z up): the
# turn of the library shape (degrees), and where its origin goes from the grip (metres at 1.75 m); "both" puts
# it between the hands. Shapes stand on their origin (cup, bottle, case) or lie flat on it (phone, book, paper).
HOLDS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float], bool]] = {
    "phone": ((-72.0, 0.0, 0.0), (0.015, -0.02, 0.07), False),
    "gun": ((180.0, 0.0, -140.0), (0.0, -0.03, 0.05), False),
    "rifle": ((0.0, -12.0, -90.0), (0.0, -0.22, 0.05), False),
    "glass": ((0.0, 0.0, 0.0), (0.0, -0.03, -0.03), False),
    "cup": ((0.0, 0.0, 0.0), (0.0, -0.035, -0.03), False),
    "bottle": ((0.0, 0.0, 0.0), (0.0, -0.03, -0.1), False),
    "knife": ((0.0, -70.0, -90.0), (0.0, -0.01, 0.04), False),
    "flowers": ((20.0, 0.0, 0.0), (0.0, -0.02, 0.0), False),
    "briefcase": ((0.0, 0.0, 0.0), (0.0, -0.02, -0.37), False),
    "bag": ((0.0, 0.0, 0.0), (0.0, -0.02, -0.5), False),
    "book": ((-62.0, 0.0, 0.0), (0.0, -0.03, 0.04), True),
    "paper": ((-65.0, 0.0, 0.0), (0.0, -0.03, 0.06), True),
}
FLOWERS = ("vinyl_red", "yellow", "paper")
HELD_SIZE = 1.2  # small held things a little over life size, so they read in a wide
# A glass in the hand: pale, so it reads against clothes (the set's glass is a dark window pane).
HELD_LOOKS = {"held:glass": {"base_color": [0.72, 0.8, 0.85], "roughness": 0.1, "metallic": 0.0}}


def held_shape(kind: str) -> meshparts.Part:
    """The held thing as a part at real size, its roles the materials of `setlibrary` ("held:<material>")."""
    from generation.engines.setlibrary.props import PROP_MATERIAL, prop_parts

    if kind == "flowers":  # no prop of their own: stems and a few blooms
        parts = [meshparts.cylinder((0.0, 0.0, -0.04), 0.012, 0.035, 0.26, "held:leaves")]
        for i in range(6):
            a = i * 2.4
            r = 0.035 if i else 0.0
            parts.append(meshparts.ellipsoid((r * math.cos(a), r * math.sin(a), 0.11 + 0.02 * (i % 2)),
                                             (0.032,) * 3, f"held:{FLOWERS[i % 3]}", u=8, v=5))  # fmt: skip
        return meshparts.join(parts)
    made = []
    for shape, centre, dims, role, rot in prop_parts(kind, (1.0, 1.0, 1.0)):
        name = "held:" + (PROP_MATERIAL.get(kind, "dark") if role == "main" else role)
        if shape == "box":
            made.append(meshparts.box(centre, dims, name, rot))
        elif shape in ("cyl", "cone"):
            made.append(meshparts.cylinder(centre, dims[0], dims[1], dims[2], name, rot))
        else:
            made.append(meshparts.ellipsoid(centre, dims if len(dims) == 3 else (dims[0],) * 3, name, rot))
    return meshparts.join(made)


def _held(fig: Figure, build: float, s: float) -> meshparts.Part:
    """What a holding figure holds (a pale book-sized box when the action names nothing), placed in the right
    hand's grip (or between the hands) of the posed figure, then carried back to where the hand's bone is at
    rest: it follows the hand.R bone alone."""
    posed = staging.pose_bones(fig.pose, fig.height, build, fig.body or "man")
    rest = staging.skeleton(fig.height, build, fig.body or "man")
    hand, other = posed["hand.R"], posed["hand.L"]
    grip = np.array(hand.head) + 0.6 * (np.array(hand.tail) - np.array(hand.head))
    if fig.held in HOLDS:
        rot, offset, both = HOLDS[fig.held]
        part = held_shape(fig.held)
        size = (s * (1.0 if fig.held in ("rifle", "bag", "briefcase") else HELD_SIZE),) * 3
    else:
        rot, offset, both = (0.0, 0.0, 0.0), (0.0, -0.03, 0.06), True
        part = meshparts.box((0.0, 0.0, 0.0), (1.0, 1.0, 1.0), "held")
        size = (0.2 * s, 0.05 * s, 0.26 * s)
    if both:
        grip = (np.array(hand.tail) + np.array(other.tail)) / 2
    where = meshparts.affine(grip + np.array(offset) * s, rot, size)  # in the posed figure
    back = np.eye(4)  # posed -> rest, about the hand's head
    back[:3, :3] = np.array(hand.turn).T
    back[:3, 3] = np.array(rest["hand.R"][0]) - back[:3, :3] @ np.array(hand.head)
    return part.moved(back @ where).following("hand.R")


def focus_camera(cam: Any, focus: str | None, fstop: float | None) -> bool:
    """Points the camera's depth of field at the named figure's head (left off until a final render turns it on)."""
    import bpy

    rig = bpy.data.objects.get(f"Rig {focus}") if focus else None
    if rig is None:
        return False
    cam.dof.focus_object, cam.dof.focus_subtarget = rig, "head"
    cam.dof.aperture_fstop = fstop or 2.8
    cam.dof.use_dof = False
    return True


def staging_report(spec_figures: list[Figure]) -> dict[str, Any]:
    """What the built scene holds of its people: each figure's rig, pose, posed head and where it lands in the
    camera's frame (x0, y0, x1, y1 as fractions, y up; None when it is wholly outside), and the focus."""
    import bpy
    import numpy as np
    from bpy_extras.object_utils import world_to_camera_view
    from mathutils import Vector

    scene = bpy.context.scene
    depsgraph = bpy.context.evaluated_depsgraph_get()
    cam = scene.camera
    figures = []
    for fig in spec_figures:
        rig, body = bpy.data.objects.get(f"Rig {fig.name}"), bpy.data.objects.get(f"Figure {fig.name}")
        if rig is None or body is None:
            continue
        evaluated = body.evaluated_get(depsgraph)
        mesh = evaluated.to_mesh()
        coords = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", coords)
        evaluated.to_mesh_clear()
        world = np.array(evaluated.matrix_world)
        points = coords.reshape(-1, 3) @ world[:3, :3].T + world[:3, 3]
        view = np.array(
            [tuple(world_to_camera_view(scene, cam, Vector(p))) for p in points[:: max(1, len(points) // 400)]]
        )
        ahead = view[view[:, 2] > 0]
        box = None
        if len(ahead):
            x0, y0 = float(np.clip(ahead[:, 0].min(), 0, 1)), float(np.clip(ahead[:, 1].min(), 0, 1))
            x1, y1 = float(np.clip(ahead[:, 0].max(), 0, 1)), float(np.clip(ahead[:, 1].max(), 0, 1))
            box = [x0, y0, x1, y1] if x1 > x0 and y1 > y0 else None
        posed = [b.name for b in rig.pose.bones if b.rotation_quaternion.angle > 1e-3]
        figures.append(
            {
                "name": fig.name,
                "rig": rig.name,
                "pose": fig.pose,
                "bones": len(rig.pose.bones),
                "posed_bones": posed,
                # Where each posed bone starts, in the world (to compare with `staging.joints`).
                "joints": {b.name: [round(c, 4) for c in rig.matrix_world @ b.head] for b in rig.pose.bones},
                "box": box,
                "world_height": float(points[:, 2].max() - points[:, 2].min()),
            }
        )
    dof = cam.data.dof
    return {
        "figures": figures,
        "focus": dof.focus_object.name.removeprefix("Rig ") if dof.focus_object is not None else "",
        "focus_bone": dof.focus_subtarget,
        "dof": bool(dof.use_dof),
        "fstop": dof.aperture_fstop,
    }
