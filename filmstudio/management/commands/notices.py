# SPDX-License-Identifier: GPL-3.0-or-later
"""Write THIRD_PARTY.md (`make notices`), or with --check fail on an incompatible licence or a stale file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from filmstudio import notices


class Command(BaseCommand):
    help = "Write THIRD_PARTY.md from the installed packages and shipped files; --check only verifies it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if a licence is unknown or incompatible, or THIRD_PARTY.md is out of date.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = settings.BASE_DIR
        if options["check"]:
            found = notices.check(root)
            if found:
                raise CommandError("Licence check failed:\n  " + "\n  ".join(found))
            self.stdout.write(f"Licences fit {notices.licences.STUDIO_LICENCE}; {notices.NOTICES_FILE} is up to date.")
            return
        collected = notices.collect(root)
        (root / notices.NOTICES_FILE).write_text(notices.render_markdown(collected))
        self.stdout.write(f"Wrote {notices.NOTICES_FILE}: {len(collected.python)} Python packages.")
        for problem in collected.problems():
            self.stderr.write(f"  problem: {problem}")
