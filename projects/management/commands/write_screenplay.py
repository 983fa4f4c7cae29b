# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a screenplay from a logline into a .fountain file: the same script the *Write screenplay*
job writes for the same seed and model (one code path, `projects.script.drafting`)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write a screenplay from a logline into a Fountain file, as the Write screenplay job would."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--logline", required=True, help="One or two sentences: who wants what.")
        parser.add_argument("--scenes", type=int, default=3, help="How many scenes (1-8).")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--model", default="", help="A text model's name in the registry (default: the default).")
        parser.add_argument("--rounds", type=int, help="Action paragraphs and speeches per scene (1-10; default 6).")
        parser.add_argument("--temperature", type=float, help="Sampling temperature (default 0.7).")
        parser.add_argument("--out", required=True, help="The .fountain file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        from generation import registry
        from generation.engines.base import JobFailed
        from generation.engines.text import Sampling, load_backend
        from generation.models import ModelEntry, ModelKind
        from projects.script import drafting
        from projects.script.forms import WriteScreenplayParams

        model = None
        if options["model"]:
            entry = ModelEntry.objects.filter(kind=ModelKind.TEXT, enabled=True, name=options["model"]).first()
            if entry is None:
                names = ", ".join(registry.model_list(kind=ModelKind.TEXT).values_list("name", flat=True))
                raise CommandError(f"No enabled text model named “{options['model']}”. Known: {names or 'none'}.")
            model = str(entry.public_id)
        raw = {"logline": options["logline"], "scenes": options["scenes"], "seed": options["seed"], "model": model}
        raw.update({k: options[k] for k in ("rounds", "temperature") if options[k] is not None})
        form = WriteScreenplayParams(data={k: v for k, v in raw.items() if v is not None})
        if not form.is_valid():
            problems = "; ".join(
                f"{field}: {' '.join(str(e) for e in errors)}" for field, errors in form.errors.items()
            )
            raise CommandError(f"Invalid options ({problems}).")
        params = form.params()
        entry = registry.model_get(kind=ModelKind.TEXT, public_id=params.model)
        self.stderr.write(f"Loading {entry.name}")
        last = [0.0]

        def report(fraction: float, message: str) -> None:
            now = time.monotonic()
            if now - last[0] >= 1.0:
                last[0] = now
                self.stderr.write(f"[{min(fraction, 1.0):4.0%}] {message}")
                sys.stderr.flush()

        sink = drafting.DocSink()
        try:
            backend = load_backend(registry.text_spec(entry))
            written = drafting.write_screenplay_into(
                sink,
                backend,
                logline=params.logline,
                scenes=params.scenes,
                rounds=params.rounds,
                sampling=Sampling(seed=params.seed, temperature=params.temperature),
                on_progress=report,
            )
        except JobFailed as exc:
            raise CommandError(str(exc)) from exc
        out = Path(options["out"]).expanduser()
        temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        temporary.write_text(sink.text(), encoding="utf-8")
        temporary.replace(out)
        self.stdout.write(
            f"Wrote {len(written.beats)} scene(s) to {out} with {entry.name}, seed {params.seed} "
            f"(outline: {written.outline_mode}; characters: {', '.join(written.characters)})"
        )
