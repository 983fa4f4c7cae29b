"""Start a throwaway studio for a benchmark: its own var/ folder, Redis, worker and ASGI server."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Stack:
    """Embedded Redis (unless REDIS_URL is set), SQLite (unless DATABASE_URL is set), worker (optional), daphne."""

    def __init__(self, *, worker: bool = True) -> None:
        self.var = Path(tempfile.mkdtemp(prefix="fs-bench-"))
        os.environ.setdefault("DEBUG", "1")
        os.environ["FILMSTUDIO_VAR_DIR"] = str(self.var)
        os.environ["FILMSTUDIO_TEST_JOB_KINDS"] = "1"
        os.environ.setdefault("REDIS_URL", f"unix://{self.var / 'redis' / 'redis.sock'}")
        os.environ["CELERY_BEAT_SCHEDULE_FILENAME"] = str(self.var / "beat")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstudio.settings")
        sys.path.insert(0, str(BASE_DIR))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from filmstudio import embedded_redis
        from filmstudio.workers import worker_argv

        self.redis = embedded_redis.ensure_running(settings.REDIS_URL, persistent=False)
        call_command("migrate", verbosity=0)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen[bytes]] = []
        py = sys.executable
        self.worker_log = self.var / "worker.log"
        if worker:
            self._spawn(worker_argv(alone=True), self.worker_log)
        self._spawn(
            [py, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "filmstudio.asgi:application"],
            self.var / "daphne.log",
        )
        self.web = self.procs[-1]
        if worker:
            self._wait(lambda: "ready." in self.worker_log.read_text(errors="replace"), "worker")
        self._wait(self._listening, "daphne")

    def _spawn(self, argv: list[str], log: Path) -> None:
        handle = open(log, "wb")
        self.procs.append(
            subprocess.Popen(argv, cwd=BASE_DIR, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        )

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def _wait(self, ready: object, what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready():  # type: ignore[operator]
                return
            time.sleep(0.1)
        raise SystemExit(f"{what} did not start; logs in {self.var}")

    def stop(self) -> None:
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        shutil.rmtree(self.var, ignore_errors=True)
