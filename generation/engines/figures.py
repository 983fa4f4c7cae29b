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
from typing import Any

from generation.engines import staging
from generation.engines.setschema import Figure, Material

SKIN, HAIR = (0.8, 0.6, 0.48), (0.14, 0.09, 0.06)
SHOES = (0.08, 0.07, 0.07)
HELD = (0.85, 0.8, 0.7)  # what a holding figure holds: a pale book-sized box
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
    bsdf.inputs["Emission Strength"].default_value = 0.6
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


def head_mesh(bm: Any, fig: Figure, head_z: float, s: float, slots: dict[str, int], image: Any) -> None:
    """An ellipsoid head whose front carries the portrait, projected from the front (or a plain face)."""
    import bmesh
    from mathutils import Matrix

    rx, ry, rz, cy = 0.1 * s, 0.11 * s, 0.13 * s, 0.01 * s
    matrix = Matrix.Translation((0.0, cy, head_z)) @ Matrix.Diagonal((rx, ry, rz, 1.0))
    made = sphere(bm, matrix, 24, 14)
    uv = bm.loops.layers.uv.get("UVMap") or bm.loops.layers.uv.new("UVMap")
    margin = 0.1  # the face of a portrait rarely reaches its edges
    u_span, v_span = 1.0 - 2 * margin, 1.0 - 2 * margin
    if image is not None:
        aspect = (image.size[0] / max(1, image.size[1])) * (rz / rx)
        u_span = v_span / aspect if aspect > 1 else u_span
        v_span = u_span * aspect if aspect <= 1 else v_span
    faces = {f for v in made for f in v.link_faces}
    for face in faces:
        c = face.calc_center_median()
        ny, nz = (c.y - cy) / ry, (c.z - head_z) / rz
        front = ny < -0.25 and nz < 0.72
        face.material_index = slots["face" if front and image is not None else "skin" if front else "hair"]
        face.smooth = True
        for loop in face.loops:
            co = loop.vert.co
            loop[uv].uv = (0.5 + (co.x / rx) * u_span / 2, 0.5 + ((co.z - head_z) / rz) * v_span / 2)
    if image is None:  # a neutral face: eyes and a mouth
        for sx in (-1, 1):
            eye = Matrix.Translation((sx * 0.038 * s, cy - ry * 0.9, head_z + 0.02 * s))
            for f in sphere(bm, eye @ Matrix.Scale(0.014 * s, 4), 8, 6):
                for face in f.link_faces:
                    face.material_index = slots["hair"]
        mouth = Matrix.Translation((0.0, cy - ry * 0.84, head_z - 0.055 * s)) @ Matrix.Diagonal(
            (0.05 * s, 0.01, 0.008 * s, 1)
        )
        for v in bmesh.ops.create_cube(bm, size=1.0, matrix=mouth)["verts"]:
            for face in v.link_faces:
                face.material_index = slots["hair"]


# A part of the body: (shape, bone, role, radii at the bone's head and tail in units of the figure's scale).
# "capsule" is a tapered cylinder along the bone with a ball at each end; "ball" an ellipsoid around the bone.
BODY: list[tuple[str, str, str, tuple[float, float, float]]] = [
    ("ball", "hips", "legs", (0.165, 0.105, 0.06)),
    ("ball", "spine", "costume", (0.145, 0.095, 0.1)),
    ("ball", "chest", "costume", (0.17, 0.1, 0.06)),
    ("capsule", "neck", "skin", (0.048, 0.045, 0.0)),
]
for _side in ("L", "R"):
    BODY += [
        ("capsule", f"upper_arm.{_side}", "costume", (0.048, 0.042, 0.0)),
        ("capsule", f"forearm.{_side}", "costume", (0.04, 0.033, 0.0)),
        ("ball", f"hand.{_side}", "skin", (0.04, 0.03, 0.0)),
        ("capsule", f"thigh.{_side}", "legs", (0.078, 0.056, 0.0)),
        ("capsule", f"shin.{_side}", "legs", (0.056, 0.044, 0.0)),
        ("ball", f"foot.{_side}", "shoes", (0.05, 0.045, 0.03)),
    ]
SEGMENTS = 10  # around a limb: enough for a 640x360 frame, cheap to build and skin


