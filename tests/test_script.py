"""The screenplay workspace: settling edits into text, revisions and breakdown; import, export, restore."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from projects import fountain
from projects.models import Character, Location, Revision, RevisionSource, Scene, Screenplay
from projects.script import crdt
from projects.script.selectors import DIFF_MAX_LINES, revision_diff
from projects.script.services import script_doc, script_settle, script_update_append
from tests.conftest import Cast, screenplay
from tests.stages import client_for, type_into

pytestmark = pytest.mark.django_db
SCENE = "INT. DINER - NIGHT\n\nEdward waits.\n\nEDWARD\nCoffee.\n\nEXT. RIVER - DAY\n\nWILL (V.O.)\nHe lied.\n"


def test_settling_writes_the_text_a_revision_and_the_breakdown(cast: Cast) -> None:
    type_into(cast, SCENE)
    assert script_settle(project_public_id=str(cast.project.public_id)) is True
    screenplay = Screenplay.objects.get(project=cast.project)
    assert screenplay.text == SCENE
    revision = Revision.objects.get(screenplay=screenplay)
    assert revision.number == 1 and list(revision.authors.all()) == [cast.editor]
    scenes = list(Scene.objects.filter(project=cast.project))
    assert [(s.number, s.int_ext, s.location, s.time_of_day, s.start_line) for s in scenes] == [
        ("1", "INT", "DINER", "NIGHT", 1),
        ("2", "EXT", "RIVER", "DAY", 8),
    ]
    assert scenes[0].characters == ["EDWARD"]
    will = Character.objects.get(project=cast.project, name="WILL")
    assert will.extensions == ["V.O."] and will.first_scene == "2" and will.dialogue_words == 2
    assert set(Location.objects.filter(project=cast.project).values_list("name", flat=True)) == {"DINER", "RIVER"}
    # Nothing changed: settling again writes nothing.
    assert script_settle(project_public_id=str(cast.project.public_id)) is False
    assert Revision.objects.count() == 1


def test_a_burst_of_edits_is_one_revision_and_a_later_one_is_the_next(cast: Cast) -> None:
    project_id = str(cast.project.public_id)
    type_into(cast, "INT. A - DAY\n")
    script_settle(project_public_id=project_id)
    type_into(cast, "\nMore.\n", author=cast.owner)
    script_settle(project_public_id=project_id)
    assert Revision.objects.count() == 1
    assert set(Revision.objects.get().authors.all()) == {cast.editor, cast.owner}
    Revision.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    type_into(cast, "\nLater.\n")
    script_settle(project_public_id=project_id)
    assert list(Revision.objects.values_list("number", flat=True)) == [2, 1]
    assert Revision.objects.get(number=1).text == "INT. A - DAY\n\nMore.\n"


def test_characters_keep_their_sheets_when_they_leave_the_script(cast: Cast) -> None:
    project_id = str(cast.project.public_id)
    type_into(cast, SCENE)
    script_settle(project_public_id=project_id)
    Character.objects.filter(name="WILL").update(description="Edward's son, a reporter.")
    doc = script_doc(cast.project)
    start = crdt.text_of(doc).index("WILL (V.O.)")
    update = crdt.replace_all(doc, crdt.text_of(doc)[:start])
    script_update_append(project=cast.project, author_id=cast.editor.pk, update=update)
    script_settle(project_public_id=project_id)
    will = Character.objects.get(name="WILL")
    assert will.in_script is False and will.description == "Edward's son, a reporter."
    type_into(cast, "WILL\nBack again.\n")
    script_settle(project_public_id=project_id)
    assert Character.objects.get(name="WILL").in_script is True


def test_importing_big_fish_then_its_fdx_gives_the_same_breakdown(cast: Cast) -> None:
    client = client_for(cast.editor)
    url = reverse("projects:script-import", kwargs={"project_id": cast.project.public_id})
    page = client.post(
        url,
        {"file": SimpleUploadedFile("Big-Fish.fountain", screenplay("Big-Fish.fountain").read_bytes())},
        follow=True,
    )
    assert "Imported “Big-Fish.fountain” as revision 1." in page.content.decode()
    headings = list(Scene.objects.filter(project=cast.project).values_list("heading", flat=True))
    assert len(headings) == 190
    client.post(url, {"file": SimpleUploadedFile("Big-Fish.fdx", screenplay("Big-Fish.fdx").read_bytes())})
    assert list(Scene.objects.filter(project=cast.project).values_list("heading", flat=True)) == headings
    revisions = Revision.objects.filter(screenplay__project=cast.project)
    assert [(r.number, r.source) for r in revisions] == [(2, RevisionSource.IMPORT), (1, RevisionSource.IMPORT)]
    assert crdt.text_of(script_doc(cast.project)) == Screenplay.objects.get(project=cast.project).text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.fountain", b"", "is empty"),
        ("photo.fountain", b"\x89PNG\x00\x00", "binary"),
        ("bomb.fdx", b'<!DOCTYPE x [<!ENTITY a "b">]><FinalDraft>&a;</FinalDraft>', "refused for safety"),
        ("old.fountain", "Café".encode("cp1252"), "not UTF-8"),
    ],
)
def test_a_bad_import_says_why_and_changes_nothing(cast: Cast, name: str, data: bytes, message: str) -> None:
    type_into(cast, SCENE)
    script_settle(project_public_id=str(cast.project.public_id))
    url = reverse("projects:script-import", kwargs={"project_id": cast.project.public_id})
    page = client_for(cast.editor).post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)
    assert "Nothing was imported" in page.content.decode() and message in page.content.decode()
    assert Screenplay.objects.get(project=cast.project).text == SCENE
    assert crdt.text_of(script_doc(cast.project)) == SCENE
    assert Revision.objects.count() == 1


def test_an_oversized_upload_is_refused_before_parsing(cast: Cast) -> None:
    url = reverse("projects:script-import", kwargs={"project_id": cast.project.public_id})
    big = SimpleUploadedFile("huge.fountain", b"INT. A - B\n" * (600 * 1024))
    page = client_for(cast.editor).post(url, {"file": big}, follow=True)
    assert "larger than 5 MB; nothing was imported" in page.content.decode()
    assert Revision.objects.count() == 0


def test_a_small_edit_in_a_long_script_diffs_with_its_own_line_numbers() -> None:
    old = [f"Line {n} of a long script." for n in range(8000)]
    new = [*old[:5000], "A new line.", *old[5001:7999], "The last line, rewritten."]
    diff = revision_diff("\n".join(old), "\n".join(new))
    assert diff is not None
    assert [(d.kind, d.old_line, d.new_line) for d in diff if d.kind != "same"] == [
        ("removed", 5001, None),
        ("added", None, 5001),
        ("gap", None, None),
        ("removed", 8000, None),
        ("added", None, 8000),
    ]
    assert [(d.text, d.old_line, d.new_line) for d in diff[:3]] == [
        (f"Line {n} of a long script.", n + 1, n + 1) for n in (4997, 4998, 4999)
    ]


def test_a_change_too_big_to_diff_on_the_page_offers_both_versions_to_download(cast: Cast) -> None:
    old = "\n".join(f"Line {n} of the first draft." for n in range(DIFF_MAX_LINES))
    new = "\n".join(f"Line {n} of the second draft." for n in range(DIFF_MAX_LINES))
    assert revision_diff(old, new) is None
    screenplay = Screenplay.objects.create(project=cast.project, text=new)
    first = Revision.objects.create(screenplay=screenplay, number=1, text=old)
    Revision.objects.create(screenplay=screenplay, number=2, text=new)
    kwargs = {"project_id": cast.project.public_id, "revision_id": first.public_id}
    body = client_for(cast.viewer).get(reverse("projects:revision", kwargs=kwargs)).content.decode()
    assert "too big to compare here" in body and "diff-removed" not in body
    download = reverse("projects:revision-download", kwargs=kwargs)
    current = reverse("projects:script-export", kwargs={"project_id": cast.project.public_id, "fmt": "fountain"})
    assert f'href="{download}"' in body and f'href="{current}"' in body
    response = client_for(cast.viewer).get(download)
    assert response.content.decode() == old
    assert response["Content-Disposition"] == 'attachment; filename="big-fish-revision-1.fountain"'
    assert client_for(cast.stranger).get(download).status_code == 404


def test_restoring_an_old_revision_makes_a_new_one_and_keeps_history(cast: Cast) -> None:
    project_id = str(cast.project.public_id)
    type_into(cast, "INT. FIRST DRAFT - DAY\n")
    script_settle(project_public_id=project_id)
    first = Revision.objects.get()
    Revision.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    doc = script_doc(cast.project)
    script_update_append(
        project=cast.project, author_id=cast.owner.pk, update=crdt.replace_all(doc, "INT. SECOND DRAFT - NIGHT\n")
    )
    script_settle(project_public_id=project_id)
    client = client_for(cast.editor)
    detail = client.get(reverse("projects:revision", kwargs={"project_id": project_id, "revision_id": first.public_id}))
    body = detail.content.decode()
    assert 'class="diff-removed">- INT. FIRST DRAFT - DAY' in body and 'class="diff-added">+ INT. SECOND DRAFT' in body
    client.post(reverse("projects:revision-restore", kwargs={"project_id": project_id, "revision_id": first.public_id}))
    latest = Revision.objects.order_by("-number").first()
    assert latest is not None
    assert (latest.number, latest.source, latest.note) == (3, RevisionSource.RESTORE, "Restored revision 1")
    assert latest.text == "INT. FIRST DRAFT - DAY\n" == crdt.text_of(script_doc(cast.project))
    assert Revision.objects.count() == 3  # nothing thrown away
    assert list(Scene.objects.filter(project=cast.project).values_list("heading", flat=True)) == [
        "INT. FIRST DRAFT - DAY"
    ]


def test_exports_as_fountain_fdx_and_pdf(cast: Cast) -> None:
    type_into(cast, "Title: Diner\n\n" + SCENE)
    script_settle(project_public_id=str(cast.project.public_id))
    client = client_for(cast.viewer)

    def export(fmt: str, query: str = "") -> bytes:
        url = reverse("projects:script-export", kwargs={"project_id": cast.project.public_id, "fmt": fmt})
        response = client.get(url + query)
        assert response.status_code == 200
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="big-fish.{"fountain" if fmt == "fountain" else fmt}"'
        )
        return response.content

    assert export("fountain").decode().endswith(SCENE)
    from_fdx = fountain.parse(fountain.write(fountain.read_fdx(export("fdx"))))
    assert [e.kind for e in from_fdx.elements] == [e.kind for e in fountain.parse(SCENE).elements]
    reader = PdfReader(io.BytesIO(export("pdf", "?paper=a4&scene_numbers=1")))
    assert len(reader.pages) == 2  # title page + one page of script
    assert "INT. DINER - NIGHT" in reader.pages[1].extract_text()
    assert round(float(reader.pages[0].mediabox.height)) == 842


def test_a_pdf_export_without_its_fonts_says_which_package_to_install(
    cast: Cast, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from projects.fountain import fonts

    type_into(cast, SCENE)
    script_settle(project_public_id=str(cast.project.public_id))
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path,))
    fonts.font_path.cache_clear()
    try:
        url = reverse("projects:script-export", kwargs={"project_id": cast.project.public_id, "fmt": "pdf"})
        page = client_for(cast.viewer).get(url, follow=True)
    finally:
        fonts.font_path.cache_clear()
    assert page.status_code == 200
    assert "needs the Courier Prime font" in page.content.decode() and "fonts-courier-prime" in page.content.decode()


def test_the_preview_and_reports_show_the_script(cast: Cast) -> None:
    type_into(cast, SCENE)
    script_settle(project_public_id=str(cast.project.public_id))
    client = client_for(cast.viewer)
    preview = client.get(
        reverse("projects:script-preview", kwargs={"project_id": cast.project.public_id})
    ).content.decode()
    assert '<p class="sp-character">EDWARD</p>' in preview and '<p class="sp-dialogue">Coffee.</p>' in preview
    characters = client.get(
        reverse("projects:script-report", kwargs={"project_id": cast.project.public_id, "report": "characters"})
    ).content.decode()
    assert "<td>WILL</td><td>2</td><td>1</td><td>1</td><td>2</td><td>V.O.</td>" in characters
    page = client.get(reverse("projects:script", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert 'data-line="8"' in page and 'data-read-only="1"' in page


def test_the_script_page_keeps_its_query_count_as_the_script_grows(cast: Cast) -> None:
    client = client_for(cast.editor)
    url = reverse("projects:script", kwargs={"project_id": cast.project.public_id})
    type_into(cast, SCENE)
    script_settle(project_public_id=str(cast.project.public_id))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    type_into(cast, "".join(f"\nINT. ROOM {i} - DAY\n\nPERSON{i}\nHi.\n" for i in range(30)))
    script_settle(project_public_id=str(cast.project.public_id))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_scenes_keep_their_rows_and_shots_when_a_scene_is_added_above(cast: Cast) -> None:
    from projects.models import Shot

    type_into(cast, SCENE)
    script_settle(project_public_id=str(cast.project.public_id))
    river = Scene.objects.get(project=cast.project, heading="EXT. RIVER - DAY")
    Shot.objects.create(scene=river, position=0, shot_type="wide", description="The river at dawn.")
    type_into(cast, "EXT. ROAD - DAY\n\nA truck passes.\n\n", at=0)
    script_settle(project_public_id=str(cast.project.public_id))
    moved = Scene.objects.get(pk=river.pk)
    assert (moved.position, moved.number) == (2, "3")
    assert list(moved.shots.values_list("description", flat=True)) == ["The river at dawn."]
    assert list(Scene.objects.filter(project=cast.project).values_list("heading", flat=True)) == [
        "EXT. ROAD - DAY",
        "INT. DINER - NIGHT",
        "EXT. RIVER - DAY",
    ]


def test_long_names_import_and_import_again(cast: Cast) -> None:
    from projects.script.services import script_replace_text
    from projects.teams.selectors import project_access_for_user

    long_name, first, second = "Z" * 250, "Y" * 200 + " FIRST", "Y" * 200 + " SECOND"
    place, other_place = "X" * 300 + " NORTH", "X" * 300 + " SOUTH"
    text = (
        f"INT. {place} - DAY\n\n@{long_name}\nHello.\n\n@{first}\nHi.\n\n@{second}\nHey.\n\n"
        f"EXT. {other_place} - NIGHT\n\n@{long_name}\nBye.\n\nB\u200bOB\nOne.\n\n\u200fBOB\nTwo.\n"
    )
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    for _ in range(2):  # the second import finds the same rows
        script_replace_text(access=access, text=text, source=RevisionSource.IMPORT)
        names = list(Character.objects.filter(project=cast.project).values_list("name", "dialogue_lines"))
        assert len(names) == 4 and all(len(name) <= 200 for name, _ in names)
        assert ("BOB", 2) in names and max(lines for _, lines in names) == 2
        places = list(Location.objects.filter(project=cast.project).values_list("name", flat=True))
        assert len(places) == 2 and all(len(name) <= 300 for name in places)
        scenes = list(Scene.objects.filter(project=cast.project).order_by("position"))
        assert sorted(scene.location for scene in scenes) == sorted(places)
        assert set(scenes[0].characters) <= {name for name, _ in names}
    longest = Character.objects.get(project=cast.project, name__startswith="ZZZ")
    assert longest.dialogue_lines == 2 and longest.scene_count == 2


def test_a_character_added_by_hand_with_invisible_marks_is_the_one_in_the_cast(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    from projects.characters.services import character_create
    from projects.teams.selectors import project_access_for_user

    type_into(cast, SCENE)
    script_settle(project_public_id=str(cast.project.public_id))
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    with pytest.raises(ValidationError, match="EDWARD is already in the cast"):
        character_create(access=access, name="\u200fEd\u200bward")
