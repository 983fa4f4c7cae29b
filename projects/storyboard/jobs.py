"""Job runners for the storyboard: shots become set specs, set specs become frames rendered in Blender.

Blender renders in a warm child process of the worker (generation.engines.render_worker), so cancel
kills only that child (SIGKILL is the one thing that stops a render) and the worker's text and face
models stay loaded. Each render writes into the job's own folder; the frame points at the new
pictures only once they exist, so a failed render leaves the previous frame as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generation import kinds
from generation.engines.base import JobCancelled as JobCancelledError
from generation.engines.base import JobContext, JobFailed
from generation.kinds import JobKind
from generation.paths import project_media_root
from projects import fountain
from projects.jobs.selectors import job_scope
from projects.media import project_file
from projects.models import Frame, Project, RenderMode, Scene
from projects.script import services as script_services
from projects.storyboard import forms, selectors, sets
from projects.storyboard import services as storyboard_services
from projects.storyboard.sets import derive_spec, with_current_faces

__all__ = ["export_frame_set", "render_frame", "render_scene", "render_stale", "stylize_frame"]


def _plan_shots(project: Project, scene: Scene, text: str) -> None:
    """A scene without a shot list gets one planned from its structure (wide, mediums, close-ups, inserts)."""
    from generation.engines import breakdown_writing

    body = "\n".join(sets.scene_lines(text, scene))
    parsed = fountain.parse(body)
    offset = scene.start_line - 1
    # A dual-dialogue cue keeps its Fountain mark, so the plan puts both speeches in one two-shot.
    elements = [
        (e.kind, f"{e.text} ^" if e.dual else e.text, e.start_line + offset, e.end_line + offset)
        for e in parsed.elements
    ]
    plans = breakdown_writing.plan_shots(elements, list(scene.characters))
    script_services.shot_list_replace(
        scene_id=scene.pk,
        shots=[
            {
                "shot_type": p.shot_type,
                "camera_angle": p.camera_angle,
                "lens_mm": p.lens_mm,
                "subjects": p.subjects,
                "description": sets.first_sentence(p.description or p.source) or f"{p.shot_type} of the scene",
                "start_line": p.start_line,
                "end_line": p.end_line,
                "provenance": {"planned_by": "script structure (no model)"},
            }
            for p in plans
        ],
    )


def _rel(project: Project, path: str | Path) -> str:
    return str(Path(path).resolve().relative_to(project_media_root(project.public_id).resolve()))


def _render(
    ctx: JobContext, job_pk: int, frame: Frame, params: forms.Render, share: tuple[float, float], label: str
) -> dict[str, Any]:
    from generation.engines.render_worker import RenderFailed, get_render_process

    mode, scale = params.mode, params.scale
    spec = with_current_faces(frame.project, frame.set_spec)
    if scale != 100 and "render" in spec:
        width, height = spec["render"]["resolution"]
        size = [max(64, round(width * scale / 100 / 2) * 2), max(64, round(height * scale / 100 / 2) * 2)]
        spec = {**spec, "render": {**spec["render"], "resolution": size}}
    version = frame.spec_version
    out_dir = ctx.output_dir / "frames" / str(frame.public_id)
    start, end = share

    def progress(fraction: float, message: str) -> None:
        ctx.report(start + (end - start) * fraction, 1.0, f"{label}: {message}", None)

    try:
        result = get_render_process().render(spec, out_dir, mode, on_progress=progress, should_cancel=ctx.cancelled)
    except RenderFailed as exc:
        storyboard_services.frame_record_failure(frame_id=frame.pk, job_id=job_pk, error=str(exc))
        raise JobFailed(f"{label} could not be rendered: {exc} The previous picture was kept.") from exc
    files = {"image": _rel(frame.project, result["png"]), "depth": _rel(frame.project, result["depth"])}
    storyboard_services.frame_record_render(
        frame_id=frame.pk, job_id=job_pk, spec_version=version, files=files, info={**result, "mode": mode}
    )
    preview = str(Path(result["png"]).resolve().relative_to(ctx.output_dir.resolve()))
    ctx.report(end, 1.0, f"{label}: rendered in {result['seconds']:.1f} s ({result['engine']})", preview)
    return result


def _render_many(ctx: JobContext, frames: list[Frame], params: forms.Render) -> dict[str, Any]:
    if not frames:
        return {"summary": [["Frames", "nothing to render"]], "frames": []}
    job_pk = job_scope(job_id=ctx.job_id).job.pk
    seconds = []
    for i, frame in enumerate(frames):
        ctx.check_cancelled()
        label = f"Frame {i + 1} of {len(frames)} ({frame.get_shot_type_display().lower()})"
        result = _render(ctx, job_pk, frame, params, (i / len(frames), (i + 1) / len(frames)), label)
        seconds.append(result["seconds"])
    return {
        "summary": [
            ["Frames", len(frames)],
            ["Mode", RenderMode(params.mode).label],
            ["Time per frame", f"{sum(seconds) / len(seconds):.1f} s"],
        ],
        "frames": [str(f.public_id) for f in frames],
    }


def render_scene(params: forms.RenderScene, ctx: JobContext) -> dict[str, Any]:
    """A scene's shot list (planned from the script if it has none) rendered into storyboard frames;
    without a scene, every scene of the script in order."""
    project = job_scope(job_id=ctx.job_id).project
    scenes = selectors.scenes_to_render(project=project, scene_public_id=params.scene)
    if not scenes and params.scene:
        raise JobFailed("That scene is no longer in the script (its heading may have changed).")
    if not scenes:
        raise JobFailed("The script has no scenes yet.")
    text = script_services.screenplay_for(project).text
    frames: list[Frame] = []
    for scene in scenes:
        shots = selectors.scene_shots(scene=scene)
        if not shots:
            ctx.on_progress(0, 1, f"Planning shots for scene {scene.number} from the script")
            _plan_shots(project, scene, text)
            shots = selectors.scene_shots(scene=scene)
        specs = [derive_spec(project, scene, shot, text) for shot in shots]
        frames += storyboard_services.frames_for_scene(project=project, scene=scene, text=text, specs=specs)
    ctx.on_progress(0.01, 1, f"Built {len(frames)} set(s)")
    if params.only == "stale":
        frames = [f for f in frames if f.needs_render or f.is_stale]
    result = _render_many(ctx, frames, params)
    label = f"{scenes[0].number}. {scenes[0].heading}" if len(scenes) == 1 else f"all {len(scenes)} scenes"
    result["summary"].insert(0, ["Scene", label])
    return result


def render_frame(params: forms.RenderFrame, ctx: JobContext) -> dict[str, Any]:
    """One frame again, with its set spec as it is now (after someone relit or moved the camera)."""
    project = job_scope(job_id=ctx.job_id).project
    frame = selectors.frame_for_job(project=project, public_id=params.frame)
    result = _render_many(ctx, [frame], params)
    result["summary"].insert(0, ["Frame", str(frame)])
    return result


def render_stale(params: forms.RenderStale, ctx: JobContext) -> dict[str, Any]:
    """Only the frames whose script lines changed, or whose set spec changed since their last render."""
    project = job_scope(job_id=ctx.job_id).project
    chosen = selectors.frames_to_refresh(project=project, scene_public_id=params.scene)
    # A stale frame's shot text changed: refresh its notes and (unless someone edited it) its set.
    text = script_services.screenplay_for(project).text
    by_scene: dict[int, Scene] = {f.scene.pk: f.scene for f in chosen if f.scene is not None}
    for scene in by_scene.values():
        shots = selectors.scene_shots(scene=scene)
        specs = [derive_spec(project, scene, shot, text) for shot in shots]
        storyboard_services.frames_for_scene(project=project, scene=scene, text=text, specs=specs)
    # Frames whose shot left the shot list stay stale (kept for reference), and are not re-rendered.
    counts = selectors.shot_counts(scene_ids=list(by_scene))
    refreshed = selectors.frames_in_order(ids=[f.pk for f in chosen], shots_per_scene=counts)
    return _render_many(ctx, refreshed, params)


def export_frame_set(params: forms.ExportSet, ctx: JobContext) -> dict[str, Any]:
    """The frame's set as .blend (faces packed in) and .glb, for an artist to keep working in Blender."""
    from generation.engines.render_worker import RenderFailed, get_render_process

    project = job_scope(job_id=ctx.job_id).project
    frame = selectors.frame_for_job(project=project, public_id=params.frame)
    ctx.on_progress(0.1, 1, "Building the set in Blender")
    try:
        result = get_render_process().export(with_current_faces(project, frame.set_spec), ctx.output_dir, ctx.cancelled)
    except RenderFailed as exc:
        raise JobFailed(f"The set could not be exported: {exc}") from exc
    names = {key: Path(path).name for key, path in result.items() if key in ("blend", "glb")}
    storyboard_services.frame_record_export(
        frame_id=frame.pk,
        export={
            "job": ctx.job_id,
            "blend": f"jobs/{ctx.job_id}/{names['blend']}",
            "glb": f"jobs/{ctx.job_id}/{names['glb']}",
        },
    )
    return {
        "summary": [["Frame", str(frame)], ["Files", ", ".join(sorted(names.values()))]],
        "files": [
            {"name": names["blend"], "label": "Blender file (.blend)"},
            {"name": names["glb"], "label": "glTF binary (.glb)"},
        ],
        "frame": str(frame.public_id),
    }


