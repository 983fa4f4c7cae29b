"""Two real Chromium pages co-write one script through the real ASGI server; a viewer only watches."""

from __future__ import annotations

import asyncio
import time

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from projects.script import crdt
from projects.script.services import script_doc
from tests.browsers import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import Cast, Proc, Server
from tests.factories import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


async def open_script(browser, server: Server, username: str, project_id: str):  # type: ignore[no-untyped-def]
    await database_sync_to_async(
        lambda: (
            get_user_model()
            .objects.filter(username=username)
            .update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
        )
    )()
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{server.url}/accounts/login/")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button:has-text('Log in')")
    await page.wait_for_url(f"{server.url}/projects/")
    await page.goto(f"{server.url}/projects/{project_id}/script/")
    await page.wait_for_selector("#editor-status[data-status=synced]", timeout=15000)
    return page


async def text_of(page) -> str:  # type: ignore[no-untyped-def]
    return str(await page.evaluate("window.scriptEditor.getText()"))


async def test_two_pages_typing_at_once_end_with_identical_text(asgi_server: Server, worker: Proc, cast: Cast) -> None:
    from playwright.async_api import async_playwright

    project_id = str(cast.project.public_id)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        owner = await open_script(browser, asgi_server, cast.owner.username, project_id)
        editor = await open_script(browser, asgi_server, cast.editor.username, project_id)
        viewer = await open_script(browser, asgi_server, cast.viewer.username, project_id)

        await owner.click(".cm-content")
        await owner.keyboard.type("INT. BIG FISH DINER - NIGHT\n\n")
        # The second typist starts once the heading has reached their page.
        await editor.wait_for_function(
            "() => window.scriptEditor.getText() === 'INT. BIG FISH DINER - NIGHT\\n\\n'", timeout=20000
        )
        await editor.click(".cm-content")
        await editor.keyboard.press("Control+End")

        async def typist(page, words: str) -> None:  # type: ignore[no-untyped-def]
            for word in words.split():
                await page.keyboard.type(word + " ", delay=15)

        await asyncio.gather(
            typist(owner, "Edward tells the story of the witch and her glass eye"),
            typist(editor, "Will rolls his eyes and orders another coffee please"),
        )
        deadline = time.monotonic() + 30
        texts = [await text_of(p) for p in (owner, editor, viewer)]
        while len(set(texts)) > 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            texts = [await text_of(p) for p in (owner, editor, viewer)]
        assert len(set(texts)) == 1, texts
        final = texts[0]
        for word in "Edward witch glass Will coffee please".split():
            assert word in final
        assert final.startswith("INT. BIG FISH DINER - NIGHT\n\n")
        # Each editor sees the other's cursor, labelled with their name in their colour.
        await owner.wait_for_selector(".cm-ySelectionInfo:has-text('eddie')", state="attached", timeout=10000)
        await editor.wait_for_selector(".cm-ySelectionInfo:has-text('olivia')", state="attached", timeout=10000)

        # The viewer's editor does not take typing.
        await viewer.click(".cm-content")
        await viewer.keyboard.type("VIEWER TEXT")
        assert "VIEWER TEXT" not in await text_of(viewer)
        # The worker settles the edits: the viewer's scene navigator and character list update live.
        await viewer.wait_for_selector(".scene-nav a:has-text('INT. BIG FISH DINER - NIGHT')", timeout=20000)
        await owner.keyboard.press("Control+End")
        await owner.keyboard.type("\n\nEXT. RIVER - DAY\n\nEDWARD\nThe fish!\n")
        await viewer.wait_for_selector(".scene-nav a:has-text('EXT. RIVER - DAY')", timeout=20000)
        # That edit made the round trip to the viewer after its typing: none of the typing reached the others.
        assert "VIEWER TEXT" not in await text_of(owner)
        await viewer.wait_for_selector("#script-breakdown li:has-text('EDWARD')", timeout=20000)
        # The navigator jumps the editor to a scene.
        await viewer.click(".scene-nav a:has-text('EXT. RIVER - DAY')")
        cursor_line = (
            "(() => { const v = window.scriptEditor.view;"
            " return v.state.doc.lineAt(v.state.selection.main.head).number })()"
        )
        line = await viewer.evaluate(cursor_line)
        heading_line = (await text_of(owner)).split("\n").index("EXT. RIVER - DAY") + 1
        assert line == heading_line
        final = await text_of(owner)
        await owner.screenshot(path="var/test-logs/script-coedit.png")
        await browser.close()

    server_text = crdt.text_of(await database_sync_to_async(script_doc)(cast.project))
    assert server_text == final
