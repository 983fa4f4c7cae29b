"""The storyboard on real Blender: shots become frames, relighting, stale tracking, failures, export."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from generation import kinds
from generation.engines.base import JobContext, JobFailed
from generation.paths import job_output_dir, project_media_root
from projects.jobs import services as job_services
from projects.models import Frame, FrameComment, Scene, Shot
from projects.script import services as script_services
from projects.storyboard import jobs as storyboarding
from projects.storyboard import sets
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast
from tests.stages import frames_without_rendering, load_script, run_engine

pytestmark = pytest.mark.timeout(600)


# Jobs are created through the service and run the way the task runs them.
run = run_engine


def luminance(project_public_id: Any, relative: str) -> float:
    with Image.open(project_media_root(project_public_id) / relative) as picture:
        return float(np.asarray(picture.convert("L"), dtype=np.float64).mean())


def first_scene(cast: Cast) -> Scene:
    return Scene.objects.filter(project=cast.project).order_by("position").first()  # type: ignore[return-value]


@pytest.mark.heavy
def test_a_scene_renders_into_one_frame_per_shot(cast: Cast) -> None:
    load_script(cast)
    scene = first_scene(cast)
    _, result = run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_scene)
    shots = list(Shot.objects.filter(scene=scene).order_by("position"))
    frames = list(Frame.objects.filter(scene=scene).order_by("position"))
    assert shots, "a scene without a shot list gets one planned from the script"
    assert [f.position for f in frames] == [s.position for s in shots]
    for frame, shot in zip(frames, shots, strict=True):
        assert frame.image and frame.depth and frame.rendered_spec_version == frame.spec_version
        assert frame.shot_type == shot.shot_type and frame.set_spec["shot_type"] == shot.shot_type
        assert frame.source_text and frame.source_text in script_services.screenplay_for(cast.project).text
        with Image.open(project_media_root(cast.project.public_id) / frame.image) as picture:
            assert picture.size == (200, 112)  # a quarter of 640x360, with the 1.25 overscan
    assert result["summary"][0][1].startswith("1. ")


@pytest.mark.heavy
def test_frames_go_stale_when_their_script_lines_change_and_only_those_re_render(cast: Cast) -> None:
    text = load_script(cast)
    scene = first_scene(cast)
    run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_scene)
    frames = list(Frame.objects.filter(scene=scene).order_by("position"))
    assert len(frames) >= 2 and not any(f.is_stale for f in frames)
    # A line of one frame that appears nowhere else in the script (a cue name like STEEL recurs).
    target, first_line = next(
        (f, line) for f in frames[1:] for line in f.source_text.split("\n") if line.strip() and text.count(line) == 1
    )
    edited = text.replace(first_line, first_line + " Rain hammers the windows.", 1)
    assert edited != text
    load_script(cast, text=edited)
    stale = {f.pk for f in Frame.objects.filter(scene=scene, is_stale=True)}
    assert target.pk in stale
    untouched = [f for f in frames if first_line not in f.source_text]
    assert untouched and not stale & {f.pk for f in untouched}
    before = {f.pk: f.rendered_at for f in Frame.objects.filter(scene=scene)}
    _, result = run(cast, "render_stale", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_stale)
    after = {f.pk: f for f in Frame.objects.filter(scene=scene)}
    assert set(result["frames"]) == {str(after[pk].public_id) for pk in stale}
    assert all(after[pk].rendered_at != before[pk] and not after[pk].is_stale for pk in stale)
    assert all(after[f.pk].rendered_at == before[f.pk] for f in untouched)
    assert "Rain hammers the windows." in after[target.pk].source_text


@pytest.mark.heavy
def test_relighting_a_frame_for_night_makes_it_darker(cast: Cast) -> None:
    load_script(cast)
    scene = Scene.objects.filter(project=cast.project, heading__contains="DAY").order_by("position").first()
    if scene is None:
        scene = first_scene(cast)
    run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25, "mode": "final"}, storyboarding.render_scene)
    frame = Frame.objects.filter(scene=scene).order_by("position").first()
    assert frame is not None
    client = Client()
    client.force_login(cast.editor)
    url = reverse("projects:frame-adjust", kwargs={"project_id": cast.project.public_id, "frame_id": frame.public_id})
    day_spec = frame.set_spec
    response = client.post(url, {"time_of_day": "day"})
    assert response.status_code == 302
    frame.refresh_from_db()
    if frame.set_spec["time_of_day"] != "day":
        pytest.fail("relighting to day did not change the set")
    run(cast, "render_frame", {"frame": str(frame.public_id), "scale": 25, "mode": "final"}, storyboarding.render_frame)
    frame.refresh_from_db()
    day_light = luminance(cast.project.public_id, frame.image)
    day_spec = frame.set_spec
    assert client.post(url, {"time_of_day": "night"}).status_code == 302
    frame.refresh_from_db()
    assert frame.set_spec["time_of_day"] == "night" and frame.needs_render
    assert frame.set_spec["camera"] == day_spec["camera"]  # the shot stays; only the light changes
    assert frame.set_spec["lights"]["sun"]["strength"] < day_spec["lights"]["sun"]["strength"]
    run(cast, "render_frame", {"frame": str(frame.public_id), "scale": 25, "mode": "final"}, storyboarding.render_frame)
    frame.refresh_from_db()
    night_light = luminance(cast.project.public_id, frame.image)
    assert night_light < day_light * 0.8, (day_light, night_light)
    # Undo puts the day set back.
    undo = reverse("projects:frame-undo", kwargs={"project_id": cast.project.public_id, "frame_id": frame.public_id})
    assert client.post(undo).status_code == 302
    frame.refresh_from_db()
    assert frame.set_spec["time_of_day"] == "day"


@pytest.mark.heavy
def test_impossible_set_parameters_are_refused_and_nothing_changes(cast: Cast) -> None:
    load_script(cast)
    scene = first_scene(cast)
    run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_scene)
    frame = Frame.objects.filter(scene=scene).order_by("position").first()
    assert frame is not None
    version = frame.spec_version
    client = Client()
    client.force_login(cast.editor)
    kwargs = {"project_id": cast.project.public_id, "frame_id": frame.public_id}
    spec_url, adjust_url = (
        reverse("projects:frame-spec", kwargs=kwargs),
        reverse("projects:frame-adjust", kwargs=kwargs),
    )
    bad_lens = json.loads(json.dumps(frame.set_spec))
    bad_lens["camera"]["lens_mm"] = 2000
    negative = json.loads(json.dumps(frame.set_spec))
    negative["lights"]["sun"]["strength"] = -3
    for body, message in (
        (json.dumps(bad_lens), "lens"),
        (json.dumps(negative), "strength"),
        ("{not json", "not valid JSON"),
    ):
        response = client.post(spec_url, {"spec": body})
        assert response.status_code == 400 and message in response.content.decode()
        assert body.replace('"', "&quot;")[:20] in response.content.decode()  # what they typed is still there
    response = client.post(adjust_url, {"lens_mm": "1"}, follow=True)
    assert "Nothing was changed" in response.content.decode()
    frame.refresh_from_db()
    assert frame.spec_version == version


def test_the_quick_controls_change_the_set_say_what_changed_and_refuse_impossible_values(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    from projects.storyboard.services import SetAdjustment, frame_adjust

    load_script(cast)
    frame = frames_without_rendering(cast, first_scene(cast))[0]
    version, spec = frame.spec_version, frame.set_spec
    same = SetAdjustment(time_of_day=spec["time_of_day"], lens_mm=str(spec["camera"]["lens_mm"]), practicals_scale="1")
    assert frame_adjust(frame=frame, adjustment=same) == []
    frame.refresh_from_db()
    assert frame.spec_version == version  # nothing to change: nothing saved
    other = "dawn" if spec["time_of_day"] != "dawn" else "night"
    material = sorted(spec["materials"])[0]
    notes = frame_adjust(
        frame=frame,
        adjustment=SetAdjustment(time_of_day=other, lens_mm="85", material=material, color="#ff0000", roughness="0.2"),
    )
    assert notes == [f"relit for {other}", "lens mm 85", f"{material} recoloured"]
    frame.refresh_from_db()
    assert frame.spec_version == version + 1 and frame.render_info["history"][-1]["note"] == ", ".join(notes)
    assert frame.set_spec["time_of_day"] == other and frame.set_spec["camera"]["lens_mm"] == 85.0
    assert (
        frame.set_spec["materials"][material] | {"base_color": [1.0, 0.0, 0.0], "roughness": 0.2}
        == (frame.set_spec["materials"][material])
    )
    for adjustment, message in (
        (SetAdjustment(lens_mm="1"), "camera.lens_mm must be between 8 and 300 (got 1)"),
        (SetAdjustment(practicals_scale="30"), "practical lights can be scaled between 0 and 20 times"),
        (SetAdjustment(material="unobtainium", color="#ffffff"), "there is no material “unobtainium” in this set"),
        (SetAdjustment(time_of_day="noon"), "time of day must be one of dawn, morning, day, afternoon, dusk, night"),
        (SetAdjustment(sun_strength="bright"), "could not convert string to float: 'bright'"),
    ):
        with pytest.raises(ValidationError) as refused:
            frame_adjust(frame=frame, adjustment=adjustment)
        assert refused.value.messages == [message]
    frame.refresh_from_db()
    assert frame.spec_version == version + 1


@pytest.mark.heavy
def test_a_render_whose_process_dies_fails_clearly_and_keeps_the_previous_frame(cast: Cast) -> None:
    import os
    import signal

    from generation.engines.render_worker import get_render_process

    load_script(cast)
    scene = first_scene(cast)
    run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_scene)
    frame = Frame.objects.filter(scene=scene).order_by("position").first()
    assert frame is not None
    previous = frame.image
    before = (project_media_root(cast.project.public_id) / previous).read_bytes()
    process = get_render_process()
    killed: list[int] = []

    def kill_once_rendering(done: float, total: float, message: str, preview: str | None) -> None:
        # Once Blender reports that the full-size final render has begun, kill it, the way the kernel's
        # out-of-memory killer would.
        pid = process.pid
        if "rendering (" in message and pid and not killed:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    with pytest.raises(JobFailed, match="could not be rendered") as failure:
        run(
            cast,
            "render_frame",
            {"frame": str(frame.public_id), "mode": "final"},
            storyboarding.render_frame,
            report=kill_once_rendering,
        )
    assert killed
    assert "previous picture was kept" in str(failure.value)
    frame.refresh_from_db()
    assert frame.image == previous and frame.last_error
    assert (project_media_root(cast.project.public_id) / previous).read_bytes() == before
    # The next render starts a fresh Blender and works.
    run(cast, "render_frame", {"frame": str(frame.public_id), "scale": 25}, storyboarding.render_frame)
    frame.refresh_from_db()
    assert frame.image != previous and not frame.last_error


@pytest.mark.heavy
def test_the_set_exports_as_blend_and_a_glb_that_re_imports(cast: Cast) -> None:
    load_script(cast)
    scene = first_scene(cast)
    run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_scene)
    frame = Frame.objects.filter(scene=scene).order_by("position").first()
    assert frame is not None
    job, result = run(cast, "export_frame_set", {"frame": str(frame.public_id)}, storyboarding.export_frame_set)
    folder = job_output_dir(cast.project.public_id, job.public_id)
    names = [f["name"] for f in result["files"]]
    assert any(n.endswith(".blend") for n in names) and any(n.endswith(".glb") for n in names)
    blend = next(folder / n for n in names if n.endswith(".blend"))
    glb = next(folder / n for n in names if n.endswith(".glb"))
    # A fresh Blender opens the .blend: the set, its figures and camera are there.
    code = (
        "import sys, bpy; bpy.ops.wm.open_mainfile(filepath=sys.argv[1]); "
        "print(len(bpy.data.objects), len(bpy.data.cameras), len(bpy.data.images))"
    )
    opened = subprocess.run([sys.executable, "-c", code, str(blend)], capture_output=True, text=True, timeout=120)
    objects, cameras, images = (int(v) for v in opened.stdout.strip().splitlines()[-1].split())
    assert objects > 5 and cameras == 1 and images >= 0, opened.stdout
    assert glb.read_bytes()[:4] == b"glTF"
    # An artist opens it elsewhere: a fresh Blender re-imports the .glb.
    code = "import json, sys; from generation.engines import render; print(json.dumps(render.import_glb(sys.argv[1])))"
    probe = subprocess.run(
        [sys.executable, "-c", code, str(glb)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    summary = json.loads(probe.stdout.strip().splitlines()[-1])
    assert summary["meshes"] > 3, summary
    # Members can download it; strangers can't.
    viewer, stranger = Client(), Client()
    viewer.force_login(cast.viewer)
    stranger.force_login(cast.stranger)
    url = reverse(
        "projects:media",
        kwargs={"project_id": cast.project.public_id, "relative": f"jobs/{job.public_id}/{blend.name}"},
    )
    assert viewer.get(url).status_code == 200
    assert stranger.get(url).status_code == 404


def test_notes_on_a_frame_mention_teammates_and_resolve(cast: Cast) -> None:
    load_script(cast)
    scene = first_scene(cast)
    storyboarding_frames = frames_without_rendering(cast, scene)
    frame = storyboarding_frames[0]
    editor, viewer = Client(), Client()
    editor.force_login(cast.editor)
    viewer.force_login(cast.viewer)
    kwargs = {"project_id": cast.project.public_id, "frame_id": frame.public_id}
    url = reverse("projects:frame-comment", kwargs=kwargs)
    assert editor.post(url, {"body": "@olivia the light is too flat here, @nobody"}).status_code == 302
    assert editor.post(url, {"body": "   "}, follow=True).status_code == 200
    assert viewer.post(url, {"body": "I am only watching"}).status_code == 403
    comment = FrameComment.objects.get(frame=frame)
    assert [u.username for u in comment.mentions.all()] == ["olivia"]
    resolve = reverse(
        "projects:comment-resolve", kwargs={"project_id": cast.project.public_id, "comment_id": comment.public_id}
    )
    assert viewer.post(resolve).status_code == 403
    assert editor.post(resolve, {"resolved": "1"}).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved and comment.resolved_by == cast.editor
    page = viewer.get(reverse("projects:frame", kwargs=kwargs)).content.decode()
    assert "the light is too flat" in page and "resolved by eddie" in page


def test_figures_carry_their_characters_chosen_faces(cast: Cast) -> None:
    from projects.characters import jobs as designing
    from projects.characters import services as character_services
    from projects.models import Character, Portrait

    load_script(cast)
    scene = first_scene(cast)
    frames = frames_without_rendering(cast, scene)
    name = next(n for f in frames for n in f.subjects)
    person = Character.objects.get(project=cast.project, name=name)
    job, _ = run_engine(
        cast,
        "design_candidates",
        {"character": str(person.public_id), "seed": 3, "steer": "no"},
        designing.design_candidates,
    )
    face = Portrait.objects.get(job=job, index=0)
    character_services.character_choose_identity(character=person, portrait=face)
    frame = next(f for f in frames if name in f.subjects)
    spec = sets.with_current_faces(cast.project, frame.set_spec)
    carried = {fig["name"]: fig["portrait_path"] for fig in spec["characters"]}
    assert carried[name] == str(project_media_root(cast.project.public_id) / face.image)


@pytest.mark.heavy
def test_a_frame_stylizes_through_a_local_diffusers_pipeline_step_by_step(cast: Cast, tmp_path: Path) -> None:
    from django.core.exceptions import ValidationError

    from generation.engines import stylize
    from generation.models import ModelEntry, ModelKind

    load_script(cast)
    scene = first_scene(cast)
    run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_scene)
    frame = Frame.objects.filter(scene=scene).order_by("position").first()
    assert frame is not None
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    with pytest.raises(ValidationError, match="No diffusion model is set up"):
        job_services.job_start(access=access, kind="stylize_frame", params={"frame": str(frame.public_id)})
    # A tiny random-weight pipeline saved from configs: it tests the code path (its pictures are noise).
    spec = stylize.build_tiny_pipeline(tmp_path / "tiny-sd", mode="controlnet-depth")
    entry = ModelEntry.objects.create(
        name="Tiny test pipeline",
        kind=ModelKind.DIFFUSION,
        backend="diffusers",
        location=spec.path,
        config={"mode": "controlnet-depth", "controlnet_path": spec.controlnet_path},
        source="built in the test from configs",
        license="test only",
    )
    steps: list[tuple[float, float]] = []
    job = job_services.job_start(
        access=access,
        kind="stylize_frame",
        params={"frame": str(frame.public_id), "model": str(entry.public_id), "steps": 4, "strength": 1.0, "seed": 1},
    )
    ctx = JobContext(
        output_dir=job_output_dir(cast.project.public_id, job.public_id),
        project_id=str(cast.project.public_id),
        job_id=str(job.public_id),
        report=lambda done, total, message, preview: steps.append((done, total)),
    )
    storyboarding.stylize_frame(kinds.get_kind(job.kind).params_from_row(job.params), ctx)
    assert [s for s in steps if s[1] == 4] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    frame.refresh_from_db()
    assert frame.stylized.endswith("stylized.png") and frame.render_info["stylized"]["mode"] == "controlnet-depth"
    with Image.open(project_media_root(cast.project.public_id) / frame.stylized) as out:
        assert out.size == (200, 112)


@pytest.mark.heavy
def test_editors_edit_a_shot_list_by_hand_and_the_frames_follow(cast: Cast) -> None:
    load_script(cast)
    scene = first_scene(cast)
    run(cast, "render_scene", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_scene)
    before = list(Frame.objects.filter(scene=scene).order_by("position"))
    assert len(before) >= 2
    url = reverse("projects:shot-list-edit", kwargs={"project_id": cast.project.public_id, "scene_id": scene.public_id})
    name = next((n for f in before for n in f.subjects), "BRICK")
    data = {
        "shots-TOTAL_FORMS": "2",
        "shots-INITIAL_FORMS": "0",
        "shots-0-shot_type": "wide",
        "shots-0-camera_angle": "high angle",
        "shots-0-lens_mm": "18",
        "shots-0-description": "The whole patio from above.",
        "shots-1-shot_type": "close-up",
        "shots-1-camera_angle": "eye level",
        "shots-1-lens_mm": "85",
        "shots-1-subjects": name.lower(),
        "shots-1-description": f"{name} hears the gate.",
    }
    editor, viewer = Client(), Client()
    editor.force_login(cast.editor)
    viewer.force_login(cast.viewer)
    assert viewer.post(url, data).status_code == 403
    bad = editor.post(url, {**data, "shots-1-lens_mm": "2"})
    assert bad.status_code == 400 and "greater than or equal to 8" in bad.content.decode()
    assert Shot.objects.filter(scene=scene).count() == len(before)  # nothing saved
    assert editor.post(url, data).status_code == 302
    shots = list(Shot.objects.filter(scene=scene).order_by("position"))
    assert [(s.shot_type, s.lens_mm, s.subjects) for s in shots] == [("wide", 18, []), ("close-up", 85, [name])]
    frames = {f.position: f for f in Frame.objects.filter(scene=scene)}
    assert frames[1].shot_type == "close-up" and frames[1].set_spec["shot_type"] == "close-up"
    assert frames[1].needs_render and frames[0].description == "The whole patio from above."
    assert all(frames[p].is_stale for p in frames if p >= 2)  # shots that went away
    # "Re-render stale" renders exactly the changed and stale frames of this scene.
    _, result = run(cast, "render_stale", {"scene": str(scene.public_id), "scale": 25}, storyboarding.render_stale)
    assert str(frames[1].public_id) in result["frames"]
    assert not {str(frames[p].public_id) for p in frames if p >= 2} & set(result["frames"])
    assert all(f.is_stale for f in Frame.objects.filter(scene=scene, position__gte=2))


def test_a_frame_page_links_the_frames_before_and_after_it_in_script_order(cast: Cast) -> None:
    load_script(cast)
    first, second = list(Scene.objects.filter(project=cast.project).order_by("position"))[:2]
    a = frames_without_rendering(cast, first)
    b = frames_without_rendering(cast, second)
    client = Client()
    client.force_login(cast.viewer)

    def links(frame: Frame) -> tuple[str | None, str | None]:
        url = reverse("projects:frame", kwargs={"project_id": cast.project.public_id, "frame_id": frame.public_id})
        html = client.get(url).content.decode()
        found = [
            re.search(rf'href="[^"]*/frames/([0-9a-f-]+)/" id="frame-{which}"', html) for which in ("previous", "next")
        ]
        return tuple(m[1] if m else None for m in found)  # type: ignore[return-value]

    assert links(a[0]) == (None, str(a[1].public_id))
    # The last shot of a scene leads to the first of the next one, and back.
    assert links(a[-1]) == (str(a[-2].public_id), str(b[0].public_id))
    assert links(b[0])[0] == str(a[-1].public_id)


def test_every_frame_of_a_scene_is_shot_in_the_same_set(cast: Cast) -> None:
    load_script(cast)
    first, second = list(Scene.objects.filter(project=cast.project).order_by("position"))[:2]
    frames = frames_without_rendering(cast, first)
    assert len(frames) >= 3
    for key in ("location_type", "dimensions", "windows"):
        assert len({json.dumps(f.set_spec[key]) for f in frames}) == 1, key
    assert len({json.dumps(f.set_spec["lights"]["sun"]) for f in frames}) == 1
    assert len({json.dumps(f.set_spec["camera"]) for f in frames}) > 1  # the cameras move (same setups repeat)
    other = frames_without_rendering(cast, second)[0]
    same_kind = other.set_spec["location_type"] == frames[0].set_spec["location_type"]
    assert (
        not same_kind
        or other.set_spec["dimensions"] != frames[0].set_spec["dimensions"]
        or (other.set_spec["lights"]["sun"] != frames[0].set_spec["lights"]["sun"])
    )


def test_two_people_keep_their_sides_from_shot_to_shot(cast: Cast) -> None:
    load_script(cast)
    scene = next(s for s in Scene.objects.filter(project=cast.project).order_by("position") if len(s.characters) >= 2)
    text = script_services.screenplay_for(cast.project).text
    a, b = scene.characters[:2]

    def figures(subjects: list[str]) -> dict[str, list[float]]:
        shot = {"position": 0, "shot_type": "wide", "camera_angle": "eye level", "lens_mm": 24, "subjects": subjects}
        spec = sets.derive_spec(cast.project, scene, shot, text)
        return {f["name"]: f["position"] for f in spec["characters"]}

    assert figures([a, b]) == figures([b, a])