def stylize_frame(params: forms.StylizeFrame, ctx: JobContext) -> dict[str, Any]:
    """A diffusion pass over the frame's render (img2img, or ControlNet on the depth pass), step by step."""
    import numpy as np
    from PIL import Image

    from generation import registry
    from generation.engines import gan, stylize
    from generation.engines.models import MODELS
    from generation.models import ModelKind

    project = job_scope(job_id=ctx.job_id).project
    frame = selectors.frame_for_job(project=project, public_id=params.frame)
    if not frame.image:
        raise JobFailed("The frame has no render to stylize; render it first.")
    try:
        entry = registry.model_get(kind=ModelKind.DIFFUSION, public_id=params.model, project=project)
    except Exception as exc:
        raise JobFailed(str(getattr(exc, "message", exc))) from exc
    spec = registry.stylize_spec(entry)
    ctx.on_progress(0, 1, f"Loading {entry.name}")
    try:
        pipe = MODELS.get(spec.key, lambda: stylize.load_pipeline(spec))
    except stylize.StylizeError as exc:
        raise JobFailed(str(exc)) from exc
    source = project_file(project.public_id, frame.image)
    if source is None:
        raise JobFailed("The frame's render is missing from the media folder; render it again.")
    with Image.open(source) as picture:
        image = np.asarray(picture.convert("RGB"))
    depth = None
    depth_file = project_file(project.public_id, frame.depth)
    if spec.mode == "controlnet-depth" and depth_file is not None:
        with Image.open(depth_file) as picture:
            depth = np.asarray(picture).astype(np.float32)
    prompt = params.prompt or (
        f"storyboard frame, {frame.get_shot_type_display().lower()} shot, {frame.description}, "
        f"{frame.set_spec.get('time_of_day', '')}, cinematic lighting"
    )

    def on_step(done: int, total: int) -> None:
        ctx.report(done, total, f"Step {done} of {total}", None)

    try:
        out = stylize.stylize(
            pipe,
            image,
            prompt=prompt[:500],
            strength=params.strength,
            steps=params.steps,
            seed=params.seed,
            depth=depth,
            on_step=on_step,
            should_stop=ctx.cancelled,
        )
    except stylize.StylizeCancelled as exc:
        raise JobCancelledError() from exc
    except (stylize.StylizeError, ValueError) as exc:
        raise JobFailed(f"The frame could not be stylized: {exc}") from exc
    ctx.write_file("stylized.png", gan.png_bytes(out))
    info = {
        "model": entry.name,
        "mode": spec.mode,
        "prompt": prompt,
        "strength": params.strength,
        "steps": params.steps,
        "seed": params.seed,
    }
    storyboard_services.frame_record_stylized(frame_id=frame.pk, image=f"jobs/{ctx.job_id}/stylized.png", info=info)
    return {
        "summary": [["Frame", str(frame)], ["Model", entry.name], ["Mode", spec.mode], ["Seed", params.seed]],
        "files": [{"name": "stylized.png", "label": "Stylized frame"}],
    }


