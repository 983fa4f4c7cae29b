"""Job runners for the text model: they connect the pure engines to the shared script.

These run inside the worker's task (the glue layer): they read the model registry, load the
model once per process, and write every accepted block into the CRDT document through the script
services, so it merges with whatever people type meanwhile.
"""

from __future__ import annotations

from typing import Any

from generation import kinds, registry
from generation.engines import breakdown_writing, screenplay
from generation.engines.base import JobCancelled, JobContext, JobFailed
from generation.engines.text import Sampling, load_backend
from generation.kinds import JobKind
from generation.models import ModelKind
from projects import fountain
from projects.fountain.names import fit_name
from projects.jobs.selectors import job_scope
from projects.models import CHARACTER_NAME_LENGTH
from projects.script import crdt, drafting, forms, selectors
from projects.script import imports as script_imports
from projects.script import services as script_services


def write_screenplay(params: forms.WriteScreenplay, ctx: JobContext) -> dict[str, Any]:
    """Logline -> outline -> scenes, each accepted block inserted into the shared script."""
    scope = job_scope(job_id=ctx.job_id)
    project = scope.project
    entry = registry.model_get(kind=ModelKind.TEXT, public_id=params.model)
    ctx.on_progress(0, 100, f"Loading {entry.name}")
    backend = load_backend(registry.text_spec(entry))
    sampling = Sampling(seed=params.seed, temperature=params.temperature)
    run = script_services.JobRun(job_id=ctx.job_id, attempt=ctx.attempt)
    written = drafting.write_screenplay_into(
        drafting.ProjectSink(project, run),
        backend,
        logline=params.logline,
        scenes=params.scenes,
        rounds=params.rounds,
        sampling=sampling,
        on_progress=lambda fraction, message: ctx.on_progress(fraction, 1.0, message),
        cancelled=ctx.cancelled,
    )
    beats = written.beats
    provenance = {
        "model": entry.name,
        "model_source": entry.source,
        "license": entry.license,
        "seed": sampling.seed,
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "repetition_penalty": sampling.repetition_penalty,
        "no_repeat_ngram_size": sampling.no_repeat_ngram_size,
        "rounds": params.rounds,
        "prompt_version": screenplay.PROMPT_VERSION,
        "outline": written.outline_mode,
    }
    revision = script_services.generation_finish(
        project=project,
        requested_by=scope.requested_by,
        note=f"Generated {len(beats)} scene(s) with {entry.name}, seed {sampling.seed} (job {ctx.job_id})",
    )
    return {
        "summary": [
            ["Model", entry.name],
            ["Seed", str(sampling.seed)],
            ["Scenes", ", ".join(b.heading for b in beats)],
            ["Characters", ", ".join(written.characters)],
            ["Outline", OUTLINE_MODES.get(written.outline_mode, written.outline_mode)],
            ["Revision", str(revision.number)],
            ["Prompt version", screenplay.PROMPT_VERSION],
        ],
        "provenance": provenance,
        "outline": drafting.outline_record(beats),
        "scenes": [scene.text() for scene in written.scenes],
        "resampled": written.rejected,
    }


OUTLINE_MODES = {
    "code": "written by code from the logline",
    "json-schema": "summaries asked of the model as JSON with a schema",
}


def _provenance(entry: Any, sampling: Sampling) -> dict[str, Any]:
    return {
        "model": entry.name,
        "model_source": entry.source,
        "license": entry.license,
        "seed": sampling.seed,
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "repetition_penalty": sampling.repetition_penalty,
        "prompt_version": screenplay.PROMPT_VERSION,
    }


