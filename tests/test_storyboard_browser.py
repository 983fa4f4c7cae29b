"""A new user's path in Chromium: a Big-Fish scene's shot list becomes a storyboard grid; one frame is relit
from day to night and its .blend downloaded. The character's chosen face rides along into the frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.models import GenerationJob, JobStatus
from generation.paths import project_media_root
from projects import fountain
from projects.characters import jobs as designing
from projects.characters import services as character_services
from projects.models import Character, Frame, Portrait, RevisionSource, Scene
from projects.script import services as script_services
from projects.storyboard import jobs as storyboarding
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


def storyboard_each_scene_in_its_place(
    browser: object, server: Server, cast: Cast, text: str, places: dict[str, str], out: Path
) -> list[Path]:
    """Import the script, render every scene (draft), check each scene's wide shot is in its place and every speech is
    in some frame's lines, then screenshot each wide shot's card image in Chromium into out/."""
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    script_services.script_replace_text(access=access, text=text, source=RevisionSource.IMPORT, note="import")
    run_engine(cast, "render_scene", {"scale": 100}, storyboarding.render_scene)
    scenes = list(Scene.objects.filter(project=cast.project).order_by("position"))
    assert [s.heading for s in scenes] == list(places)
    lines = text.split("\n")
    for scene in scenes:
        frames = list(Frame.objects.filter(scene=scene).order_by("position"))
        assert frames and all(f.image for f in frames), scene.heading
        assert frames[0].shot_type == "wide" and frames[0].set_spec["location_type"] == places[scene.heading]
        body = "\n".join(lines[scene.start_line - 1 : scene.end_line])
        for element in fountain.parse(body).elements:
            if element.kind == "dialogue":
                start, end = element.start_line + scene.start_line - 1, element.end_line + scene.start_line - 1
                assert any(f.start_line <= start and end <= f.end_line for f in frames), (scene.heading, element.text)
    page = log_in(browser, server, cast.viewer.username)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{server.url}/projects/{cast.project.public_id}/storyboard/")
    page.wait_for_selector(".storyboard[data-live=connected]", timeout=15000)
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    for i, scene in enumerate(scenes):
        wide = Frame.objects.filter(scene=scene, position=0).get()
        card = page.locator(f"#frame-card-{wide.public_id}")
        card.scroll_into_view_if_needed()
        image = card.locator("img")
        image.wait_for(timeout=15000)
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        shot = out / f"scene-{i + 1}-{wide.set_spec['location_type']}.png"
        image.screenshot(path=str(shot))
        shots.append(shot)
    page.screenshot(path=str(out / "storyboard.png"), full_page=False)
    for shot in shots:  # a real picture, not a blank card: it has light and dark parts
        with Image.open(shot) as picture:
            grey = np.asarray(picture.convert("L"), dtype=np.float64)
        assert grey.std() > 20, shot.name
    return shots


@pytest.mark.heavy
def test_brick_and_steel_storyboard_shows_each_scene_in_its_place(
    browser: object,
    asgi_server: Server,
    cast: Cast,
) -> None:
    """Every scene of Brick-and-Steel rendered (draft) and seen in Chromium: its wide shot shows its place, and every
    speech is in some frame's lines. Each scene's wide shot is saved under var/test-logs/brick-and-steel/ (the
    pictures in docs/storyboard/ come from here)."""
    from tests.stages import BRICK_PLACES

    text = screenplay("Brick-and-Steel.fountain").read_text()
    shots = storyboard_each_scene_in_its_place(
        browser, asgi_server, cast, text, BRICK_PLACES, LOG_DIR / "brick-and-steel"
    )
    assert len(shots) == 8


# The places a 3-scene script written by the default text model (SmolLM2) chose, and the set each one gets.
GENERATED_PLACES = {
    "EXT. LISBON - DAY": "street",  # Lisbon read as a city
    "INT. OLD BAKERY - NIGHT": "shop",
    "EXT. LISBON - MORNING": "street",
}


@pytest.mark.heavy
def test_a_generated_3_scene_script_storyboard_shows_each_scene_in_its_place(
    browser: object,
    asgi_server: Server,
    cast: Cast,
) -> None:
    """A 3-scene script the default text model wrote from a logline with a named person and a named place
    (tests/data/generated-3-scene.fountain, see its title page) rendered (draft) and seen in Chromium: each scene's
    wide shot shows its place. The wide shots are saved under var/test-logs/generated-3-scene/ (the pictures in
    docs/storyboard/generated/ come from here)."""
    text = (Path(__file__).parent / "data" / "generated-3-scene.fountain").read_text()
    shots = storyboard_each_scene_in_its_place(
        browser, asgi_server, cast, text, GENERATED_PLACES, LOG_DIR / "generated-3-scene"
    )
    assert len(shots) == 3
