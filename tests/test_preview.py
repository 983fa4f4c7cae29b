# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTML preview shows the script as the PDF prints it: emphasis as italic, bold and underline,
and dual dialogue as two speeches side by side."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects import fountain
from projects.fountain.html import emphasis_html, preview_rows
from projects.script.services import script_settle
from tests.browsers import log_in
from tests.conftest import Cast, Server
from tests.stages import client_for, type_into

SCRIPT = (
    "INT. DINER - NIGHT\n\n"
    "Edward waits with *one* coffee and **two** spoons, _underlined_ and _**loud**_.\n\n"
    "EDWARD\nYou're *late*.\n\n"
    "WILL ^\n(at once)\nI'm **always** late.\n\n"
    "JENNY\nBoth of you, <stop>.\n"
)


def test_emphasis_becomes_tags_and_everything_else_is_escaped() -> None:
    assert (
        emphasis_html("a *b* **c** _d_ _**e**_") == "a <em>b</em> <strong>c</strong> <u>d</u> <u><strong>e</strong></u>"
    )
    assert emphasis_html("***both***") == "<strong><em>both</em></strong>"
    assert emphasis_html("<script>alert(1)</script> & *x*") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <em>x</em>"
    assert emphasis_html("a [[note]] b /* gone */c") == "a  b c"
    assert emphasis_html("un*paired <b>") == "unpaired &lt;b&gt;"  # as the PDF prints it: the words, no marks
    assert emphasis_html("one\ntwo") == "one<br>two"


def test_a_cue_marked_with_a_caret_pairs_its_speech_with_the_one_before() -> None:
    rows = preview_rows(fountain.parse(SCRIPT))
    dual = [row for row in rows if row.dual]
    assert len(dual) == 1
    assert [e.kind for e in dual[0].left] == ["character", "dialogue"]
    assert [e.kind for e in dual[0].right] == ["character", "parenthetical", "dialogue"]
    assert dual[0].left[0].text == "EDWARD" and dual[0].right[0].dual
    assert not any(row.dual for row in preview_rows(fountain.parse("BOB ^\nAlone.\n")))


@pytest.mark.django_db
def test_the_preview_shows_emphasis_and_dual_dialogue(cast: Cast) -> None:
    type_into(cast, SCRIPT)
    script_settle(project_public_id=str(cast.project.public_id))
    url = reverse("projects:script-preview", kwargs={"project_id": cast.project.public_id})
    page = client_for(cast.viewer).get(url).content.decode()
    assert "<em>one</em>" in page and "<strong>two</strong>" in page and "<u><strong>loud</strong></u>" in page
    assert "_**" not in page and "*late*" not in page
    assert "Both of you, &lt;stop&gt;." in page
    pair = page.split('<div class="sp-dual-pair">', 1)[1].split('<p class="sp-character">JENNY', 1)[0]
    assert "EDWARD" in pair and "WILL" in pair and "<strong>always</strong>" in pair


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dual_dialogue_stands_side_by_side_in_chromium(
    browser: object,
    asgi_server: Server,
    cast: Cast,
) -> None:
    type_into(cast, SCRIPT)
    script_settle(project_public_id=str(cast.project.public_id))
    page = log_in(browser, asgi_server, cast.viewer.username)
    page.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/script/preview/")
    left = page.locator(".sp-dual-col").nth(0).locator(".sp-dialogue").bounding_box()
    right = page.locator(".sp-dual-col").nth(1).locator(".sp-dialogue").bounding_box()
    assert left is not None and right is not None
    assert right["x"] >= left["x"] + left["width"]  # beside, not below
    assert abs(right["y"] - left["y"]) < 40  # the right speech has a parenthetical above its words
    assert page.locator(".sp-dialogue em", has_text="late").count() == 1
