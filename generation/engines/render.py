"""Building a set spec in Blender (`bpy`) and rendering it: draft (Workbench) or final (Cycles + OIDN).

No Django here, and `bpy` is imported inside the functions, so importing this module is cheap. The
functions run in whatever process calls them; the studio calls them in a warm child process through
`generation.engines.render_worker.RenderProcess` (re-exported here) so a render can be killed.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generation.engines import setlibrary as lib
from generation.engines.figures import build_figures, focus_camera, sphere, staging_report
from generation.engines.render_worker import RenderCancelled, RenderFailed, RenderProcess, get_render_process
from generation.engines.setschema import Material, SetSpec, Window

__all__ = [
    "RenderCancelled",
    "RenderFailed",
    "RenderProcess",
    "build_scene",
    "export_set",
    "get_render_process",
    "import_glb",
    "parse_render_stats",
    "render_frame",
]

ProgressFn = Callable[[float, str], None]
_STATS_TILES = re.compile(r"Rendered (\d+)/(\d+) Tiles(?:, Sample (\d+)/(\d+))?")
_STATS_SAMPLE = re.compile(r"Sample (\d+)/(\d+)")
_gpu_kind: list[str] = []  # the GPU backend found in this process ("" for none), probed once


def parse_render_stats(stats: str) -> tuple[float, str] | None:
    """(fraction of the render done, short message) from a `render_stats` string, or None if it says nothing.

    Cycles reports `Rendered 4/15 Tiles, Sample 3/8`: four tiles finished, the fifth at sample 3 of 8.
    """
    m = _STATS_TILES.search(stats)
    if m:
        done, tiles = int(m.group(1)), max(1, int(m.group(2)))
        sample, total = (int(m.group(3)), max(1, int(m.group(4)))) if m.group(3) else (0, 1)
        part = sample / total if sample < total else 0.0  # S/S: the tile just finished is not counted yet
        return min(1.0, (done + part) / tiles), f"{done}/{tiles} tiles, sample {sample}/{total}"
    m = _STATS_SAMPLE.search(stats)
    if m:
        return int(m.group(1)) / max(1, int(m.group(2))), f"sample {m.group(1)}/{m.group(2)}"
    for word, fraction, message in (
        ("Finished", 0.95, "rendered"),
        ("Denois", 0.97, "denoising"),
        ("Finishing", 0.99, "finishing"),
    ):
        if word in stats:
            return fraction, message
    return None


def _matrix(centre: Any, rot_deg: Any, size: Any = (1.0, 1.0, 1.0)) -> Any:
    from mathutils import Euler, Matrix

    rot = Euler([math.radians(a) for a in rot_deg]).to_matrix().to_4x4()
    return Matrix.Translation(centre) @ rot @ Matrix.Diagonal((*size, 1.0))


def _material(name: str, spec: Material) -> Any:
    import bpy

    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    base = list(spec.base_color)
    bsdf.inputs["Base Color"].default_value = (*base, 1.0)
    bsdf.inputs["Roughness"].default_value = spec.roughness
    bsdf.inputs["Metallic"].default_value = spec.metallic
    emission, strength = spec.emission or base, spec.emission_strength or 0.0  # both or neither
    if strength > 0:
        bsdf.inputs["Emission Color"].default_value = (*emission, 1.0)
        bsdf.inputs["Emission Strength"].default_value = strength
    shown = emission if strength > 0.5 else base  # Workbench shows the viewport colour
    mat.diffuse_color = (*shown, 1.0)
    mat.roughness, mat.metallic = spec.roughness, spec.metallic
    return mat


def _mesh(
    name: str,
    parts: list[lib.Part],
    mats: list[Any],
    roles: dict[str, int],
    matrix: Any = None,
    extra: Callable[[Any], None] | None = None,
) -> Any:
    """One object made of primitive parts; each part's faces get the material slot of its role."""
    import bmesh
    import bpy

    bm = bmesh.new()
    for shape, centre, dims, role, rot in parts:
        if shape == "box":
            made = bmesh.ops.create_cube(bm, size=1.0, matrix=_matrix(centre, rot, dims))
        elif shape in ("cyl", "cone"):
            made = bmesh.ops.create_cone(
                bm,
                cap_ends=True,
                segments=16,
                radius1=dims[0],
                radius2=dims[1],
                depth=dims[2],
                matrix=_matrix(centre, rot),
            )
        elif shape == "sphere":  # dims (r,) or the radii (rx, ry, rz) of an ellipsoid
            radii = dims if len(dims) == 3 else (dims[0],) * 3
            made = {"verts": sphere(bm, _matrix(centre, rot, radii), 16, 8)}
        else:
            made = bmesh.ops.create_icosphere(
                bm, subdivisions=1, radius=dims[0], matrix=_matrix(centre, rot, (1, 1, 0.6))
            )
        faces = {f for v in made["verts"] for f in v.link_faces}
        for face in faces:
            face.material_index = roles[role]
            face.smooth = shape == "sphere"
    if extra is not None:
        extra(bm)
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    for mat in mats:
        mesh.materials.append(mat)
    obj = bpy.data.objects.new(name, mesh)
    if matrix is not None:
        obj.matrix_world = matrix
    bpy.context.scene.collection.objects.link(obj)
    return obj