def character_bios(params: forms.CharacterBios, ctx: JobContext) -> dict[str, Any]:
    """Bios for the script's characters from their own lines; stored on each character."""
    project = job_scope(job_id=ctx.job_id).project
    entry = registry.model_get(kind=ModelKind.TEXT, public_id=params.model)
    ctx.on_progress(0, 1, f"Loading {entry.name}")
    backend = load_backend(registry.text_spec(entry))
    characters = selectors.characters_for_bios(project=project, names=params.characters)
    if not characters:
        raise JobFailed("No characters with dialogue in the script yet: write or import a script first.")
    script = fountain.parse(script_services.screenplay_for(project).text)
    people = [breakdown_writing.Person(c.name, *_lines_and_scenes(script, c.name)) for c in characters]
    sampling = Sampling(seed=params.seed, temperature=0.7)
    progress = screenplay.Progress(step=lambda f, m: ctx.on_progress(f, 1.0, m), should_stop=ctx.cancelled)
    bios = breakdown_writing.write_bios(backend, people, sampling, progress)
    provenance = _provenance(entry, sampling)
    summary = []
    for person, bio in zip(people, bios, strict=True):
        saved = script_services.character_bio_save(project=project, name=person.name, bio=bio, provenance=provenance)
        note = f" (suggested beside your text: {', '.join(saved['suggested'])})" if saved["suggested"] else ""
        summary.append([person.name, bio.get("look", "—") + note])
    return {
        "summary": summary,
        "bios": {p.name: bio for p, bio in zip(people, bios, strict=True)},
        "provenance": provenance,
    }


def _lines_and_scenes(script: Any, name: str) -> tuple[list[str], list[str]]:
    lines, scenes, speaker, heading = [], [], "", ""
    for element in script.elements:
        if element.kind == "scene_heading":
            heading = element.text
        elif element.kind == "character":
            speaker = fit_name(fountain.cue_name(element.text)[0], CHARACTER_NAME_LENGTH)  # as the cast stores it
            if speaker == name and heading and heading not in scenes:
                scenes.append(heading)
        elif element.kind == "dialogue" and speaker == name:
            lines.append(fountain.strip_markup(element.text).replace("\n", " "))
        elif element.kind != "parenthetical":
            speaker = ""
    return lines, scenes


def shot_list(params: forms.ShotList, ctx: JobContext) -> dict[str, Any]:
    """A shot list for one scene: structure from the script, descriptions from the model."""
    project = job_scope(job_id=ctx.job_id).project
    scene = selectors.scene_at(project=project, position=params.scene)
    if scene is None:
        raise JobFailed(f"The script has no scene {params.scene}.")
    entry = registry.model_get(kind=ModelKind.TEXT, public_id=params.model)
    ctx.on_progress(0, 1, f"Loading {entry.name}")
    backend = load_backend(registry.text_spec(entry))
    text = script_services.screenplay_for(project).text
    lines = text.split("\n")
    scene_text = "\n".join(lines[scene.start_line - 1 : scene.end_line])
    parsed = fountain.parse(scene_text)
    offset = scene.start_line - 1
    elements = [(e.kind, e.text, e.start_line + offset, e.end_line + offset) for e in parsed.elements]
    plans = breakdown_writing.plan_shots(elements, list(scene.characters))
    sampling = Sampling(seed=params.seed, temperature=0.7)
    progress = screenplay.Progress(step=lambda f, m: ctx.on_progress(f, 1.0, m), should_stop=ctx.cancelled)
    plans = breakdown_writing.describe_shots(backend, scene_text, plans, sampling, progress)
    written_by = {p.written_by for p in plans}
    how = next((w for w in ("json-schema", "staged") if w in written_by), "script")
    provenance = {**_provenance(entry, sampling), "shots_written": how}
    shots = [
        {
            "shot_type": p.shot_type,
            "camera_angle": p.camera_angle,
            "lens_mm": p.lens_mm,
            "subjects": p.subjects,
            "description": p.description,
            "start_line": p.start_line,
            "end_line": p.end_line,
            "provenance": provenance,
        }
        for p in plans
    ]
    script_services.shot_list_replace(scene_id=scene.pk, shots=shots)
    return {
        "summary": [[f"{i + 1}. {p.shot_type} {p.lens_mm}mm", p.description] for i, p in enumerate(plans)],
        "scene": scene.heading,
        "provenance": provenance,
    }


def _scene_people(text: str) -> list[str]:
    names: list[str] = []
    for element in fountain.parse(text).elements:
        if element.kind == "character":
            name = fountain.cue_name(element.text)[0]
            if name not in names:
                names.append(name)
    return names


