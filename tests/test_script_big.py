"""Big scripts: imported on a worker, broken down in short transactions, shown a page of scenes at a time.

A 5 MB script with 223k headings used to hold a web request for minutes, lock SQLite against every
other writer, and make a 24 MB script page. The full size runs in bench/big_script.py; these tests
use scripts just over the thresholds.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from generation import kinds
from generation.engines.base import JobContext
from generation.models import GenerationJob, JobStatus
from generation.tasks import run_job
from projects import fountain
from projects.media import script_upload_path
from projects.models import (
    Character,
    Location,
    Project,
    Revision,
    RevisionSource,
    Scene,
    Screenplay,
    ScriptUpdate,
)
from projects.script import crdt
from projects.script import jobs as script_jobs
from projects.script.breakdown import breakdown_rebuild
from projects.script.services import script_doc, script_settle
from tests.browsers import log_in
from tests.conftest import Cast, Server


def big_script(headings: int, *, start: int = 0) -> str:
    """The shape of the script that locked the studio: a heading and a line of action, over and over.
    223,000 of these are 5 MB."""
    return "".join(f"INT. ROOM {n} - DAY\n\nA.\n\n" for n in range(start, start + headings))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def import_url(cast: Cast) -> str:
    return reverse("projects:script-import", kwargs={"project_id": cast.project.public_id})


def headings(project: Project) -> list[str]:
    return list(Scene.objects.filter(project=project).order_by("position").values_list("heading", flat=True))


def set_text(project: Project, text: str) -> None:
    """The document and its settled text, as if it had been typed and settled up to the breakdown."""
    doc = script_doc(project)
    update = crdt.replace_all(doc, text)
    screenplay = Screenplay.objects.get(project=project)
    if update:
        ScriptUpdate.objects.create(screenplay=screenplay, data=update)
    Screenplay.objects.filter(pk=screenplay.pk).update(text=text)


# --- the import: big files go to a worker ----------------------------------------------------------


def test_the_quick_check_counts_headings_without_parsing() -> None:
    text = big_script(50) + ".SCOTT\n\n...not a heading\n\next. road - night\n\n内景。客厅 - 夜\n\nINTERIOR DESIGN.\n"
    assert fountain.heading_count(text) == 53 == len(fountain.breakdown(text).scenes)


@pytest.mark.django_db(transaction=True)
def test_a_script_with_more_headings_than_the_limit_is_imported_by_a_worker(cast: Cast) -> None:
    text = big_script(settings.SCRIPT_IMPORT_SYNC_MAX_SCENES + 500)
    assert len(text.encode()) < settings.SCRIPT_IMPORT_SYNC_MAX_BYTES  # the headings alone send it there
    page = client_for(cast.editor).post(
        import_url(cast), {"file": SimpleUploadedFile("many.fountain", text.encode())}, follow=True
    )
    assert "“many.fountain” is a big script: a worker is importing it." in page.content.decode()
    # The request wrote nothing to the script: no revision, no scenes; the file waits for the worker.
    assert not Revision.objects.exists() and not Scene.objects.exists()
    job = GenerationJob.objects.get(kind="import_script")
    assert job.status == JobStatus.QUEUED and job.requested_by == cast.editor
    assert kinds.kind_queue(job.kind) == "default"  # the light worker, not the GPU's queue
    stored = script_upload_path(cast.project.public_id, job.params["upload"])
    assert stored.read_bytes() == text.encode() and job.params["filename"] == "many.fountain"

    assert run_job.apply(args=(str(job.public_id),)).get() == "succeeded"
    job.refresh_from_db()
    revision = Revision.objects.get()
    assert (revision.source, revision.note, list(revision.authors.all())) == (
        RevisionSource.IMPORT,
        "Imported many.fountain",
        [cast.editor],
    )
    assert Screenplay.objects.get(project=cast.project).text == text == crdt.text_of(script_doc(cast.project))
    assert len(headings(cast.project)) == 2500 == Location.objects.filter(project=cast.project).count()
    assert ["Scenes", "2,500"] in job.result["summary"] and job.progress == 1.0
    assert not stored.exists()  # removed once imported


@pytest.mark.django_db(transaction=True)
def test_a_big_final_draft_file_is_read_by_the_worker_and_a_bad_one_fails_there_saying_why(
    cast: Cast, settings: Any
) -> None:
    settings.SCRIPT_IMPORT_SYNC_MAX_FDX_BYTES = 1000
    text = big_script(20)
    client = client_for(cast.editor)
    client.post(import_url(cast), {"file": SimpleUploadedFile("draft.fdx", fountain.export_fdx(text))})
    good = GenerationJob.objects.get(kind="import_script")
    assert run_job.apply(args=(str(good.public_id),)).get() == "succeeded"
    assert headings(cast.project) == [f"INT. ROOM {n} - DAY" for n in range(20)]

    bomb = b'<!DOCTYPE x [<!ENTITY a "b">]><FinalDraft>&a;</FinalDraft>' + b" " * 1000
    client.post(import_url(cast), {"file": SimpleUploadedFile("bomb.fdx", bomb)})
    bad = GenerationJob.objects.exclude(pk=good.pk).get(kind="import_script")
    assert run_job.apply(args=(str(bad.public_id),)).get() == "failed"
    bad.refresh_from_db()
    assert "Nothing was imported" in bad.error and "refused for safety" in bad.error
    assert not script_upload_path(cast.project.public_id, bad.params["upload"]).exists()
    assert Revision.objects.count() == 1 and len(headings(cast.project)) == 20


@pytest.mark.django_db
def test_a_big_file_that_is_plainly_not_a_script_is_refused_at_once(cast: Cast, settings: Any) -> None:
    settings.SCRIPT_IMPORT_SYNC_MAX_FDX_BYTES = 10
    page = client_for(cast.editor).post(
        import_url(cast), {"file": SimpleUploadedFile("photo.fdx", b"\x89PNG\x00" * 100)}, follow=True
    )
    assert "Nothing was imported" in page.content.decode() and "binary" in page.content.decode()
    assert not GenerationJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_job_run_again_after_its_text_went_in_does_not_import_twice(cast: Cast, tmp_path: Path) -> None:
    text = big_script(settings.SCRIPT_IMPORT_SYNC_MAX_SCENES + 1)
    client_for(cast.editor).post(import_url(cast), {"file": SimpleUploadedFile("again.fountain", text.encode())})
    job = GenerationJob.objects.get(kind="import_script")
    GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    ctx = JobContext(output_dir=tmp_path, attempt=1, job_id=str(job.public_id))
    params = kinds.get_kind("import_script").params_from_row(job.params)
    first = script_jobs.import_script(params, ctx)
    # Its worker died before the job was marked done; the next attempt finds the revision recorded.
    again = script_jobs.import_script(params, ctx)
    assert first["revision"] == again["revision"] == 1 and Revision.objects.count() == 1
    assert again["scenes"] == settings.SCRIPT_IMPORT_SYNC_MAX_SCENES + 1


def common_head(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def test_replacing_a_long_text_changes_only_its_changed_middle() -> None:
    rng = random.Random(7)
    base = big_script(3000)
    for old, new in [
        (base, base + "INT. ATTIC - NIGHT\n"),
        (base, "Title: Big\n\n" + base),
        (base, base[:40_000] + "EXT. YARD - DAY" + base[40_010:]),
        ("", base),
        (base, ""),
        *((base[: rng.randrange(9000)], base[: rng.randrange(9000)]) for _ in range(20)),
    ]:
        doc = crdt.load(b"")
        crdt.replace_all(doc, old)
        before = doc.get_state()
        crdt.replace_all(doc, new)
        assert crdt.text_of(doc) == new
        head = common_head(old, new)
        tail = common_head(old[head:][::-1], new[head:][::-1])
        # The update deletes and inserts only what lies between the common head and tail.
        assert len(doc.get_update(before)) < (len(new) - head - tail) + 200


# --- the breakdown: short transactions, other writers in between ------------------------------


@pytest.mark.django_db(transaction=True)
def test_another_users_write_gets_in_between_the_batches_of_a_big_rebuild(cast: Cast) -> None:
    set_text(cast.project, big_script(3000))
    between: list[int] = []
    paused, resume = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def hook(done: int, total: int) -> None:
        between.append(done)
        if len(between) == 2:  # mid-way: scenes written, more to come
            outcome["in_transaction"] = connection.in_atomic_block
            paused.set()
            assert resume.wait(10)

    def rebuild() -> None:
        try:
            outcome["result"] = breakdown_rebuild(project=cast.project, on_batch=hook, batch_size=500)
        finally:
            paused.set()
            connection.close()

    thread = threading.Thread(target=rebuild)
    thread.start()
    assert paused.wait(60)
    try:
        # A short lock wait: the write must find the database free, not wait for the rebuild.
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA busy_timeout = 200")
            else:
                cursor.execute("SET lock_timeout = '200ms'")
        Project.objects.filter(pk=cast.project.pk).update(title="Big Fish (draft 2)")
        Character.objects.create(project=cast.project, name="EDWARD", added_by_hand=True)
    finally:
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
        resume.set()
        thread.join(60)
    assert outcome == {"in_transaction": False, "result": "built"}
    assert len(between) > 6 and between == sorted(between)
    assert Project.objects.get(pk=cast.project.pk).title == "Big Fish (draft 2)"
    assert len(headings(cast.project)) == 3000


@pytest.mark.django_db
def test_a_rebuild_that_a_newer_one_overtakes_stops_and_the_newer_text_wins(cast: Cast) -> None:
    set_text(cast.project, big_script(30))
    calls: list[str] = []

    def overtake(done: int, total: int) -> None:
        if not calls:  # after the older rebuild's first batch, the text changes and settles again
            set_text(cast.project, big_script(10, start=100))
            calls.append(breakdown_rebuild(project=cast.project, batch_size=4))

    assert breakdown_rebuild(project=cast.project, on_batch=overtake, batch_size=4) == "superseded"
    assert calls == ["built"]
    assert headings(cast.project) == [f"INT. ROOM {n} - DAY" for n in range(100, 110)]
    assert breakdown_rebuild(project=cast.project) == "current"


@pytest.mark.django_db
def test_scenes_that_change_places_keep_their_rows_across_batches(cast: Cast) -> None:
    set_text(cast.project, big_script(12))
    breakdown_rebuild(project=cast.project, batch_size=5)
    rows = dict(Scene.objects.filter(project=cast.project).values_list("heading", "pk"))
    order = [11, 3, 12, *range(11)]  # ROOM 12 is new; ROOM 3 now comes twice
    text = "".join(f"INT. ROOM {n} - DAY\n\nA.\n\n" for n in order)
    set_text(
        cast.project,
        text.replace("INT. ROOM 11 - DAY\n\nA.", "INT. ROOM 11 - DAY\n\nANN\nHello.\n\n= Ann says hello.", 1),
    )
    assert breakdown_rebuild(project=cast.project, batch_size=5) == "built"
    eleven = Scene.objects.get(pk=rows["INT. ROOM 11 - DAY"])
    assert (eleven.characters, eleven.synopsis, eleven.end_line) == (["ANN"], "Ann says hello.", 6)
    after = list(Scene.objects.filter(project=cast.project).order_by("position").values_list("heading", "pk", "number"))
    assert [h for h, _, _ in after] == [f"INT. ROOM {n} - DAY" for n in order]
    # The k-th scene with a heading keeps the k-th row that had it; the second ROOM 3 is a new row.
    assert after[0][1] == rows["INT. ROOM 11 - DAY"] and after[1][1] == rows["INT. ROOM 3 - DAY"]
    assert after[6][0] == "INT. ROOM 3 - DAY" and after[6][1] not in rows.values()
    assert [n for _, _, n in after] == [str(i) for i in range(1, 15)]


@pytest.mark.django_db
def test_a_rebuild_cut_off_half_way_is_finished_at_the_next_settle(cast: Cast) -> None:
    set_text(cast.project, big_script(20))

    def die(done: int, total: int) -> None:
        raise RuntimeError("the worker died")

    with pytest.raises(RuntimeError):
        breakdown_rebuild(project=cast.project, on_batch=die, batch_size=5)
    assert len(headings(cast.project)) == 5  # one batch got in
    script_settle(project_public_id=str(cast.project.public_id))  # the text did not change meanwhile
    assert headings(cast.project) == [f"INT. ROOM {n} - DAY" for n in range(20)]


# --- the page: a page of scenes at a time ----------------------------------------------------------


def many_scenes(project: Project, count: int) -> None:
    Scene.objects.bulk_create(
        Scene(
            project=project,
            position=n,
            number=str(n + 1),
            heading=f"INT. ROOM {n} - DAY",
            start_line=4 * n + 1,
            end_line=4 * n + 3,
        )
        for n in range(count)
    )


@pytest.mark.django_db
def test_the_script_page_of_a_huge_script_is_small_and_asks_for_more_scenes_as_needed(cast: Cast) -> None:
    client = client_for(cast.viewer)
    url = reverse("projects:script", kwargs={"project_id": cast.project.public_id})
    many_scenes(cast.project, 3)
    client.get(url)  # the first visit makes the screenplay's row
    with CaptureQueriesContext(connection) as small:
        small_page = client.get(url).content
    Scene.objects.all().delete()
    many_scenes(cast.project, 20_000)
    with CaptureQueriesContext(connection) as huge:
        page = client.get(url).content
    assert len(huge.captured_queries) == len(small.captured_queries)
    assert len(page) < len(small_page) + 60_000 < 1_000_000
    html = page.decode()
    assert 'Scenes <span class="muted">(20000)</span>' in html
    assert html.count("data-line=") == 200 and "INT. ROOM 199 - DAY" in html and "INT. ROOM 200 - DAY" not in html
    scenes_url = reverse("projects:script-scenes", kwargs={"project_id": cast.project.public_id})
    assert f'hx-get="{scenes_url}?after=199"' in html and 'name="q"' in html

    more = client.get(scenes_url, {"after": 199}, HTTP_HX_REQUEST="true").content.decode()
    assert more.count("data-line=") == 200 and "201. INT. ROOM 200 - DAY" in more and "?after=399" in more
    last = client.get(scenes_url, {"after": 19_799}, HTTP_HX_REQUEST="true").content.decode()
    assert "INT. ROOM 19999 - DAY" in last and "Show more" not in last
    found = client.get(scenes_url, {"q": "room 12345 "}, HTTP_HX_REQUEST="true").content.decode()
    assert found.count("data-line=") == 1 and 'data-line="49381"' in found
    by_number = client.get(scenes_url, {"q": "7"}, HTTP_HX_REQUEST="true").content.decode()
    assert "7. INT. ROOM 6 - DAY" in by_number  # its number, then the headings that contain a 7
    none = client.get(scenes_url, {"q": "KITCHEN"}, HTTP_HX_REQUEST="true").content.decode()
    assert "No scene matches “KITCHEN”." in none
    assert client.get(scenes_url, {"after": "soon"}, HTTP_HX_REQUEST="true").status_code == 400


@pytest.mark.django_db
def test_a_stranger_cannot_page_through_the_scenes(cast: Cast) -> None:
    many_scenes(cast.project, 3)
    scenes_url = reverse("projects:script-scenes", kwargs={"project_id": cast.project.public_id})
    assert client_for(cast.stranger).get(scenes_url).status_code == 404


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_show_more_appends_scenes_and_the_search_finds_one(
    browser: object,
    asgi_server: Server,
    cast: Cast,
) -> None:
    many_scenes(cast.project, 1000)
    page = log_in(browser, asgi_server, cast.viewer.username)
    page.goto(f"{asgi_server.url}/projects/{cast.project.public_id}/script/")
    assert page.locator(".scene-nav a").count() == 200
    page.click("button:has-text('Show more scenes')")
    page.wait_for_selector(".scene-nav a:has-text('400. INT. ROOM 399 - DAY')")
    assert page.locator(".scene-nav a").count() == 400 and page.locator(".scene-more").count() == 1
    page.fill("input[name=q]", "room 777")
    page.wait_for_function("() => document.querySelectorAll('.scene-nav a').length === 1")
    assert page.locator(".scene-nav a").inner_text() == "778. INT. ROOM 777 - DAY"