def _object(name: str, parts: list[lib.Part], materials: dict[str, Any], main: str, matrix: Any = None) -> Any:
    roles: dict[str, int] = {}
    mats: list[Any] = []
    for part in parts:
        role = part[3]
        if role not in roles:
            roles[role] = len(mats)
            mats.append(materials[main if role == "main" else role])
    return _mesh(name, parts, mats, roles, matrix)


def _wall(length: float, height: float, openings: list[Window]) -> list[tuple[float, float, float, float]]:
    """Rectangles (u0, u1, v0, v1) covering a wall of `length` x `height` around its window openings."""
    rects, u = [], -length / 2
    for win in sorted(openings, key=lambda w: w.offset):
        a = max(-length / 2, win.offset - win.width / 2)
        b = min(length / 2, win.offset + win.width / 2)
        top = min(height, win.sill + win.height)
        if a > u:
            rects.append((u, a, 0.0, height))
        rects += [(a, b, 0.0, win.sill), (a, b, top, height)]
        u = max(u, b)
    if u < length / 2:
        rects.append((u, length / 2, 0.0, height))
    return [r for r in rects if r[1] - r[0] > 1e-3 and r[3] - r[2] > 1e-3]


def _shell(spec: SetSpec, materials: dict[str, Any]) -> None:
    kind, dims = spec.location_type, spec.dimensions
    w, d, h = dims.width, dims.depth, dims.height
    o = (0.0, 0.0, 0.0)
    if kind == "car_interior":
        parts: list[lib.Part] = [
            ("box", (0, 0, -0.03), (w, d, 0.06), "car_shell", o),
            ("box", (0, 0, h + 0.03), (w + 0.1, d, 0.06), "car_shell", o),
            ("box", (0, d / 2 + 0.7, 0.3), (w + 0.1, 1.4, 0.6), "car_paint", o),
            ("box", (0, -d / 2, 0.45), (w, 0.06, 0.9), "car_shell", o),
        ]
        for sx in (-1, 1):
            parts.append(("box", (sx * w / 2, 0, 0.31), (0.06, d, 0.62), "car_shell", o))
            parts += [
                ("box", (sx * w / 2, y, (0.62 + h) / 2), (0.06, 0.08, h - 0.62), "car_shell", o)
                for y in (d / 2, -0.4, -d / 2)
            ]
        _object("Car cabin", parts, materials, "car_shell")
        _object("Road", [("box", (0, 0, -0.4), (200, 400, 0.1), "ground", o)], materials, "ground")
        return
    info = lib.LOCATION_TYPES[kind]
    if not info["interior"]:
        gw, gd = info.get("ground_size") or (w + 200, d + 200)
        centre_y = 0.0 if info.get("ground_size") else d / 2 - 20
        parts = [("box", (0, centre_y, info.get("ground_z", 0.0) - 0.05), (gw, gd, 0.1), "ground", o)]
        if info.get("road"):
            road = w / 2 - 3.5
            parts += [("box", (0, d / 2 - 15, 0.005), (2 * road, d + 40, 0.01), "road", o)]
            parts += [
                ("box", (sx * (road + 1.75), d / 2 - 15, 0.06), (3.5, d + 40, 0.12), "sidewalk", o) for sx in (-1, 1)
            ]
            parts += [("box", (0, -20 + 4 * i, 0.012), (0.12, 2.0, 0.01), "paper", o) for i in range(int(d / 4) + 10)]
        for centre, size in info.get("water", ()):
            parts.append(("box", centre, size, "water", o))
        _object("Ground", parts, materials, "ground")
        return
    parts = [
        ("box", (0, 0, -0.05), (w + 0.2, d + 0.2, 0.1), "floor", o),
        ("box", (0, 0, h + 0.05), (w + 0.2, d + 0.2, 0.1), "ceiling", o),
    ]
    walls = {"back": (w, (0.0, d / 2 + 0.05), 0.0), "front": (w, (0.0, -d / 2 - 0.05), 0.0),
             "left": (d, (-w / 2 - 0.05, 0.0), 90.0), "right": (d, (w / 2 + 0.05, 0.0), 90.0)}  # fmt: skip
    for name, (length, (cx, cy), yaw) in walls.items():
        openings = [win for win in spec.windows if win.wall == name]
        for u0, u1, v0, v1 in _wall(length + 0.2, h, openings):
            u = (u0 + u1) / 2
            # walls at yaw 90 run along y; window offsets are measured along +y there
            centre = (cx + (u if yaw == 0 else 0.0), cy + (u if yaw else 0.0), (v0 + v1) / 2)
            size = (u1 - u0, 0.1, v1 - v0) if yaw == 0 else (0.1, u1 - u0, v1 - v0)
            parts.append(("box", centre, size, "wall", o))
    _object("Room", parts, materials, "wall")


