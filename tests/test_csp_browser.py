"""The Content-Security-Policy in real Chromium: the studio's main pages load, work and report no violation."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from generation.paths import project_media_root
from projects.models import Frame, Scene
from tests.browsers import log_in
from tests.conftest import Cast, Server, wait_for
from tests.factories import CharacterFactory, PortraitFactory

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each page remembers every violation the policy reports, from the first script on.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.sourceFile + ":" + e.lineNumber;
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + where);
});
"""


def watch(page: Any) -> list[str]:
    """Violations seen on `page`: the console's CSP messages, plus what the page's listener records."""
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    return console


def violations(page: Any, console: list[str]) -> list[str]:
    return [*console, *page.evaluate("window.__csp || []")]


def test_the_main_pages_work_under_the_policy_with_no_violation(
    browser: object,
    asgi_server: Server,
    cast: Cast,
) -> None:
    edward = CharacterFactory.create(project=cast.project, name="EDWARD")
    PortraitFactory.create(character=edward)
    scene = Scene.objects.create(
        project=cast.project, position=0, number="1", heading="INT. DINER - NIGHT", start_line=1, end_line=3
    )
    frame = Frame.objects.create(
        project=cast.project, scene=scene, scene_heading=scene.heading, position=0, image="frames/f/frame.png"
    )
    picture = project_media_root(cast.project.public_id) / "frames" / "f" / "frame.png"
    picture.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 36), (90, 60, 30)).save(picture)

    owner = log_in(browser, asgi_server, cast.owner.username)
    editor = log_in(browser, asgi_server, cast.editor.username)
    seen = {page: watch(page) for page in (owner, editor)}
    project = f"{asgi_server.url}/projects/{cast.project.public_id}"

    # The studio page: htmx, its socket extension and the live jobs panel.
    owner.goto(f"{project}/")
    owner.wait_for_selector("[data-live=connected]", timeout=15000)
    assert violations(owner, seen[owner]) == []

    # The script: two people in the editor, each seeing the other's words and cursor (CodeMirror's
    # styles and the collaborators' coloured cursors are the inline styles the policy allows).
    for page in (owner, editor):
        page.goto(f"{project}/script/")
        page.wait_for_selector("#editor-status[data-status=synced]", timeout=15000)
    owner.click(".cm-content")
    owner.keyboard.type("INT. DINER - NIGHT\n\nEdward pours coffee.\n")
    editor.wait_for_function("() => window.scriptEditor.getText().includes('Edward pours coffee.')", timeout=15000)
    editor.wait_for_selector(".cm-ySelectionCaret", timeout=15000)
    # The cursor is named by the server, with the owner's own username.
    assert editor.locator(".cm-ySelectionInfo").first.text_content() == cast.owner.username
    for page in (owner, editor):
        assert violations(page, seen[page]) == [], page.url

    # A character sheet with its face, and the strength slider that shows its value.
    owner.goto(f"{project}/characters/{edward.public_id}/")
    owner.wait_for_selector("[data-live=connected]", timeout=15000)
    wait_for(
        lambda: owner.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"),
        timeout=10,
        what="the sheet's pictures",
    )
    slider = owner.locator("input[name=strength]")
    if slider.count():
        slider.first.fill("0.8")
        assert owner.locator("output").first.inner_text() == "0.8"
    assert violations(owner, seen[owner]) == []

    # The storyboard and a frame: its picture, and a note that clears its form once sent.
    owner.goto(f"{project}/storyboard/")
    owner.wait_for_selector("[data-live=connected]", timeout=15000)
    # The socket's first message re-renders the notes (their form too): type once it has arrived.
    pushed: list[str] = []
    owner.on("websocket", lambda ws: ws.on("framereceived", lambda payload: pushed.append(ws.url)))
    owner.goto(f"{project}/frames/{frame.public_id}/")
    # (Playwright hands events over while it runs a call: wait_for_timeout lets them in.)
    wait_for(
        lambda: owner.wait_for_timeout(50) or any("/ws/frames/" in url for url in pushed),
        timeout=15,
        what="the frame socket's first push",
    )
    owner.fill("#comment-form textarea[name=body]", "Warmer light")
    owner.click("#comment-form button")
    owner.wait_for_function("() => document.querySelector('#comment-form textarea').value === ''", timeout=10000)
    wait_for(lambda: "Warmer light" in owner.content(), timeout=10, what="the note to appear")
    assert violations(owner, seen[owner]) == []

    # The animatic, the team and the project list.
    for url in (f"{project}/animatic/", f"{project}/members/", f"{asgi_server.url}/projects/"):
        owner.goto(url)
        owner.wait_for_load_state("networkidle")
        assert violations(owner, seen[owner]) == [], url

    for page in (owner, editor):
        page.context.close()
