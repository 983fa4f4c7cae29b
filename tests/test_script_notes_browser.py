"""A note made in the page: a margin mark on every open script page, on its words after another user edits above."""

from __future__ import annotations

import pytest

from projects.models import Membership, RevisionSource, ScriptNote
from projects.script import crdt
from projects.script import notes as script_notes
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from tests.browsers import log_in
from tests.conftest import LOG_DIR, Cast, Server, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]

SCRIPT = "INT. DINER - NIGHT\n\nEDWARD\nThe witch had a glass eye.\n"
# The words the note's decorations cover (without other people's cursors), and whether a margin mark shows.
MARKED = """() => [...document.querySelectorAll('#editor .fs-note')].map((e) => {
  const copy = e.cloneNode(true);
  copy.querySelectorAll('.cm-ySelectionCaret').forEach((c) => c.remove());
  return copy.textContent;
}).join('')"""
NOTED = f"""() => {{
  const marks = ({MARKED})();
  const gutter = document.querySelector('#editor .fs-note-mark');
  const ranges = Object.values(window.scriptEditor.noteRanges());
  const text = window.scriptEditor.getText();
  return {{ marks, gutter: !!gutter, words: ranges.map(([a, b]) => text.slice(a, b)), text }};
}}"""


def open_script(browser: object, server: Server, cast: Cast, role: str):  # type: ignore[no-untyped-def]
    page = log_in(browser, server, cast.user(role).username)
    page.goto(f"{server.url}/projects/{cast.project.public_id}/script/")
    page.wait_for_selector("#editor-status[data-status=synced]", timeout=15000)
    page.wait_for_selector(".script-layout[data-live=connected]", timeout=15000)
    return page


def test_a_note_made_in_the_page_shows_as_a_margin_mark_everywhere_and_stays_on_its_words(
    browser: object, asgi_server: Server, cast: Cast
) -> None:
    owner_access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    script_services.script_replace_text(access=owner_access, text=SCRIPT, source=RevisionSource.IMPORT)
    Membership.objects.filter(project=cast.project, user=cast.viewer).update(commenter=True)
    owner = open_script(browser, asgi_server, cast, "owner")
    editor = open_script(browser, asgi_server, cast, "editor")
    viewer = open_script(browser, asgi_server, cast, "viewer")

    # The owner selects "glass eye" and writes a note on it.
    start = SCRIPT.index("glass eye")
    owner.evaluate(
        f"() => window.scriptEditor.view.dispatch({{selection: {{anchor: {start}, head: {start + len('glass eye')}}}}})"
    )
    owner.fill("#note-form textarea[name=body]", "Make it green, @eddie")
    owner.click("#note-form button")
    owner.wait_for_selector("#editor .fs-note-mark", timeout=10000)
    note = wait_for(lambda: ScriptNote.objects.first(), timeout=10, what="the note saved")
    assert note.quote == "glass eye"

    # The editor's page got the note through its socket: a margin mark, and "mentions you" for eddie.
    editor.wait_for_selector(f"#script-notes [data-note='{note.public_id}'] >> text=mentions you", timeout=10000)
    editor.wait_for_selector("#editor .fs-note-mark", timeout=10000)
    seen = editor.evaluate(NOTED)
    assert (seen["marks"], seen["words"], seen["gutter"]) == ("glass eye", ["glass eye"], True)

    # The editor types two lines above the note and a word inside it.
    editor.click(".cm-content")
    editor.keyboard.press("Control+Home")
    editor.keyboard.type("FADE IN:\n\n")
    at = len("FADE IN:\n\n") + start + len("glass")
    editor.evaluate(f"() => window.scriptEditor.view.dispatch({{selection: {{anchor: {at}}}}})")
    editor.keyboard.type(" green")
    expected = "FADE IN:\n\n" + SCRIPT.replace("glass eye", "glass green eye")
    owner.wait_for_function(f"() => window.scriptEditor.getText() === {expected!r}", timeout=15000)
    owner.wait_for_function(f"() => ({MARKED})() === 'glass green eye'", timeout=10000)
    seen = owner.evaluate(NOTED)
    assert (seen["words"], seen["gutter"]) == (["glass green eye"], True)
    # The margin mark sits on the line of its words (line 6 now: two new lines above).
    line = owner.evaluate(
        "() => { const v = window.scriptEditor.view; const m = document.querySelector('#editor .fs-note-mark');"
        " const top = m.getBoundingClientRect().top + 2;"
        " return v.state.doc.lineAt(v.lineBlockAtHeight(top - v.documentTop).from).number; }"
    )
    assert line == 6
    # The server reads the same words from the note's anchors.
    assert crdt.text_of(script_services.script_doc(cast.project)) == expected

    def server_words() -> str:
        found = script_notes.note_ranges(project=cast.project, notes=[note])[str(note.public_id)]
        return "" if found is None else expected[found[0] : found[1]]

    assert server_words() == "glass green eye"

    # The viewer, a commenter, can't type but selects a word with the mouse and notes it on the same line.
    viewer.wait_for_function(f"() => window.scriptEditor.getText() === {expected!r}", timeout=15000)
    at = expected.index("witch") + 2
    box = viewer.evaluate(
        f"() => {{ const c = window.scriptEditor.view.coordsAtPos({at});"
        " return {x: c.left, y: (c.top + c.bottom) / 2}; }"
    )
    viewer.mouse.dblclick(box["x"], box["y"])
    assert viewer.evaluate("() => window.scriptEditor.selectionAnchors()?.quote") == "witch"
    viewer.fill("#note-form textarea[name=body]", "Say which witch")
    viewer.click("#note-form button")
    for page in (owner, editor, viewer):
        page.wait_for_function("() => Object.keys(window.scriptEditor.noteRanges()).length === 2", timeout=10000)
        page.wait_for_function(f"() => ({MARKED})() === 'witchglass green eye'", timeout=10000)
    second = ScriptNote.objects.get(author=cast.viewer)
    assert second.quote == "witch" and expected.count("witch") == 1
    assert crdt.text_of(script_services.script_doc(cast.project)) == expected
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    owner.screenshot(path=str(LOG_DIR / "script-notes.png"))
