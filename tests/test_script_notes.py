"""Notes on the script: anchored to words by Yjs relative positions, threads, @mentions, resolve, the
commenter right, the live panel, and the project archive."""

from __future__ import annotations

import base64

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pycrdt import Assoc, Doc, Text

from projects.archive import archive_content, project_export_archive, project_import_archive
from projects.models import Membership, RevisionSource, ScriptNote, ScriptNoteReply
from projects.script import crdt
from projects.script import notes as script_notes
from projects.script import selectors as script_selectors
from projects.script import services as script_services
from projects.teams.selectors import ProjectAccess, project_access_for_user
from tests.conftest import Cast, make_cast
from tests.sockets import connect_as, receive_until

SCRIPT = "INT. DINER - NIGHT\n\nEDWARD leans in close.\n\nEDWARD\nThe witch had a glass eye.\n"
LINE = "The witch had a glass eye."


def access_of(cast: Cast, role: str) -> ProjectAccess:
    return project_access_for_user(user=cast.user(role), public_id=cast.project.public_id)


def make_commenter(cast: Cast) -> None:
    Membership.objects.filter(project=cast.project, user=cast.viewer).update(commenter=True)


def seed(cast: Cast, text: str = SCRIPT) -> None:
    script_services.script_replace_text(access=access_of(cast, "owner"), text=text, source=RevisionSource.IMPORT)


def client_doc(cast: Cast) -> Doc:
    """A browser's copy of the script: the server's state, edited under a client id of its own."""
    doc: Doc = Doc()
    doc.get(crdt.TEXT_NAME, type=Text)
    doc.apply_update(crdt.snapshot_of(script_services.script_doc(cast.project)))
    return doc


def client_edit(cast: Cast, doc: Doc, index: int, value: str) -> None:
    """Type into the client's copy and send the update the way the script socket does."""
    update = crdt.insert(doc, index, value)
    script_services.script_update_append(project=cast.project, author_id=cast.editor.pk, update=update)


def words_of(cast: Cast, note: ScriptNote) -> str:
    found = script_notes.note_ranges(project=cast.project, notes=[note])[str(note.public_id)]
    assert found is not None
    return crdt.text_of(script_services.script_doc(cast.project))[found[0] : found[1]]


def test_two_notes_on_one_line_stay_on_their_words_while_a_third_user_edits_above_and_inside(cast: Cast) -> None:
    seed(cast)
    make_commenter(cast)
    line = SCRIPT.index(LINE)
    witch = line + LINE.index("witch")
    glass = line + LINE.index("glass eye")
    # The owner's note comes from the server's own anchors; the commenter's from a browser's selection,
    # made on its own copy (Yjs relative positions: the start sticks after, the end before).
    owner_note = script_notes.note_add_at(
        access=access_of(cast, "owner"), body="Which witch?", start=witch, end=witch + len("witch")
    )
    browser = client_doc(cast)
    text = browser.get(crdt.TEXT_NAME, type=Text)
    start = text.sticky_index(glass, Assoc.AFTER).encode()
    end = text.sticky_index(glass + len("glass eye"), Assoc.BEFORE).encode()
    viewer_note = script_notes.note_add(access=access_of(cast, "viewer"), body="Lovely @eddie", start=start, end=end)
    assert (owner_note.quote, viewer_note.quote) == ("witch", "glass eye")

    # The editor, meanwhile, on a copy made before both notes: new lines above, then typing inside both ranges.
    editor = client_doc(cast)
    client_edit(cast, editor, 0, "FADE IN:\n\nEXT. SWAMP - DAY\n\nFog.\n\n")
    moved = len("FADE IN:\n\nEXT. SWAMP - DAY\n\nFog.\n\n")
    client_edit(cast, editor, moved + witch + len("wi"), "TCH-")  # inside the first note's word
    now = crdt.text_of(editor)
    client_edit(cast, editor, now.index("glass eye") + len("glass"), " green")  # inside the second
    client_edit(cast, editor, 0, "TITLE: Big Fish\n")  # and above again

    final = crdt.text_of(script_services.script_doc(cast.project))
    assert "The wiTCH-tch had a glass green eye." in final
    assert words_of(cast, owner_note) == "wiTCH-tch"
    assert words_of(cast, viewer_note) == "glass green eye"
    # Typing right before or right after a note's words moves them but doesn't join them.
    doc = client_doc(cast)
    for words in ("glass green eye", "wiTCH-tch"):
        at = crdt.text_of(doc).index(words)
        client_edit(cast, doc, at, "big ")
        client_edit(cast, doc, at + len("big " + words), "-ish")
    assert "The big wiTCH-tch-ish had a big glass green eye-ish." in crdt.text_of(doc)
    assert (words_of(cast, owner_note), words_of(cast, viewer_note)) == ("wiTCH-tch", "glass green eye")