def _aim_rotation(position: Any, target: Any, roll_deg: float = 0.0) -> Any:
    from mathutils import Quaternion, Vector

    direction = Vector(target) - Vector(position)
    if direction.length < 1e-6:
        direction = Vector((0.0, 0.0, -1.0))
    quat = direction.to_track_quat("-Z", "Y")
    return (quat @ Quaternion((0.0, 0.0, 1.0), math.radians(roll_deg))).to_euler()


def _lights(spec: SetSpec) -> None:
    import bpy
    from mathutils import Vector

    scene = bpy.context.scene
    sun = spec.lights.sun
    el, az = math.radians(sun.elevation), math.radians(sun.azimuth)
    to_sun = Vector((math.sin(az) * math.cos(el), math.cos(az) * math.cos(el), math.sin(el)))
    if sun.strength > 0:
        data = bpy.data.lights.new("Sun", "SUN")
        data.energy, data.color, data.angle = sun.strength, sun.color, math.radians(2.0)
        obj = bpy.data.objects.new("Sun", data)
        obj.rotation_euler = to_sun.to_track_quat("Z", "Y").to_euler()
        scene.collection.objects.link(obj)
    scene.display.light_direction = to_sun.normalized()
    for i, pr in enumerate(spec.lights.practicals):
        kind = pr.kind.upper()
        data = bpy.data.lights.new(pr.name or f"Light {i + 1}", kind)
        data.energy, data.color = pr.power, pr.color
        if kind == "AREA":
            data.size = max(0.01, pr.size)
        else:
            data.shadow_soft_size = pr.size
        if kind == "SPOT":
            data.spot_size = math.radians(70.0)
        obj = bpy.data.objects.new(data.name, data)
        obj.location = pr.position
        obj.rotation_euler = _aim_rotation(pr.position, pr.aim)
        scene.collection.objects.link(obj)
    world = bpy.data.worlds.new("Sky")
    scene.world = world
    sky = spec.lights.sky
    world.color = sky.color
    world.use_nodes = True
    bg = world.node_tree.nodes["Background"]
    bg.inputs["Color"].default_value = (*sky.color, 1.0)
    bg.inputs["Strength"].default_value = sky.strength


