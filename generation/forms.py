"""Forms parse and validate only: the machine's own kinds, and the bases every studio params form builds on."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any, ClassVar

from django import forms

from generation import params as job_params
from generation.params import random_seed

__all__ = ["ModelParams", "ParamsForm", "ProjectBound", "ProjectParams", "random_seed"]


class ParamsForm(forms.Form):
    """A kind's params form: it validates what was asked and makes the kind's typed params.

    Its `params_type` (a frozen dataclass) holds the defaults: an empty field takes the dataclass's
    default here, so the form, the job row and the runner agree on one value.
    """

    params_type: ClassVar[type[Any]] = job_params.NoParams

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field in dataclasses.fields(self.params_type):
            if field.name in self.errors or data.get(field.name) not in (None, ""):
                continue
            has_default, value = job_params.default_of(field)
            if has_default:
                data[field.name] = value
        for key, value in data.items():
            if isinstance(value, uuid.UUID):
                data[key] = str(value)
        return data

    @classmethod
    def initial_values(cls) -> dict[str, Any]:
        """What a page shows in the fields before anyone types: the dataclass's fixed defaults (a drawn
        default, such as a random seed, stays empty)."""
        return {
            f.name: f.default
            for f in dataclasses.fields(cls.params_type)
            if f.default is not dataclasses.MISSING and f.default is not None and f.name in cls.base_fields
        }

    def params(self) -> Any:
        """The typed params (call after is_valid())."""
        return job_params.from_json(self.params_type, self.cleaned_data)


class WorkerCheckParams(ParamsForm):
    """The worker check takes no parameters."""


class TestStepsParams(ParamsForm):
    params_type = job_params.TestSteps

    steps = forms.IntegerField(min_value=1, max_value=1000, required=False)
    step_seconds = forms.FloatField(min_value=0.0, max_value=5.0, required=False)
    fail_at_step = forms.IntegerField(min_value=1, max_value=1000, required=False)
    crash_on_attempts = forms.IntegerField(min_value=0, max_value=10, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        steps = data.get("steps")
        fail_at = data.get("fail_at_step")
        if isinstance(steps, int) and isinstance(fail_at, int) and fail_at > steps:
            self.add_error("fail_at_step", "Must be within the number of steps.")
        return data


class ModelParams(ParamsForm):
    """Params of a model job: a seed and a model from the registry (see params.ModelJob)."""

    params_type: ClassVar[type[Any]] = job_params.ModelJob
    seed = forms.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    model = forms.UUIDField(required=False, widget=forms.HiddenInput)


class ProjectBound(ParamsForm):
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
