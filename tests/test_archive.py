"""Project archives: export a whole project as one zip, import it losslessly, refuse bad archives."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from generation import model_services, registry
from generation.models import GenerationJob, JobStatus, ModelEntry
from generation.paths import job_output_dir, project_media_root
from projects.archive import (
    ArchiveError,
    archive_content,
    content_sha256,
    project_export_archive,
    project_import_archive,
)
from projects.archive import importing as archive_importing
from projects.archive import reading as archive_reading
from projects.models import (
    Animatic,
    Character,
    Frame,
    FrameComment,
    Membership,
    MusicTrack,
    Portrait,
    PortraitKind,
    Project,
    Revision,
    RevisionSet,
    RevisionSource,
    Scene,
    Screenplay,
    ScriptUpdate,
    Shot,
)
from projects.script import crdt
from projects.script import services as script_services
from projects.storyboard import services as storyboard_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, screenplay
from tests.factories import JobFactory, PortraitFactory

pytestmark = pytest.mark.django_db


def _png(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (32, 18), colour).save(path)


def build_rich_project(cast: Cast) -> Project:
    """Script and revisions, characters with faces and an identity, shots, frames, notes, jobs, an animatic."""
    project = cast.project
    root = project_media_root(project.public_id)
    owner = project_access_for_user(user=cast.owner, public_id=project.public_id)
    editor = project_access_for_user(user=cast.editor, public_id=project.public_id)
    text = screenplay("Brick-and-Steel.fountain").read_text()
    script_services.script_replace_text(access=owner, text=text, source=RevisionSource.IMPORT, note="From the draft")
    script_services.script_replace_text(
        access=editor, text=text + "\nSTEEL\nOne more for the road.\n", source=RevisionSource.EDIT, note="A tag"
    )
    # In production: numbers locked and a Blue revision set begun (they travel too).
    script_services.scene_numbers_lock(access=editor)
    script_services.revision_set_start(access=editor)
    registry.ensure_builtin_models()
    builtin = ModelEntry.objects.get(name=registry.BUILTIN_GAN_MODEL["name"])
    brick = Character.objects.get(project=project, name="BRICK")
    steel = Character.objects.get(project=project, name="STEEL")
    Character.objects.filter(pk=brick.pk).update(look="Grey crew cut, Hawaiian shirt", wants="Peace and quiet")

    started = timezone.now() - timedelta(hours=2)
    design = JobFactory.create(
        project=project,
        kind="design_character",
        requested_by=cast.editor,
        status=JobStatus.SUCCEEDED,
        params={"character": str(brick.public_id), "model": str(builtin.public_id), "count": 2},
        result={"summary": [["Character", "BRICK"]], "files": [{"name": "grid.png", "label": "Grid"}]},
        started_at=started,
        finished_at=started + timedelta(seconds=40),
    )
    _png(job_output_dir(project.public_id, design.public_id) / "grid.png", (10, 20, 30))
    faces = [
        PortraitFactory.create(
            character=brick,
            job=design,
            index=i,
            model=builtin,
            model_name=builtin.name,
            model_sha256=builtin.sha256,
            latent=[round(0.01 * (i + 1) * k, 7) for k in range(100)],
            seed=1234 + i,
            image=f"jobs/{design.public_id}/faces/{i:02d}.png",
            score=0.5 + i / 10,
            matched=["grey hair"],
            missed=["shirt"] if i else [],
        )
        for i in range(2)
    ]
    variation = PortraitFactory.create(
        character=brick,
        kind=PortraitKind.VARIATION,
        model=builtin,
        model_name=builtin.name,
        latent=[0.5] * 100,
        parents={"source": str(faces[0].public_id), "strength": 0.3},
    )
    Portrait.objects.filter(pk=faces[1].pk).update(chosen_at=timezone.now())
    Character.objects.filter(pk=brick.pk).update(identity=faces[1])

    # A team-trained checkpoint: it lives in the project's media folder, so it travels as a file.
    training = JobFactory.create(
        project=project, kind="train_character_gan", requested_by=cast.owner, status=JobStatus.SUCCEEDED
    )
    checkpoint = job_output_dir(project.public_id, training.public_id) / "generator.pt"
    checkpoint.parent.mkdir(parents=True)
    checkpoint.write_bytes(b"not really torch weights " * 40)
    team = model_services.model_register_trained(
        name="Our inked faces",
        path=str(checkpoint),
        sha256=hashlib.sha256(checkpoint.read_bytes()).hexdigest(),
        license_note="Drawn by our own artists.",
        source="Trained in filmstudio on 40 drawings",
        project=project,
        job=training,
    )
    GenerationJob.objects.filter(pk=training.pk).update(
        result={"model": str(team.public_id), "files": [{"name": "generator.pt"}, {"name": "progress.png"}]}
    )
    steel_face = PortraitFactory.create(
        character=steel, model=team, model_name=team.name, model_sha256=team.sha256, latent=[-0.25] * 100
    )
    Character.objects.filter(pk=steel.pk).update(identity=steel_face)

    scene = Scene.objects.get(project=project, position=0)
    for position, (shot_type, subjects) in enumerate([("wide", ["BRICK", "STEEL"]), ("close-up", ["BRICK"])]):
        Shot.objects.create(
            scene=scene,
            position=position,
            shot_type=shot_type,
            subjects=subjects,
            description="The patio in the sun",
            start_line=scene.start_line,
            end_line=scene.start_line + 2,
            provenance={"by": "breakdown"},
        )
    render = JobFactory.create(project=project, kind="render_frames", status=JobStatus.SUCCEEDED)
    frame = Frame.objects.create(
        project=project,
        scene=scene,
        scene_heading=scene.heading,
        position=0,
        shot_type="wide",
        subjects=["BRICK", "STEEL"],
        description="The patio in the sun",
        source_text="A gorgeous day.",
        set_spec={"room": {"kind": "patio", "width": 6.0}, "time_of_day": "day", "figures": ["BRICK", "STEEL"]},
        image=f"jobs/{render.public_id}/frame.png",
        depth=f"jobs/{render.public_id}/depth.png",  # never written: travels as "missing"
        render_mode="draft",
        render_seconds=1.5,
        render_info={"last": {"mode": "draft", "job": str(render.public_id)}},
        last_job=render,
        rendered_at=timezone.now(),
    )
    _png(root / frame.image, (200, 180, 40))
    Frame.objects.create(project=project, scene=None, scene_heading="EXT. GONE - DAY", position=0, is_stale=True)
    note = storyboard_services.comment_add(frame=frame, author=cast.editor, body="@olivia the sun is too low")
    storyboard_services.comment_set_resolved(comment=note, by=cast.owner, resolved=True)
    storyboard_services.comment_add(frame=frame, author=cast.viewer, body="Love it")
    video = root / "animatics" / "cut.mp4"
    video.parent.mkdir(parents=True)
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 500)
    Animatic.objects.create(
        project=project,
        created_by=cast.owner,
        video="animatics/cut.mp4",
        duration_seconds=2.5,
        width=640,
        height=360,
        timeline={"clips": [{"frame": str(frame.public_id), "start": 0.0, "duration": 2.5}]},
    )
    # An editor's own music track, and the render that asked for it by its public_id.
    music = root / "music" / "3f0e9a52-5b8f-4d55-9a0e-6c1a5d7d2f11.wav"
    music.parent.mkdir(parents=True)
    music.write_bytes(b"RIFF" + b"\x02" * 400)
    track = MusicTrack.objects.create(
        project=project,
        name="Harbour Theme.wav",
        file=f"music/{music.name}",
        size_bytes=404,
        duration_seconds=4.0,
        uploaded_by=cast.editor,
    )
    JobFactory.create(
        project=project,
        kind="render_animatic",
        requested_by=cast.editor,
        status=JobStatus.SUCCEEDED,
        params={"size": 640, "voices": True, "burn_captions": False, "music": True, "track": str(track.public_id)},
    )
    assert variation.pk
    return project


def export(cast: Cast, project: Project | None = None, **kwargs: Any) -> Path:
    project = project or cast.project
    owner = Membership.objects.filter(project=project, role="owner").first()
    assert owner is not None
    access = project_access_for_user(user=owner.user, public_id=project.public_id)
    return project_export_archive(access=access, **kwargs)


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# --- round trip ------------------------------------------------------------------------------


def test_export_then_import_as_someone_else_keeps_everything(cast: Cast) -> None:
    source = build_rich_project(cast)
    path = export(cast)
    assert path.parent == project_media_root(source.public_id) / "exports"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".part")]

    imported = project_import_archive(user=cast.stranger, file=path)

    assert archive_content(imported) == archive_content(source)
    assert imported.public_id != source.public_id and imported.title == source.title
    assert list(Membership.objects.filter(project=imported).values_list("user__username", "role")) == [
        ("stan", "owner")
    ]
    # The script, and a fresh CRDT document holding it (not the other instance's edit log).
    screenplay = Screenplay.objects.get(project=imported)
    assert screenplay.text == Screenplay.objects.get(project=source).text
    assert crdt.text_of(script_services.script_doc(imported)) == screenplay.text
    assert not ScriptUpdate.objects.filter(screenplay=screenplay).exists()
    revisions = Revision.objects.filter(screenplay=screenplay).order_by("number")
    old_revisions = Revision.objects.filter(screenplay__project=source).order_by("number")
    assert [(r.number, r.source, r.note, r.created_at) for r in revisions] == [
        (r.number, r.source, r.note, r.created_at) for r in old_revisions
    ]
    assert [sorted(u.username for u in r.authors.all()) for r in revisions] == [["olivia"]] + [["eddie"]] * 3
    # Production: the locked numbers and the Blue set, started from its own revision, by the same person.
    assert screenplay.scene_numbers_locked and screenplay.locked_numbers
    assert screenplay.locked_numbers == Screenplay.objects.get(project=source).locked_numbers
    blue, old_blue = (RevisionSet.objects.get(screenplay__project=p) for p in (imported, source))
    assert (blue.name, blue.started_by, blue.started_at) == ("Blue", cast.editor, old_blue.started_at)
    assert blue.base.screenplay == screenplay and blue.base.number == old_blue.base.number
    # Identity: the same latent and the same picture, under a new id.
    brick, old_brick = (Character.objects.get(project=p, name="BRICK") for p in (imported, source))
    assert brick.identity is not None and old_brick.identity is not None
    assert brick.identity.public_id != old_brick.identity.public_id
    assert brick.identity.latent == old_brick.identity.latent and brick.look == "Grey crew cut, Hawaiian shirt"
    new_root, old_root = project_media_root(imported.public_id), project_media_root(source.public_id)
    assert (new_root / brick.identity.image).read_bytes() == (old_root / old_brick.identity.image).read_bytes()
    # Links inside the archive follow the new ids: the job folder, the variation's source, the cut's frame.
    design = GenerationJob.objects.get(project=imported, kind="design_character")
    assert brick.identity.job == design and brick.identity.image.startswith(f"jobs/{design.public_id}/")
    assert (job_output_dir(imported.public_id, design.public_id) / "grid.png").is_file()
    variation = Portrait.objects.get(character=brick, kind=PortraitKind.VARIATION)
    assert variation.parents["source"] == str(Portrait.objects.get(character=brick, index=0, job=design).public_id)
    frame = Frame.objects.get(project=imported, scene__isnull=False)
    assert Animatic.objects.get(project=imported).timeline["clips"][0]["frame"] == str(frame.public_id)
    assert frame.set_spec["room"] == {"kind": "patio", "width": 6.0}
    assert frame.scene is not None and frame.scene.project == imported
    comment = FrameComment.objects.get(frame=frame, body__startswith="@olivia")
    assert (comment.author, comment.resolved_by, list(comment.mentions.all())) == (
        cast.editor,
        cast.owner,
        [cast.owner],
    )
    # The own music track, its file and who supplied it; the render that used it names the new track.
    track, old_track = (MusicTrack.objects.get(project=p) for p in (imported, source))
    assert track.public_id != old_track.public_id
    assert (track.name, track.file, track.size_bytes, track.duration_seconds, track.uploaded_by) == (
        "Harbour Theme.wav",
        old_track.file,
        404,
        4.0,
        cast.editor,
    )
    assert track.created_at == old_track.created_at
    assert (new_root / track.file).read_bytes() == (old_root / old_track.file).read_bytes()
    render = GenerationJob.objects.get(project=imported, kind="render_animatic")
    assert render.params["track"] == str(track.public_id)
    # Jobs are history: finished, never queued again, with their times.
    assert set(GenerationJob.objects.filter(project=imported).values_list("status", flat=True)) == {"succeeded"}
    assert design.requested_by == cast.editor and design.celery_task_id == ""
    assert design.finished_at == GenerationJob.objects.get(project=source, kind="design_character").finished_at
    # Models: the shared one is matched; the team's checkpoint came along and belongs to the new team.
    builtin = ModelEntry.objects.get(name=registry.BUILTIN_GAN_MODEL["name"])
    assert {p.model for p in brick.portraits.all()} == {builtin}
    team = Character.objects.get(project=imported, name="STEEL").identity.model  # type: ignore[union-attr]
    assert team is not None and team.project == imported and team.enabled and team.name == "Our inked faces (2)"
    weights = Path(model_services.resolve_location(team.location))
    assert new_root in weights.parents and hashlib.sha256(weights.read_bytes()).hexdigest() == team.sha256
    assert team.trained_by_job == GenerationJob.objects.get(project=imported, kind="train_character_gan")

    # Export again: the same content.
    again = export(cast, imported)
    with zipfile.ZipFile(path) as first, zipfile.ZipFile(again) as second:
        a, b = (json.loads(z.read("manifest.json")) for z in (first, second))
    assert a["content_sha256"] == b["content_sha256"] == content_sha256(archive_content(source))
    assert a["counts"] == b["counts"]


def test_the_archive_lists_every_member_with_its_checksum_and_the_missing_files(cast: Cast, tmp_path: Path) -> None:
    build_rich_project(cast)
    frame = Frame.objects.get(project=cast.project, scene__isnull=False)
    outside = Path(settings.MEDIA_ROOT) / "projects" / "secret.png"
    _png(outside, (1, 2, 3))
    Frame.objects.filter(pk=frame.pk).update(stylized="../secret.png")
    path = export(cast, out=tmp_path / "film.zip")
    assert path == tmp_path / "film.zip"
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        for name, entry in manifest["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == entry["sha256"]
        characters = json.loads(zf.read("characters.json"))["characters"]
        revisions = json.loads(zf.read("script/revisions.json"))["revisions"]
    assert manifest["format"] == 1 and manifest["project"]["title"] == "Big Fish" and manifest["app_version"]
    assert names == set(manifest["files"]) | {"manifest.json"}
    assert {"project.json", "script/current.fountain", "breakdown.json", "jobs.json", "models.json"} <= names
    assert f"media/{frame.image}" in names and "media/animatics/cut.mp4" in names
    assert frame.depth in manifest["missing_media"] and "../secret.png" in manifest["missing_media"]
    assert not any("secret" in n for n in names)  # nothing outside the project's folder leaves with it
    assert manifest["counts"]["portraits"] == 4 and manifest["counts"]["comments"] == 2
    # The models that made its media, with their licences and their training data's terms.
    made = {m["name"]: m for m in manifest["made_with"]}
    assert set(made) == {registry.BUILTIN_GAN_MODEL["name"], "Our inked faces", "espeak-ng scratch voices"}
    dcgan = made[registry.BUILTIN_GAN_MODEL["name"]]
    assert dcgan["role"] == "Faces" and dcgan["licence"] == "MIT" and dcgan["non_commercial"]
    assert "DigiFace-1M" in dcgan["terms"] and "non-commercial research only" in dcgan["terms"]
    assert made["Our inked faces"]["licence"] == "Your own: see the note"
    assert made["Our inked faces"]["terms"] == "Drawn by our own artists."
    assert made["espeak-ng scratch voices"]["licence"] == "GPL-3.0-or-later"  # its animatic has voices
    brick = next(c for c in characters if c["name"] == "BRICK")
    assert brick["identity"] in {p["public_id"] for p in brick["portraits"]}
    assert [r["authors"] for r in revisions] == [["olivia"]] + [["eddie"]] * 3
    assert not any(isinstance(v, int) and k == "id" for c in characters for k, v in c.items())


def test_an_instance_without_those_people_or_weights_imports_them_as_nobody_and_a_disabled_model(
    cast: Cast,
) -> None:
    build_rich_project(cast)
    path = export(cast)
    User.objects.filter(username="eddie").delete()
    ModelEntry.objects.filter(name=registry.BUILTIN_GAN_MODEL["name"]).delete()

    imported = project_import_archive(user=cast.stranger, file=path, title="Brick & Steel (copy)")

    assert imported.title == "Brick & Steel (copy)"
    comment = FrameComment.objects.get(frame__project=imported, body__startswith="@olivia")
    assert comment.author is None and comment.resolved_by == cast.owner
    assert GenerationJob.objects.get(project=imported, kind="design_character").requested_by is None
    placeholder = Character.objects.get(project=imported, name="BRICK").identity.model  # type: ignore[union-attr]
    assert placeholder is not None and placeholder.name == registry.BUILTIN_GAN_MODEL["name"]
    assert not placeholder.enabled and placeholder.project == imported
    assert "weights were not on this instance" in placeholder.license_note
    assert placeholder.sha256 == registry.BUILTIN_GAN_MODEL["sha256"]


def test_a_job_still_running_at_export_is_imported_as_cancelled_history(cast: Cast) -> None:
    JobFactory.create(project=cast.project, status=JobStatus.RUNNING, started_at=timezone.now())
    imported = project_import_archive(user=cast.viewer, file=export(cast))
    job = GenerationJob.objects.get(project=imported)
    assert job.status == JobStatus.CANCELLED and "not re-run" in job.message and job.celery_task_id == ""


def test_an_uploaded_file_imports_like_a_path(cast: Cast) -> None:
    upload = SimpleUploadedFile("film.zip", export(cast).read_bytes(), content_type="application/zip")
    imported = project_import_archive(user=cast.stranger, file=upload)  # type: ignore[arg-type]
    assert archive_content(imported) == archive_content(cast.project)


def test_a_failure_while_copying_files_leaves_no_project_and_no_files(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    PortraitFactory.create(character__project=cast.project)
    PortraitFactory.create(character__project=cast.project)
    path = export(cast)
    before, projects = media_files(), Project.objects.count()
    calls = []
    original = archive_importing.read_member

    def fail_on_second(*args: Any, **kwargs: Any) -> str:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(archive_importing, "read_member", fail_on_second)
    with pytest.raises(OSError, match="disk full"):
        project_import_archive(user=cast.stranger, file=path)
    assert Project.objects.count() == projects and media_files() == before


# --- refusals --------------------------------------------------------------------------------


def rebuild(
    source: Path,
    *,
    replace: dict[str, bytes] | None = None,
    add: list[tuple[zipfile.ZipInfo | str, bytes]] | None = None,
    drop: tuple[str, ...] = (),
    manifest: Callable[[dict[str, Any]], None] | None = None,
    keep_checksums: bool = False,
) -> bytes:
    """A copy of an archive with members changed; the manifest follows unless `keep_checksums`."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old:
        data = json.loads(old.read("manifest.json"))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for name in old.namelist():
                if name == "manifest.json" or name in drop:
                    continue
                body = replace.get(name, old.read(name))
                new.writestr(name, body)
                if not keep_checksums:
                    data["files"][name] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
            for info, body in add or []:
                new.writestr(info, body)
                name = info.filename if isinstance(info, zipfile.ZipInfo) else info
                data["files"][name] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
            for name in drop:
                data["files"].pop(name, None)
            if manifest:
                manifest(data)
            new.writestr("manifest.json", json.dumps(data))
    return out.getvalue()