def build_scene(spec: SetSpec) -> None:
    """Resets Blender and builds the set, its props, figures, lights and camera."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    materials = {name: _material(name, m) for name, m in spec.materials.items()}
    _shell(spec, materials)
    for i, pr in enumerate(spec.props):
        parts = lib.prop_parts(pr.kind, (pr.scale[0], pr.scale[1], pr.scale[2]))
        _object(f"{pr.kind.capitalize()} {i + 1}", parts, materials, pr.material, _matrix(pr.position, pr.rotation))
    build_figures(spec.characters, _material)
    _lights(spec)
    cam_spec = spec.camera
    cam = bpy.data.cameras.new("Camera")
    cam.lens, cam.sensor_width, cam.sensor_fit = cam_spec.lens_mm, cam_spec.sensor_mm, "HORIZONTAL"
    cam.clip_start, cam.clip_end = 0.03, 1000.0
    cam_obj = bpy.data.objects.new("Camera", cam)
    cam_obj.location = cam_spec.position
    cam_obj.rotation_euler = _aim_rotation(cam_spec.position, cam_spec.target, cam_spec.roll)
    scene.collection.objects.link(cam_obj)
    scene.camera = cam_obj
    focus_camera(cam, cam_spec.focus, cam_spec.fstop)
    render = spec.render
    scene.render.resolution_x, scene.render.resolution_y = render.resolution
    scene.render.resolution_percentage = 100
    scene.view_settings.exposure = render.exposure


def _cycles(scene: Any, samples: int, device: str) -> str:
    import bpy

    scene.render.engine = "CYCLES"
    cy = scene.cycles
    cy.samples, cy.use_adaptive_sampling = samples, False
    cy.use_denoising, cy.denoiser, cy.denoising_input_passes = True, "OPENIMAGEDENOISE", "RGB_ALBEDO_NORMAL"
    cy.denoising_quality = "BALANCED"
    cy.use_auto_tile, cy.tile_size = True, 128
    cy.max_bounces, cy.diffuse_bounces, cy.glossy_bounces = 4, 2, 2
    cy.transmission_bounces, cy.volume_bounces, cy.transparent_max_bounces = 2, 0, 4
    cy.caustics_reflective = cy.caustics_refractive = False
    cy.device = "CPU"
    scene.view_settings.view_transform, scene.view_settings.look = "AgX", "AgX - Medium High Contrast"
    if device == "cpu":
        return "CPU"
    prefs = bpy.context.preferences.addons["cycles"].preferences
    if not _gpu_kind:
        found = ""
        for kind in ("OPTIX", "CUDA"):
            try:
                prefs.compute_device_type = kind
                prefs.get_devices()
            except (TypeError, ValueError):
                continue
            if any(dev.type == kind for dev in prefs.devices):
                found = kind
                break
        _gpu_kind.append(found)
    kind = _gpu_kind[0]
    if not kind:
        return "CPU"
    prefs.compute_device_type = kind
    prefs.get_devices()
    for dev in prefs.devices:
        dev.use = dev.type == kind
    cy.device = "GPU"
    return kind


def _workbench(scene: Any, spec: SetSpec) -> None:
    """Workbench has no scene lights: the time of day colours the set's materials and sky instead (a night
    draft is dark blue), while faces and lit practicals keep their own colours so they still read."""
    import bpy

    scene.render.engine = "BLENDER_WORKBENCH"
    shading = scene.display.shading
    shading.light, shading.color_type = "STUDIO", "TEXTURE"
    shading.studio_light = "paint.sl"  # of Blender's studio lights, the one that lights faces from the front
    shading.show_cavity = False
    # The sun's stencil shadow: outdoors it grounds the figures; indoors the ceiling would shade the whole room.
    shading.show_shadows = not lib.LOCATION_TYPES.get(spec.location_type, {}).get("interior", False)
    # A low morning or afternoon sun's long shadows are what say the hour: they are drawn a little darker.
    shading.shadow_intensity = DRAFT_SHADOW.get(spec.time_of_day, 0.4)
    scene.display.render_aa = "FXAA"  # 5-8 samples cost 0.15-0.3 s more per 640x360 draft
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.exposure = 0.0  # the exposure is for Cycles' lamps; the tint darkens a draft
    tint = _draft_tint(spec)
    faces: list[tuple[str, Any]] = []
    for mat in bpy.data.materials:
        if mat.name.startswith("Face "):
            tex = mat.node_tree.nodes.active if mat.node_tree else None
            if tex is not None and getattr(tex, "image", None) is not None:
                tex.image = _legible(tex.image)
                faces.append((mat.name.removeprefix("Face "), tex.image))
        elif not _glows(mat):
            mat.diffuse_color = (*(c * t for c, t in zip(mat.diffuse_color[:3], tint, strict=True)), 1.0)
    for name, image in faces:  # the skin matches the portrait's faded border, lifted like the face and not tinted
        skin = bpy.data.materials.get(f"Skin {name}")
        if skin is not None and image.size[0] > 0:
            corner = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in image.pixels[:3]]
            skin.diffuse_color = (*corner, 1.0)
    if scene.world is not None:
        scene.world.color = tuple(min(1.0, c * max(0.25, spec.lights.sky.strength)) for c in spec.lights.sky.color)


def _glows(mat: Any) -> bool:
    """A lit practical (a lamp shade): Workbench shows its emission colour, which no time of day dims."""
    bsdf = mat.node_tree.nodes.get("Principled BSDF") if mat.use_nodes and mat.node_tree else None
    return bsdf is not None and bsdf.inputs["Emission Strength"].default_value > 0.5


DRAFT_FACE_LEVEL = 0.5  # how bright (mean sRGB luminance) the part of a portrait on the head is, at least


def _legible(image: Any) -> Any:
    """A copy of a portrait lifted (a gamma curve: black stays black, white stays white) until the part the
    head shows averages DRAFT_FACE_LEVEL, so a dark portrait in a dim draft still reads; bright ones are kept."""
    import bpy
    import numpy as np

    w, h = image.size
    if w == 0 or h == 0:
        return image
    pixels = np.empty(w * h * image.channels, dtype=np.float32)
    image.pixels.foreach_get(pixels)
    rgba = pixels.reshape(h, w, image.channels).copy()
    weights = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    shown = np.clip(rgba[int(0.1 * h) : int(0.9 * h), int(0.1 * w) : int(0.9 * w), :3], 0.0, 1.0)

    def level(gamma: float) -> float:
        return float((shown**gamma @ weights).mean())

    if level(1.0) >= DRAFT_FACE_LEVEL:
        return image
    low, high = 0.1, 1.0
    for _ in range(14):  # the largest gamma (the gentlest lift) that reaches the level
        mid = (low + high) / 2
        low, high = (mid, high) if level(mid) >= DRAFT_FACE_LEVEL else (low, mid)
    rgba[..., :3] = np.clip(rgba[..., :3], 0.0, 1.0) ** low
    if image.channels != 4:
        rgba = np.dstack([rgba[..., :3], np.ones((h, w, 1), dtype=np.float32)])
    copy = bpy.data.images.new(f"{image.name} (draft)", w, h, alpha=True)
    copy.pixels.foreach_set(rgba.reshape(-1))
    return copy


# Cycles at night: everything but the bright practicals is pulled down to this dark blue (a day-for-night
# grade); light between NIGHT_KEEP's two levels (scene-linear luminance) is blended back towards its own colour.
NIGHT_BLUE = (0.2, 0.28, 0.66)
NIGHT_KEEP = (0.35, 1.5)


def _compositor(scene: Any, spec: SetSpec, depth_dir: str, night: bool) -> None:
    """Depth to an EXR (File Output), fog mixed in by depth, and at night (Cycles) a blue grade that spares
    the practicals."""
    import bpy

    scene.view_layers[0].use_pass_z = True
    tree = bpy.data.node_groups.new("Compositing", "CompositorNodeTree")
    tree.interface.new_socket("Image", in_out="OUTPUT", socket_type="NodeSocketColor")
    scene.compositing_node_group = tree
    scene.render.use_compositing = True
    nodes, links = tree.nodes, tree.links
    layers = nodes.new("CompositorNodeRLayers")
    image = layers.outputs["Image"]
    fog = spec.fog
    if fog.density > 0:
        scaled = nodes.new("ShaderNodeMath")
        scaled.operation, scaled.inputs[1].default_value = "MULTIPLY", -fog.density
        links.new(layers.outputs["Depth"], scaled.inputs[0])
        expo = nodes.new("ShaderNodeMath")
        expo.operation = "EXPONENT"
        links.new(scaled.outputs[0], expo.inputs[0])
        factor = nodes.new("ShaderNodeMath")
        factor.operation, factor.inputs[0].default_value = "SUBTRACT", 1.0
        links.new(expo.outputs[0], factor.inputs[1])
        image = _mix(tree, "MIX", image, (*fog.color, 1.0), factor.outputs[0])
    if night:
        grey = nodes.new("CompositorNodeRGBToBW")
        links.new(image, grey.inputs[0])
        keep = nodes.new("ShaderNodeMapRange")
        keep.clamp = True
        keep.inputs["From Min"].default_value, keep.inputs["From Max"].default_value = NIGHT_KEEP
        links.new(grey.outputs[0], keep.inputs["Value"])
        blue = _mix(tree, "MULTIPLY", image, (*NIGHT_BLUE, 1.0), None)
        image = _mix(tree, "MIX", blue, (0.0, 0.0, 0.0, 1.0), keep.outputs["Result"], b=image)
    out = nodes.new("NodeGroupOutput")
    links.new(image, out.inputs[0])
    files = nodes.new("CompositorNodeOutputFile")
    files.format.media_type, files.format.file_format = "IMAGE", "OPEN_EXR"
    files.format.color_depth, files.format.color_mode = "32", "RGB"
    files.directory, files.file_name = depth_dir, "depth"
    files.file_output_items.new("FLOAT", "z")
    links.new(layers.outputs["Depth"], files.inputs["z"])


def _mix(tree: Any, blend: str, a: Any, colour: tuple[float, ...], factor: Any, b: Any = None) -> Any:
    mix = tree.nodes.new("ShaderNodeMix")
    mix.data_type, mix.blend_type = "RGBA", blend
    inputs = [s for s in mix.inputs if s.enabled]  # Factor, A, B of the colour variant
    if factor is None:
        inputs[0].default_value = 1.0
    else:
        tree.links.new(factor, inputs[0])
    tree.links.new(a, inputs[1])
    if b is None:
        inputs[2].default_value = colour
    else:
        tree.links.new(b, inputs[2])
    return next(s for s in mix.outputs if s.enabled)


DRAFT_LEVEL = {"day": 1.0, "afternoon": 0.94, "morning": 0.88, "dawn": 0.7, "dusk": 0.6, "night": 0.3}
DRAFT_SHADOW = {"morning": 0.55, "afternoon": 0.5}
DRAFT_WEATHER = {"clear": 1.0, "overcast": 0.85, "rain": 0.75, "fog": 0.85, "snow": 0.95}


def _draft_tint(spec: SetSpec) -> tuple[float, float, float]:
    """The colour a draft's set is multiplied by for its time of day: day white, dawn and dusk warm, night a
    dark blue. The darker the hour, the more the sky's colour (rather than the sun's) sets the hue."""
    sun, sky = spec.lights.sun, spec.lights.sky
    level = DRAFT_LEVEL.get(spec.time_of_day, 1.0) * DRAFT_WEATHER.get(spec.weather, 1.0)
    peak = max(max(sky.color), 1e-3)
    w = 1.0 - level
    r, g, b = (level * ((1 - w) * s + w * c / peak) for s, c in zip(sun.color, sky.color, strict=True))
    return r, g, b


def _write_depth(depth_dir: str, target: str) -> tuple[float, float]:
    """Reads the depth EXR, writes it as a 16-bit PNG (0 = nearest, 65535 = farthest or sky); returns (near, far)."""
    import bpy
    import numpy as np
    from PIL import Image

    files = sorted(Path(depth_dir).glob("*.exr"))
    if not files:
        raise RuntimeError("the compositor wrote no depth pass")
    img = bpy.data.images.load(str(files[0]))
    try:
        w, h, ch = img.size[0], img.size[1], img.channels
        pixels = np.empty(w * h * ch, dtype=np.float32)
        img.pixels.foreach_get(pixels)
    finally:
        bpy.data.images.remove(img)
    depth = pixels.reshape(h, w, ch)[::-1, :, 0]
    finite = depth[depth < 1e8]
    near, far = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    norm = np.clip((depth - near) / max(far - near, 1e-6), 0.0, 1.0)
    norm[depth >= 1e8] = 1.0
    Image.fromarray((norm * 65535 + 0.5).astype(np.uint16)).save(target, format="PNG")
    return near, far


def render_frame(
    spec: SetSpec,
    out_dir: str | Path,
    *,
    mode: str = "draft",
    on_progress: ProgressFn | None = None,
    device: str = "auto",
    token: str = "",
) -> dict[str, Any]:
    """Renders `frame.png` and `depth.png` into out_dir (atomically); returns paths, timings and engine.

    Temporary files are named `.frame-<token>*` / `.depth-<token>*`, so whoever kills a render can remove them.
    """
    import bpy

    if mode not in ("draft", "final"):
        raise ValueError(f"mode must be draft or final (got {mode!r})")
    report = on_progress or (lambda fraction, message: None)
    started = time.perf_counter()
    report(0.0, "building the set")
    build_scene(spec)
    scene = bpy.context.scene
    samples = spec.render.samples
    if mode == "final":
        engine = _cycles(scene, samples, device)
        # The speaker (or the shot's first subject) is the sharp one; a draft keeps everything sharp.
        scene.camera.data.dof.use_dof = scene.camera.data.dof.focus_object is not None
    else:
        _workbench(scene, spec)
        engine, samples = "WORKBENCH", 1
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    token = token or uuid.uuid4().hex[:8]
    depth_dir = tempfile.mkdtemp(prefix=f".depth-{token}-", dir=out)
    tmp_frame, tmp_depth = out / f".frame-{token}.png", out / f".depth-{token}.png"
    _compositor(scene, spec, depth_dir, mode == "final" and spec.time_of_day == "night")
    scene.render.filepath = str(tmp_frame)
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    staged = staging_report(spec.characters)
    built = time.perf_counter() - started
    report(0.1, f"rendering ({engine})")
    last = [0.1]
    # When Cycles started sampling and denoising (its own thread reports them): where a frame's time goes.
    marks: dict[str, float] = {}

    def on_stats(stats: Any, *_: Any) -> None:
        try:
            text = str(stats)
            now = time.perf_counter()
            if "sampling" not in marks and "Sample " in text:
                marks["sampling"] = now
            elif "finished" not in marks and "Finished" in text:
                marks["finished"] = now  # sampling done (for one-tile renders, OIDN included)
            elif "denoising" not in marks and "Denoising" in text:
                marks["denoising"] = now  # tiled renders denoise the full buffer after the tiles
            elif "denoising" in marks and "denoised" not in marks and ("Finishing" in text or "Compositing" in text):
                marks["denoised"] = now
            parsed = parse_render_stats(text)
            if parsed is None:
                return
            fraction = 0.1 + 0.85 * parsed[0]
            if fraction >= last[0] + 0.01:
                last[0] = fraction
                report(fraction, parsed[1])
        except Exception:  # noqa: S110 - never let progress reporting break a render
            pass

    bpy.app.handlers.render_stats.append(on_stats)
    try:
        render_started = time.perf_counter()
        bpy.ops.render.render(write_still=True)
        render_ended = time.perf_counter()
        if not tmp_frame.is_file():
            raise RuntimeError("Blender wrote no frame")
        near, far = _write_depth(depth_dir, str(tmp_depth))
        os.replace(tmp_frame, out / "frame.png")
        os.replace(tmp_depth, out / "depth.png")
    finally:
        if on_stats in bpy.app.handlers.render_stats:
            bpy.app.handlers.render_stats.remove(on_stats)
        shutil.rmtree(depth_dir, ignore_errors=True)
        tmp_frame.unlink(missing_ok=True)
        tmp_depth.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    phases = {"build": built, "render": render_ended - render_started}
    if {"sampling", "finished"} <= marks.keys():
        # sync (scene, BVH, kernels) → sampling → denoise (OIDN) → finish (buffers, compositor, saving).
        phases["sync"] = marks["sampling"] - render_started
        if marks.get("denoising", render_ended) < marks["finished"]:  # denoised before Cycles said "Finished"
            phases["sampling"] = marks["denoising"] - marks["sampling"]
            phases["denoise"] = marks["finished"] - marks["denoising"]
            phases["finish"] = render_ended - marks["finished"]
        else:  # tiled: the full buffer is denoised after the tiles ("Finished", then "Denoising")
            phases["sampling"] = marks["finished"] - marks["sampling"]
            if {"denoising", "denoised"} <= marks.keys():
                phases["denoise"] = marks["denoised"] - marks["denoising"]
            phases["finish"] = render_ended - marks["finished"] - phases.get("denoise", 0.0)
    report(1.0, "done")
    return {
        "png": str(out / "frame.png"),
        "depth": str(out / "depth.png"),
        "depth_near": near,
        "depth_far": far,
        "seconds": round(seconds, 3),
        "build_seconds": round(built, 3),
        "phases": {name: round(value, 3) for name, value in phases.items()},
        "engine": engine if mode == "draft" else f"CYCLES-{engine}",
        "samples": samples,
        "mode": mode,
        "resolution": list(spec.render.resolution),
        "staging": staged,
    }


def export_set(spec: SetSpec, out_dir: str | Path, token: str = "") -> dict[str, str]:
    """Writes the built set as `set.blend` (portraits packed) and `set.glb` into out_dir, atomically."""
    import bpy

    build_scene(spec)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    token = token or uuid.uuid4().hex[:8]
    tmp_blend, tmp_glb = out / f".set-{token}.blend", out / f".set-{token}.glb"
    try:
        for image in bpy.data.images:
            if image.source == "FILE" and not image.packed_file:
                image.pack()
        bpy.ops.wm.save_as_mainfile(filepath=str(tmp_blend), copy=True, check_existing=False)
        bpy.ops.export_scene.gltf(filepath=str(tmp_glb), export_format="GLB", export_cameras=True, export_lights=True)
        os.replace(tmp_blend, out / "set.blend")
        os.replace(tmp_glb, out / "set.glb")
    finally:
        tmp_blend.unlink(missing_ok=True)
        tmp_glb.unlink(missing_ok=True)
    return {"blend": str(out / "set.blend"), "glb": str(out / "set.glb")}


def import_glb(path: str | Path) -> dict[str, Any]:
    """Re-imports a .glb into an empty scene; returns object counts by type and the object names."""
    import bpy

    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.ops.import_scene.gltf(filepath=str(path))
    objects = list(bpy.context.scene.objects)
    count = lambda kind: sum(1 for o in objects if o.type == kind)  # noqa: E731
    return {
        "objects": len(objects),
        "meshes": count("MESH"),
        "cameras": count("CAMERA"),
        "lights": count("LIGHT"),
        "images": len(bpy.data.images),
        "names": sorted(o.name for o in objects),
    }
