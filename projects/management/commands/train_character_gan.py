"""Train (or fine-tune) the character GAN on a folder of a studio's own images and register it."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from generation.engines.base import JobContext, JobFailed


class Command(BaseCommand):
    help = "Train or fine-tune the DCGAN face model on your own licensed images, then register the checkpoint."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--images", required=True, help="Folder of images, all the same size, at least 64x64.")
        parser.add_argument("--name", help="Name in the model registry (default: from the folder).")
        parser.add_argument(
            "--license-note", required=True, help="Whose images these are and under what terms they may be used."
        )
        parser.add_argument("--steps", type=int, default=300)
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument("--from-scratch", action="store_true", help="Don't start from the default face model.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--project", help="A project's id: only its team will see the model (default: everyone).")
        parser.add_argument("--out", help="Folder for the checkpoint and progress picture (default: var/models/…).")

    def handle(self, *args: Any, **options: Any) -> None:
        from generation import model_services
        from projects.characters import jobs as designing
        from projects.models import Project

        images = Path(options["images"]).expanduser()
        name = options["name"] or f"Faces from {images.name}"
        project = None
        if options["project"]:
            project = Project.objects.filter(public_id=options["project"]).first()
            if project is None:
                raise CommandError(f"No project with id {options['project']}.")
        if options["steps"] < 1 or options["batch_size"] < 2:
            raise CommandError("--steps must be at least 1 and --batch-size at least 2.")
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = Path(options["out"] or settings.MODEL_CACHE_DIR / "trained" / f"{slugify(name) or 'faces'}-{stamp}")
        last = [0.0]

        def report(done: float, total: float, message: str, preview: str | None) -> None:
            now = time.monotonic()
            if now - last[0] >= 1.0 or done >= total:
                last[0] = now
                self.stdout.write(f"[{done / total:5.0%}] {message}" if total else message)
                sys.stdout.flush()

        ctx = JobContext(output_dir=out, report=report)
        try:
            outcome = designing.run_training(
                folder=images,
                steps=options["steps"],
                batch_size=options["batch_size"],
                start="scratch" if options["from_scratch"] else "default",
                seed=options["seed"],
                ctx=ctx,
            )
        except JobFailed as exc:
            raise CommandError(str(exc)) from exc
        entry = model_services.model_register_trained(
            name=name,
            path=str(out / "generator.pt"),
            sha256=outcome["sha256"],
            license_note=options["license_note"],
            base_licence=outcome["base_licence"],
            source=f"Trained with manage.py train_character_gan on {outcome['images']} image(s) from {images} "
            f"({outcome['steps']} steps, "
            f"{'fine-tuned from the default' if outcome['init'] == 'default' else 'from scratch'}, "
            f"seed {options['seed']})",
            project=project,
        )
        self.stdout.write(
            f"Discriminator loss {outcome['d_first']:.3f} -> {outcome['d_last']:.3f}; "
            f"look distance {outcome['fit_first']:.3f} -> {outcome['fit_last']:.3f}; {outcome['seconds']:.0f} s."
        )
        self.stdout.write(f"Checkpoint: {out / 'generator.pt'} (sha256 {outcome['sha256'][:12]}…)")
        self.stdout.write(self.style.SUCCESS(f"Registered “{entry.name}” ({entry.public_id})."))
