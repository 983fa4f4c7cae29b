"""Real headless Chromium against the real ASGI server, worker and Redis."""

from __future__ import annotations

import socket
import sys

import pytest

from tests.browsers import log_in
from tests.conftest import LOG_DIR, Cast, Proc, Server, child_env, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def restart_server(server: Server) -> Proc:
    port = int(server.url.rsplit(":", 1)[1])
    server.proc.stop()
    proc = Proc(
        "daphne",
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "filmstudio.asgi:application"],
        child_env(),
    )

    def up() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    wait_for(up, timeout=60, what="daphne back")
    server.proc = proc
    return proc


def test_a_job_started_by_one_member_streams_live_to_another_and_survives_a_reconnect(
    browser: object, asgi_server: Server, worker: Proc, cast: Cast
) -> None:
    editor = log_in(browser, asgi_server, cast.editor.username)
    viewer = log_in(browser, asgi_server, cast.viewer.username)
    project_url = f"{asgi_server.url}/projects/{cast.project.public_id}/"
    for page in (editor, viewer):
        page.goto(project_url)
        page.wait_for_selector("[data-live=connected]", timeout=15000)
    assert viewer.locator("select[name=kind]").count() == 0  # viewers get no job form

    editor.select_option("select[name=kind]", "test_steps")
    editor.click("button:has-text('Start')")
    # The editor's own page shows the job once the POST is answered (slow on a busy machine) ...
    editor.locator("article.job").first.wait_for(timeout=30000)
    row = viewer.locator("article.job").first
    row.wait_for(timeout=30000)  # ... and it appeared live on the other member's page (a busy machine: 30 s)
    seen: set[int] = set()

    def progress_done() -> bool:
        seen.add(int(row.locator("progress").get_attribute("value") or 0))
        return row.get_attribute("data-status") == "succeeded"

    wait_for(progress_done, timeout=60, what="job to succeed on the viewer's page", interval=0.05)
    assert len([v for v in seen if 0 < v < 100]) >= 3, seen  # intermediate progress was drawn live
    assert row.locator(".badge").inner_text() == "Succeeded"
    # The editor's page got the row twice (its own POST response and the socket push): shown once.
    assert editor.locator("article.job").count() == 1
    assert editor.locator("article.job").first.get_attribute("data-status") == "succeeded"
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    viewer.screenshot(path=str(LOG_DIR / "browser-jobs.png"), full_page=True)

    # The server goes away while a second job runs: the page reconnects and re-reads the state.
    editor.select_option("select[name=kind]", "test_steps")
    editor.click("button:has-text('Start')")
    viewer.wait_for_function("() => document.querySelectorAll('article.job').length === 2", timeout=30000)
    restart_server(asgi_server)
    newest = viewer.locator("article.job").first
    wait_for(lambda: newest.get_attribute("data-status") == "succeeded", timeout=90, what="state after reconnect")
    viewer.wait_for_selector("[data-live=connected]", timeout=30000)
    for page in (editor, viewer):
        page.context.close()
