"""Bringing a project to a stage without the UI: a screenplay loaded, frames derived without rendering,
a job run the way the task runs it, a folder of a studio's own art to train on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from django.db.models import F
from django.test import Client
from PIL import Image

from generation import kinds
from generation.engines.base import JobContext, ProgressFn
from generation.models import GenerationJob, JobStatus
from generation.paths import job_output_dir, project_media_root
from projects.jobs import services as job_services
from projects.models import Frame, RevisionSource, Scene, Shot
from projects.script import crdt
from projects.script import services as script_services
from projects.script.services import script_doc, script_update_append
from projects.storyboard import jobs as storyboarding
from projects.storyboard import selectors, sets
from projects.storyboard import services as storyboard_services
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, screenplay


def load_script(cast: Cast, name: str = "Brick-and-Steel.fountain", text: str | None = None) -> str:
    """Replace the project's script with a screenplay fixture (skipping the test if it is missing), or `text`."""
    access = project_access_for_user(user=cast.owner, public_id=cast.project.public_id)
    body = text if text is not None else screenplay(name).read_text()
    script_services.script_replace_text(access=access, text=body, source=RevisionSource.IMPORT, note=name)
    return body


def frames_without_rendering(cast: Cast, scene: Scene) -> list[Frame]:
    """The scene's frames (its shot list planned from the script if it has none), with sets but no pictures."""
    from projects.storyboard import services as storyboard_services

    text = script_services.screenplay_for(cast.project).text
    if not Shot.objects.filter(scene=scene).exists():
        storyboarding._plan_shots(cast.project, scene, text)
    shots = list(Shot.objects.filter(scene=scene).order_by("position"))
    specs = [sets.derive_spec(cast.project, scene, shot, text) for shot in shots]
    return storyboard_services.frames_for_scene(project=cast.project, scene=scene, text=text, specs=specs)


def run_engine(
    cast: Cast, kind: str, params: dict[str, Any], engine: Any, *, report: ProgressFn | None = None
) -> tuple[GenerationJob, dict[str, Any]]:
    """Create the job through the service (validation included), then run its engine as the task does.

    `report` gets the engine's progress, as the task's would."""
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    job = job_services.job_start(access=access, kind=kind, params=params)
    GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    job.refresh_from_db()
    ctx = JobContext(
        output_dir=job_output_dir(cast.project.public_id, job.public_id),
        project_id=str(cast.project.public_id),
        job_id=str(job.public_id),
    )
    if report is not None:
        ctx.report = report
    result = engine(kinds.get_kind(job.kind).params_from_row(job.params), ctx)
    # As the task does once the engine returns: the job is finished history from here on.
    GenerationJob.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, result=result, progress=1.0)
    return job, result


def make_art(folder: Path, count: int = 16, size: int = 72, *, seed: int = 0) -> Path:
    """A tiny set of a studio's 'own art': flat cartoon faces, drawn here."""
    from PIL import ImageDraw

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        picture = Image.new("RGB", (size, size), (int(rng.integers(150, 255)), 200, 230))
        draw = ImageDraw.Draw(picture)
        skin = tuple(int(v) for v in rng.integers(90, 250, size=3))
        s = size / 96
        draw.ellipse((18 * s, 14 * s, 78 * s, 86 * s), fill=skin)
        draw.ellipse((34 * s, 40 * s, 42 * s, 48 * s), fill=(20, 20, 20))
        draw.ellipse((54 * s, 40 * s, 62 * s, 48 * s), fill=(20, 20, 20))
        draw.arc((36 * s, 56 * s, 60 * s, 72 * s), 0, 180, fill=(120, 20, 20), width=3)
        picture.save(folder / f"face{i:02d}.png")
    return folder


# A short film script the animatic tests share: two people, lines, a dissolve between scenes.
FILM = """Title: The Crossing

INT. FERRY HOUSE - NIGHT

Old MARTIN mends a net by the stove. The rain drums on the roof.

MARTIN
The river is too high tonight.

ELSA
Then we cross before it gets higher.

EXT. RIVERBANK - DAWN

Fog on the water. ELSA drags the boat to the edge.

ELSA
Help me push, Dad.

EXT. FAR SHORE - DAY

The boat grinds onto sand. MARTIN steps out, soaked, and laughs.

MARTIN
Your mother would have loved this.
"""


def plan_frames(cast: Cast, scene: Scene, text: str) -> list[Frame]:
    """A scene's frames as a render job makes them (shots planned afresh, sets derived), without the render."""
    storyboarding._plan_shots(cast.project, scene, text)
    specs = [sets.derive_spec(cast.project, scene, shot, text) for shot in selectors.scene_shots(scene=scene)]
    return storyboard_services.frames_for_scene(project=cast.project, scene=scene, text=text, specs=specs)


def scenes(cast: Cast) -> list[Scene]:
    return list(Scene.objects.filter(project=cast.project).order_by("position"))


# Where Brick-and-Steel's scenes are shot: the set type of each scene's wide.
BRICK_PLACES = {
    "EXT. BRICK'S PATIO - DAY": "house_exterior",
    "INT. TRAILER HOME - DAY": "living_room",
    "EXT. BRICK'S POOL - DAY": "pool",
    "SNIPER SCOPE POV": "pool",  # no place: shot in the pool scene's set
    "OPENING TITLES": "pool",
    "EXT. WOODEN SHACK - DAY": "house_exterior",
    "INT. GARAGE - DAY": "garage",
    "EXT. PALATIAL MANSION - DAY": "house_exterior",
}


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


def type_into(cast: Cast, text: str, *, at: int | None = None, author=None) -> None:  # type: ignore[no-untyped-def]
    """Edit the script the way a browser does: a CRDT update appended to the log."""
    doc = script_doc(cast.project)
    index = len(crdt.text_of(doc)) if at is None else at
    script_update_append(
        project=cast.project, author_id=(author or cast.editor).pk, update=crdt.insert(doc, index, text)
    )


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client
