"""Every line of the script, and only current lines, reaches the animatic's captions and voices."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from PIL import Image

from generation.engines import voices
from generation.paths import project_media_root
from projects import fountain
from projects.animatic import jobs as animating
from projects.animatic import timeline
from projects.models import Animatic, Frame, Scene
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast
from tests.stages import FILM, frames_without_rendering, load_script
from tests.stages import run_engine as run


def storyboard_without_blender(cast: Cast) -> list[Frame]:
    """Every scene's shots planned from the script, each frame given a plain picture in place of a render."""
    root = project_media_root(cast.project.public_id)
    frames: list[Frame] = []
    for scene in Scene.objects.filter(project=cast.project).order_by("position"):
        for frame in frames_without_rendering(cast, scene):
            relative = f"frames/{frame.public_id}/frame.png"
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (64, 36), (40 + 10 * frame.position, 60, 90)).save(root / relative)
            Frame.objects.filter(pk=frame.pk).update(image=relative, rendered_spec_version=F("spec_version"))
            frames.append(frame)
    return frames


def speeches(text: str) -> list[tuple[str, str]]:
    """The script's speeches in order: each stretch of dialogue with its speaker, markup removed."""
    said, speaker = [], ""
    for element in fountain.parse(text).elements:
        if element.kind == "character":
            speaker = voices.canonical_name(element.text)
        elif element.kind == "dialogue":
            said.append((speaker, timeline.caption_text(element.text)))
    return said


def test_every_speech_of_brick_and_steel_is_captioned_in_order(cast: Cast) -> None:
    text = load_script(cast)
    storyboard_without_blender(cast)
    cut = timeline.build_timeline(cast.project)
    cues, sounds = timeline.place_lines(cut.clips)
    captioned = [(c.speaker, c.text) for c in cues]
    expected = speeches(text)
    assert len(expected) == 22  # 20 speeches; one is three stretches between "(pause)"s
    for n, (got, want) in enumerate(zip(captioned, expected, strict=False)):
        assert got == want, f"speech {n + 1}: {got} != {want}"
    assert len(captioned) == len(expected)
    assert not cut.warnings() and not sounds
    # The cases that were lost: after a parenthetical, after "(pause)", dual dialogue; and markup shown raw.
    assert ("STEEL", "To retirement.") in captioned
    assert captioned.count(("STEEL", "Screw retirement.")) == captioned.count(("BRICK", "Screw retirement.")) == 1
    assert ("STEEL", "No, everybody we've put away!") in captioned and ("STEEL", "Point Blank Sniper?") in captioned
    assert ("DAN", "Then let's retire them. Permanently.") in captioned
    assert ("JACK", "Did you know Brick and Steel are retired?") in captioned
    assert not any(mark in t for _, t in captioned for mark in ("(", "_", "*"))
    # Each caption lies inside its shot, one after another.
    ends = {c.frame: c.start + c.duration for c in cut.clips}
    for clip in cut.clips:
        for line in clip.lines:
            cue = next(c for c in cues if c.text == line.text and c.speaker == line.speaker)
            assert clip.start <= cue.start < cue.end <= ends[clip.frame] + 1e-6
    assert all(a.end <= b.start for a, b in itertools.pairwise(cues))
    # The shot list's CSV names each shot's own picture.
    files = [row["frame_file"] for row in timeline.shot_list_rows(cast.project)]
    assert len(set(files)) == len(files) and files[0] == "s01-01.png"


def test_deleted_lines_are_not_said_and_the_page_offers_to_re_render_stale_first(cast: Cast) -> None:
    text = load_script(cast)
    storyboard_without_blender(cast)
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    edited = text.replace("STEEL\nDoes a bear crap in the woods?\n\n", "")
    assert edited != text
    script_services.script_replace_text(access=access, text=edited, source="edit", note="cut the bear")
    cut = timeline.build_timeline(cast.project)
    cues, _ = timeline.place_lines(cut.clips)
    assert ("STEEL", "Does a bear crap in the woods?") not in [(c.speaker, c.text) for c in cues]
    assert [(line.speaker, line.text) for line in cut.dropped] == [("STEEL", "Does a bear crap in the woods?")]
    assert [(c.speaker, c.text) for c in cues] == speeches(edited)
    assert cut.stale and any("deleted from the script" in w for w in cut.warnings())
    editor, viewer = Client(), Client()
    editor.force_login(cast.editor)
    viewer.force_login(cast.viewer)
    url = reverse("projects:animatic", kwargs={"project_id": cast.project.public_id})
    page = editor.get(url).content.decode()
    assert "out of date with the script" in page and "Re-render stale first" in page
    assert 'value="render_stale"' in page or "render_stale" in page
    shown = viewer.get(url).content.decode()
    assert "out of date with the script" in shown and "Re-render stale first" not in shown


