"""Stale frames without Blender: which frames go stale when the script changes, and the live push of their cards."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from projects.models import Frame
from projects.storyboard import services as storyboard_services
from tests.conftest import Cast, make_cast, screenplay
from tests.sockets import session_headers, ws_connect
from tests.stages import load_script, plan_frames, scenes


def edit_scene_one(text: str) -> str:
    edited = text.replace("Are they cold?", "Are they cold enough?", 1)
    assert edited != text
    return edited


@pytest.mark.django_db
def test_editing_scene_one_of_brick_and_steel_leaves_scene_two_fresh(cast: Cast) -> None:
    text = screenplay("Brick-and-Steel.fountain").read_text()
    load_script(cast, text=text)
    first, second = scenes(cast)[:2]
    assert "TRAILER" in second.heading
    plan_frames(cast, first, text)
    second_frames = plan_frames(cast, second, text)
    # Scene 2's lines are tab-indented: stored trimmed, they must compare trimmed too.
    assert any(f.source_text and "\t" in text.split("\n")[f.start_line - 1] for f in second_frames)
    load_script(cast, text=edit_scene_one(text))
    stale = Frame.objects.filter(project=cast.project, is_stale=True)
    assert not stale.filter(scene=second).exists(), [f.source_text[:40] for f in stale.filter(scene=second)]
    edited = [f for f in Frame.objects.filter(scene=first) if "Are they cold?" in f.source_text]
    assert edited and all(f.is_stale for f in edited)
    assert stale.count() == len(edited)  # only the frame whose lines changed


@pytest.mark.django_db
def test_settling_the_same_text_again_marks_nothing_stale(cast: Cast) -> None:
    text = screenplay("Brick-and-Steel.fountain").read_text()
    load_script(cast, text=text)
    for scene in scenes(cast):
        plan_frames(cast, scene, text)
    assert storyboard_services.frames_mark_stale(project=cast.project, text=text) == 0


def _card_seq(html: str, frame: Frame) -> float:
    found = re.search(rf'id="frame-card-{frame.public_id}" data-seq="([0-9.]+)"', html)
    assert found, html[:400]
    return float(found.group(1))


@pytest.mark.django_db(transaction=True)
async def test_a_stale_card_is_pushed_newer_than_the_card_on_every_open_page() -> None:
    cast = await database_sync_to_async(make_cast)()
    text = screenplay("Brick-and-Steel.fountain").read_text()
    await database_sync_to_async(load_script)(cast, text=text)
    first = (await database_sync_to_async(scenes)(cast))[0]
    frames = await database_sync_to_async(plan_frames)(cast, first, text)
    target = next(f for f in frames if "Are they cold?" in f.source_text)
    pages = []
    for user in (cast.owner, cast.viewer):  # two people with the storyboard open
        client = Client()
        await database_sync_to_async(client.force_login)(user)
        url = reverse("projects:storyboard", kwargs={"project_id": cast.project.public_id})
        page = (await database_sync_to_async(client.get)(url)).content.decode()
        connected, ws = await ws_connect(f"/ws/projects/{cast.project.public_id}/?show=frames", session_headers(client))
        assert connected
        pages.append((page, ws))
    await database_sync_to_async(load_script)(cast, text=edit_scene_one(text))
    for page, ws in pages:
        pushed = await ws.receive_from(timeout=5)
        assert f'id="frame-card-{target.public_id}"' in pushed and "frame-card--stale" in pushed
        # The page's script (filmstudio.js) swaps an incoming card only when its data-seq is newer.
        assert _card_seq(pushed, target) > _card_seq(page, target)
        await ws.disconnect()
