"""Production revisions on the script page: revision sets in colour order, locked scene numbers,
and a revised PDF with "*" on exactly the changed lines."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from projects.fountain.pdf import MARK_FROM_EDGE, PAPER
from projects.models import Revision, RevisionSet, RevisionSource, Scene, Screenplay
from projects.script import crdt
from projects.script import services as script_services
from projects.script.services import script_doc, script_settle, script_update_append
from projects.teams.selectors import project_access_for_user
from projects.teams.services import project_create
from tests.conftest import Cast, make_cast
from tests.factories import UserFactory
from tests.fountain.support import printed_pieces
from tests.sockets import connect_as, receive_until
from tests.stages import client_for, load_script

pytestmark = pytest.mark.django_db

SCRIPT = (
    "Title: Big Fish\nAuthor: Daniel Wallace\n\n"
    "INT. DINER - NIGHT\n\nEdward waits at the counter.\n\nEDWARD\nCoffee, black.\n\nJENNY\nComing up.\n\n"
    "EXT. RIVER - DAY\n\nWill skims a stone.\n\nWILL\nHe lied about everything.\n\n"
    "INT. CAR - NIGHT\n\nRain on the windshield.\n\nEDWARD\nCoffee, black.\n"
)
STAR_X = PAPER["letter"][0] - MARK_FROM_EDGE


def url(cast: Cast, name: str, **kwargs: str) -> str:
    return reverse(f"projects:{name}", kwargs={"project_id": cast.project.public_id, **kwargs})


def edit(cast: Cast, old: str, new: str) -> None:
    """An editor's change in the browser: a CRDT update, then the settle."""
    doc = script_doc(cast.project)
    text = crdt.text_of(doc)
    assert old in text
    update = crdt.replace_all(doc, text.replace(old, new, 1))
    script_update_append(project=cast.project, author_id=cast.editor.pk, update=update)
    script_settle(project_public_id=str(cast.project.public_id))


