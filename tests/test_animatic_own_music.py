"""A member's own music track: uploaded and checked like any upload, laid under the whole film, ducked, credited."""

from __future__ import annotations

import io
import wave
import zipfile
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filmstudio.asgi import application
from generation import licences
from generation.engines.base import JobFailed
from generation.paths import project_media_root
from projects.animatic import jobs as animating
from projects.animatic import services as animatic_services
from projects.animatic.timeline import TimelineClip
from projects.archive import project_export_archive, project_import_archive
from projects.jobs import services as job_services
from projects.models import Animatic, MusicTrack
from projects.teams.selectors import project_access_for_user
from projects.teams.services import project_create
from tests.conftest import Cast, make_cast
from tests.sockets import connect_as, receive_until
from tests.stages import FILM, client_for, load_script, storyboard_without_blender
from tests.stages import run_engine as run

RATE = 48000
TONE_HZ = 440.0


def sine_wav(seconds: float = 4.0, *, hz: float = TONE_HZ, amplitude: float = 0.5) -> bytes:
    t = np.arange(round(seconds * RATE)) / RATE
    samples = (amplitude * np.sin(2 * np.pi * hz * t) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
        handle.writeframes(samples.tobytes())
    return out.getvalue()


def upload(client: Client, cast: Cast, name: str, data: bytes) -> Any:
    url = reverse("projects:animatic-music", kwargs={"project_id": cast.project.public_id})
    return client.post(url, {"track": SimpleUploadedFile(name, data)}, follow=True)


def music_files(cast: Cast) -> list[Path]:
    folder = project_media_root(cast.project.public_id) / animatic_services.MUSIC_DIR
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_an_editor_uploads_a_track_that_members_can_play_and_strangers_cannot_find(cast: Cast) -> None:
    response = upload(client_for(cast.editor), cast, "Harbour Theme.wav", sine_wav(4.0))
    assert response.status_code == 200
    assert "Harbour Theme.wav" in response.content.decode() and "is ready" in response.content.decode()
    track = MusicTrack.objects.get(project=cast.project)
    assert track.name == "Harbour Theme.wav" and track.supplied_by == "eddie"
    assert track.duration_seconds == pytest.approx(4.0, abs=0.05)
    assert [p.name for p in music_files(cast)] == [Path(track.file).name]
    media = reverse("projects:media", kwargs={"project_id": cast.project.public_id, "relative": track.file})
    heard = client_for(cast.viewer).get(media)
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/wav"
    assert client_for(cast.stranger).get(media).status_code == 404
    # The page offers it as the render's music, by name.
    page = client_for(cast.editor).get(reverse("projects:animatic", kwargs={"project_id": cast.project.public_id}))
    assert "Your track: Harbour Theme.wav" in page.content.decode()


def test_a_text_file_renamed_mp3_is_refused_with_a_clear_message_and_nothing_kept(cast: Cast) -> None:
    response = upload(client_for(cast.editor), cast, "song.mp3", b"These are my lyrics, not a song.\n" * 200)
    text = response.content.decode()
    assert "“song.mp3” cannot be used as music" in text and "Nothing was kept" in text
    assert not MusicTrack.objects.exists() and music_files(cast) == []


def test_a_file_of_another_kind_is_refused_by_its_name(cast: Cast) -> None:
    response = upload(client_for(cast.editor), cast, "theme.mid", sine_wav(2.0))
    assert "not a music file this studio takes (mp3, wav, ogg, flac, m4a)" in response.content.decode()
    assert not MusicTrack.objects.exists()


def test_a_track_over_the_size_limit_is_refused_and_nothing_kept(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(animatic_services, "MAX_MUSIC_BYTES", 100 * 1024)
    response = upload(client_for(cast.editor), cast, "long.wav", sine_wav(2.0))  # 192 KB
    assert "“long.wav” is larger than 100 KB; nothing was kept." in response.content.decode()
    assert not MusicTrack.objects.exists() and music_files(cast) == []


@pytest.mark.django_db(transaction=True)
async def test_a_body_over_50_mib_is_refused_before_it_is_read() -> None:
    cast = await database_sync_to_async(make_cast)()

    def login() -> str:
        client = Client()
        client.force_login(cast.editor)
        return client.cookies["sessionid"].value

    session = await database_sync_to_async(login)()
    path = f"/projects/{cast.project.public_id}/animatic/music/"
    headers = [(b"host", b"127.0.0.1"), (b"content-length", str(60 * 1024**2).encode()),
               (b"cookie", f"sessionid={session}".encode())]  # fmt: skip
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000)}  # fmt: skip
    reads: list[int] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        reads.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await application(scope, receive, send)
    assert sent[0]["status"] == 413 and not reads
    assert "larger than the 51 MiB this page accepts" in sent[1]["body"].decode()


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("stranger", 404)])
def test_only_editors_may_upload_music(cast: Cast, role: str, status: int) -> None:
    url = reverse("projects:animatic-music", kwargs={"project_id": cast.project.public_id})
    response = client_for(cast.user(role)).post(url, {"track": SimpleUploadedFile("t.wav", sine_wav(2.0))})
    assert response.status_code == status
    assert not MusicTrack.objects.exists() and music_files(cast) == []


