"""Job runners for the text model: they connect the pure engines to the shared script.

These run inside the worker's task (the glue layer): they read the model registry, load the
model once per process, and write every accepted block into the CRDT document through the script
services, so it merges with whatever people type meanwhile.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from generation import registry
from generation.engines import screenplay
from generation.engines.base import JobContext, JobFailed
from generation.engines.text import Sampling, load_backend
from generation.models import GenerationJob, ModelKind
from projects import script_services
from projects.models import Project


def write_screenplay(params: dict[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Logline -> outline -> scenes, each accepted block inserted into the shared script."""
    project = Project.objects.get(public_id=ctx.project_id)
    job = GenerationJob.objects.select_related("requested_by").get(public_id=ctx.job_id)
    entry = registry.model_get(kind=ModelKind.TEXT, public_id=params.get("model"))
    ctx.on_progress(0, 100, f"Loading {entry.name}")
    backend = load_backend(registry.text_spec(entry))
    sampling = Sampling(seed=int(params["seed"]), temperature=float(params["temperature"]))
    logline = params["logline"]
    count = int(params["scenes"])
    tails = [""] * count
    state: dict[str, Any] = {"fraction": 0.0, "message": "Outlining"}

    def step(fraction: float, message: str) -> None:
        state.update(fraction=fraction, message=message)
        ctx.on_progress(fraction, 1.0, message)

    def tokens(scene: int, text: str) -> None:
        # The words as the model writes them, shown live on the job; the script gets checked blocks.
        tails[scene] = (tails[scene] + text)[-120:]
        ctx.on_progress(state["fraction"], 1.0, f"Scene {scene + 1}: …{tails[scene].strip()[-90:]}")

    anchors: list[bytes] = []

    def accepted(scene: int, block: str) -> None:
        script_services.generation_insert(project=project, anchor=anchors[scene], block=block)

    progress = screenplay.Progress(step=step, tokens=tokens, accepted=accepted, should_stop=ctx.cancelled)
    try:
        beats = screenplay.outline(backend, logline, count, sampling, progress)
        characters = screenplay.cast_names(backend, logline, beats, sampling)
    except ValueError as exc:
        raise JobFailed(
            f"The model did not produce a usable outline ({exc}). Try another seed or a bigger model."
        ) from exc
    anchors.extend(script_services.generation_begin(project=project, headings=[b.heading for b in beats]))
    rounds = ("action", "line", "line", "action", "line", "line", "action", "line", "line", "line")
    scenes = screenplay.write_scenes(
        backend, logline, beats, characters, sampling, progress, rounds=rounds[: int(params["rounds"])]
    )
    provenance = {
        "model": entry.name,
        "model_source": entry.source,
        "license": entry.license,
        "seed": sampling.seed,
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "repetition_penalty": sampling.repetition_penalty,
        "no_repeat_ngram_size": sampling.no_repeat_ngram_size,
        "rounds": int(params["rounds"]),
        "prompt_version": screenplay.PROMPT_VERSION,
    }
    revision = script_services.generation_finish(
        project=project,
        requested_by=job.requested_by if isinstance(job.requested_by, get_user_model()) else None,
        note=f"Generated {count} scene(s) with {entry.name}, seed {sampling.seed} (job {ctx.job_id})",
    )
    return {
        "summary": [
            ["Model", entry.name],
            ["Seed", str(sampling.seed)],
            ["Scenes", ", ".join(b.heading for b in beats)],
            ["Characters", ", ".join(characters)],
            ["Revision", str(revision.number)],
            ["Prompt version", screenplay.PROMPT_VERSION],
        ],
        "provenance": provenance,
        "outline": [{"heading": b.heading, "summary": b.summary} for b in beats],
        "scenes": [scene.text() for scene in scenes],
    }
