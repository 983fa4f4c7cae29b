"""The script's job params forms (parse and validate only)."""

from __future__ import annotations

from django import forms

from generation.forms import ModelParams


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
