"""Every line of the script, and only current lines, reaches the animatic's captions and voices."""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from generation.engines import animatic, voices
from generation.paths import project_media_root
from projects import fountain
from projects.animatic import jobs as animating
from projects.animatic import timeline
from projects.models import Animatic, Scene
from projects.script import services as script_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast
from tests.media_probe import audio_of, frames_at, rms
from tests.stages import FILM, load_script, storyboard_without_blender
from tests.stages import run_engine as run


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


def test_each_shot_gets_a_camera_move_from_its_type_and_an_editor_can_change_it(cast: Cast) -> None:
    load_script(cast, text=FILM)
    frames = storyboard_without_blender(cast)
    clips = timeline.build_timeline(cast.project).clips
    assert [c.move for c in clips] == [timeline.default_move(f.shot_type) for f in frames]
    assert not any(c.move_set for c in clips)
    frame = frames[0]
    url = reverse(
        "projects:frame-camera-move", kwargs={"project_id": cast.project.public_id, "frame_id": frame.public_id}
    )
    editor, viewer = Client(), Client()
    editor.force_login(cast.editor)
    viewer.force_login(cast.viewer)
    assert editor.post(url, {"move": "pan_left"}).status_code == 302
    assert viewer.post(url, {"move": "tilt_up"}).status_code == 403
    assert "not a camera move" in editor.post(url, {"move": "spin"}, follow=True).content.decode()
    first = timeline.build_timeline(cast.project).clips[0]
    assert first.move == "pan_left" and first.move_set
    page = viewer.get(reverse("projects:animatic", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert "Camera: pan left" in page
    assert editor.post(url, {"move": ""}).status_code == 302  # back to the shot type's default
    assert timeline.build_timeline(cast.project).clips[0].move == timeline.default_move(frame.shot_type)


@pytest.mark.heavy
@pytest.mark.timeout(600)
def test_the_brick_and_steel_mp4_says_and_shows_every_speech_in_order_over_the_music(cast: Cast) -> None:
    """The film file itself, read back: each speech is captioned on the picture and heard above the score."""
    text = load_script(cast)
    storyboard_without_blender(cast)  # flat colours: a caption's white text is the only white in a frame
    job, result = run(cast, "render_animatic", {"size": 640, "burn_captions": "yes"}, animating.render_animatic)
    film = Animatic.objects.get(job=job)
    mp4 = project_media_root(cast.project.public_id) / film.video
    info = animatic.probe(mp4)
    assert info["video_codec"] == "h264" and info["audio_codec"] == "aac", info
    assert info["audio_duration"] >= info["video_duration"] - 0.1

    cues = sorted(film.timeline["cues"], key=lambda c: c["start"])
    assert [(c["speaker"], c["text"]) for c in cues] == speeches(text)
    assert len(film.timeline["music"]) == Scene.objects.filter(project=cast.project).count()

    # Captioned: white text in the frame's lower part while each cue runs, none where nobody speaks.
    def white(picture: np.ndarray) -> int:
        return int((picture[picture.shape[0] // 2 :].min(axis=2) > 200).sum())

    shown = frames_at(mp4, [(c["start"] + c["end"]) / 2 for c in cues])
    assert all(white(p) > 150 for p in shown), [white(p) for p in shown]
    offset, clips = film.timeline["title_seconds"], film.timeline["clips"]
    gaps = [
        (a["end"] + b["start"]) / 2
        for a, b in itertools.pairwise(cues)
        if b["start"] - a["end"] > 0.5 and b["start"] > offset + clips[0]["start"]
    ]
    assert gaps and all(white(p) == 0 for p in frames_at(mp4, gaps[:6]))

    # Heard: every line at least 6 dB above the bare music bed around it.
    sound, rate = audio_of(mp4)
    end = offset + clips[-1]["start"] + clips[-1]["duration"]
    talking = np.zeros(len(sound), dtype=bool)
    for cue in cues:
        talking[round((cue["start"] - 0.3) * rate) : round((cue["end"] + 1.0) * rate)] = True
    between = np.zeros(len(sound), dtype=bool)
    between[round((offset + 0.6) * rate) : round((end - 0.6) * rate)] = True
    bed = rms(sound[between & ~talking])
    assert bed > 0.005, "the music is heard where nobody speaks"
    said = [rms(sound[round(c["start"] * rate) : round(c["end"] * rate)]) for c in cues]
    quiet = [(c["text"], round(level / bed, 1)) for c, level in zip(cues, said, strict=True) if level <= 2 * bed]
    assert not quiet, f"lines not clearly above the music: {quiet}"
    assert ["Sound", f"aac, {len(cues)} scratch line(s)"] in result["summary"], result["summary"]


@pytest.mark.heavy
def test_an_hd_animatic_moves_shots_whose_frames_have_room_and_says_which_hold_still(cast: Cast) -> None:
    load_script(cast, text=FILM)
    frames = storyboard_without_blender(cast)  # 64x36 pictures: too small for any move
    clips = timeline.build_timeline(cast.project).clips
    moving = [c for c in clips if c.move != "static"]
    assert len(moving) >= 2
    # Re-render one moving shot at the HD frame size (1280x720 frames render OVERSCAN larger: 1600x900).
    hd = moving[0]
    root = project_media_root(cast.project.public_id)
    rng = np.random.default_rng(0)
    detail = (rng.random((900 // 20, 1600 // 20, 3)) * 255).astype(np.uint8)
    Image.fromarray(detail).resize((1600, 900), Image.Resampling.NEAREST).save(root / hd.image)
    assert [f for f in frames if str(f.public_id) == hd.frame]

    job, result = run(cast, "render_animatic", {"size": 1280, "voices": "no", "music": "no"}, animating.render_animatic)
    held = dict(result["summary"])["Camera moves"]
    assert held.startswith(f"{len(moving) - 1} of {len(moving)} shots with a camera move hold still at 1280×720")
    assert "64 px wide and a move needs 1472" in held and "1280×720 (for an HD animatic" in held
    film = Animatic.objects.get(job=job)
    mp4 = root / film.video
    assert animatic.probe(mp4)["width"] == 1280
    # Inside the HD shot the picture moves; inside a small frame's shot it holds.
    start = film.timeline["title_seconds"] + hd.start
    a, b = frames_at(mp4, [start + 0.6, start + hd.duration - 0.6])
    assert np.abs(a.astype(int) - b).mean() > 10
    other = next(c for c in moving if c is not hd)
    start = film.timeline["title_seconds"] + other.start
    a, b = frames_at(mp4, [start + 0.6, start + other.duration - 0.6])
    assert np.abs(a.astype(int) - b).mean() < 2
    # At 640x360 the full-size frames (800x450) are enough, and nothing is said.
    assert animatic.can_move((800, 450), (640, 360)) and not animatic.can_move((800, 450), (1280, 720))