def assert_refused(cast: Cast, archive: bytes, match: str) -> ArchiveError:
    before, projects = media_files(), Project.objects.count()
    with pytest.raises(ArchiveError, match=match) as caught:
        project_import_archive(user=cast.stranger, file=io.BytesIO(archive))
    assert Project.objects.count() == projects and media_files() == before
    return caught.value


@pytest.fixture
def archive(cast: Cast) -> Path:
    """A small but complete archive: a scene, a character with a face, a frame with a note."""
    owner = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    script_services.script_replace_text(
        access=owner, text="INT. DINER - NIGHT\n\nEDWARD\nCoffee.\n", source=RevisionSource.IMPORT
    )
    edward = Character.objects.get(project=cast.project, name="EDWARD")
    PortraitFactory.create(character=edward)
    frame = Frame.objects.create(project=cast.project, scene_heading="INT. DINER - NIGHT", position=0)
    storyboard_services.comment_add(frame=frame, author=cast.owner, body="Darker")
    return export(cast)


def test_a_file_that_is_not_a_zip_is_refused(cast: Cast) -> None:
    assert_refused(cast, b"PK but not really a zip at all", "not a zip archive")


def test_a_zip_without_a_manifest_is_refused(cast: Cast, archive: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            if name != "manifest.json":
                new.writestr(name, old.read(name))
    assert_refused(cast, out.getvalue(), "no manifest.json")


def test_an_archive_of_an_unknown_or_newer_format_is_refused(cast: Cast, archive: Path) -> None:
    assert_refused(cast, rebuild(archive, manifest=lambda m: m.update(format=2)), "format 2, made by a newer")
    assert_refused(cast, rebuild(archive, manifest=lambda m: m.update(format="one")), "unknown archive format")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../evil.png", "“..”"),
        ("media/../../evil.png", "“..”"),
        ("/etc/x", "absolute path"),
        ("media\\..\\..\\evil.png", "backslash"),
        ("C:/Windows/evil.png", "drive letter"),
        ("media/./evil.png", "segment"),
    ],
)
def test_a_member_that_would_land_outside_the_project_is_refused(
    cast: Cast, archive: Path, name: str, problem: str
) -> None:
    error = assert_refused(cast, rebuild(archive, add=[(zipfile.ZipInfo(name), b"\x89PNG")]), problem)
    assert name in error.message


