"""The finished film: a 3-scene storyboard becomes an MP4 with captions and voices; exports and the archive."""

from __future__ import annotations

import collections
import csv
import io

import av
import pytest
from django.test import Client
from django.urls import reverse

from generation import licences, registry
from generation.engines import animatic
from generation.models import JobStatus, ModelEntry
from generation.paths import project_media_root
from projects.animatic import jobs as animating
from projects.animatic import selectors as animatic_selectors
from projects.animatic import timeline
from projects.models import Animatic, Character, Frame
from projects.storyboard import jobs as storyboarding
from tests.conftest import Cast
from tests.factories import JobFactory, PortraitFactory
from tests.stages import FILM, load_script
from tests.stages import run_engine as run

pytestmark = [pytest.mark.heavy, pytest.mark.timeout(600)]


@pytest.fixture
def storyboard(cast: Cast) -> list[Frame]:
    load_script(cast, text=FILM)
    run(cast, "render_scene", {"scale": 25}, storyboarding.render_scene)
    frames = animatic_selectors.frames_in_order(cast.project)
    assert len({f.scene_id for f in frames}) == 3 and all(f.image for f in frames)
    return frames


def dialogue(frames: list[Frame]) -> list[tuple[str, str]]:
    lines = []
    for frame in frames:
        found, _ = timeline._lines(frame.source_text)
        lines += [(line.speaker, line.text) for line in found]
    return lines


