"""Typed job params: each kind's params are a frozen dataclass, made by the kind's form.

The job row keeps them as JSON (so a retry runs what was asked); the worker turns that JSON back
into the dataclass before the runner sees it. Defaults live on the dataclass, once.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any, TypeVar

P = TypeVar("P")


def random_seed() -> int:
    return secrets.randbelow(2**31)


@dataclasses.dataclass(frozen=True, kw_only=True)
class NoParams:
    """A kind that takes no parameters."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class ModelJob:
    """A model run: a seed (drawn when not given, so every run is recorded and can be made again)
    and a model from the registry (none: the default)."""

    seed: int = dataclasses.field(default_factory=random_seed)
    model: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class TestSteps:
    steps: int = 20
    step_seconds: float = 0.1
    fail_at_step: int | None = None
    crash_on_attempts: int | None = None


def default_of(field: dataclasses.Field[Any]) -> tuple[bool, Any]:
    """(True, value) where the field has a default; (False, None) where it must be given."""
    if field.default is not dataclasses.MISSING:
        return True, field.default
    if field.default_factory is not dataclasses.MISSING:
        return True, field.default_factory()
    return False, None


def from_json(cls: type[P], raw: dict[str, Any]) -> P:
    """The typed params of a stored job; keys the dataclass doesn't know (a retired param) are ignored."""
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in raw.items() if k in names})


def to_json(params: Any) -> dict[str, Any]:
    """What the job row stores: every set value (None left out, as the form never sent it)."""
    return {k: v for k, v in dataclasses.asdict(params).items() if v is not None}