@pytest.mark.heavy
def test_the_job_warns_when_it_renders_stale_frames(cast: Cast) -> None:
    text = load_script(cast, text=FILM)
    storyboard_without_blender(cast)
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    script_services.script_replace_text(
        access=access, text=text.replace("ELSA\nHelp me push, Dad.\n", ""), source="edit", note="cut"
    )
    job, result = run(cast, "render_animatic", {"size": 640, "voices": "no"}, animating.render_animatic)
    warnings = [value for key, value in result["summary"] if key == "Warning"]
    assert any("deleted from the script" in w for w in warnings), result["summary"]
    film = Animatic.objects.get(job=job)
    assert film.timeline["warnings"] == warnings
    assert "Help me push, Dad." not in [c["text"] for c in film.timeline["cues"]]


@pytest.mark.heavy
def test_all_assets_zip_opens_as_the_same_cut_with_its_own_frames_and_voices(cast: Cast, tmp_path: Path) -> None:
    import opentimelineio as otio

    load_script(cast, text=FILM)
    storyboard_without_blender(cast)
    job, result = run(cast, "render_animatic", {"size": 640}, animating.render_animatic)
    film = Animatic.objects.get(job=job)
    root = project_media_root(cast.project.public_id)
    with zipfile.ZipFile(root / film.timeline["files"]["assets"]) as archive:
        archive.extractall(tmp_path)
    clips, cues = film.timeline["clips"], film.timeline["cues"]
    back = otio.adapters.read_from_file(str(tmp_path / "timeline.otio"))
    video, voiced = back.tracks[0], back.tracks[1]
    shots = list(video.find_clips())
    # The same clips in the same order and lengths, each pointing at its own frame, which the zip holds.
    assert [c.name for c in shots] == [c["label"] for c in clips]
    frame = 1 / 24 + 1e-6  # every boundary is rounded to the frame grid on its own
    assert all(abs(c.duration().to_seconds() - k["duration"]) <= frame for c, k in zip(shots, clips, strict=True))
    files = [c.media_reference.target_url for c in shots]
    assert len(set(files)) == len(files) == len(clips)
    assert all((tmp_path / f).is_file() for f in files)
    starts = [video.range_of_child(c).start_time.to_seconds() for c in shots]
    offset = film.timeline["title_seconds"]
    assert all(abs(s - (k["start"] + offset)) <= frame / 2 for s, k in zip(starts, clips, strict=True))
    # Every line of dialogue is a clip of its own on the Voices track, at its caption's time.
    assert voiced.kind == otio.schema.TrackKind.Audio and voiced.name == "Voices"
    lines = list(voiced.find_clips())
    assert len(lines) == len(cues) and all((tmp_path / c.media_reference.target_url).is_file() for c in lines)
    at = [voiced.range_of_child(c).start_time.to_seconds() for c in lines]
    assert all(abs(s - c["start"]) <= frame / 2 for s, c in zip(at, cues, strict=True))
    # Scenes dissolve, in every timeline.
    assert len([t for t in video if isinstance(t, otio.schema.Transition)]) == 2
    edl = (tmp_path / "timeline.edl").read_text()
    assert edl.count(" D ") == 2 and all(f"* FROM CLIP: {f}" in edl or f"* TO CLIP: {f}" in edl for f in files)
    fcp = otio.adapters.read_from_file(str(tmp_path / "timeline.fcpxml"))
    assert [c.media_reference.target_url for c in fcp.find_clips() if "frames/" in c.media_reference.target_url] == (
        files
    )
    for name in ("captions.vtt", "captions.srt", "animatic.mp4", "README.txt"):
        assert (tmp_path / name).is_file()
    assert any(f["name"] == "animatic-assets.zip" for f in result["files"])
