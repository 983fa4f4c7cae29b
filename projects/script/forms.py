"""The script's job params forms (parse and validate only)."""

from __future__ import annotations

import dataclasses

from django import forms

from generation.forms import ModelParams, ProjectBound
from generation.params import ModelJob


@dataclasses.dataclass(frozen=True, kw_only=True)
class WriteScreenplay(ModelJob):
    logline: str
    scenes: int = 3
    temperature: float = 0.7
    rounds: int = 6


@dataclasses.dataclass(frozen=True, kw_only=True)
class CharacterBios(ModelJob):
    characters: list[str] = dataclasses.field(default_factory=list)  # names; empty: the five who speak most


@dataclasses.dataclass(frozen=True, kw_only=True)
class ShotList(ModelJob):
    scene: int  # position in the script, 1 = first


@dataclasses.dataclass(frozen=True, kw_only=True)
class ContinueScript(ModelJob):
    cursor: int  # UTF-16 offset in the editor
    rounds: int = 3


@dataclasses.dataclass(frozen=True, kw_only=True)
class RewriteScene(ModelJob):
    scene: int
    instruction: str
    rounds: int = 4


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImportScript:
    upload: str  # the stored file's id (projects.media.script_upload_path)
    filename: str  # as uploaded: its extension says how to read it


class ScenePageForm(forms.Form):
    """The navigator's next page of scenes, or its search."""

    after = forms.IntegerField(min_value=-1, required=False)
    q = forms.CharField(max_length=200, required=False, strip=True)


class WriteScreenplayParams(ModelParams):
    params_type = WriteScreenplay
    logline = forms.CharField(
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences: who wants what.",
    )
    scenes = forms.IntegerField(min_value=1, max_value=8, required=False, help_text="How many scenes (1-8).")
    temperature = forms.FloatField(min_value=0.1, max_value=1.5, required=False)
    rounds = forms.IntegerField(min_value=1, max_value=10, required=False)
    field_order = ["logline", "scenes", "seed", "temperature", "rounds", "model"]


class CharacterBiosParams(ModelParams):
    params_type = CharacterBios
    characters = forms.CharField(
        max_length=1000, required=False, help_text="Names, comma-separated; empty: the five with the most dialogue."
    )
    field_order = ["characters", "seed", "model"]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        data["characters"] = [n.strip().upper() for n in str(data.get("characters") or "").split(",") if n.strip()]
        return data


class ShotListParams(ModelParams):
    params_type = ShotList
    scene = forms.IntegerField(min_value=1, max_value=10_000, help_text="Scene position in the script (1 = first).")
    field_order = ["scene", "seed", "model"]


class ContinueScriptParams(ModelParams):
    params_type = ContinueScript
    cursor = forms.IntegerField(min_value=0, max_value=10_000_000, help_text="Editor cursor (UTF-16 offset).")
    rounds = forms.IntegerField(min_value=1, max_value=8, required=False)
    field_order = ["cursor", "rounds", "seed", "model"]


class RewriteSceneParams(ModelParams):
    params_type = RewriteScene
    scene = forms.IntegerField(min_value=1, max_value=10_000, help_text="Scene position in the script (1 = first).")
    instruction = forms.CharField(min_length=3, max_length=500, help_text="What to change, e.g. “make it tense”.")
    rounds = forms.IntegerField(min_value=1, max_value=8, required=False)
    field_order = ["scene", "instruction", "rounds", "seed", "model"]


class ImportScriptParams(ProjectBound):
    """A big screenplay file the import view stored for a worker to read."""

    params_type = ImportScript
    upload = forms.UUIDField(widget=forms.HiddenInput)
    filename = forms.CharField(max_length=255, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        from projects.media import script_upload_path

        data = super().clean()
        upload = data.get("upload")
        if (
            upload is not None
            and self.project is not None
            and not script_upload_path(self.project.public_id, str(upload)).is_file()
        ):
            self.add_error("upload", "No such uploaded file; import it again.")
        return data
