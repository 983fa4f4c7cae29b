"""Reads about the model registry, and turning an entry into an engine's model spec."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import slugify

from generation.engines.text import TextModelSpec
from generation.models import ModelEntry, ModelKind


def model_list(*, kind: str) -> QuerySet[ModelEntry]:
    return ModelEntry.objects.filter(kind=kind, enabled=True).order_by("-is_default", "name")


def model_get(*, kind: str, public_id: Any = None) -> ModelEntry:
    """The chosen model of a kind, or the default one."""
    entries = model_list(kind=kind)
    entry = entries.filter(public_id=public_id).first() if public_id else entries.filter(is_default=True).first()
    if entry is None:
        entry = entries.first()
    if entry is None:
        raise ValidationError(f"No {ModelKind(kind).label.lower()} model is configured. Add one in the admin.")
    return entry


def text_spec(entry: ModelEntry) -> TextModelSpec:
    return TextModelSpec(
        key=f"text:{entry.public_id}:{entry.backend}:{entry.location}",
        backend=entry.backend,
        location=entry.location,
        model_name=entry.model_name,
        api_key=os.environ.get(entry.api_key_env, "") if entry.api_key_env else "",
        cache_dir=str(settings.MODEL_CACHE_DIR / slugify(entry.name)),
        label=entry.name,
    )