def test_an_anchor_from_elsewhere_or_garbage_is_refused_with_a_message_and_nothing_is_saved(cast: Cast) -> None:
    seed(cast)
    other: Doc = Doc()
    other_text = other.get(crdt.TEXT_NAME, type=Text)
    other_text += "text the server never saw"
    foreign = other_text.sticky_index(3, Assoc.AFTER).encode()
    editor = access_of(cast, "editor")
    good, _ = crdt.note_anchors(script_services.script_doc(cast.project), 0, 3)
    for start in (foreign, b"\x07garbage", b"\x00\x01", good + b"\x00"):
        with pytest.raises(ValidationError, match="Select the words again"):
            script_notes.note_add(access=editor, body="Hm", start=start, end=good)
    with pytest.raises(ValidationError, match="Write something"):
        script_notes.note_add_at(access=editor, body="  ", start=0, end=3)
    with pytest.raises(ValidationError, match="within the script"):
        script_notes.note_add_at(access=editor, body="Hm", start=5, end=10_000)
    assert not ScriptNote.objects.exists()


def test_threads_mentions_and_resolve_reopen(cast: Cast) -> None:
    seed(cast)
    make_commenter(cast)
    owner, editor, viewer = (access_of(cast, r) for r in ("owner", "editor", "viewer"))
    note = script_notes.note_add_at(access=owner, body="@Vera what do you think? @stan", start=0, end=4)
    script_notes.note_reply(access=viewer, note=note, body="Keep it, @eddie")
    script_notes.note_reply(access=editor, note=note, body="Agreed")
    # Only members are mentioned (stan is a stranger to the project).
    assert [u.username for u in note.mentions.all()] == ["vera"]
    rows = {role: script_selectors.note_list(access=access_of(cast, role)).get() for role in ("owner", "editor")}
    assert [r.body for r in rows["owner"].replies.all()] == ["Keep it, @eddie", "Agreed"]
    assert script_selectors.note_mentions_user(rows["editor"], cast.editor.pk)
    assert not script_selectors.note_mentions_user(rows["owner"], cast.owner.pk)

    script_notes.note_set_resolved(access=viewer, note=note, resolved=True)
    note.refresh_from_db()
    assert note.resolved and note.resolved_by == cast.viewer
    script_notes.note_set_resolved(access=editor, note=note, resolved=False)
    note.refresh_from_db()
    assert not note.resolved and note.resolved_by is None


def test_a_viewer_reads_notes_but_needs_the_commenter_right_to_write_them(cast: Cast) -> None:
    seed(cast)
    note = script_notes.note_add_at(access=access_of(cast, "editor"), body="Cut?", start=0, end=4)
    viewer = access_of(cast, "viewer")
    assert [n.body for n in script_selectors.note_list(access=viewer)] == ["Cut?"]
    with pytest.raises(PermissionDenied):
        script_notes.note_add_at(access=viewer, body="Mine", start=0, end=4)
    with pytest.raises(PermissionDenied):
        script_notes.note_reply(access=viewer, note=note, body="Mine")
    with pytest.raises(PermissionDenied):
        script_notes.note_set_resolved(access=viewer, note=note, resolved=True)
    assert not ScriptNoteReply.objects.exists() and not ScriptNote.objects.get().resolved


