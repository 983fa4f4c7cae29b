"""A new user's whole path in Chromium on this CPU: a logline becomes a 3-scene script, a storyboard and
an MP4 animatic that plays in the page, and its storyboard PDF opens; a viewer's Studio page follows every
step live in its pipeline overview."""

from __future__ import annotations

import re
import time

import pytest

from generation.models import GenerationJob, JobStatus
from projects.models import Animatic, Scene
from tests.browsers import log_in, run_job
from tests.conftest import LOG_DIR, Cast, Proc, Server, wait_for

pytestmark = [
    pytest.mark.heavy,
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(900),
]


def done(kind: str) -> bool:
    job = GenerationJob.objects.filter(kind=kind).order_by("-created_at").first()
    assert job is None or job.status != JobStatus.FAILED, f"{kind} failed: {job.error if job else ''}"
    return job is not None and job.status == JobStatus.SUCCEEDED


def test_a_logline_becomes_a_played_animatic_and_a_storyboard_pdf(
    browser: object,
    asgi_server: Server,
    worker: Proc,
    cast: Cast,
) -> None:
    started = time.monotonic()
    project = f"{asgi_server.url}/projects/{cast.project.public_id}"
    viewer = log_in(browser, asgi_server, cast.viewer.username)
    viewer.goto(f"{project}/")
    viewer.wait_for_selector("[data-live=connected]", timeout=15000)
    assert viewer.get_attribute("[data-stage=script]", "class") == "stage stage--next"
    assert viewer.locator("#overview-write-form").count() == 0  # viewers get no buttons
    page = log_in(browser, asgi_server, cast.editor.username)
    page.goto(f"{project}/")
    page.wait_for_selector("[data-live=connected]", timeout=15000)
    run_job(
        page,
        "write_screenplay",
        {
            "logline": "A retired ferryman must carry his estranged daughter across a flooded river before nightfall.",
            "scenes": "3",
            "rounds": "2",
            "seed": "7",
        },
    )
    wait_for(lambda: done("write_screenplay"), timeout=400, what="the script", interval=1.0)
    wait_for(lambda: Scene.objects.filter(project=cast.project).count() == 3, timeout=30, what="three scenes")
    written = time.monotonic()

    page.goto(f"{project}/storyboard/")
    page.wait_for_selector(".storyboard[data-live=connected]", timeout=15000)
    page.click("#render-all-form button")
    wait_for(lambda: done("render_scene"), timeout=300, what="the storyboard", interval=0.5)
    rendered = "() => document.querySelectorAll('.frame-card[data-rendered=\"1\"]').length >= 3"
    page.wait_for_function(rendered, timeout=20000)
    boarded = time.monotonic()

    page.goto(f"{project}/animatic/")
    page.wait_for_selector(".animatic-page[data-live=connected]", timeout=15000)
    page.click("#animatic-form button")
    wait_for(lambda: done("render_animatic"), timeout=300, what="the animatic", interval=0.5)
    film = Animatic.objects.get(project=cast.project)
    # The page swaps in the player when the film is ready, and the browser plays it.
    page.wait_for_selector("#animatic-video", timeout=20000)
    page.evaluate("document.querySelector('#animatic-video').muted = true")
    page.evaluate("document.querySelector('#animatic-video').play()")
    page.wait_for_function("() => document.querySelector('#animatic-video').currentTime > 1.0", timeout=20000)
    duration = page.evaluate("document.querySelector('#animatic-video').duration")
    assert abs(duration - film.duration_seconds) < 0.25, (duration, film.duration_seconds)
    tracks = page.evaluate("document.querySelector('#animatic-video').textTracks.length")
    assert tracks == 1
    animated = time.monotonic()

    # The viewer never reloaded: the overview moved with each step and shows the frames.
    for stage in ("script", "storyboard", "animatic"):
        viewer.wait_for_selector(f"[data-stage={stage}][data-done='1']", timeout=10000)
    assert viewer.locator(".stage-pictures--storyboard img").count() >= 3
    assert "3 scenes" in viewer.inner_text("[data-stage=script]")

    pdf = page.request.get(f"{project}/exports/storyboard.pdf")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    headings = [s.heading for s in Scene.objects.filter(project=cast.project)]
    assert len(headings) == 3
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(LOG_DIR / "animatic-page.png"), full_page=True)
    timings = (
        f"script {written - started:.0f} s, storyboard {boarded - written:.0f} s, "
        f"animatic {animated - boarded:.0f} s, total {animated - started:.0f} s"
    )
    (LOG_DIR / "film-timings.txt").write_text(timings + "\n")
    assert re.search(r"\d", timings)
