"""The character stage's job params forms (parse and validate only)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms

from generation.engines.voices import VOICE_CHOICES
from generation.forms import ProjectParams
from generation.params import ModelJob


@dataclasses.dataclass(frozen=True, kw_only=True)
class DesignCandidates(ModelJob):
    character: str
    count: int = 16
    steer: bool = True  # keep the faces whose look matches the description
    pool: int = 256  # faces drawn when steering


@dataclasses.dataclass(frozen=True, kw_only=True)
class DesignVariations(ModelJob):
    character: str
    strength: float = 0.35
    count: int = 8


@dataclasses.dataclass(frozen=True, kw_only=True)
class DesignBlend(ModelJob):
    character: str
    other: str
    steps: int = 8


@dataclasses.dataclass(frozen=True, kw_only=True)
class UpscalePortrait(ModelJob):
    character: str
    portrait: str
    quality: str = "fast"


@dataclasses.dataclass(frozen=True, kw_only=True)
class TrainGan(ModelJob):
    dataset: str
    name: str
    license_note: str
    steps: int = 300
    batch_size: int = 32
    start: str = "default"


class CharacterCreateForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="As the script cues them, e.g. EDWARD BLOOM.")
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class CharacterSheetForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    look = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Hair, skin, lighting, surroundings: the face designer steers by these words.",
    )
    personality = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    wants = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    needs = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    key_actions = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))
    voice = forms.ChoiceField(
        required=False,
        choices=VOICE_CHOICES,
        help_text="Who says this character's lines in the animatic: Piper's neural voice at a pitch and pace, "
        "or espeak-ng. Automatic keeps each character's voice apart from the others'.",
    )


class TrainingUploadForm(forms.Form):
    name = forms.CharField(min_length=3, max_length=80, help_text="What your team will see when choosing it.")
    license_note = forms.CharField(
        min_length=5,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Whose images these are and under what terms, e.g. “Our own concept art, © 2026 Studio X”.",
    )
    steps = forms.IntegerField(min_value=5, max_value=20_000, initial=300, required=False)
    start = forms.ChoiceField(
        choices=[("default", "Fine-tune the default face model"), ("scratch", "Train from scratch")],
        initial="default",
        required=False,
    )


class CharacterParams(ProjectParams):
    """A face job about one of the project's characters."""

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


class DesignCandidatesParams(CharacterParams):
    params_type = DesignCandidates
    character = forms.UUIDField(widget=forms.HiddenInput)
    count = forms.IntegerField(min_value=16, max_value=64, required=False, help_text="Faces in the grid (16-64).")
    steer = forms.TypedChoiceField(
        choices=[("yes", "Steer by the look and description"), ("no", "Any faces")],
        coerce=lambda v: v == "yes",
        required=False,
        help_text="Draw many faces and keep those whose hair, skin, lighting and background match the look.",
    )
    pool = forms.IntegerField(min_value=16, max_value=1024, required=False, help_text="Faces drawn when steering.")
    field_order = ["character", "count", "steer", "pool", "seed", "model"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        self._model_in_project(data, "gan")
        self._character(data)
        count, pool = data.get("count"), data.get("pool")
        if isinstance(count, int) and isinstance(pool, int) and pool < count:
            self.add_error("pool", "Draw at least as many faces as the grid shows.")
        return data


class DesignVariationsParams(CharacterParams):
    params_type = DesignVariations
    character = forms.UUIDField(widget=forms.HiddenInput)
    strength = forms.FloatField(
        min_value=0.05, max_value=1.0, step_size=0.05, required=False, help_text="0.05: the same person; 1: a stranger."
    )
    count = forms.IntegerField(min_value=2, max_value=16, required=False)
    field_order = ["character", "strength", "count", "seed"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        character = self._character(data)
        if character is not None and getattr(character, "identity", None) is None:
            self.add_error("character", "Choose a face for this character first; variations are drawn around it.")
        return data


class DesignBlendParams(CharacterParams):
    params_type = DesignBlend
    character = forms.UUIDField(widget=forms.HiddenInput)
    other = forms.UUIDField(help_text="The character to blend with.")
    steps = forms.IntegerField(min_value=3, max_value=12, required=False, help_text="Faces along the strip.")
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


class UpscalePortraitParams(CharacterParams):
    params_type = UpscalePortrait
    character = forms.UUIDField(widget=forms.HiddenInput)
    portrait = forms.UUIDField(widget=forms.HiddenInput)
    quality = forms.ChoiceField(
        choices=[("fast", "Fast (Real-ESRGAN compact)"), ("sharp", "Sharp (Real-ESRGAN x4plus)")], required=False
    )
    field_order = ["character", "portrait", "quality"]

    def clean(self) -> dict[str, object]:
        from projects.models import Portrait

        data = super().clean()
        character = self._character(data)
        portrait: Any = data.get("portrait")
        if character is not None and portrait is not None:
            if Portrait.objects.filter(character=character, public_id=portrait).exists():
                data["portrait"] = str(portrait)
            else:
                # add_error also drops the field from cleaned_data.
                self.add_error("portrait", "No such portrait of this character.")
        if data.get("character") is not None:
            data["character"] = str(data["character"])
        return data


class TrainGanParams(ProjectParams):
    params_type = TrainGan
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
    field_order = ["dataset", "name", "license_note", "steps", "batch_size", "start", "seed"]

    def clean(self) -> dict[str, object]:
        from projects.media import training_set_dir

        data = super().clean()
        if data.get("dataset") is not None:
            data["dataset"] = str(data["dataset"])
            dataset: Any = data["dataset"]
            if self.project is not None and not training_set_dir(self.project.public_id, dataset).is_dir():
                self.add_error("dataset", "No such set of training images; upload them again.")
        return data
