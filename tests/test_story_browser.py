# SPDX-License-Identifier: GPL-3.0-or-later
"""In Chromium: a logline with a named person and a named place becomes a script whose editor shows
the person as a character cue and the place in a scene heading.

The words come from the fake endpoint (tests/fake_llm.py), registered as the default text model, so
the real page, server, worker and runner take seconds instead of SmolLM2's minutes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from generation.models import JobStatus, ModelBackend, ModelEntry, ModelKind
from tests.browsers import log_in, newest_job, run_job
from tests.conftest import LOG_DIR, Cast, Proc, Server, wait_for
from tests.fake_llm import FakeLLM, fake_llm

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOGLINE = "Marta, a retired lighthouse keeper, rows out to Gull Island to find her missing brother."


@pytest.fixture
def fake_default_model(transactional_db: None) -> Iterator[FakeLLM]:
    with fake_llm() as server:
        ModelEntry.objects.filter(kind=ModelKind.TEXT).update(is_default=False)
        ModelEntry.objects.create(
            name="Fake screenwriter",
            kind=ModelKind.TEXT,
            backend=ModelBackend.OPENAI,
            location=server.url,
            model_name="fake",
            source="tests/fake_llm.py",
            license="test only",
            is_default=True,
        )
        yield server


def test_a_named_person_and_a_named_place_reach_the_editor_as_cue_and_heading(
    browser: object,
    asgi_server: Server,
    worker: Proc,
    cast: Cast,
    fake_default_model: FakeLLM,
) -> None:
    page = log_in(browser, asgi_server, cast.editor.username)
    page.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/script/")
    page.wait_for_selector("#editor-status[data-status=synced]", timeout=15000)
    studio = log_in(browser, asgi_server, cast.owner.username)
    studio.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/")
    studio.wait_for_selector("[data-live=connected]", timeout=15000)
    run_job(studio, "write_screenplay", {"logline": LOGLINE, "scenes": "3", "rounds": "3", "seed": "21"})
    wait_for(
        lambda: (j := newest_job("write_screenplay")) is not None and j.status == JobStatus.SUCCEEDED,
        timeout=120,
        what="the writing job",
        interval=0.5,
    )

    def editor_text() -> str:
        return str(page.evaluate("window.scriptEditor.getText()"))

    # The open editor received the script live; its lines show the person's cue and the place's heading.
    wait_for(lambda: editor_text().count("\nMARTA\n") >= 1, timeout=30, what="Marta's cue in the editor")
    text = editor_text()
    headings = re.findall(r"^(?:INT|EXT)\..*$", text, re.M)
    assert any("GULL ISLAND" in h for h in headings), headings
    cue = page.locator(".cm-line", has_text=re.compile(r"^MARTA$"))
    heading = page.locator(".cm-line", has_text=re.compile(r"^EXT\. GULL ISLAND - [A-Z]+$"))
    cue.first.wait_for(timeout=10000)
    heading.first.wait_for(timeout=10000)
    # The line after the cue is a speech, not narration about her.
    after = text.split("\nMARTA\n", 1)[1].split("\n", 1)[0]
    assert after and not after.isupper() and " said" not in after
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(LOG_DIR / "story-script.png"), full_page=True)
