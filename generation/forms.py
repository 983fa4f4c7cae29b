"""Forms parse and validate only: the machine's own kinds, and the bases every studio params form builds on."""

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


def random_seed() -> int:
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
            data["seed"] = random_seed()
        if data.get("model") is not None:
            data["model"] = str(data["model"])
        return data


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
