"""The job kinds: what each one is called, how its params are validated and which engine runs it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from generation import forms as job_forms
from generation.engines.base import Engine


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    description: str
    params_form: type[forms.Form]
    engine: str  # "module:function", imported in the worker only
    test_only: bool = False
    # Started from the Studio page's job form; others start from their own pages (a character sheet).
    on_studio_form: bool = True
    # Celery queue: models on "gpu"; Blender renders on "render" (a worker whose killed child costs nothing).
    queue: str = "gpu"

    def load_engine(self) -> Engine:
        module, _, func = self.engine.partition(":")
        return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


_KINDS: dict[str, JobKind] = {
    kind.name: kind
    for kind in [
        JobKind(
            name="worker_check",
            label="Worker check",
            description="Measures the model worker: Python, PyTorch and GPU, disk and CPU speed.",
            params_form=job_forms.WorkerCheckParams,
            engine="generation.engines.diagnostics:run",
        ),
        JobKind(
            name="write_screenplay",
            label="Write screenplay",
            description="From a logline: an outline of scenes, then each scene written into the shared script.",
            params_form=job_forms.WriteScreenplayParams,
            engine="generation.writing:write_screenplay",
        ),
        JobKind(
            name="continue_script",
            label="Continue from cursor",
            description="Writes on from where your cursor is in the script, in the voice of the scene.",
            params_form=job_forms.ContinueScriptParams,
            engine="generation.writing:continue_script",
        ),
        JobKind(
            name="rewrite_scene",
            label="Rewrite scene",
            description="Writes a new version of one scene following your instruction.",
            params_form=job_forms.RewriteSceneParams,
            engine="generation.writing:rewrite_scene",
        ),
        JobKind(
            name="character_bios",
            label="Character bios",
            description="Look, personality, wants and needs, key actions: drawn from each character's lines.",
            params_form=job_forms.CharacterBiosParams,
            engine="generation.writing:character_bios",
        ),
        JobKind(
            name="shot_list",
            label="Shot list",
            description="A scene's shots: type, camera and lens, who is in them and what happens.",
            params_form=job_forms.ShotListParams,
            engine="generation.writing:shot_list",
        ),
        JobKind(
            name="design_candidates",
            label="Design faces",
            description="A grid of candidate faces for a character from the character GAN, steered by its look.",
            params_form=job_forms.DesignCandidatesParams,
            engine="generation.designing:design_candidates",
            on_studio_form=False,
        ),
        JobKind(
            name="design_variations",
            label="Face variations",
            description="Faces close to a character's chosen face; strength sets how close.",
            params_form=job_forms.DesignVariationsParams,
            engine="generation.designing:design_variations",
            on_studio_form=False,
        ),
        JobKind(
            name="design_blend",
            label="Blend faces",
            description="A strip of faces between two characters' faces.",
            params_form=job_forms.DesignBlendParams,
            engine="generation.designing:design_blend",
            on_studio_form=False,
        ),
        JobKind(
            name="upscale_portrait",
            label="Upscale portrait",
            description="A 256-pixel version of a face with the Real-ESRGAN super-resolution model.",
            params_form=job_forms.UpscalePortraitParams,
            engine="generation.designing:upscale_portrait",
            on_studio_form=False,
        ),
        JobKind(
            name="train_character_gan",
            label="Train face model",
            description="Trains (or fine-tunes) the character GAN on your team's own images.",
            params_form=job_forms.TrainGanParams,
            engine="generation.designing:train_character_gan",
            on_studio_form=False,
        ),
        JobKind(
            name="render_scene",
            label="Render storyboard",
            description="A scene's shots rendered in Blender into storyboard frames (draft: seconds; final: Cycles).",
            params_form=job_forms.RenderSceneParams,
            engine="generation.storyboarding:render_scene",
            on_studio_form=False,
            queue="render",
        ),
        JobKind(
            name="render_frame",
            label="Render frame",
            description="One frame again, with its lights, materials and camera as they are now.",
            params_form=job_forms.RenderFrameParams,
            engine="generation.storyboarding:render_frame",
            on_studio_form=False,
            queue="render",
        ),
        JobKind(
            name="render_stale",
            label="Re-render stale frames",
            description="Only the frames whose script lines or set changed since they were rendered.",
            params_form=job_forms.RenderStaleParams,
            engine="generation.storyboarding:render_stale",
            on_studio_form=False,
            queue="render",
        ),
        JobKind(
            name="export_frame_set",
            label="Export set",
            description="The frame's set as a .blend and a .glb file, to keep working on in Blender.",
            params_form=job_forms.ExportSetParams,
            engine="generation.storyboarding:export_frame_set",
            on_studio_form=False,
            queue="render",
        ),
        JobKind(
            name="stylize_frame",
            label="Stylize frame",
            description="A diffusion pass over a rendered frame (img2img, or ControlNet on its depth pass).",
            params_form=job_forms.StylizeFrameParams,
            engine="generation.storyboarding:stylize_frame",
            on_studio_form=False,
        ),
        JobKind(
            name="render_animatic",
            label="Render animatic",
            description="The film as an MP4: title card, frames in script order, captions and scratch voices.",
            params_form=job_forms.RenderAnimaticParams,
            engine="generation.animating:render_animatic",
            on_studio_form=False,
        ),
        JobKind(
            name="test_steps",
            label="Test steps",
            description="Test-only: counts through steps to exercise the job machinery.",
            params_form=job_forms.TestStepsParams,
            engine="generation.engines.testing:run",
            test_only=True,
        ),
    ]
}


def available_kinds() -> list[JobKind]:
    return [k for k in _KINDS.values() if settings.FILMSTUDIO_TEST_JOB_KINDS or not k.test_only]


def get_kind(name: str) -> JobKind:
    kind = _KINDS.get(name)
    if kind is None or (kind.test_only and not settings.FILMSTUDIO_TEST_JOB_KINDS):
        raise ValidationError(f"Unknown job kind “{name}”.")
    return kind


def validate_params(kind: JobKind, params: Any, *, project: Any = None) -> dict[str, Any]:
    """Validated, JSON-ready params for a kind, or a ValidationError naming each bad field."""
    if not isinstance(params, dict):
        raise ValidationError("Job parameters must be a set of named values.")
    unknown = set(params) - set(kind.params_form.base_fields)
    if unknown:
        raise ValidationError(f"Unknown parameter(s) for {kind.label}: {', '.join(sorted(unknown))}.")
    if issubclass(kind.params_form, job_forms.ProjectBound):
        form: forms.Form = kind.params_form(data=params, project=project)
    else:
        form = kind.params_form(data=params)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{name}: {' '.join(map(str, errors))}" if name != "__all__" else " ".join(map(str, errors))
                for name, errors in form.errors.items()
            ]
        )
    return {k: v for k, v in form.cleaned_data.items() if v is not None}
