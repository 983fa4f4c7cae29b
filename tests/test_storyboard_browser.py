"""A new user's path in Chromium: a Big-Fish scene's shot list becomes a storyboard grid; one frame is relit
from day to night and its .blend downloaded. The character's chosen face rides along into the frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.models import GenerationJob, JobStatus
from generation.paths import project_media_root
from projects.characters import jobs as designing
from projects.characters import services as character_services
from projects.models import Character, Frame, Portrait, RevisionSource, Scene
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from tests.browsers import log_in
from tests.conftest import LOG_DIR, Cast, Proc, Server, screenplay, wait_for
from tests.stages import run_engine

pytestmark = [
    pytest.mark.heavy,
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(600),
]


def done(kind: str, count: int = 1) -> bool:
    jobs = GenerationJob.objects.filter(kind=kind)
    failed = jobs.filter(status=JobStatus.FAILED).first()
    assert failed is None, f"{kind} failed: {failed.error if failed else ''}"
    return jobs.filter(status=JobStatus.SUCCEEDED).count() >= count


def luminance(path: Path) -> float:
    with Image.open(path) as picture:
        return float(np.asarray(picture.convert("L"), dtype=np.float64).mean())


def test_a_big_fish_scene_becomes_a_storyboard_relit_for_night_and_exported(
    browser: object,
    asgi_server: Server,
    worker: Proc,
    cast: Cast,
    tmp_path: Path,
) -> None:
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    script_services.script_replace_text(
        access=access, text=screenplay("Big-Fish.fountain").read_text(), source=RevisionSource.IMPORT, note="Big Fish"
    )
    scene = Scene.objects.get(project=cast.project, heading__contains="NEWSROOM")
    will = Character.objects.get(project=cast.project, name="WILL")
    grid, _ = run_engine(
        cast,
        "design_candidates",
        {"character": str(will.public_id), "seed": 4, "steer": "no"},
        designing.design_candidates,
    )
    character_services.character_choose_identity(character=will, portrait=Portrait.objects.get(job=grid, index=0))
    will.refresh_from_db()

    editor = log_in(browser, asgi_server, cast.editor.username)
    viewer = log_in(browser, asgi_server, cast.viewer.username)
    board = f"{asgi_server.url}/projects/{cast.project.public_id}/storyboard/{scene.public_id}/"
    viewer.goto(board)
    viewer.wait_for_selector(".storyboard[data-live=connected]", timeout=15000)
    editor.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/storyboard/")
    editor.click(f"#scene-{scene.public_id} h3 a")
    editor.wait_for_url(board)
    editor.wait_for_selector(".storyboard[data-live=connected]", timeout=15000)
    editor.click(".render-scene-form button")
    wait_for(lambda: done("render_scene"), timeout=240, what="the storyboard render", interval=0.5)
    frames = list(Frame.objects.filter(scene=scene).order_by("position"))
    assert len(frames) >= 2 and all(f.image for f in frames)
    # The viewer's open grid filled in live, one card per shot, each with its picture and notes.
    viewer.wait_for_function(
        f"() => document.querySelectorAll('.frame-card[data-rendered=\"1\"]').length >= {len(frames)}", timeout=20000
    )
    # WILL's figures carry his chosen face in every frame he is in.
    with_will = [f for f in frames if "WILL" in f.subjects]
    assert with_will
    face_path = str(project_media_root(cast.project.public_id) / will.identity.best_image)  # type: ignore[union-attr]
    for frame in with_will:
        last = frame.render_info["last"]
        assert last["png"] and frame.render_mode == "draft"
    from projects.storyboard.sets import with_current_faces

    assert all(
        fig["portrait_path"] == face_path
        for f in with_will
        for fig in with_current_faces(cast.project, f.set_spec)["characters"]
        if fig["name"] == "WILL"
    )

    frame = frames[0]
    editor.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/frames/{frame.public_id}/")
    editor.wait_for_selector(".frame-page[data-live=connected]", timeout=15000)
    editor.select_option("#render-frame-form select[name=mode]", "final")
    editor.click("#render-frame-form button")
    wait_for(lambda: done("render_frame"), timeout=240, what="the day render", interval=0.5)
    frame.refresh_from_db()
    day = luminance(project_media_root(cast.project.public_id) / frame.image)
    editor.select_option("#id_time_of_day", "night")
    editor.click("#frame-adjust-form button")
    editor.wait_for_selector(".message--success", timeout=15000)
    frame.refresh_from_db()
    assert frame.set_spec["time_of_day"] == "night"
    editor.wait_for_selector(".frame-page[data-live=connected]", timeout=15000)
    editor.select_option("#render-frame-form select[name=mode]", "final")
    editor.click("#render-frame-form button")
    wait_for(lambda: done("render_frame", 2), timeout=240, what="the night render", interval=0.5)
    frame.refresh_from_db()
    night = luminance(project_media_root(cast.project.public_id) / frame.image)
    assert night < day * 0.8, (day, night)
    # The open page shows the new picture without a reload.
    editor.wait_for_function(
        f"() => document.querySelector('#frame-image')?.src.includes('v={frame.rendered_spec_version}')", timeout=15000
    )

    editor.click("#export-form button")
    wait_for(lambda: done("export_frame_set"), timeout=120, what="the export", interval=0.5)
    link = editor.locator("#frame-exports a:has-text('.blend')")
    link.wait_for(timeout=15000)
    with editor.expect_download() as download_info:
        link.click()
    saved = tmp_path / "set.blend"
    download_info.value.save_as(saved)
    # Blender 5 writes .blend files zstd-compressed; older ones start with "BLENDER".
    assert saved.read_bytes()[:4] == b"\x28\xb5\x2f\xfd" or saved.read_bytes()[:7] == b"BLENDER"
    assert saved.stat().st_size > 50_000
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    editor.screenshot(path=str(LOG_DIR / "frame-page.png"), full_page=True)
    # The arrow keys step to the next frame of the storyboard.
    editor.keyboard.press("ArrowRight")
    editor.wait_for_url(f"**/frames/{frames[1].public_id}/", timeout=15000)
    viewer.goto(board)
    viewer.wait_for_selector(".frame-card img")
    viewer.screenshot(path=str(LOG_DIR / "storyboard.png"), full_page=True)