def test_your_track_needs_an_uploaded_track(cast: Cast) -> None:
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    with pytest.raises(ValidationError, match="Upload a music track first"):
        job_services.job_start(access=access, kind="render_animatic", params={"music": "own"})


def delete_url(cast: Cast, track: MusicTrack) -> str:
    return reverse(
        "projects:animatic-music-delete", kwargs={"project_id": cast.project.public_id, "track_id": track.public_id}
    )


def animatic_page(cast: Cast, role: str = "editor") -> str:
    url = reverse("projects:animatic", kwargs={"project_id": cast.project.public_id})
    return str(client_for(cast.user(role)).get(url).content.decode())


def a_clip(seconds: float = 2.0) -> TimelineClip:
    return TimelineClip(frame="f", image="", label="1.1", scene="1", scene_heading="INT. PIER - DAY", position=0,
                        start=0.0, duration=seconds, planned=seconds, manual=False, transition="cut")  # fmt: skip


def test_an_editor_deletes_the_track_and_its_file_and_the_render_no_longer_offers_it(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    upload(client_for(cast.owner), cast, "Harbour Theme.wav", sine_wav(2.0))
    track = MusicTrack.objects.get()
    assert 'id="music-delete-form"' in animatic_page(cast) and 'id="music-delete-form"' not in animatic_page(
        cast, "viewer"
    )
    # An htmx delete (after the browser's confirm) answers with the render card and the message, swapped out of band.
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row's removal is committed
        response = client_for(cast.editor).post(delete_url(cast, track), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and 'id="animatic-render" hx-swap-oob="true"' in text
    assert "“Harbour Theme.wav” was removed" in text and "Your track" not in text
    assert not MusicTrack.objects.exists() and music_files(cast) == []
    assert "Your track" not in animatic_page(cast) and 'id="music-track"' not in animatic_page(cast)
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    with pytest.raises(ValidationError, match="Upload a music track first"):
        job_services.job_start(access=access, kind="render_animatic", params={"music": "own"})
    # Gone twice is a 404, not a 500.
    assert client_for(cast.editor).post(delete_url(cast, track)).status_code == 404


def test_deleting_the_latest_track_offers_the_one_before_it(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    upload(client_for(cast.editor), cast, "First.wav", sine_wav(2.0))
    upload(client_for(cast.editor), cast, "Second.wav", sine_wav(2.0))
    second = MusicTrack.objects.get(name="Second.wav")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.editor).post(delete_url(cast, second), follow=True)
    assert "“Second.wav” was removed" in response.content.decode()
    assert "Your track: First.wav" in animatic_page(cast)
    assert [p.name for p in music_files(cast)] == [Path(MusicTrack.objects.get().file).name]


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("stranger", 404)])
def test_only_editors_may_delete_a_track(cast: Cast, role: str, status: int) -> None:
    upload(client_for(cast.editor), cast, "Harbour Theme.wav", sine_wav(2.0))
    track = MusicTrack.objects.get()
    assert client_for(cast.user(role)).post(delete_url(cast, track)).status_code == status
    assert MusicTrack.objects.filter(pk=track.pk).exists() and len(music_files(cast)) == 1
    viewer = project_access_for_user(user=cast.viewer, public_id=cast.project.public_id)
    with pytest.raises(PermissionDenied):
        animatic_services.music_track_delete(access=viewer, track=track)


