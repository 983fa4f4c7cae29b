"""Writes to the model registry: registering a checkpoint a team trained."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from generation.models import ModelBackend, ModelEntry, ModelKind

MEDIA_PREFIX = "media:"


def _location(path: str) -> str:
    # Files under MEDIA_ROOT are stored relative to it, so every worker finds them on shared storage.
    media = Path(settings.MEDIA_ROOT).resolve()
    resolved = Path(path).resolve()
    if media in resolved.parents:
        return MEDIA_PREFIX + str(resolved.relative_to(media))
    return str(resolved)


def resolve_location(location: str) -> str:
    if location.startswith(MEDIA_PREFIX):
        return str(Path(settings.MEDIA_ROOT) / location[len(MEDIA_PREFIX) :])
    return location


def _free_name(name: str) -> str:
    candidate, n = name[:110], 2
    while ModelEntry.objects.filter(name=candidate).exists():
        candidate = f"{name[:104]} ({n})"
        n += 1
    return candidate


@transaction.atomic
def model_register_trained(
    *,
    name: str,
    path: str,
    sha256: str,
    license_note: str,
    source: str,
    base_licence: str = "",
    project: Any = None,
    job: Any = None,
    nz: int = 100,
    ngf: int = 64,
) -> ModelEntry:
    """Register a trained GAN checkpoint (idempotent per job) so its team can choose it.

    `base_licence` names the model it was fine-tuned from and that model's terms, which the new one keeps.
    """
    if job is not None:
        existing = ModelEntry.objects.filter(trained_by_job=job).first()
        if existing is not None:
            ModelEntry.objects.filter(pk=existing.pk).update(location=_location(path), sha256=sha256)
            existing.refresh_from_db()
            return existing
    return ModelEntry.objects.create(
        name=_free_name(name),
        kind=ModelKind.GAN,
        backend=ModelBackend.CHECKPOINT,
        location=_location(path),
        sha256=sha256,
        config={"nz": nz, "ngf": ngf, "image_size": 64},
        source=source,
        license=("Your own: see the note" + (f". {base_licence}" if base_licence else ""))[:200],
        license_note=license_note,
        project=project,
        trained_by_job=job,
    )
