"""Create (once) a demo account and project, make its film with the real pipeline, and print how to log in.

The first run writes the demo's screenplay into the project, draws faces for its characters and chooses
one each, renders a draft storyboard and the animatic (voices, music, camera moves), each step a real job
run in this process the way the worker runs it, with its progress printed. Later runs find each step done
and skip it. `--no-film` makes only the account and the project (a logline, as before).
"""

from __future__ import annotations

import secrets
import socket
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from filmstudio import embedded_redis
from generation import kinds, registry
from generation import services as machine
from generation.engines.base import JobCancelled, JobContext, JobFailed
from generation.models import GenerationJob, JobStatus, ModelEntry
from generation.paths import job_output_dir
from projects.jobs import services as job_services
from projects.models import Animatic, Character, Frame, Portrait, Project, RevisionSource
from projects.script import services as script_services
from projects.teams.selectors import ProjectAccess, project_access_for_user
from projects.teams.services import project_create

TITLE = "Demo film"
LOGLINE = "A projectionist discovers the last reel of a lost film is still being shot."
# Written for this project; released with it (CC0-1.0: use it for anything).
SCREENPLAY = """Title: The Last Reel
Credit: A filmstudio demo (CC0)

INT. PROJECTION BOOTH - NIGHT

A narrow booth. Dust in the beam. IDA, a projectionist in her sixties, threads an old reel by hand.

IDA
Twelve reels, and the twelfth was never found. Until tonight.

NOAH, her young apprentice, leans in the doorway with two cups of tea.

NOAH
It is still warm. Film that old should be cold.

EXT. STUDIO BACKLOT - NIGHT

Rain. A painted street with no one on it. A camera stands alone under a lamp, its light still on.

NOAH
Somebody is still shooting this.

IDA
Then we find the director before the reel runs out. Run!

INT. EMPTY SOUND STAGE - DAWN

Grey light through a high window. An empty chair with a name on it: IDA. She sits, and smiles.

IDA
I remember this chair. I was the one behind the camera.

NOAH
Then finish it. We are rolling.
"""
DRAFT_SCALE = 100  # full size: room for the animatic's camera moves; a draft (Workbench) renders in minutes


class Command(BaseCommand):
    help = "Create a demo account and project, make its film with the real pipeline (once), print the login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-film", action="store_true", help="Only the account and an empty project.")
        parser.add_argument(
            "--scale", type=int, default=DRAFT_SCALE, help="The storyboard's size, in percent of the frame size."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        creds = settings.VAR_DIR / "demo_credentials"
        with transaction.atomic():
            user = User.objects.filter(username="demo").first()
            if user is None or not creds.exists():
                password = secrets.token_urlsafe(9)
                if user is None:
                    user = User.objects.create_user("demo", email="demo@example.com", password=password)
                else:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                creds.parent.mkdir(parents=True, exist_ok=True)
                creds.write_text(password)
                creds.chmod(0o600)
            password = creds.read_text().strip()
            project = Project.objects.filter(memberships__user=user).order_by("created_at").first()
            if project is None:
                project = project_create(user=user, title=TITLE, logline=LOGLINE)
        if not options["no_film"]:
            # Jobs publish their progress through Redis: before `studio` runs (as in `make run`), the embedded
            # one is started for the demo and stopped after it (it saves its data), so `studio` starts it again.
            redis_proc = embedded_redis.ensure_running(settings.REDIS_URL, persistent=True)
            try:
                self.make_film(project_access_for_user(user=user, public_id=project.public_id), scale=options["scale"])
            finally:
                if redis_proc is not None:
                    redis_proc.terminate()
                    redis_proc.wait(timeout=30)
        bar = "=" * 60
        self.stdout.write(
            f"\n{bar}\n filmstudio demo account\n   username: demo\n   password: {password}\n"
            f"   open:     http://127.0.0.1:8000/\n{bar}\n"
        )

    def make_film(self, access: ProjectAccess, *, scale: int = DRAFT_SCALE) -> None:
        """Each stage that is not done yet: the script, a face per character, the storyboard, the animatic."""
        project = access.project
        if not script_services.screenplay_for(project).text.strip():
            self.stdout.write("Demo: writing the screenplay (3 scenes)")
            script_services.script_replace_text(
                access=access, text=SCREENPLAY, source=RevisionSource.IMPORT, note="the demo's screenplay"
            )
        registry.ensure_builtin_models()
        gan = ModelEntry.objects.get(name=registry.BUILTIN_GAN_MODEL["name"], project__isnull=True)
        for character in Character.objects.filter(project=project, identity__isnull=True).order_by("name"):
            self.stdout.write(f"Demo: drawing faces for {character.name}")
            self.run(access, "design_candidates", {"character": str(character.public_id), "model": str(gan.public_id),
                                                  "count": 16, "steer": "no", "seed": 7})  # fmt: skip
            first = Portrait.objects.filter(character=character).order_by("created_at", "id").first()
            if first is not None:
                from projects.characters import services as character_services

                character_services.character_choose_identity(character=character, portrait=first)
        if Frame.objects.filter(project=project, image="").exists() or not Frame.objects.filter(project=project):
            self.stdout.write("Demo: rendering the draft storyboard (every scene)")
            self.run(access, "render_scene", {"mode": "draft", "scale": scale})
        if not Animatic.objects.filter(project=project).exists():
            self.stdout.write("Demo: rendering the animatic (voices, music, camera moves)")
            self.run(access, "render_animatic", {"size": 640})
        self.stdout.write("Demo: the film is ready (Animatic tab)")

    def run(self, access: ProjectAccess, kind: str, params: dict[str, Any]) -> GenerationJob:
        """Start a job and run it here, as the worker would: claimed, its progress recorded and printed.

        A worker that claimed it first runs it instead; then this waits for it.
        """
        job = job_services.job_start(access=access, kind=kind, params=params)
        _, claim, _ = machine.job_claim(public_id=str(job.public_id), worker=f"demo@{socket.gethostname()}")
        if claim is None:
            return self.wait(job)
        shown = [-1]

        def report(done: float, total: float, message: str, preview: str | None) -> None:
            fraction = done / total if total else 0.0
            machine.job_progress(claim=claim, progress=fraction, message=message, preview=preview)
            percent = int(100 * fraction)
            if percent >= shown[0] + 10 or (total and done >= total):
                shown[0] = percent
                self.stdout.write(f"  {percent:3d}%  {message}")

        ctx = JobContext(
            output_dir=job_output_dir(claim.project_public_id, claim.public_id),
            attempt=claim.attempt,
            project_id=claim.project_public_id,
            job_id=claim.public_id,
            report=report,
        )
        spec = kinds.get_kind(kind)
        try:
            result = spec.runner(spec.params_from_row(claim.params), ctx)
        except (JobFailed, JobCancelled) as exc:
            machine.job_fail(claim=claim, error=str(exc) or "cancelled")
            raise CommandError(f"The demo's {kind} job failed: {exc}") from exc
        machine.job_succeed(claim=claim, result=result)
        job.refresh_from_db()
        return job

    def wait(self, job: GenerationJob) -> GenerationJob:
        """A worker took the job: follow its progress until it ends."""
        last = ""
        while True:
            job.refresh_from_db()
            line = f"  {int(100 * job.progress):3d}%  {job.message}"
            if line != last:
                self.stdout.write(line)
                last = line
            if job.status == JobStatus.SUCCEEDED:
                return job
            if job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
                raise CommandError(f"The demo's {job.kind} job did not finish: {job.error or job.status}")
            time.sleep(1.0)
