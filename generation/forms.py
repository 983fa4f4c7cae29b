"""Forms parse and validate only: one params form per job kind."""

from __future__ import annotations

from typing import Any

from django import forms


class WorkerCheckParams(forms.Form):
    """The worker check takes no parameters."""


class TestStepsParams(forms.Form):
    steps = forms.IntegerField(min_value=1, max_value=1000, required=False)
    step_seconds = forms.FloatField(min_value=0.0, max_value=5.0, required=False)
    fail_at_step = forms.IntegerField(min_value=1, max_value=1000, required=False)
    crash_on_attempts = forms.IntegerField(min_value=0, max_value=10, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("steps") is None and "steps" not in self.errors:
            data["steps"] = 20
        if data.get("step_seconds") is None and "step_seconds" not in self.errors:
            data["step_seconds"] = 0.1
        steps = data.get("steps")
        fail_at = data.get("fail_at_step")
        if isinstance(steps, int) and isinstance(fail_at, int) and fail_at > steps:
            self.add_error("fail_at_step", "Must be within the number of steps.")
        return data


def _random_seed() -> int:
    import secrets

    return secrets.randbelow(2**31)


class ModelParams(forms.Form):
    """Params of a text-model job: a seed (drawn here when not given, so every run is recorded and
    can be made again), a model from the registry, and per-kind defaults."""

    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    model = forms.UUIDField(required=False, widget=forms.HiddenInput)
    defaults: dict[str, object] = {}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for key, value in self.defaults.items():
            if data.get(key) in (None, "") and key not in self.errors:
                data[key] = value
        if data.get("seed") is None and "seed" not in self.errors:
            data["seed"] = _random_seed()
        if data.get("model") is not None:
            data["model"] = str(data["model"])
        return data


class WriteScreenplayParams(ModelParams):
    logline = forms.CharField(
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences: who wants what.",
    )
    scenes = forms.IntegerField(min_value=1, max_value=8, required=False, help_text="How many scenes (1-8).")
    temperature = forms.FloatField(min_value=0.1, max_value=1.5, required=False)
    rounds = forms.IntegerField(min_value=1, max_value=10, required=False)
    defaults = {"scenes": 3, "temperature": 0.7, "rounds": 6}
    field_order = ["logline", "scenes", "seed", "temperature", "rounds", "model"]


class CharacterBiosParams(ModelParams):
    characters = forms.CharField(
        max_length=1000, required=False, help_text="Names, comma-separated; empty: the five with the most dialogue."
    )
    field_order = ["characters", "seed", "model"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        data["characters"] = [n.strip().upper() for n in str(data.get("characters") or "").split(",") if n.strip()]
        return data


class ShotListParams(ModelParams):
    scene = forms.IntegerField(min_value=1, max_value=10_000, help_text="Scene position in the script (1 = first).")
    field_order = ["scene", "seed", "model"]


class ContinueScriptParams(ModelParams):
    cursor = forms.IntegerField(min_value=0, max_value=10_000_000, help_text="Editor cursor (UTF-16 offset).")
    rounds = forms.IntegerField(min_value=1, max_value=8, required=False)
    defaults = {"rounds": 3}
    field_order = ["cursor", "rounds", "seed", "model"]


class RewriteSceneParams(ModelParams):
    scene = forms.IntegerField(min_value=1, max_value=10_000, help_text="Scene position in the script (1 = first).")
    instruction = forms.CharField(min_length=3, max_length=500, help_text="What to change, e.g. “make it tense”.")
    rounds = forms.IntegerField(min_value=1, max_value=8, required=False)
    defaults = {"rounds": 4}
    field_order = ["scene", "instruction", "rounds", "seed", "model"]


class ProjectBound(forms.Form):
    """Params that name things in the job's project (characters, frames, uploads): checked here, at
    creation, so a bad name never reaches the queue."""

    def __init__(self, *args: Any, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project


class ProjectParams(ProjectBound, ModelParams):
    """A model job that names things in its project."""

    def _model_in_project(self, data: dict[str, Any], kind: str) -> None:
        from generation import registry

        chosen: Any = data.get("model")
        if chosen is None or self.project is None:
            return
        if not registry.model_list_for_project(kind=kind, project=self.project).filter(public_id=chosen).exists():
            self.add_error("model", "That model is not available to this project.")

    def _character(self, data: dict[str, Any], key: str = "character") -> Any:
        from projects.models import Character

        value: Any = data.get(key)
        if value is None:
            return None
        data[key] = str(value)
        if self.project is None:
            return None
        found = Character.objects.select_related("identity").filter(project=self.project, public_id=value).first()
        if found is None:
            self.add_error(key, "No such character in this project.")
        return found


class DesignCandidatesParams(ProjectParams):
    character = forms.UUIDField(widget=forms.HiddenInput)
    count = forms.IntegerField(min_value=16, max_value=64, required=False, help_text="Faces in the grid (16-64).")
    steer = forms.TypedChoiceField(
        choices=[("yes", "Steer by the description"), ("no", "Any faces")],
        coerce=lambda v: v == "yes",
        required=False,
        help_text="Draw many faces and keep those whose hair, skin, lighting and background match the look.",
    )
    pool = forms.IntegerField(min_value=16, max_value=1024, required=False, help_text="Faces drawn when steering.")
    defaults = {"count": 16, "pool": 256}
    field_order = ["character", "count", "steer", "pool", "seed", "model"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("steer") in (None, ""):
            data["steer"] = True
        self._model_in_project(data, "gan")
        self._character(data)
        count, pool = data.get("count"), data.get("pool")
        if isinstance(count, int) and isinstance(pool, int) and pool < count:
            self.add_error("pool", "Draw at least as many faces as the grid shows.")
        return data


class DesignVariationsParams(ProjectParams):
    character = forms.UUIDField(widget=forms.HiddenInput)
    strength = forms.FloatField(
        min_value=0.05, max_value=1.0, required=False, help_text="0.05: the same person; 1: a stranger."
    )
    count = forms.IntegerField(min_value=2, max_value=16, required=False)
    defaults = {"strength": 0.35, "count": 8}
    field_order = ["character", "strength", "count", "seed"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        character = self._character(data)
        if character is not None and getattr(character, "identity", None) is None:
            self.add_error("character", "Choose a face for this character first; variations are drawn around it.")
        return data


class DesignBlendParams(ProjectParams):
    character = forms.UUIDField(widget=forms.HiddenInput)
    other = forms.UUIDField(help_text="The character to blend with.")
    steps = forms.IntegerField(min_value=3, max_value=12, required=False, help_text="Faces along the strip.")
    defaults = {"steps": 8}
    field_order = ["character", "other", "steps"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        one, two = self._character(data), self._character(data, "other")
        if one is None or two is None:
            return data
        if one == two:
            self.add_error("other", "Pick another character to blend with.")
        for who, key in ((one, "character"), (two, "other")):
            if getattr(who, "identity", None) is None:
                self.add_error(key, f"{who} has no chosen face yet.")
        faces = [getattr(who, "identity", None) for who in (one, two)]
        if all(faces) and faces[0].model_sha256 != faces[1].model_sha256:  # type: ignore[union-attr]
            self.add_error("other", "The two faces come from different models; a blend needs both from one model.")
        return data


class UpscalePortraitParams(ProjectParams):
    character = forms.UUIDField(widget=forms.HiddenInput)
    portrait = forms.UUIDField(widget=forms.HiddenInput)
    quality = forms.ChoiceField(
        choices=[("fast", "Fast (Real-ESRGAN compact)"), ("sharp", "Sharp (Real-ESRGAN x4plus)")], required=False
    )
    defaults = {"quality": "fast"}
    field_order = ["character", "portrait", "quality"]

    def clean(self) -> dict[str, object]:
        from projects.models import Portrait

        data = super().clean()
        character = self._character(data)
        if character is not None and data.get("portrait") is not None:
            portrait: Any = data["portrait"]
            if not Portrait.objects.filter(character=character, public_id=portrait).exists():
                self.add_error("portrait", "No such portrait of this character.")
            data["portrait"] = str(data["portrait"])
        if data.get("character") is not None:
            data["character"] = str(data["character"])
        return data


class TrainGanParams(ProjectParams):
    dataset = forms.UUIDField(widget=forms.HiddenInput)
    name = forms.CharField(min_length=3, max_length=80, help_text="What the team will see when choosing it.")
    license_note = forms.CharField(
        min_length=5,
        max_length=500,
        help_text="Whose images these are and under what terms, e.g. “Our own concept art, © 2026 Studio X”.",
    )
    steps = forms.IntegerField(min_value=5, max_value=20_000, required=False)
    batch_size = forms.IntegerField(min_value=4, max_value=128, required=False)
    start = forms.ChoiceField(
        choices=[("default", "Fine-tune the default face model"), ("scratch", "Train from scratch")], required=False
    )
    defaults = {"steps": 300, "batch_size": 32, "start": "default"}
    field_order = ["dataset", "name", "license_note", "steps", "batch_size", "start", "seed"]

    def clean(self) -> dict[str, object]:
        from generation.selectors import training_set_dir

        data = super().clean()
        if data.get("dataset") is not None:
            data["dataset"] = str(data["dataset"])
            dataset: Any = data["dataset"]
            if self.project is not None and not training_set_dir(self.project.public_id, dataset).is_dir():
                self.add_error("dataset", "No such set of training images; upload them again.")
        return data


RENDER_MODES = [("draft", "Draft (Workbench, seconds)"), ("final", "Final (Cycles + denoiser)")]


class RenderParams(ProjectBound):
    mode = forms.ChoiceField(choices=RENDER_MODES, required=False)
    scale = forms.TypedChoiceField(
        choices=[(100, "Full size"), (50, "Half size"), (25, "Quarter size")], coerce=int, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("mode"):
            data["mode"] = "draft"
        if not data.get("scale"):
            data["scale"] = 100
        return data

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
        data["only"] = data.get("only") or "all"
        return data


class RenderFrameParams(RenderParams):
    frame = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        from projects.models import Frame

        data = super().clean()
        self._in_project(data, "frame", Frame, "frame")
        return data


class RenderStaleParams(RenderParams):
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


class StylizeFrameParams(ProjectBound):
    frame = forms.UUIDField(widget=forms.HiddenInput)
    model = forms.UUIDField(required=False, widget=forms.HiddenInput)
    prompt = forms.CharField(max_length=500, required=False, help_text="Style and content; empty: from the shot.")
    strength = forms.FloatField(min_value=0.05, max_value=1.0, required=False, help_text="How far from the render.")
    steps = forms.IntegerField(min_value=1, max_value=100, required=False)
    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)

    def clean(self) -> dict[str, Any]:
        from generation.models import ModelKind
        from projects.models import Frame

        data = super().clean() or {}
        for key, value in {"strength": 0.5, "steps": 20}.items():
            if data.get(key) in (None, "") and key not in self.errors:
                data[key] = value
        if data.get("seed") is None and "seed" not in self.errors:
            data["seed"] = _random_seed()
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


class RenderAnimaticParams(ProjectBound):
    size = forms.TypedChoiceField(choices=[(640, "640x360 (fast)"), (1280, "1280x720")], coerce=int, required=False)
    voices = forms.TypedChoiceField(
        choices=[("yes", "Scratch voices"), ("no", "No voices")], coerce=lambda v: v == "yes", required=False
    )
    burn_captions = forms.TypedChoiceField(
        choices=[("no", "Captions as files"), ("yes", "Burn captions into the picture")],
        coerce=lambda v: v == "yes",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("size"):
            data["size"] = 640
        if data.get("voices") in (None, ""):
            data["voices"] = True
        if data.get("burn_captions") in (None, ""):
            data["burn_captions"] = False
        return data
