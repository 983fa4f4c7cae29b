"""Run the whole studio in one terminal: embedded Redis, a Celery GPU worker and the ASGI server.

The embedded Redis is supervised: if it dies, it is started again on its socket (its append-only
file keeps the queue), and the workers and pages reconnect by themselves. Ctrl-C (or SIGTERM)
stops them all, in order: web and worker first, then Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from filmstudio import embedded_redis
from filmstudio.workers import worker_argv


class Command(BaseCommand):
    help = "Start embedded Redis (unless REDIS_URL is set), a Celery worker and the ASGI server."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Run only Redis and the web server.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.stopping = False
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        redis_proc = None
        try:
            redis_proc = embedded_redis.ensure_running(settings.REDIS_URL, persistent=True)
            where = embedded_redis.socket_path_of(settings.REDIS_URL) or settings.REDIS_URL
            self.stdout.write(f"redis:  {'started' if redis_proc else 'using'} {where}")
            env = {**os.environ, "REDIS_URL": settings.REDIS_URL}
            py = sys.executable
            if not options["no_worker"]:
                # Models and Blender renders (in a warm child of this worker, killed on cancel): one
                # process on the gpu and render queues. Light work (settling script edits, the
                # reaper, beat) gets its own process, so a long render never delays the breakdown.
                gpu = worker_argv(queues=["gpu", "render"], hostname="gpu0@%h")
                light = worker_argv(queues=["default"], hostname="default@%h", beat=True)
                self._spawn("gpu worker", gpu, env)
                self._spawn("worker", light, env)
            self._spawn(
                "web",
                [py, "-m", "daphne", "-b", options["host"], "-p", str(options["port"]), "filmstudio.asgi:application"],
                env,
            )
            self.stdout.write(f"web:    http://{options['host']}:{options['port']}/   (Ctrl-C stops everything)")
            while not self.stopping:
                if redis_proc is not None and redis_proc.poll() is not None:
                    redis_proc = self._restart_redis(redis_proc)
                for name, proc in self.children:
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping the studio.")
                        self.stopping = True
                time.sleep(0.3)
        finally:
            self._stop_children()
            if redis_proc is not None:
                redis_proc.terminate()  # redis-server saves its data on SIGTERM
                try:
                    redis_proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    redis_proc.kill()
            self.stdout.write("studio stopped.")

    def _restart_redis(self, dead: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
        """Start our embedded Redis again (a Redis named by REDIS_URL is not ours to restart)."""
        path = embedded_redis.socket_path_of(settings.REDIS_URL)
        assert path is not None  # we only started one for a unix socket
        self.stderr.write(f"redis exited with {dead.returncode}; starting it again.")
        try:
            proc = embedded_redis.start(path, persistent=True)
        except RuntimeError as exc:
            self.stderr.write(f"redis did not start ({exc}); trying again.")
            time.sleep(1.0)
            return dead
        self.stdout.write(f"redis:  started again on {path}")
        return proc

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        # Own process groups: the terminal's Ctrl-C reaches only us, and we stop children in order.
        proc = subprocess.Popen(argv, env=env, start_new_session=True)
        self.children.append((name, proc))

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.stopping = True

    def _stop_children(self) -> None:
        for _, proc in self.children:
            if proc.poll() is None:
                _killpg(proc, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for name, proc in self.children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in time; killing it.")
                _killpg(proc, signal.SIGKILL)
                proc.wait()
            _killpg(proc, signal.SIGKILL)  # leftovers such as pool children


def _killpg(proc: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
