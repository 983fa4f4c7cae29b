"""A new user's path in Chromium: a Big-Fish character gets a face from a grid, a variation and an upscale."""

from __future__ import annotations

import pytest

from generation.models import GenerationJob, JobStatus
from projects.models import Character, RevisionSource
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from tests.browsers import log_in
from tests.conftest import LOG_DIR, Cast, Proc, Server, screenplay, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]


def finished(kind: str, count: int = 1) -> bool:
    jobs = GenerationJob.objects.filter(kind=kind)
    failed = jobs.filter(status=JobStatus.FAILED).first()
    assert failed is None, f"{kind} failed: {failed.error if failed else ''}"
    return jobs.filter(status=JobStatus.SUCCEEDED).count() >= count


def test_a_big_fish_character_gets_a_face_a_variation_and_an_upscale(
    browser: object,
    asgi_server: Server,
    worker: Proc,
    cast: Cast,
) -> None:
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    script_services.script_replace_text(
        access=access, text=screenplay("Big-Fish.fountain").read_text(), source=RevisionSource.IMPORT, note="Big Fish"
    )
    edward = Character.objects.get(project=cast.project, name="EDWARD")
    editor = log_in(browser, asgi_server, cast.editor.username)
    viewer = log_in(browser, asgi_server, cast.viewer.username)
    sheet = f"{asgi_server.url}/projects/{cast.project.public_id}/characters/{edward.public_id}/"
    viewer.goto(sheet)
    viewer.wait_for_selector(".sheet[data-live=connected]", timeout=15000)

    editor.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/characters/")
    editor.click(f"#character-card-{edward.public_id}")
    editor.wait_for_url(sheet)
    editor.wait_for_selector(".sheet[data-live=connected]", timeout=15000)
    editor.fill("#id_cand_seed", "11")
    editor.click("#design-candidates-form button:has-text('Draw faces')")
    wait_for(lambda: finished("design_candidates"), timeout=120, what="the grid job", interval=0.3)
    # The grid arrives on both open sheets over the character socket, without a reload.
    grid = "() => document.querySelectorAll('#character-designs .face-pick').length >= 16"
    editor.wait_for_function(grid, timeout=15000)
    viewer.wait_for_function(grid, timeout=15000)
    assert viewer.locator("#character-designs button:has-text('Choose')").count() == 0  # viewers look, don't pick

    editor.locator("#character-designs .face-pick").nth(2).locator("button:has-text('Choose')").click()
    viewer.wait_for_selector("#character-face img.identity", timeout=15000)
    edward.refresh_from_db()
    first_face = edward.identity
    assert first_face is not None and first_face.index == 2

    editor.fill("#id_var_seed", "5")
    editor.click("#design-variations-form button:has-text('Make variations')")
    wait_for(lambda: finished("design_variations"), timeout=120, what="the variations job", interval=0.3)
    editor.wait_for_selector("#character-designs .batch--variation .face-pick", timeout=15000)
    editor.locator("#character-designs .batch--variation .face-pick").nth(1).locator("button").click()
    wait_for(lambda: Character.objects.get(pk=edward.pk).identity_id != first_face.pk, timeout=15, what="new identity")
    # The sheet shows the new face before its Upscale button is pressed (the button upscales the face it is under).
    chosen = Character.objects.get(pk=edward.pk).identity
    assert chosen is not None
    editor.wait_for_selector(f"#character-face img.identity[src*='{chosen.best_image}']", timeout=15000)

    editor.wait_for_selector("#character-face button:has-text('Upscale to 256 px')", timeout=15000)
    editor.click("#character-face button:has-text('Upscale to 256 px')")
    wait_for(lambda: finished("upscale_portrait"), timeout=120, what="the upscale job", interval=0.3)
    for page in (editor, viewer):
        page.wait_for_function(
            "() => { const i = document.querySelector('#character-face img.identity');"
            " return i && i.src.includes('upscaled.png') && i.complete && i.naturalWidth === 256; }",
            timeout=15000,
        )
    assert "Upscaled to 256 px by Real-ESRGAN" in viewer.inner_text("#character-face")
    assert viewer.locator("#character-face .face-row img").count() == 1  # the first face, to undo with
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    editor.screenshot(path=str(LOG_DIR / "character-sheet.png"), full_page=True)
    # The cast page shows the chosen face on the character's card.
    editor.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/characters/")
    card = editor.locator(f"#character-card-{edward.public_id} img")
    assert "upscaled.png" in (card.get_attribute("src") or "")