def print_pdf(cast: Cast, user: object = None, **params: str) -> bytes:
    response = client_for(user or cast.viewer).get(url(cast, "script-export", fmt="pdf"), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def stars(data: bytes) -> list[tuple[int, float]]:
    return [(n, y) for n, page in enumerate(printed_pieces(data)) for x, y, text in page if text == "*" and x == STAR_X]


def rows_with(data: bytes, wanted: str) -> list[tuple[int, float]]:
    return [(n, y) for n, page in enumerate(printed_pieces(data)) for _, y, text in page if text == wanted]


def test_a_revised_pdf_marks_exactly_the_changed_lines(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    client_for(cast.editor).post(url(cast, "revision-set-start"))
    edit(cast, "Coffee, black.\n\nJENNY", "Tea, with milk.\n\nJENNY")  # the first speech only: the same line recurs
    edit(cast, "Will skims a stone.", "Will throws the stone hard.")
    data = print_pdf(cast)
    changed = rows_with(data, "Tea, with milk.") + rows_with(data, "Will throws the stone hard.")
    assert len(changed) == 2
    assert sorted(stars(data)) == sorted(changed)
    # The unchanged twin of the first speech, later in the script, carries none.
    assert rows_with(data, "Coffee, black.") and not set(rows_with(data, "Coffee, black.")) & set(stars(data))
    # The title page and the revised page name the set.
    pages = printed_pieces(data)
    revision = RevisionSet.objects.get()
    title_line = f"Blue Revision — {revision.date_display}"
    assert title_line in [t for _, _, t in pages[0]]
    assert f"Blue Rev. {revision.date_display}" in [t for _, y, t in pages[1] if y > 10.3]
    # Against nothing, no marks; against the first import, the same two lines (nothing else changed since).
    assert stars(print_pdf(cast, since="none")) == []
    first = Revision.objects.filter(source=RevisionSource.IMPORT).get()
    assert sorted(stars(print_pdf(cast, since=str(first.public_id)))) == sorted(changed)


def test_revision_sets_start_in_colour_order_with_their_own_base(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    page = client_for(cast.editor).get(url(cast, "script")).content.decode()
    assert "White draft" in page and "Start Blue revisions" in page
    response = client_for(cast.editor).post(url(cast, "revision-set-start"))
    assert response.status_code == 302
    blue = RevisionSet.objects.get()
    assert (blue.name, blue.number, blue.started_by) == ("Blue", 1, cast.editor)
    assert blue.base.source == RevisionSource.REVISION_SET and blue.base.text == SCRIPT
    # Edits right after the start become a new revision: the set's base never changes.
    edit(cast, "Rain on the windshield.", "Hail.")
    assert Revision.objects.get(pk=blue.base.pk).text == SCRIPT
    client_for(cast.owner).post(url(cast, "revision-set-start"))
    page = client_for(cast.editor).get(url(cast, "script")).content.decode()
    assert "Pink revisions" in page and "Start Yellow revisions" in page
    assert [s.name for s in RevisionSet.objects.all()] == ["Pink", "Blue"]
    listed = client_for(cast.viewer).get(url(cast, "revisions")).content.decode()
    assert 'id="revision-sets"' in listed and listed.index("<td>Pink</td>") < listed.index("<td>Blue</td>")
    # Printing now marks changes since Pink began: none yet.
    assert stars(print_pdf(cast)) == []


def test_locked_scene_numbers_keep_their_place_and_new_scenes_take_letters(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    client_for(cast.editor).post(url(cast, "scene-numbers-lock"))
    screenplay = Screenplay.objects.get(project=cast.project)
    assert screenplay.scene_numbers_locked and screenplay.locked_numbers == ["1", "2", "3"]
    assert "INT. DINER - NIGHT #1#" in screenplay.text
    # A scene written between 1 and 2, another after it, and scene 3 cut.
    edit(cast, "EXT. RIVER", "INT. HALL - DAY\n\nSteps.\n\nINT. STAIRS - DAY\n\nUp.\n\nEXT. RIVER")
    edit(cast, screenplay.text[screenplay.text.index("INT. CAR") :], "")
    scenes = list(Scene.objects.filter(project=cast.project).values_list("number", "heading"))
    assert scenes == [
        ("1", "INT. DINER - NIGHT"),
        ("1A", "INT. HALL - DAY"),
        ("1B", "INT. STAIRS - DAY"),
        ("2", "EXT. RIVER - DAY"),
    ]
    page = client_for(cast.viewer).get(url(cast, "script")).content.decode()
    assert "1A. INT. HALL - DAY" in page and "numbers locked" in page and "Omitted: 3" in page
    # The PDF prints them in both margins even unasked, and the cut scene as OMITTED.
    data = print_pdf(cast)
    numbered = [
        t for page in printed_pieces(data) for x, y, t in sorted(page, key=lambda p: (-p[1], p[0])) if x == 0.75
    ]
    assert numbered == ["1", "1A", "1B", "2", "3"]
    assert "OMITTED" in [t for page in printed_pieces(data) for _, _, t in page]
    # Locking again writes the new scenes' numbers in; unlocking renumbers 1..4.
    client_for(cast.editor).post(url(cast, "scene-numbers-lock"))
    assert "INT. HALL - DAY #1A#" in Screenplay.objects.get(project=cast.project).text
    client_for(cast.owner).post(url(cast, "scene-numbers-unlock"))
    screenplay.refresh_from_db()
    assert not screenplay.scene_numbers_locked and "#" not in screenplay.text
    assert list(Scene.objects.filter(project=cast.project).values_list("number", flat=True)) == ["1", "2", "3", "4"]


def test_locking_keeps_a_scenes_row_and_its_text(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    before = list(Scene.objects.filter(project=cast.project).values_list("pk", flat=True))
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    revision = script_services.scene_numbers_lock(access=access)
    assert revision.source == RevisionSource.NUMBERS
    assert list(Scene.objects.filter(project=cast.project).values_list("pk", flat=True)) == before
    # Nothing but the numbers changed: a print against the text before locking marks nothing.
    first = Revision.objects.filter(source=RevisionSource.IMPORT).get()
    assert stars(print_pdf(cast, since=str(first.public_id))) == []


@pytest.mark.parametrize("name", ["revision-set-start", "scene-numbers-lock", "scene-numbers-unlock"])
def test_a_viewer_cannot_start_revisions_or_lock_numbers_and_a_stranger_finds_nothing(cast: Cast, name: str) -> None:
    load_script(cast, text=SCRIPT)
    before = Screenplay.objects.get(project=cast.project).text
    assert client_for(cast.viewer).post(url(cast, name)).status_code == 403
    assert client_for(cast.stranger).post(url(cast, name)).status_code == 404
    assert client_for(cast.editor).get(url(cast, name)).status_code == 405
    assert RevisionSet.objects.count() == 0
    screenplay = Screenplay.objects.get(project=cast.project)
    assert screenplay.text == before and not screenplay.scene_numbers_locked


def test_the_print_form_is_for_everyone_and_its_choices_are_the_projects_own(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    page = client_for(cast.viewer).get(url(cast, "script")).content.decode()
    assert 'id="print-form"' in page and "Start Blue revisions" not in page and "Lock scene numbers" not in page
    # A revision of another project, or no revision at all, is a 404; so is the print for a stranger.
    elsewhere = project_create(user=cast.stranger, title="Other", logline="Someone else's film.")
    foreign = Revision.objects.create(screenplay=Screenplay.objects.create(project=elsewhere), number=1, text="x")
    export = url(cast, "script-export", fmt="pdf")
    assert client_for(cast.viewer).get(export, {"since": str(foreign.public_id)}).status_code == 404
    assert client_for(cast.viewer).get(export, {"since": "nope"}).status_code == 404
    assert client_for(cast.stranger).get(export).status_code == 404


def test_revision_sets_are_in_the_admin(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    client_for(cast.editor).post(url(cast, "revision-set-start"))
    staff = client_for(UserFactory.create(username="admin", is_staff=True, is_superuser=True))
    page = staff.get(reverse("admin:projects_revisionset_changelist"), {"q": "Big"})
    assert page.status_code == 200 and "Blue" in page.content.decode()


def test_locking_while_someone_types_keeps_their_words(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    # Eddie's browser made this edit before it heard of the lock: it arrives after it.
    doc = script_doc(cast.project)
    at = crdt.text_of(doc).index("Will skims")
    typed = crdt.insert(doc, at, "Slowly, ")
    script_services.scene_numbers_lock(
        access=project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    )
    script_update_append(project=cast.project, author_id=cast.editor.pk, update=typed)
    script_settle(project_public_id=str(cast.project.public_id))
    text = Screenplay.objects.get(project=cast.project).text
    assert "Slowly, Will skims a stone." in text
    assert "INT. DINER - NIGHT #1#" in text and "EXT. RIVER - DAY #2#" in text and "INT. CAR - NIGHT #3#" in text


def test_a_scene_cut_in_a_revision_set_prints_omitted_with_the_asterisk(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    client_for(cast.editor).post(url(cast, "scene-numbers-lock"))
    client_for(cast.editor).post(url(cast, "revision-set-start"))
    text = Screenplay.objects.get(project=cast.project).text
    edit(cast, text[text.index("EXT. RIVER") : text.index("INT. CAR")], "")
    data = print_pdf(cast)  # against the Blue set's start
    assert stars(data) == rows_with(data, "OMITTED")
    # Pink begins after the cut: printed against Pink, the OMITTED scene is old news.
    client_for(cast.editor).post(url(cast, "revision-set-start"))
    data = print_pdf(cast)
    assert rows_with(data, "OMITTED") and stars(data) == []


def test_starting_a_set_or_locking_numbers_from_the_page_answers_with_the_production_row(cast: Cast) -> None:
    load_script(cast, text=SCRIPT)
    response = client_for(cast.editor).post(url(cast, "revision-set-start"), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and 'id="production" hx-swap-oob="true"' in text
    assert "Blue revisions" in text and "Start Pink revisions" in text and "Blue revisions started" in text
    text = client_for(cast.editor).post(url(cast, "scene-numbers-lock"), HTTP_HX_REQUEST="true").content.decode()
    assert "Unlock scene numbers" in text and "Scene numbers are locked" in text


@pytest.mark.django_db(transaction=True)
async def test_the_production_row_changes_live_on_every_open_script_page() -> None:
    cast: Cast = await database_sync_to_async(make_cast)()
    await database_sync_to_async(load_script)(cast, text=SCRIPT)
    path = f"/ws/projects/{cast.project.public_id}/?show=jobs,breakdown,notes,production"
    pages = {}
    for role in ("viewer", "owner"):
        _, ws = await connect_as(cast.user(role), path)
        await receive_until(ws, lambda m: 'id="jobs-panel"' in m, timeout=5, what="the jobs on connect")
        pages[role] = ws
    editor = await database_sync_to_async(project_access_for_user)(user=cast.editor, public_id=cast.project.public_id)
    await database_sync_to_async(script_services.revision_set_start)(access=editor)
    for role, ws in pages.items():
        seen = await receive_until(ws, lambda m: 'id="production"' in m, timeout=5, what="the Production row")
        assert "Blue revisions" in seen[-1]
        assert ("Start Pink revisions" in seen[-1]) is (role == "owner")  # a viewer's row has no buttons
    await database_sync_to_async(script_services.scene_numbers_lock)(access=editor)
    seen = await receive_until(
        pages["owner"], lambda m: 'id="production"' in m, timeout=5, what="the row after locking"
    )
    assert "Unlock scene numbers" in seen[-1]
    for ws in pages.values():
        await ws.disconnect()