kinds.register(
    JobKind(
        name="render_scene",
        label="Render storyboard",
        description="A scene's shots rendered in Blender into storyboard frames (draft: seconds; final: Cycles).",
        params_form=forms.RenderSceneParams,
        runner=render_scene,
        on_studio_form=False,
        queue="render",
    ),
    JobKind(
        name="render_frame",
        label="Render frame",
        description="One frame again, with its lights, materials and camera as they are now.",
        params_form=forms.RenderFrameParams,
        runner=render_frame,
        on_studio_form=False,
        queue="render",
    ),
    JobKind(
        name="render_stale",
        label="Re-render stale frames",
        description="Only the frames whose script lines or set changed since they were rendered.",
        params_form=forms.RenderStaleParams,
        runner=render_stale,
        on_studio_form=False,
        queue="render",
    ),
    JobKind(
        name="export_frame_set",
        label="Export set",
        description="The frame's set as a .blend and a .glb file, to keep working on in Blender.",
        params_form=forms.ExportSetParams,
        runner=export_frame_set,
        on_studio_form=False,
        queue="render",
    ),
    JobKind(
        name="stylize_frame",
        label="Stylize frame",
        description="A diffusion pass over a rendered frame (img2img, or ControlNet on its depth pass).",
        params_form=forms.StylizeFrameParams,
        runner=stylize_frame,
        on_studio_form=False,
    ),
)