def test_another_projects_track_is_not_found_through_this_project(cast: Cast) -> None:
    theirs_project = project_create(user=cast.stranger, title="Their film", logline="")
    url = reverse("projects:animatic-music", kwargs={"project_id": theirs_project.public_id})
    client_for(cast.stranger).post(url, {"track": SimpleUploadedFile("Theirs.wav", sine_wav(2.0))})
    theirs = MusicTrack.objects.get(project=theirs_project)
    url = reverse(
        "projects:animatic-music-delete", kwargs={"project_id": cast.project.public_id, "track_id": theirs.public_id}
    )
    assert client_for(cast.editor).post(url).status_code == 404
    assert MusicTrack.objects.filter(pk=theirs.pk).exists()


def test_a_render_asked_for_with_a_track_deleted_since_fails_saying_so(cast: Cast, tmp_path: Path) -> None:
    upload(client_for(cast.editor), cast, "Harbour Theme.wav", sine_wav(2.0))
    track = MusicTrack.objects.get()
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    job = job_services.job_start(access=access, kind="render_animatic", params={"music": "own"})
    assert job.params["track"] == str(track.public_id)
    animatic_services.music_track_delete(access=access, track=track)
    with pytest.raises(JobFailed, match="The uploaded music track is gone"):
        animating._own_score([a_clip()], tmp_path, project=cast.project, track_id=job.params["track"], lead_in=3.0)


@pytest.mark.django_db(transaction=True)
async def test_an_upload_and_a_delete_reach_every_editors_open_animatic_page() -> None:
    cast: Cast = await database_sync_to_async(make_cast)()
    path = f"/ws/projects/{cast.project.public_id}/?show=jobs,timeline,music"
    _, owner_page = await connect_as(cast.owner, path)
    await receive_until(owner_page, lambda m: 'id="jobs-panel"' in m, timeout=5, what="the jobs on connect")
    _, viewer_page = await connect_as(cast.viewer, path)
    await receive_until(viewer_page, lambda m: 'id="jobs-panel"' in m, timeout=5, what="the jobs on connect")

    def add() -> None:
        upload(client_for(cast.editor), cast, "Harbour Theme.wav", sine_wav(2.0))

    await database_sync_to_async(add)()
    seen = await receive_until(
        owner_page, lambda m: 'id="animatic-render"' in m, timeout=5, what="the render card after the upload"
    )
    assert "Your track: Harbour Theme.wav" in seen[-1] and 'id="music-delete-form"' in seen[-1]
    track = await database_sync_to_async(MusicTrack.objects.get)()

    def delete() -> None:
        access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
        animatic_services.music_track_delete(access=access, track=track)

    await database_sync_to_async(delete)()
    seen = await receive_until(
        owner_page, lambda m: 'id="animatic-render"' in m, timeout=5, what="the render card after the delete"
    )
    assert "Your track" not in seen[-1] and 'id="music-delete-form"' not in seen[-1]
    # A viewer's page has no render card: its socket sends it nothing for either.
    assert await viewer_page.receive_nothing(timeout=0.2)
    await owner_page.disconnect()
    await viewer_page.disconnect()