def continue_script(params: forms.ContinueScript, ctx: JobContext) -> dict[str, Any]:
    """Write on from the cursor: action and speeches in the current scene, inserted at the cursor."""
    project = job_scope(job_id=ctx.job_id).project
    entry = registry.model_get(kind=ModelKind.TEXT, public_id=params.model)
    ctx.on_progress(0, 1, f"Loading {entry.name}")
    backend = load_backend(registry.text_spec(entry))
    run = script_services.JobRun(job_id=ctx.job_id, attempt=ctx.attempt)
    earlier = script_services.generation_checkpoint(run=run)
    if earlier.get("anchor"):
        # An earlier run already wrote here: the cursor's offset now points into its text, so go on
        # at its anchor, in its context, after its blocks.
        anchor = script_services.decode_anchor(earlier["anchor"])
        context, people = earlier["context"], list(earlier["people"])
    else:
        anchor = script_services.generation_anchor(project=project, utf16_offset=params.cursor)
        before = crdt.text_of(script_services.script_doc(project))
        cut = crdt.utf16_to_index(before, params.cursor)
        context = before[:cut].rstrip()[-1500:] or before[-1500:]
        people = _scene_people(context[-800:]) or _scene_people(context) or ["SOMEONE"]
    done = {(scene, number): block for scene, number, block in earlier.get("written", [])}
    sampling = Sampling(seed=params.seed, temperature=0.7)
    added: list[str] = [block for _, _, block in earlier.get("written", [])]
    where = {"anchor": script_services.encode_anchor(anchor), "context": context, "people": people}

    def accepted(scene: int, number: int, block: str) -> None:
        added.append(block)
        script_services.generation_insert(
            project=project, anchor=anchor, block=block, run=run, key=[scene, number], record=where
        )

    progress = screenplay.Progress(
        step=lambda f, m: ctx.on_progress(f, 1.0, m), accepted=accepted, should_stop=ctx.cancelled
    )
    beat = screenplay.Beat(heading=context, summary="what happens next")
    rounds = ("action", "line", "line", "action", "line", "line", "action", "line")[: params.rounds]
    screenplay.write_scenes(backend, context[:200], [beat], people[:3], sampling, progress, rounds=rounds, done=done)
    return {
        "summary": [["Model", entry.name], ["Seed", str(sampling.seed)], ["Blocks added", str(len(added))]],
        "added": added,
        "provenance": _provenance(entry, sampling),
    }


def rewrite_scene(params: forms.RewriteScene, ctx: JobContext) -> dict[str, Any]:
    """A new version of one scene. It replaces the scene if nobody edited the scene meanwhile;
    otherwise it goes in right after it, so no one's edits are lost."""
    project = job_scope(job_id=ctx.job_id).project
    run = script_services.JobRun(job_id=ctx.job_id, attempt=ctx.attempt)
    earlier = script_services.generation_checkpoint(run=run)
    if "placed" in earlier:
        return earlier["result"]  # an earlier run wrote the new version; its worker died before it said so
    scene = selectors.scene_at(project=project, position=params.scene)
    if scene is None:
        raise JobFailed(f"The script has no scene {params.scene}.")
    entry = registry.model_get(kind=ModelKind.TEXT, public_id=params.model)
    ctx.on_progress(0, 1, f"Loading {entry.name}")
    backend = load_backend(registry.text_spec(entry))
    start = script_services.generation_anchor(project=project, line=scene.start_line)
    end = script_services.generation_anchor(project=project, line=scene.end_line + 1)
    original = script_services.generation_range_text(project=project, start=start, end=end)
    people = list(scene.characters) or _scene_people(original) or ["SOMEONE"]
    sampling = Sampling(seed=params.seed, temperature=0.7)
    beat = screenplay.Beat(heading=scene.heading, summary=f"{params.instruction}. Original: {original[:600]}")
    progress = screenplay.Progress(step=lambda f, m: ctx.on_progress(f, 1.0, m), should_stop=ctx.cancelled)
    rounds = ("action", "line", "line", "action", "line", "line", "action", "line")[: params.rounds]
    written = screenplay.write_scenes(
        backend, params.instruction, [beat], people[:3], sampling, progress, rounds=rounds
    )[0].text()
    current = script_services.generation_range_text(project=project, start=start, end=end)
    placed = "replaced the scene" if current == original else "added after the scene (it was edited meanwhile)"
    result = {
        "summary": [["Model", entry.name], ["Seed", str(sampling.seed)], ["Result", placed]],
        "text": written,
        "placed": placed,
        "provenance": _provenance(entry, sampling),
    }
    record = {"placed": placed, "result": result}
    if current == original:
        script_services.generation_replace(
            project=project, start=start, end=end, new=written + "\n", run=run, record=record
        )
    else:
        note = f"[[Rewrite of scene {params.scene} ({params.instruction}): the scene changed meanwhile.]]"
        script_services.generation_insert(
            project=project, anchor=end, block=f"{note}\n\n{written.rstrip()}", run=run, record=record
        )
    return result


