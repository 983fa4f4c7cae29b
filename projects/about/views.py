# SPDX-License-Identifier: GPL-3.0-or-later
"""The About and licences page, and the licence texts it links to. Public: it shows no project data."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from filmstudio import notices
from generation import licences
from projects.about import selectors


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    collected = notices.collect_cached(Path(settings.BASE_DIR))
    context = {
        "studio_licence": licences.STUDIO_LICENCE,
        "studio_licence_name": licences.STUDIO_LICENCE_NAME,
        "studio_licence_url": licences.STUDIO_LICENCE_URL,
        "models": selectors.models_for_about(user=request.user),
        "notices": collected,
    }
    return render(request, "projects/about.html", context)


def _text_file(name: str) -> HttpResponse:
    path = Path(settings.BASE_DIR) / name
    if not path.is_file():
        raise Http404(f"{name} is not installed with this studio")
    return HttpResponse(path.read_text(encoding="utf-8"), content_type="text/plain; charset=utf-8")


@require_GET
def licence_text(request: HttpRequest) -> HttpResponse:
    """The studio's licence, the full GPL-3.0 text."""
    return _text_file("LICENSE")


@require_GET
def notices_text(request: HttpRequest) -> HttpResponse:
    """THIRD_PARTY.md as shipped."""
    return _text_file(notices.NOTICES_FILE)