def test_the_storyboard_becomes_an_mp4_with_captions_and_voices(cast: Cast, storyboard: list[Frame]) -> None:
    # The faces and the script came from the shipped models, so the end credits name them with their terms.
    registry.ensure_builtin_models()
    gan = ModelEntry.objects.get(name=registry.BUILTIN_GAN_MODEL["name"])
    writer = ModelEntry.objects.get(name=registry.BUILTIN_TEXT_MODEL["name"])
    martin = Character.objects.get(project=cast.project, name="MARTIN")
    PortraitFactory.create(character=martin, model=gan, model_name=gan.name)
    JobFactory.create(
        project=cast.project,
        kind="write_screenplay",
        status=JobStatus.SUCCEEDED,
        result={"provenance": {"model": writer.name, "license": writer.license}},
    )
    job, result = run(cast, "render_animatic", {"size": 640, "burn_captions": "yes"}, animating.render_animatic)
    film = Animatic.objects.get(job=job)
    root = project_media_root(cast.project.public_id)
    probe = animatic.probe(root / film.video)
    # Duration: the title card, every clip as the timeline recorded them and the end credits, to within one frame.
    clips = film.timeline["clips"]
    expected = film.timeline["title_seconds"] + sum(c["duration"] for c in clips) + film.timeline["credits_seconds"]
    assert abs(probe["duration"] - expected) <= 1 / 24 + 1e-6, (probe, expected)
    assert abs(film.duration_seconds - expected) <= 1 / 24 + 1e-6
    assert probe["video_codec"] == "h264" and probe["audio_codec"] == "aac"
    assert (probe["width"], probe["height"]) == (640, 360)
    assert len(clips) == len(storyboard)
    # Scenes dissolve into each other; shots inside a scene cut.
    starts = {c["scene"]: c for c in reversed(clips)}
    assert [c["transition"] for c in clips if c is not clips[0] and starts[c["scene"]] is c] == ["dissolve", "dissolve"]
    # Captions are the dialogue, in order, with speakers, shifted past the title card.
    vtt = (root / film.captions_vtt).read_text()
    srt = (root / film.captions_srt).read_text()
    said = dialogue(storyboard)
    assert said and [(c["speaker"], c["text"]) for c in film.timeline["cues"]] == said
    for speaker, text in said:
        assert f"<v {speaker}>{text}" in vtt and f"{speaker}: {text}" in srt
    first = film.timeline["cues"][0]
    assert first["start"] >= film.timeline["title_seconds"]
    # The same character keeps one voice; every spoken line fits inside its shot.
    for clip in clips:
        spoken = sum(animatic.speech_seconds(line["words"]) for line in clip["lines"])
        assert clip["duration"] >= min(spoken, clip["planned"])
    # Editorial exports made with it.
    folder = root / f"jobs/{job.public_id}"
    edl = (folder / "timeline.edl").read_text()
    assert edl.startswith("TITLE: ") and edl.count(" C ") + edl.count(" D ") >= len(clips)
    assert "<fcpxml" in (folder / "timeline.fcpxml").read_text()
    assert result["summary"][0][0] == "Length"
    # The end credits name the face model, the text model and the voices, each with its terms.
    credits = {c["role"]: c for c in film.timeline["credits"]}
    assert set(credits) == {"Faces", "Text", "Voices"}
    assert credits["Faces"]["name"] == gan.name and credits["Faces"]["licence"] == "MIT"
    assert "DigiFace-1M" in credits["Faces"]["terms"] and credits["Faces"]["non_commercial"]
    assert credits["Text"]["name"] == writer.name and credits["Text"]["licence"] == "Apache-2.0"
    from generation.engines import voices

    voiced_by = licences.PIPER_JOE if voices.piper_available() else licences.ESPEAK_VOICES
    assert credits["Voices"]["name"] == voiced_by.name and credits["Voices"]["licence"] == voiced_by.weights_licence
    # Each character keeps one voice of its own.
    assert len(set(film.timeline["cast_voices"].values())) == len(film.timeline["cast_voices"]) == 2
    assert film.timeline["credits_seconds"] == animatic.CreditsCard.seconds_for(3)
    written = (folder / "credits.txt").read_text()
    assert all(licences.Credit(**c).line in written for c in film.timeline["credits"])
    assert probe["metadata"]["comment"].startswith(f"Faces: {gan.name}, MIT.")
    # Its last frame is the credits card.
    card = animatic.CreditsCard(
        [(f"{c['role']}: {c['name']}", licences.Credit(**c).detail) for c in film.timeline["credits"]],
        footnote=licences.CREDITS_FOOTNOTE,
    )
    with av.open(str(root / film.video)) as container:
        shown = collections.deque(container.decode(video=0), maxlen=1)[0].to_ndarray(format="rgb24").astype(int)
    assert abs(shown - animatic.credits_card_image(card, (640, 360)).astype(int)).mean() < 4
    viewer = Client()
    viewer.force_login(cast.viewer)
    page = viewer.get(reverse("projects:animatic", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert f"Faces: {gan.name} (MIT)" in page and "non-commercial" in page and reverse("about") in page


def test_editors_set_shot_lengths_on_the_timeline(cast: Cast, storyboard: list[Frame]) -> None:
    frame = storyboard[0]
    url = reverse("projects:frame-duration", kwargs={"project_id": cast.project.public_id, "frame_id": frame.public_id})
    editor, viewer = Client(), Client()
    editor.force_login(cast.editor)
    viewer.force_login(cast.viewer)
    assert editor.post(url, {"seconds": "4.5"}).status_code == 302
    assert viewer.post(url, {"seconds": "9"}).status_code == 403
    for bad in ("-1", "abc", "100000"):
        response = editor.post(url, {"seconds": bad}, follow=True)
        assert "seconds" in response.content.decode()
    frame.refresh_from_db()
    assert frame.duration_seconds == 4.5
    clips = timeline.build_timeline(cast.project).clips
    assert clips[0].duration == 4.5 and clips[0].manual
    assert clips[1].start == 4.5
    page = viewer.get(reverse("projects:animatic", kwargs={"project_id": cast.project.public_id})).content.decode()
    assert "set by hand" in page
    assert editor.post(url, {"seconds": ""}).status_code == 302  # back to the script's length
    frame.refresh_from_db()
    assert frame.duration_seconds is None


def test_storyboard_pdf_and_shot_list_csv(cast: Cast, storyboard: list[Frame]) -> None:
    from pypdf import PdfReader

    client = Client()
    client.force_login(cast.viewer)
    pdf = client.get(reverse("projects:export-storyboard", kwargs={"project_id": cast.project.public_id}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("FERRY HOUSE", "RIVERBANK", "FAR SHORE"):
        assert heading in text
    assert "The river is too high tonight." in text.replace("\n", " ")
    assert sum(len(page.images) for page in reader.pages) >= len(storyboard)
    shots = client.get(reverse("projects:export-shots", kwargs={"project_id": cast.project.public_id}))
    rows = list(csv.DictReader(io.StringIO(shots.content.decode("utf-8-sig"))))
    assert len(rows) == len(storyboard)
    assert rows[0]["scene_heading"].startswith("INT. FERRY HOUSE") and rows[0]["shot_type"]


def test_an_archive_moves_the_whole_project_to_another_instance(cast: Cast, storyboard: list[Frame]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects import archive

    client = Client()
    client.force_login(cast.viewer)
    response = client.get(reverse("projects:export-archive", kwargs={"project_id": cast.project.public_id}))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    importer = Client()
    importer.force_login(cast.stranger)
    upload = SimpleUploadedFile("film.filmstudio.zip", data, content_type="application/zip")
    imported = importer.post(reverse("projects:import"), {"archive": upload})
    assert imported.status_code == 302
    from projects.models import Project

    copy = Project.objects.exclude(pk=cast.project.pk).get()
    assert copy.memberships.get().user == cast.stranger
    assert archive.archive_content(copy) == archive.archive_content(cast.project)
    bad = importer.post(
        reverse("projects:import"), {"archive": SimpleUploadedFile("x.zip", b"PK\x03\x04 broken")}, follow=True
    )
    assert "Nothing was imported" in bad.content.decode()
    assert Project.objects.count() == 2