def test_an_imported_project_renders_with_its_own_track(cast: Cast, tmp_path: Path) -> None:
    upload(client_for(cast.editor), cast, "Harbour Theme.wav", sine_wav(2.0))
    owner = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    imported = project_import_archive(user=cast.stranger, file=project_export_archive(access=owner))
    track = MusicTrack.objects.get(project=imported)
    assert (track.name, track.supplied_by) == ("Harbour Theme.wav", "eddie")
    access = project_access_for_user(user=cast.stranger, public_id=imported.public_id)
    job = job_services.job_start(access=access, kind="render_animatic", params={"music": "own"})
    assert job.params["track"] == str(track.public_id)
    bed = animating._own_score([a_clip(2.0)], tmp_path, project=imported, track_id=job.params["track"], lead_in=3.0)
    assert (bed.track, bed.supplied_by, bed.duration) == ("Harbour Theme.wav", "eddie", 5.0)
    assert tone_amplitude(audio_of(bed.wav)[: RATE // 2]) > 0.1


def audio_of(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks = [
            out.to_ndarray().reshape(-1)
            for frame in container.decode(container.streams.audio[0])
            for out in resampler.resample(frame)
        ]
    return np.concatenate(chunks)


def tone_amplitude(samples: np.ndarray) -> float:
    """The amplitude of the track's tone in `samples` (a projection onto it: speech elsewhere adds little)."""
    t = np.arange(len(samples)) / RATE
    return float(2 * abs(np.sum(samples * np.exp(-2j * np.pi * TONE_HZ * t))) / len(samples))


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


@pytest.mark.heavy
def test_the_animatic_plays_an_uploaded_track_under_the_whole_film_ducked_and_credited(
    cast: Cast, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    load_script(cast, text=FILM)
    storyboard_without_blender(cast)
    upload(client_for(cast.editor), cast, "Harbour Theme.wav", sine_wav(4.0))
    job, result = run(cast, "render_animatic", {"size": 640, "music": "own"}, animating.render_animatic)
    film = Animatic.objects.get(job=job)
    root = project_media_root(cast.project.public_id)
    assert [b["track"] for b in film.timeline["music"]] == ["Harbour Theme.wav"]

    sound = audio_of(root / film.video)
    cues, offset = film.timeline["cues"], film.timeline["title_seconds"]
    clips = film.timeline["clips"]
    end = offset + clips[-1]["start"] + clips[-1]["duration"]
    talking = np.zeros(len(sound), dtype=bool)
    for cue in cues:
        talking[round((cue["start"] - 0.3) * RATE) : round((cue["end"] + 1.0) * RATE)] = True
    # Between lines: the title card (the track starts with the film) and the stretches where nobody speaks.
    between = np.zeros(len(sound), dtype=bool)
    between[round(0.6 * RATE) : round((end - 0.6) * RATE)] = True
    spans = np.flatnonzero(np.diff(np.concatenate([[0], (between & ~talking).astype(int), [0]])))
    bare = [sound[a:b] for a, b in zip(spans[::2], spans[1::2], strict=True) if b - a > RATE // 2]
    assert sum(len(s) for s in bare) > 2 * RATE
    bed = float(np.mean([tone_amplitude(s) for s in bare]))
    under = [sound[round(c["start"] * RATE) : round(c["end"] * RATE)] for c in cues]
    ducked = float(np.mean([tone_amplitude(s) for s in under]))
    dialogue = min(rms(s) for s in under)
    print(f"tone between lines {bed:.4f}, under lines {ducked:.4f}, quietest line rms {dialogue:.4f}")
    assert bed == pytest.approx(0.5 * 0.15, rel=0.25)  # the track's 0.5 at the bed's gain, heard between lines
    assert ducked < bed / 2  # ducked under every line (by design about 9.5 dB)
    assert dialogue > 2 * ducked * 0.7071  # each line's level is well above the tone's level under it

    with zipfile.ZipFile(root / film.timeline["files"]["assets"]) as archive:
        archive.extractall(tmp_path)
    credits = (tmp_path / "credits.txt").read_text()
    assert "Music: Harbour Theme.wav, supplied by eddie." in credits
    assert licences.SCORE_MUSIC.name not in credits
    assert len([n for n in (tmp_path / "music").iterdir()]) == 1
    assert ["Music", "Harbour Theme.wav, supplied by eddie"] in result["summary"]

    # Deleting the track afterwards leaves the rendered film as it was: its sound, its credits, its files.
    track = MusicTrack.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.editor).post(delete_url(cast, track), follow=True)
    assert "“Harbour Theme.wav” was removed" in response.content.decode()
    assert music_files(cast) == []
    film.refresh_from_db()
    assert [b["track"] for b in film.timeline["music"]] == ["Harbour Theme.wav"]
    assert np.array_equal(audio_of(root / film.video), sound)
    assert (root / film.timeline["files"]["assets"]).is_file()
    page = animatic_page(cast, "viewer")
    assert "Harbour Theme.wav" in page and 'id="animatic-credits"' in page
    video = reverse("projects:media", kwargs={"project_id": cast.project.public_id, "relative": film.video})
    assert client_for(cast.viewer).get(video).status_code == 200