@pytest.mark.parametrize("name", ["media/x.html", "media/jobs/j/pic.svg", "media/app.js", "media/README"])
def test_a_member_of_a_type_the_studio_never_writes_is_refused(cast: Cast, archive: Path, name: str) -> None:
    """Media files are only of the types the studio writes (an HTML or SVG could run as a studio page)."""
    svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    error = assert_refused(cast, rebuild(archive, add=[(name, svg)]), "a type of file filmstudio never writes")
    assert name in error.message


def test_a_symlink_member_is_refused(cast: Cast, archive: Path) -> None:
    link = zipfile.ZipInfo("media/jobs/link.png")
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    assert_refused(cast, rebuild(archive, add=[(link, b"/etc/passwd")]), "media/jobs/link.png” is a symbolic link")


def test_a_member_whose_checksum_does_not_match_is_refused(cast: Cast, archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        face = next(n for n in zf.namelist() if n.startswith("media/"))
        body = bytearray(zf.read(face))
    body[-20] ^= 0xFF  # same size, different bytes
    tampered = rebuild(archive, replace={face: bytes(body)}, keep_checksums=True)
    assert_refused(cast, tampered, f"{face}” .*checksum")


def test_a_member_not_in_the_manifest_is_refused(cast: Cast, archive: Path) -> None:
    extra = rebuild(archive, manifest=lambda m: m["files"].pop("frames.json"))
    assert_refused(cast, extra, "frames.json” is in the archive but not in its manifest")


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the central directory claiming `size` uncompressed bytes for `name`."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        length = int.from_bytes(out[at + 28 : at + 30], "little")
        if out[at + 46 : at + 46 + length] == name.encode():
            out[at + 24 : at + 28] = size.to_bytes(4, "little")
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not found")


def test_a_member_that_lies_about_its_size_is_stopped_at_the_declared_size(cast: Cast, archive: Path) -> None:
    bomb = b"\x00" * 2_000_000  # deflates to a few KB
    lying = rebuild(
        archive,
        add=[("media/bomb.png", bomb)],
        manifest=lambda m: m["files"]["media/bomb.png"].update(size=10),
    )
    assert_refused(cast, _declare_size(lying, "media/bomb.png", 10), "media/bomb.png” is damaged or its declared size")


def test_an_archive_larger_than_the_limit_is_refused_before_reading_it(
    cast: Cast, archive: Path, settings: Any
) -> None:
    settings.ARCHIVE_MAX_BYTES = 1000
    assert_refused(cast, archive.read_bytes(), "unpacks to more than 1000 bytes .*ARCHIVE_MAX_BYTES")


def test_an_archive_with_too_many_members_is_refused(
    cast: Cast, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive_reading, "MAX_MEMBERS", 5)
    assert_refused(cast, archive.read_bytes(), "more than the 5 an import accepts")


def test_malformed_json_is_refused_naming_the_member(cast: Cast, archive: Path) -> None:
    assert_refused(
        cast, rebuild(archive, replace={"characters.json": b'{"characters": [}'}), "characters.json” is not valid JSON"
    )


def test_rows_of_the_wrong_shape_are_refused_naming_the_row(cast: Cast, archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        characters = json.loads(zf.read("characters.json"))
        frames = json.loads(zf.read("frames.json"))
    characters["characters"][0]["portraits"][0]["seed"] = "lucky"
    bad_seed = json.dumps(characters).encode()
    assert_refused(
        cast,
        rebuild(archive, replace={"characters.json": bad_seed}),
        "character 1, portrait 1: “seed” should be a whole",
    )
    frames["frames"][0]["scene"] = "0b6f8c1e-1d2a-4a47-9f57-2c0c1b6c1e11"
    dangling = json.dumps(frames).encode()
    assert_refused(cast, rebuild(archive, replace={"frames.json": dangling}), "frame 1: “scene” points at scene")
    frames["frames"][0]["scene"] = None
    frames["frames"][0]["shot_type"] = "dolly zoom"
    assert_refused(cast, rebuild(archive, replace={"frames.json": json.dumps(frames).encode()}), "frame 1: “shot_type”")
    assert_refused(cast, rebuild(archive, replace={"jobs.json": b'{"jobs": {}}'}), "jobs.json should hold a list")


def test_rows_cannot_point_outside_the_project_folder(cast: Cast, archive: Path) -> None:
    """A row naming a path outside its project (another project's files, /etc) is refused."""
    with zipfile.ZipFile(archive) as zf:
        characters = json.loads(zf.read("characters.json"))
    portrait = characters["characters"][0]["portraits"][0]
    for bad in ("../../../../etc/passwd.png", "/etc/passwd", f"../{cast.project.public_id}/jobs/x/faces/00.png"):
        portrait["image"] = bad
        body = json.dumps(characters).encode()
        assert_refused(cast, rebuild(archive, replace={"characters.json": body}), "portrait 1: “image”")


# --- bombs: size caps by member type, the upload cap, deep nesting ------------------------------


def test_a_document_over_its_own_cap_is_refused_before_it_is_read(
    cast: Cast, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jobs.json has a cap of its own, far below the archive's; a padded one is refused by its declared size."""
    padded = b'{"jobs": []' + b" " * (33 * 1024**2) + b"}"  # deflates to ~33 KB, parses to almost nothing
    reads: list[str] = []
    original = archive_reading.read_member

    def counting(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink: Any = None) -> str:
        reads.append(info.filename)
        return original(zf, info, sink)

    monkeypatch.setattr(archive_reading, "read_member", counting)
    assert_refused(cast, rebuild(archive, replace={"jobs.json": padded}), "jobs.json” is larger than 32.0 MiB")
    assert "jobs.json" not in reads


def test_a_document_is_checked_against_its_checksum_before_it_is_parsed(cast: Cast, archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        size = zf.getinfo("frames.json").file_size
    garbage = b"{" + b"[" * (size - 1)  # the declared size, but neither the checksum nor JSON
    tampered = rebuild(archive, replace={"frames.json": garbage}, keep_checksums=True)
    assert_refused(cast, tampered, "frames.json” does not match its checksum")


def test_an_upload_larger_than_the_upload_cap_is_refused(cast: Cast, archive: Path, settings: Any) -> None:
    settings.ARCHIVE_MAX_UPLOAD_BYTES = 1000
    assert_refused(cast, archive.read_bytes(), r"larger than 1000 bytes.*ARCHIVE_MAX_UPLOAD_BYTES")
    upload = SimpleUploadedFile("film.zip", archive.read_bytes(), content_type="application/zip")
    with pytest.raises(ArchiveError, match="ARCHIVE_MAX_UPLOAD_BYTES"):
        project_import_archive(user=cast.stranger, file=upload)  # type: ignore[arg-type]


def _nested(depth: int) -> Any:
    value: Any = {"leaf": 1}
    for n in range(depth):
        value = {"k": value} if n % 2 else [value]
    return value


@pytest.mark.parametrize("depth", [600, 5000])
def test_json_nested_too_deep_is_refused_with_a_clear_message(cast: Cast, archive: Path, depth: int) -> None:
    with zipfile.ZipFile(archive) as zf:
        frames = json.loads(zf.read("frames.json"))
    frames["frames"][0]["set_spec"] = {"room": _nested(depth)}
    body = json.dumps(frames).encode() if depth < 900 else _deep_json(frames, depth)
    assert_refused(cast, rebuild(archive, replace={"frames.json": body}), "frames.json” is nested more than 64 levels")


def _deep_json(frames: dict[str, Any], depth: int) -> bytes:
    """json.dumps can't write what is deeper than the recursion limit; splice the nesting in as text."""
    frames["frames"][0]["set_spec"] = {"room": "HERE"}
    text = json.dumps(frames)
    return text.replace('"HERE"', "[" * depth + "1" + "]" * depth).encode()


def test_a_deep_archive_posted_to_the_import_page_gets_a_message_not_a_500(
    cast: Cast, archive: Path, client: Any
) -> None:
    with zipfile.ZipFile(archive) as zf:
        frames = json.loads(zf.read("frames.json"))
    frames["frames"][0]["set_spec"] = {"room": _nested(600)}
    body = rebuild(archive, replace={"frames.json": json.dumps(frames).encode()})
    client.force_login(cast.stranger)
    upload = SimpleUploadedFile("deep.zip", body, content_type="application/zip")
    response = client.post("/projects/import/", {"archive": upload}, follow=True)
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "Nothing was imported" in shown and "nested more than 64 levels" in shown


def test_an_archive_from_before_revision_sets_imports_without_them(cast: Cast, archive: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        revisions = json.loads(zf.read("script/revisions.json"))
        project = json.loads(zf.read("project.json"))
    del revisions["revision_sets"]
    for key in ("scene_numbers_locked", "locked_numbers"):
        del project["screenplay"][key]
    older = rebuild(
        archive,
        replace={"script/revisions.json": json.dumps(revisions).encode(), "project.json": json.dumps(project).encode()},
    )
    imported = project_import_archive(user=cast.stranger, file=io.BytesIO(older))
    assert not RevisionSet.objects.filter(screenplay__project=imported).exists()
    assert not Screenplay.objects.get(project=imported).scene_numbers_locked
    # A set that points at no revision is refused, naming it.
    revisions["revision_sets"] = [
        {
            "public_id": str(uuid.uuid4()),
            "number": 1,
            "started_at": "2026-12-06T10:00:00+00:00",
            "base": None,
            "started_by": None,
        }
    ]
    dangling = rebuild(archive, replace={"script/revisions.json": json.dumps(revisions).encode()})
    assert_refused(cast, dangling, "revision_set 1: “base” should be the revision")


def test_an_archive_from_before_own_music_imports_without_it_and_a_bad_track_row_is_refused(cast: Cast) -> None:
    build_rich_project(cast)
    archive = export(cast)
    with zipfile.ZipFile(archive) as zf:
        animatics = json.loads(zf.read("animatics.json"))
    assert [t["name"] for t in animatics["music_tracks"]] == ["Harbour Theme.wav"]
    older = rebuild(archive, replace={"animatics.json": json.dumps({"animatics": animatics["animatics"]}).encode()})
    imported = project_import_archive(user=cast.stranger, file=io.BytesIO(older))
    assert not MusicTrack.objects.filter(project=imported).exists()
    animatics["music_tracks"][0]["file"] = "../../elsewhere/theme.wav"
    outside = rebuild(archive, replace={"animatics.json": json.dumps(animatics).encode()})
    assert_refused(cast, outside, "music_track 1: “file” has a “..” in its path")
