"""The score: a music bed per scene, chosen from its mood, ducked under the dialogue, credited and handed on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from generation import licences
from generation.engines import animatic, music
from generation.paths import project_media_root
from projects.animatic import jobs as animating
from projects.models import Animatic
from tests.conftest import Cast
from tests.media_probe import audio_of, rms
from tests.stages import FILM, load_script, storyboard_without_blender
from tests.stages import run_engine as run


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("EXT. ROOFTOP - NIGHT. They run. Gunfire. A chase across the roofs.", "energetic"),
        ("She holds his hand and whispers that she loves him.", "tender"),
        ("He remembers the old photo, years ago, before he retired.", "nostalgic"),
        ("Everyone laughs and dances at the wedding party.", "happy"),
        ("INT. KITCHEN - MORNING. Quiet. She drinks her tea.", "calm"),
        ("INT. OFFICE - DAY. A desk.", "calm"),  # no mood words: the neutral bed
    ],
)
def test_a_scene_s_words_choose_its_mood(text: str, mood: str) -> None:
    assert music.mood_for(text) == mood


def test_every_mood_has_tracks_and_a_scene_keeps_its_track() -> None:
    assert sum(len(music.tracks(mood)) for mood in music.MOODS) == 28
    assert music.choose_track("calm", "project:scene-1") == music.choose_track("calm", "project:scene-1")
    assert len({music.choose_track("happy", f"p:{n}") for n in range(20)}) > 1


@pytest.mark.heavy
def test_the_animatic_has_music_under_the_dialogue_quieter_than_the_voices(cast: Cast, tmp_path: Path) -> None:
    import opentimelineio as otio

    load_script(cast, text=FILM)
    storyboard_without_blender(cast)
    job, result = run(cast, "render_animatic", {"size": 640}, animating.render_animatic)
    film = Animatic.objects.get(job=job)
    root = project_media_root(cast.project.public_id)
    mp4 = root / film.video
    assert animatic.probe(mp4)["audio_codec"] == "aac"
    scored = film.timeline["music"]
    assert len(scored) == 3 and all(b["mood"] in music.MOODS for b in scored)

    # Loudness: each line of dialogue against the stretches of the scenes where only the music plays.
    sound, rate = audio_of(mp4)
    cues = film.timeline["cues"]
    offset, clips = film.timeline["title_seconds"], film.timeline["clips"]
    end = offset + clips[-1]["start"] + clips[-1]["duration"]
    talking = np.zeros(len(sound), dtype=bool)
    for cue in cues:
        talking[round((cue["start"] - 0.3) * rate) : round((cue["end"] + 1.0) * rate)] = True
    between = np.zeros(len(sound), dtype=bool)
    between[round((offset + 0.6) * rate) : round((end - 0.6) * rate)] = True
    music_only = sound[between & ~talking]
    dialogue = [rms(sound[round(c["start"] * rate) : round(c["end"] * rate)]) for c in cues]
    assert len(music_only) > rate, "the cut should have some seconds with music and no words"
    bed = rms(music_only)
    assert bed > 0.005, "the music is heard where nobody speaks"
    assert min(dialogue) > 2 * bed, (min(dialogue), bed)  # every line at least 6 dB above the bare bed

    # The editor's cut carries the score as its own track, its files in the zip; the credits name it.
    with zipfile.ZipFile(root / film.timeline["files"]["assets"]) as archive:
        archive.extractall(tmp_path)
    back = otio.adapters.read_from_file(str(tmp_path / "timeline.otio"))
    score = next(t for t in back.tracks if t.name == "Music")
    beds = list(score.find_clips())
    assert len(beds) == 3 and all((tmp_path / c.media_reference.target_url).is_file() for c in beds)
    credits = (tmp_path / "credits.txt").read_text()
    assert licences.SCORE_MUSIC.name in credits and "MIT" in credits
    assert any(row[0] == "Music" and row[1] != "none" for row in result["summary"])


@pytest.mark.heavy
def test_music_off_leaves_only_the_voices(cast: Cast) -> None:
    load_script(cast, text=FILM)
    storyboard_without_blender(cast)
    job, _ = run(cast, "render_animatic", {"size": 640, "music": "no"}, animating.render_animatic)
    film = Animatic.objects.get(job=job)
    assert film.timeline["music"] == []
    root = project_media_root(cast.project.public_id)
    with zipfile.ZipFile(root / film.timeline["files"]["assets"]) as archive:
        assert not [n for n in archive.namelist() if n.startswith("music/")]