def _post(client: Client, name: str, cast: Cast, data: dict[str, str], **kwargs: str) -> int:
    url = reverse(f"projects:{name}", kwargs={"project_id": cast.project.public_id, **kwargs})
    return client.post(url, data, HTTP_HX_REQUEST="true").status_code


def test_note_urls_404_for_strangers_403_for_viewers_without_the_right_and_work_for_commenters(cast: Cast) -> None:
    seed(cast)
    note = script_notes.note_add_at(access=access_of(cast, "owner"), body="First", start=0, end=4)
    start, end = (base64.b64encode(bytes(a)).decode() for a in (note.start, note.end))
    add = {"body": "Second", "start": start, "end": end}
    ids = {"note_id": str(note.public_id)}
    clients = {}
    for role in ("stranger", "viewer", "editor"):
        clients[role] = Client()
        clients[role].force_login(cast.user(role))
    panel = reverse("projects:script-notes", kwargs={"project_id": cast.project.public_id})

    assert clients["stranger"].get(panel).status_code == 404
    assert _post(clients["stranger"], "script-note-add", cast, add) == 404
    assert _post(clients["stranger"], "script-note-reply", cast, {"body": "x"}, **ids) == 404
    assert _post(clients["stranger"], "script-note-resolve", cast, {"resolved": "1"}, **ids) == 404
    assert clients["viewer"].get(panel).status_code == 200
    assert _post(clients["viewer"], "script-note-add", cast, add) == 403
    assert _post(clients["viewer"], "script-note-reply", cast, {"body": "x"}, **ids) == 403
    assert _post(clients["viewer"], "script-note-resolve", cast, {"resolved": "1"}, **ids) == 403
    assert ScriptNote.objects.count() == 1 and not ScriptNoteReply.objects.exists()

    # Only an owner grants the right.
    commenter = reverse(
        "projects:member-commenter",
        kwargs={
            "project_id": cast.project.public_id,
            "membership_id": Membership.objects.get(user=cast.viewer).public_id,
        },
    )
    assert clients["editor"].post(commenter, {"commenter": "1"}).status_code == 403
    owner = Client()
    owner.force_login(cast.owner)
    assert owner.post(commenter, {"commenter": "1"}).status_code == 302
    assert Membership.objects.get(user=cast.viewer).commenter

    assert _post(clients["viewer"], "script-note-add", cast, add) == 200
    assert _post(clients["viewer"], "script-note-reply", cast, {"body": "Yes @olivia"}, **ids) == 200
    assert _post(clients["viewer"], "script-note-resolve", cast, {"resolved": "1"}, **ids) == 200
    assert ScriptNote.objects.filter(body="Second", author=cast.viewer, quote=note.quote).exists()
    assert ScriptNote.objects.get(pk=note.pk).resolved
    # Bad anchors are a message, not a 500; nothing is saved.
    assert _post(clients["viewer"], "script-note-add", cast, {**add, "start": "not base64!"}) == 400
    assert _post(clients["viewer"], "script-note-add", cast, {**add, "start": "AAEC"}) == 400
    assert ScriptNote.objects.count() == 2
    # The page shows the owner who is mentioned that the reply mentions them.
    page = owner.get(reverse("projects:script", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert "mentions you" in page and f'data-note="{note.public_id}"' in page
    other = clients["editor"].get(reverse("projects:script", kwargs={"project_id": cast.project.public_id}))
    assert "mentions you" not in other.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_a_new_note_reaches_every_open_script_page_without_reload() -> None:
    cast: Cast = await database_sync_to_async(make_cast)()
    await database_sync_to_async(seed)(cast)
    base = f"/ws/projects/{cast.project.public_id}/?show=jobs,breakdown,notes"
    pages = []
    for user in (cast.viewer, cast.editor):
        _, ws = await connect_as(user, base)
        await receive_until(ws, lambda m: 'id="script-notes"' in m, timeout=5, what="the notes on connect")
        pages.append(ws)
    access = await database_sync_to_async(access_of)(cast, "owner")
    note = await database_sync_to_async(script_notes.note_add_at)(access=access, body="Tighter, @vera", start=0, end=4)
    for ws, mentioned in zip(pages, (True, False), strict=True):
        seen = await receive_until(
            ws, lambda m: f'data-note="{note.public_id}"' in m, timeout=5, what="the new note's mark"
        )
        assert ("mentions you" in seen[-1]) is mentioned
        await ws.disconnect()


def test_notes_travel_in_the_archive_and_stay_on_their_words(cast: Cast) -> None:
    seed(cast)
    make_commenter(cast)
    line = SCRIPT.index(LINE)
    note = script_notes.note_add_at(access=access_of(cast, "viewer"), body="@olivia look", start=line + 4, end=line + 9)
    script_notes.note_reply(access=access_of(cast, "owner"), note=note, body="Seen")
    script_notes.note_set_resolved(access=access_of(cast, "owner"), note=note, resolved=True)
    path = project_export_archive(access=access_of(cast, "owner"))

    imported = project_import_archive(user=cast.owner, file=path)

    assert archive_content(imported) == archive_content(cast.project)
    copy = ScriptNote.objects.get(screenplay__project=imported)
    assert (copy.body, copy.quote, copy.resolved, copy.author, copy.resolved_by) == (
        "@olivia look",
        "witch",
        True,
        cast.viewer,
        cast.owner,
    )
    assert [u.username for u in copy.mentions.all()] == ["olivia"]
    assert [r.body for r in copy.replies.all()] == ["Seen"]
    # Its anchors live in the new project's own document, and follow edits there.
    doc = script_services.script_doc(imported)
    update = crdt.insert(doc, 0, "NEW FIRST LINE\n")
    script_services.script_update_append(project=imported, author_id=cast.owner.pk, update=update)
    found = script_notes.note_ranges(project=imported, notes=[copy])[str(copy.public_id)]
    assert found is not None and crdt.text_of(doc)[found[0] : found[1]] == "witch"


def test_the_author_or_an_owner_deletes_a_note_or_a_reply_and_nobody_else_may(cast: Cast) -> None:
    seed(cast)
    make_commenter(cast)
    owner, editor, viewer = (access_of(cast, r) for r in ("owner", "editor", "viewer"))
    mine = script_notes.note_add_at(access=viewer, body="Mine", start=0, end=4)
    reply = script_notes.note_reply(access=editor, note=mine, body="The editor's reply")
    other = script_notes.note_reply(access=viewer, note=mine, body="The viewer's reply")
    # Others may comment, but not delete what they did not write.
    with pytest.raises(PermissionDenied, match="author or an owner"):
        script_notes.note_delete(access=editor, note=mine)
    with pytest.raises(PermissionDenied, match="author or an owner"):
        script_notes.note_reply_delete(access=viewer, reply=reply)
    assert ScriptNote.objects.count() == 1 and ScriptNoteReply.objects.count() == 2
    script_notes.note_reply_delete(access=editor, reply=reply)  # its author
    assert [r.body for r in ScriptNoteReply.objects.all()] == ["The viewer's reply"]
    script_notes.note_delete(access=viewer, note=mine)  # its author, with its thread
    assert not ScriptNote.objects.exists() and not ScriptNoteReply.objects.filter(pk=other.pk).exists()
    # An owner deletes anyone's.
    theirs = script_notes.note_add_at(access=editor, body="Theirs", start=0, end=4)
    answer = script_notes.note_reply(access=editor, note=theirs, body="And more")
    script_notes.note_reply_delete(access=owner, reply=answer)
    script_notes.note_delete(access=owner, note=theirs)
    assert not ScriptNote.objects.exists() and not ScriptNoteReply.objects.exists()


def test_delete_buttons_show_only_where_the_member_may_delete(cast: Cast) -> None:
    seed(cast)
    note = script_notes.note_add_at(access=access_of(cast, "editor"), body="Cut?", start=0, end=4)
    script_notes.note_reply(access=access_of(cast, "owner"), note=note, body="No")
    delete = reverse(
        "projects:script-note-delete", kwargs={"project_id": cast.project.public_id, "note_id": note.public_id}
    )
    reply_delete = reverse(
        "projects:script-note-reply-delete",
        kwargs={"project_id": cast.project.public_id, "reply_id": ScriptNoteReply.objects.get().public_id},
    )
    panel = reverse("projects:script-notes", kwargs={"project_id": cast.project.public_id})
    seen = {}
    for role in ("owner", "editor", "viewer"):
        client = Client()
        client.force_login(cast.user(role))
        seen[role] = client.get(panel).content.decode()
    assert delete in seen["owner"] and reply_delete in seen["owner"]
    assert delete in seen["editor"] and reply_delete not in seen["editor"]
    assert delete not in seen["viewer"] and reply_delete not in seen["viewer"]
    # Through the URL: another editor is refused; the author's delete answers with the panel, without the note.
    client = Client()
    client.force_login(cast.user("editor"))
    assert (
        _post(client, "script-note-reply-delete", cast, {}, reply_id=str(ScriptNoteReply.objects.get().public_id))
        == 403
    )
    response = client.post(delete, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="script-notes"' in response.content.decode()
    assert f'data-note="{note.public_id}"' not in response.content.decode() and not ScriptNote.objects.exists()
    assert client.post(delete, HTTP_HX_REQUEST="true").status_code == 404


def test_notes_are_listed_in_script_order_with_resolved_ones_after_open_ones(cast: Cast) -> None:
    seed(cast)
    editor = access_of(cast, "editor")
    late = script_notes.note_add_at(access=editor, body="On the line", start=SCRIPT.index(LINE), end=len(SCRIPT) - 1)
    early = script_notes.note_add_at(access=editor, body="On the heading", start=0, end=4)
    middle = script_notes.note_add_at(
        access=editor, body="On the action", start=SCRIPT.index("leans"), end=SCRIPT.index("leans") + 5
    )
    done = script_notes.note_add_at(access=editor, body="Resolved, at the top", start=0, end=3)
    script_notes.note_set_resolved(access=editor, note=done, resolved=True)
    # Text typed above them moves their words, not their order.
    client_edit(cast, client_doc(cast), 0, "FADE IN:\n\n")
    client = Client()
    client.force_login(cast.viewer)
    html = client.get(reverse("projects:script-notes", kwargs={"project_id": cast.project.public_id})).content.decode()
    order = sorted((html.index(f'data-note="{n.public_id}"'), n.body) for n in (late, early, middle, done))
    assert [body for _, body in order] == ["On the heading", "On the action", "On the line", "Resolved, at the top"]


@pytest.mark.django_db(transaction=True)
async def test_a_deleted_note_leaves_every_open_script_page_without_reload() -> None:
    cast: Cast = await database_sync_to_async(make_cast)()
    await database_sync_to_async(seed)(cast)
    access = await database_sync_to_async(access_of)(cast, "editor")
    note = await database_sync_to_async(script_notes.note_add_at)(access=access, body="Cut?", start=0, end=4)
    base = f"/ws/projects/{cast.project.public_id}/?show=jobs,breakdown,notes"
    pages = []
    for user in (cast.viewer, cast.owner):
        _, ws = await connect_as(user, base)
        await receive_until(ws, lambda m: f'data-note="{note.public_id}"' in m, timeout=5, what="the note on connect")
        pages.append(ws)
    await database_sync_to_async(script_notes.note_delete)(access=access, note=note)
    for ws in pages:
        seen = await receive_until(ws, lambda m: 'id="script-notes"' in m, timeout=5, what="the notes after the delete")
        assert f'data-note="{note.public_id}"' not in seen[-1] and "No notes yet." in seen[-1]
        await ws.disconnect()