def _add_part(bm: Any, shape: str, head: Any, tail: Any, radii: tuple[float, float, float], s: float) -> list[Any]:
    """The vertices of one body part, built at rest along its bone (armature space)."""
    import bmesh
    from mathutils import Matrix, Vector

    axis = tail - head
    length = axis.length
    turn = Vector((0.0, 0.0, 1.0)).rotation_difference(axis.normalized()).to_matrix().to_4x4()
    centre = (head + tail) / 2
    if shape == "ball":  # an ellipsoid: radii across, half the bone's length plus radii[2] along it
        along = length / 2 + radii[2] * s
        matrix = Matrix.Translation(centre) @ turn @ Matrix.Diagonal((radii[0] * s, radii[1] * s, along, 1.0))
        return sphere(bm, matrix, SEGMENTS + 2, 7)
    r1, r2 = radii[0] * s, radii[1] * s
    made = bmesh.ops.create_cone(
        bm,
        cap_ends=False,
        segments=SEGMENTS,
        radius1=r1,
        radius2=r2,
        depth=length,
        matrix=Matrix.Translation(centre) @ turn,
    )["verts"]
    verts = list(made)
    for point, r in ((head, r1), (tail, r2)):  # rounded joints: the limb reads as one piece when bent
        verts += sphere(bm, Matrix.Translation(point) @ Matrix.Scale(r, 4), SEGMENTS, 6)
    return verts


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
        for bone, (head, tail, parent) in staging.skeleton(fig.height, fig.build or 1.0).items():
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

    down = staging.drop(fig.pose, fig.height, fig.build or 1.0, fig.seat_height)
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
    """Poses the rig and skins the figure's body, head and clothes to it."""
    import bmesh
    import bpy
    from mathutils import Matrix, Vector

    name, build = fig.name, fig.build or 1.0
    s = fig.height / 1.75
    rest = staging.skeleton(fig.height, build)
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

    colour = list(fig.color)
    mats = {
        "costume": material(f"Costume {name}", Material(base_color=colour, roughness=0.8, metallic=0.0)),
        "legs": material(f"Legs {name}", Material(base_color=[c * 0.45 for c in colour], roughness=0.8, metallic=0.0)),
        "skin": material(f"Skin {name}", Material(base_color=list(SKIN), roughness=0.6, metallic=0.0)),
        "hair": material(f"Hair {name}", Material(base_color=list(HAIR), roughness=0.7, metallic=0.0)),
        "shoes": material(f"Shoes {name}", Material(base_color=list(SHOES), roughness=0.5, metallic=0.0)),
    }
    image = portrait_image(fig.portrait_path)
    if image is not None:
        mats["face"] = portrait_material(name, image)
    if fig.pose in staging.HELD_PROP_POSES:
        mats["held"] = material(f"Held {name}", Material(base_color=list(HELD), roughness=0.6, metallic=0.0))
    slots = {k: i for i, k in enumerate(mats)}
    groups = {bone: i for i, bone in enumerate(rest)}
    bm = bmesh.new()
    deform = bm.verts.layers.deform.verify()

    def skin(verts: Any, bone: str, role: str) -> None:
        for vert in verts:
            vert[deform][groups[bone]] = 1.0
            for face in vert.link_faces:
                face.material_index = slots[role]
                face.smooth = True

    for shape, bone, role, radii in BODY:
        head, tail, _ = rest[bone]
        r = (radii[0] * build, radii[1] * (build if shape == "capsule" else 1.0), radii[2])
        skin(_add_part(bm, shape, Vector(head), Vector(tail), r, s), bone, role)
    before = set(bm.verts)
    head_bone = rest["head"]
    head_mesh(bm, fig, (head_bone[0][2] + head_bone[1][2]) / 2, s, slots, image)
    for vert in set(bm.verts) - before:
        vert[deform][groups["head"]] = 1.0
    if fig.pose in staging.HELD_PROP_POSES:
        _held(bm, fig, build, s, deform, groups["hand.R"], slots["held"])
    mesh = bpy.data.meshes.new(f"Figure {name}")
    bm.to_mesh(mesh)
    bm.free()
    for mat in mats.values():
        mesh.materials.append(mat)
    body = bpy.data.objects.new(f"Figure {name}", mesh)
    for bone in rest:
        body.vertex_groups.new(name=bone)
    body.parent = rig
    body.modifiers.new("Rig", "ARMATURE").object = rig
    scene.collection.objects.link(body)
    return rig


def _held(bm: Any, fig: Figure, build: float, s: float, deform: Any, group: int, slot: int) -> None:
    """A box between a holding figure's hands, built where the right hand's bone carries it into place."""
    import bmesh
    from mathutils import Matrix, Vector

    posed = staging.pose_bones(fig.pose, fig.height, build)
    rest = staging.skeleton(fig.height, build)
    hand, other = posed["hand.R"], posed["hand.L"]
    target = Vector([(a + b) / 2 for a, b in zip(hand.tail, other.tail, strict=True)]) + Vector(
        (0.0, -0.03 * s, 0.06 * s)
    )
    back = Matrix(hand.turn).transposed()  # posed -> rest, about the hand's head
    at_rest = back @ (target - Vector(hand.head)) + Vector(rest["hand.R"][0])
    matrix = Matrix.Translation(at_rest) @ back.to_4x4() @ Matrix.Diagonal((0.2 * s, 0.05 * s, 0.26 * s, 1.0))
    for vert in bmesh.ops.create_cube(bm, size=1.0, matrix=matrix)["verts"]:
        vert[deform][group] = 1.0
        for face in vert.link_faces:
            face.material_index = slot


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
