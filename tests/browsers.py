"""Driving headless Chromium: where it is, how it starts, logging in, starting a job from the panel.

The `browser` fixture itself is in conftest.py."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from generation.models import GenerationJob
from tests.conftest import Server
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def log_in(browser: object, server: Server, username: str):  # type: ignore[no-untyped-def]
    # The server process knows only the production hashers.
    get_user_model().objects.filter(username=username).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{server.url}/projects/")
    return page


def run_job(page, kind: str, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Start a job of `kind` from the page's job panel form."""
    page.select_option("select[name=kind]", kind)
    for name, value in fields.items():
        page.fill(f"fieldset[data-kind={kind}] [name={name}]", value)
    page.click("button:has-text('Start')")


def newest_job(kind: str) -> GenerationJob | None:
    return GenerationJob.objects.filter(kind=kind).order_by("-created_at").first()
