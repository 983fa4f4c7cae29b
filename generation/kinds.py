"""The job kinds registry: each kind's name, label, params form, runner and queue.

The machine registers its own kinds here (the worker check, the test kind). The studio registers the
rest from each stage's `jobs.py` when Django starts (ProjectsConfig.ready), so this module never
imports the studio: a runner comes in as a function and runs in the worker only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from generation import forms as job_forms
from generation import params as job_params
from generation.engines.base import JobContext

# A runner gets its kind's typed params (the frozen dataclass its form makes) and the job's context.
Runner = Callable[[Any, JobContext], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    description: str
    params_form: type[job_forms.ParamsForm]
    runner: Runner
    test_only: bool = False
    # Started from the Studio page's job form; others start from their own pages (a character sheet).
    on_studio_form: bool = True
    # Celery queue: models on "gpu"; Blender renders on "render" (a worker whose killed child costs nothing).
    queue: str = "gpu"

    @property
    def params_type(self) -> type[Any]:
        return self.params_form.params_type

    def params_from_row(self, raw: dict[str, Any]) -> Any:
        """The typed params of a stored job."""
        return job_params.from_json(self.params_type, raw)


_KINDS: dict[str, JobKind] = {}


def register(*new: JobKind) -> None:
    """Add kinds to the registry (a stage's jobs module calls this once, at import)."""
    for kind in new:
        existing = _KINDS.get(kind.name)
        if existing is not None and existing != kind:
            raise ValueError(f"Job kind {kind.name!r} is registered twice.")
        _KINDS[kind.name] = kind


def kind_label(name: str) -> str:
    """What pages call a kind; an unknown (retired) kind shows its name."""
    kind = _KINDS.get(name)
    return kind.label if kind else name


def kind_queue(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.queue if kind else "gpu"


def _worker_check(params: job_params.NoParams, ctx: JobContext) -> dict[str, Any]:
    from generation.engines import diagnostics

    return diagnostics.run({}, ctx)


def _test_steps(params: job_params.TestSteps, ctx: JobContext) -> dict[str, Any]:
    from generation.engines import testing

    return testing.run(job_params.to_json(params), ctx)


register(
    JobKind(
        name="worker_check",
        label="Worker check",
        description="Measures the model worker: Python, PyTorch and GPU, disk and CPU speed.",
        params_form=job_forms.WorkerCheckParams,
        runner=_worker_check,
    ),
    JobKind(
        name="test_steps",
        label="Test steps",
        description="Test-only: counts through steps to exercise the job machinery.",
        params_form=job_forms.TestStepsParams,
        runner=_test_steps,
        test_only=True,
    ),
)

# The Studio form lists kinds in this order; registration order depends on which stage loads first.
_ORDER = (
    "worker_check write_screenplay continue_script rewrite_scene character_bios shot_list design_candidates "
    "design_variations design_blend upscale_portrait train_character_gan render_scene render_frame render_stale "
    "export_frame_set stylize_frame render_animatic test_steps"
).split()


def available_kinds() -> list[JobKind]:
    found = [k for k in _KINDS.values() if settings.FILMSTUDIO_TEST_JOB_KINDS or not k.test_only]
    return sorted(found, key=lambda k: _ORDER.index(k.name) if k.name in _ORDER else len(_ORDER))


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
        form: job_forms.ParamsForm = kind.params_form(data=params, project=project)
    else:
        form = kind.params_form(data=params)
    if not form.is_valid():
        raise ValidationError(
            [
                f"{name}: {' '.join(map(str, errors))}" if name != "__all__" else " ".join(map(str, errors))
                for name, errors in form.errors.items()
            ]
        )
    return job_params.to_json(form.params())