def import_script(params: forms.ImportScript, ctx: JobContext) -> dict[str, Any]:
    """A big screenplay file, imported on the worker: read, put into the shared script as one edit
    and a revision, then broken down in short batches (other people's writes get in between)."""
    scope = job_scope(job_id=ctx.job_id)
    project = scope.project
    run = script_services.JobRun(job_id=ctx.job_id, attempt=ctx.attempt)
    earlier = script_services.generation_checkpoint(run=run)
    if "revision" in earlier:
        # An earlier run put the text in (its worker died during the breakdown): finish the breakdown.
        revision = int(earlier["revision"])
    else:
        ctx.on_progress(0, 1, f"Reading {params.filename}")
        data = selectors.script_upload_read(project=project, upload=params.upload)
        if data is None:
            raise JobFailed(f"The uploaded file “{params.filename}” is gone; import it again.")
        try:
            text = fountain.import_screenplay(data, params.filename)
            del data
            ctx.on_progress(0.05, 1, "Putting the text into the script")
        except fountain.ScreenplayImportError as exc:
            script_imports.script_upload_delete(project=project, upload=params.upload)
            raise JobFailed(f"Nothing was imported: {exc}") from exc
        except JobCancelled:
            script_imports.script_upload_delete(project=project, upload=params.upload)
            raise
        revision = script_services.script_import_text(
            project=project, author=scope.requested_by, text=text, filename=params.filename, run=run
        ).number
        del text

    def on_batch(done: int, total: int) -> None:
        # Progress only: once the text is in, its breakdown is finished even if the job is cancelled.
        ctx.report(0.1 + 0.9 * done / max(total, 1), 1.0, f"Breaking down the script: {done:,} of {total:,} rows", None)

    ctx.report(0.1, 1.0, "Breaking down the script", None)
    script_services.script_breakdown_settle(project=project, revision=revision, on_batch=on_batch)
    script_imports.script_upload_delete(project=project, upload=params.upload)
    counts = selectors.breakdown_counts(project=project)
    return {
        "summary": [
            ["File", params.filename],
            ["Revision", str(revision)],
            ["Scenes", f"{counts['scenes']:,}"],
            ["Characters", f"{counts['characters']:,}"],
            ["Locations", f"{counts['locations']:,}"],
        ],
        "revision": revision,
        **counts,
    }


kinds.register(
    JobKind(
        name="write_screenplay",
        label="Write screenplay",
        description="From a logline: an outline of scenes, then each scene written into the shared script.",
        params_form=forms.WriteScreenplayParams,
        runner=write_screenplay,
    ),
    JobKind(
        name="continue_script",
        label="Continue from cursor",
        description="Writes on from where your cursor is in the script, in the voice of the scene.",
        params_form=forms.ContinueScriptParams,
        runner=continue_script,
    ),
    JobKind(
        name="rewrite_scene",
        label="Rewrite scene",
        description="Writes a new version of one scene following your instruction.",
        params_form=forms.RewriteSceneParams,
        runner=rewrite_scene,
    ),
    JobKind(
        name="character_bios",
        label="Character bios",
        description="Look, personality, wants and needs, key actions: drawn from each character's lines.",
        params_form=forms.CharacterBiosParams,
        runner=character_bios,
    ),
    JobKind(
        name="shot_list",
        label="Shot list",
        description="A scene's shots: type, camera and lens, who is in them and what happens.",
        params_form=forms.ShotListParams,
        runner=shot_list,
    ),
    JobKind(
        name="import_script",
        label="Import script",
        description="Reads a big screenplay file into the script and breaks it down, on a worker.",
        params_form=forms.ImportScriptParams,
        runner=import_script,
        on_studio_form=False,  # started by the script page's import, which stores the file first
        queue="default",  # no model: the light worker's CPU work, like settling the script
    ),
)
