"""A 5 MB script with 223k scene headings, imported through the script page: how long the web
request takes, how long the import takes in all (on the worker where it goes there), the longest
transaction another user's write had to wait for meanwhile, peak memory, and the script page's
size and queries afterwards.

A throwaway var/ folder (SQLite, embedded Redis): the import is posted with Django's test client,
and a job it starts is run in this process as a worker would run it. Meanwhile a second process,
standing in for another user on the web server, renames the project every 50 ms and records how
long each write waited (SQLite's busy timeout is 30 s: a wait that long ends in "database is
locked"). The same script runs on an older checkout for the "before" column.

    .venv/bin/python bench/big_script.py [--headings 223000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024


def big_script(headings: int) -> str:
    """A heading (each a new place) and a line of action, over and over: 223,000 of them are 5 MB."""
    return "".join(f"INT. R{n} - DAY\n\nA.\n\n" for n in range(headings))


class PeakRss:
    """This process's peak resident set while a block runs, as growth over its start (sampled every 5 ms)."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = 0
        self.stop = threading.Event()

    def __enter__(self) -> PeakRss:
        self.start = self.process.memory_info().rss
        self.peak = self.start
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while not self.stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.start) / MiB


def _setup(var: Path) -> None:
    os.environ["FILMSTUDIO_VAR_DIR"] = str(var)
    os.environ["DEBUG"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ["REDIS_URL"] = f"unix://{var / 'redis' / 'redis.sock'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "filmstudio.settings"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def other_writer(var: Path, project_pk: int, stop: Any, results: Any) -> None:
    """Another user, in a process of its own (as the web server is): renames the project every 50 ms
    and reports how long each write waited, and the errors."""
    _setup(var)
    from django.db import OperationalError

    from projects.models import Project

    waits: list[float] = []
    errors: list[str] = []
    n = 0
    while not stop.wait(0.05):
        n += 1
        start = time.perf_counter()
        try:
            Project.objects.filter(pk=project_pk).update(title=f"Big script, take {n}")
        except OperationalError as exc:
            errors.append(str(exc))
        waits.append(time.perf_counter() - start)
    results.put((waits, errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--headings", type=int, default=223_000)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="fs-bench-"))
    _setup(var)
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from filmstudio import embedded_redis
    from generation.models import GenerationJob
    from generation.tasks import run_job
    from projects import fountain
    from projects.models import Location, Scene
    from projects.teams.services import project_create

    redis_proc = embedded_redis.ensure_running(settings.REDIS_URL, persistent=False)
    try:
        call_command("migrate", verbosity=0)
        from django.contrib.auth.models import User

        owner = User.objects.create_user("olivia", password="x" * 12)
        project = project_create(user=owner, title="Big script", logline="A very long night.")
        text = big_script(args.headings).encode()
        print(f"{args.headings:,} headings, {len(text) / MiB:.2f} MiB (the import limit is 5 MiB)")
        if len(text) > fountain.MAX_IMPORT_BYTES:
            raise SystemExit("over the import limit: ask for fewer headings")
        client = Client(HTTP_HOST="localhost")
        client.force_login(owner)
        ids = {"project_id": project.public_id}
        spawn = multiprocessing.get_context("spawn")
        stop, results = spawn.Event(), spawn.Queue()
        other = spawn.Process(target=other_writer, args=(var, project.pk, stop, results))
        other.start()
        time.sleep(3)  # its Django is up
        with PeakRss() as memory:
            start = time.perf_counter()
            response = client.post(
                reverse("projects:script-import", kwargs=ids), {"file": SimpleUploadedFile("big.fountain", text)}
            )
            assert response.status_code == 302, response
            request_s = time.perf_counter() - start
            job = GenerationJob.objects.filter(kind="import_script").first()
            if job is not None:  # imported by a worker: run it as one would
                run_job.apply(args=(str(job.public_id),))
            total_s = time.perf_counter() - start
        stop.set()
        waits, errors = results.get(timeout=60)
        other.join(30)
        job_status = "" if job is None else GenerationJob.objects.get(pk=job.pk).status
        scenes = Scene.objects.filter(project=project).count()
        locations = Location.objects.filter(project=project).count()
        client.get(reverse("projects:script", kwargs=ids))  # warm
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("projects:script", kwargs=ids)).content
        waits = sorted(waits) or [0.0]
        rows = [
            ("web request (the import's POST)", f"{request_s:.1f} s"),
            ("import in all (request + worker)", f"{total_s:.1f} s" + (f", job {job_status}" if job else ", no job")),
            ("scenes / locations written", f"{scenes:,} / {locations:,}"),
            ("peak memory growth (this process)", f"{memory.growth_mib:.0f} MiB"),
            ("other user's writes meanwhile", f"{len(waits)}, {len(errors)} failed"),
            ("  longest wait / 99th percentile", f"{waits[-1]:.2f} s / {waits[int(len(waits) * 0.99)]:.3f} s"),
            ("script page", f"{len(page) / 1024:.0f} KiB, {len(queries.captured_queries)} queries"),
        ]
        for name, value in rows:
            print(f"{name:36} {value}")
        if errors:
            print(f"first error: {errors[0]}")
    finally:
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
