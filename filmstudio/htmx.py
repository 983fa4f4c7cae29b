"""Typed requests for views, and small response helpers for htmx: errors and messages as out-of-band swaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request through django-htmx's middleware, which sets `request.htmx` (its documented typing recipe)."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a `login_required` view: `request.user` is a signed-in user, never anonymous."""

    user: User


def messages_oob(request: HttpRequest) -> str:
    return render_to_string("base.html#messages", {"oob": True}, request=request)


def partial_response(request: HttpRequest, html: str, *, status: int = 200) -> HttpResponse:
    """An htmx partial with any pending messages swapped in out of band."""
    response = HttpResponse(html + messages_oob(request), status=status)
    response["Vary"] = "HX-Request"
    return response


def error_response(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    """A clear error for an htmx request: shows the message and swaps nothing else."""
    messages.error(request, message)
    response = HttpResponse(messages_oob(request), status=status)
    response["HX-Reswap"] = "none"
    return response
