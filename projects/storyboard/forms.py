"""The storyboard's job params forms (parse and validate only)."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from django import forms

from generation.forms import ProjectBound
from generation.params import random_seed


@dataclasses.dataclass(frozen=True, kw_only=True)
class Render:
    mode: str = "draft"  # draft: Workbench; final: Cycles + denoiser
    scale: int = 100  # percent of the project's frame size


@dataclasses.dataclass(frozen=True, kw_only=True)
class RenderScene(Render):
    scene: str | None = None  # none: every scene
    only: str = "all"  # or "stale": only stale or changed frames


@dataclasses.dataclass(frozen=True, kw_only=True)
class RenderFrame(Render):
    frame: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RenderStale(Render):
    scene: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ExportSet(RenderFrame):
    """Export takes a frame; the mode is not used."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class StylizeFrame:
    frame: str
    model: str | None = None
    prompt: str = ""  # empty: from the shot
    strength: float = 0.5
    steps: int = 20
    seed: int = dataclasses.field(default_factory=random_seed)


RENDER_MODES = [("draft", "Draft (Workbench, seconds)"), ("final", "Final (Cycles + denoiser)")]


# Frame sizes, as a percent of the set's 640x360 (frames render OVERSCAN times larger still, for camera moves):
# full size has room for every move in a 640x360 animatic, 200% for a 1280x720 one.
SIZES = [
    (100, "640×360 (full size)"),
    (200, "1280×720 (for an HD animatic; slower)"),
    (50, "320×180 (half size)"),
    (25, "160×90 (quarter size)"),
]


def size_label_for(film_width: int) -> str:
    """The frame size whose renders leave room for camera moves in a film this wide."""
    return dict(SIZES)[200 if film_width > 640 else 100]


class RenderParams(ProjectBound):
    params_type: ClassVar[type[Any]] = Render
    mode = forms.ChoiceField(choices=RENDER_MODES, required=False)
    scale = forms.TypedChoiceField(choices=SIZES, coerce=int, required=False)

    def _in_project(self, data: dict[str, Any], key: str, model: Any, what: str) -> Any:
        value: Any = data.get(key)
        if value is None:
            return None
        data[key] = str(value)
        if self.project is None:
            return None
        found = model.objects.filter(project=self.project, public_id=value).first()
        if found is None:
            self.add_error(key, f"No such {what} in this project.")
        return found


class RenderSceneParams(RenderParams):
    params_type = RenderScene
    scene = forms.UUIDField(widget=forms.HiddenInput, required=False, help_text="Empty: every scene.")
    only = forms.ChoiceField(choices=[("all", "Every shot"), ("stale", "Only stale or changed frames")], required=False)

    def clean(self) -> dict[str, Any]:
        from projects.models import Scene

        data = super().clean()
        if data.get("scene") is None:
            data.pop("scene", None)
            if self.project is not None and not Scene.objects.filter(project=self.project).exists():
                self.add_error(None, "The script has no scenes yet.")
        else:
            self._in_project(data, "scene", Scene, "scene")
        return data


class RenderFrameParams(RenderParams):
    params_type = RenderFrame
    frame = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        from projects.models import Frame

        data = super().clean()
        self._in_project(data, "frame", Frame, "frame")
        return data


class RenderStaleParams(RenderParams):
    params_type = RenderStale
    scene = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        from projects.models import Scene

        data = super().clean()
        if data.get("scene") is None:
            data.pop("scene", None)
        else:
            self._in_project(data, "scene", Scene, "scene")
        return data


class ExportSetParams(RenderFrameParams):
    """Export takes a frame; the mode is not used."""

    params_type = ExportSet


class StylizeFrameParams(ProjectBound):
    params_type = StylizeFrame
    frame = forms.UUIDField(widget=forms.HiddenInput)
    model = forms.UUIDField(required=False, widget=forms.HiddenInput)
    prompt = forms.CharField(max_length=500, required=False, help_text="Style and content; empty: from the shot.")
    strength = forms.FloatField(
        min_value=0.05, max_value=1.0, step_size=0.05, required=False, help_text="How far from the render."
    )
    steps = forms.IntegerField(min_value=1, max_value=100, required=False)
    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)

    def clean(self) -> dict[str, Any]:
        from generation.models import ModelKind
        from projects.models import Frame

        data = super().clean()
        if data.get("frame") is not None:
            data["frame"] = str(data["frame"])
            frame_id: Any = data["frame"]
            if self.project is not None:
                frame = Frame.objects.filter(project=self.project, public_id=frame_id).first()
                if frame is None:
                    self.add_error("frame", "No such frame in this project.")
                elif not frame.image:
                    self.add_error("frame", "Render the frame first; stylizing works on the render.")
        from generation import registry

        models = registry.model_list_for_project(kind=ModelKind.DIFFUSION, project=self.project)
        if data.get("model") is not None:
            data["model"] = str(data["model"])
            models = models.filter(public_id=data["model"])
        if not models.exists():
            self.add_error(
                None,
                "No diffusion model is set up: staff add a local pipeline folder (SD 1.5, SDXL or SD-Turbo) "
                "under Model entries in the admin.",
            )
        return data


CAMERA_ANGLES = [(a, a) for a in ("eye level", "low angle", "high angle", "overhead", "dutch angle")]


class ShotForm(forms.Form):
    """One row of a shot list edited by hand."""

    shot_type = forms.ChoiceField(choices=[])
    camera_angle = forms.ChoiceField(choices=CAMERA_ANGLES, initial="eye level")
    lens_mm = forms.IntegerField(min_value=8, max_value=300, initial=35)
    subjects = forms.CharField(max_length=500, required=False, help_text="Names, comma-separated.")
    description = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    start_line = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end_line = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from projects.models import ShotType

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["shot_type"].choices = ShotType.choices  # type: ignore[attr-defined]

    def clean_subjects(self) -> list[str]:
        return [n.strip().upper() for n in str(self.cleaned_data.get("subjects") or "").split(",") if n.strip()]


ShotListFormSet = forms.formset_factory(ShotForm, extra=1, can_delete=True, max_num=40, validate_max=True)
