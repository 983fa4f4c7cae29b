"""Forms parse and validate only: one params form per job kind."""

from __future__ import annotations

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
            if data.get(key) is None and key not in self.errors:
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
