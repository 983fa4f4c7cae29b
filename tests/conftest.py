"""The cast (owner, editor, viewer, stranger), the screenplay fixtures, real Redis, real worker and server
processes, and headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection

from filmstudio import embedded_redis
from filmstudio.workers import worker_argv
from projects.models import Project, Role
from projects.teams.services import project_create
from tests.factories import MembershipFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
LOG_DIR = BASE_DIR / "var" / "test-logs"
# CI clones the project with shared/ beside it: <checkout>/../shared/fixtures/screenplays.
SCREENPLAYS = BASE_DIR.parent / "shared" / "fixtures" / "screenplays"


def screenplay(name: str) -> Path:
    """The path of a screenplay fixture (e.g. "Big-Fish.fountain"); the calling test is skipped when it is missing."""
    path = SCREENPLAYS / name
    if not path.is_file():
        pytest.skip(f"screenplay fixture {path} is missing")
    return path


@pytest.fixture(scope="session", autouse=True)
def real_redis() -> Iterator[str]:
    """The test Redis: embedded (started here) unless REDIS_URL points at a server. Emptied first."""
    proc = embedded_redis.ensure_running(settings.REDIS_URL, persistent=False)
    client = redis.Redis.from_url(embedded_redis.client_url(settings.REDIS_URL))
    client.flushdb()
    yield settings.REDIS_URL
    client.close()
    if proc is not None:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    settings.SECURE_SSL_REDIRECT = False
    settings.FILMSTUDIO_TEST_JOB_KINDS = True
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fast hashes for the suite; PBKDF2 stays available for users that server processes log in.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@dataclass
class Cast:
    project: Project
    owner: Any
    editor: Any
    viewer: Any
    stranger: Any

    def user(self, role: str) -> Any:
        return getattr(self, role)


def make_cast() -> Cast:
    owner = UserFactory.create(username="olivia")
    project = project_create(user=owner, title="Big Fish", logline="A son learns his father's tall tales.")
    editor = MembershipFactory.create(project=project, user=UserFactory.create(username="eddie"), role=Role.EDITOR).user
    viewer = MembershipFactory.create(project=project, user=UserFactory.create(username="vera"), role=Role.VIEWER).user
    stranger = UserFactory.create(username="stan")
    return Cast(project=project, owner=owner, editor=editor, viewer=viewer, stranger=stranger)


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


# --- real processes -------------------------------------------------------------------------


def database_url_for_children() -> str:
    """A DATABASE_URL naming the test database, for worker and server processes."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class Proc:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{name}-{os.getpid()}-{time.monotonic_ns()}.log"
        self.log = open(self.log_path, "wb")
        self.popen = subprocess.Popen(
            argv, env=env, cwd=BASE_DIR, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        # The whole group at once: a test needs no goodbye (a worker's warm shutdown takes about 2 s), and a
        # message a killed worker had not acked stays in Redis until the visibility timeout (hours).
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=10)
        self.log.close()


def start_worker(*, beat: bool = False, **extra_env: str) -> Proc:
    argv = worker_argv(
        hostname=f"test{time.monotonic_ns()}@%h",
        beat=beat,
        beat_schedule=str(LOG_DIR / f"beat-{time.monotonic_ns()}"),
        alone=True,
    )
    proc = Proc("worker", argv, child_env(**extra_env))
    try:
        wait_for(lambda: "ready." in proc.output() or proc.popen.poll() is not None, timeout=60, what="worker ready")
    except AssertionError:
        proc.stop()
        raise
    if proc.popen.poll() is not None:
        raise AssertionError(f"worker exited:\n{proc.output()[-3000:]}")
    return proc


@pytest.fixture
def worker(transactional_db: None) -> Iterator[Proc]:
    """A real Celery worker process on the real Redis and the test database."""
    proc = start_worker()
    yield proc
    proc.stop()


@dataclass
class Server:
    proc: Proc
    url: str
    ws_url: str


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[Server]:
    """The real ASGI app served by daphne on a free port."""
    port = free_port()
    proc = Proc(
        "daphne",
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "filmstudio.asgi:application"],
        child_env(),
    )

    def up() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return proc.popen.poll() is not None

    wait_for(up, timeout=60, what="daphne listening")
    if proc.popen.poll() is not None:
        raise AssertionError(f"daphne exited:\n{proc.output()[-3000:]}")
    server = Server(proc=proc, url=f"http://127.0.0.1:{port}", ws_url=f"ws://127.0.0.1:{port}")
    yield server
    server.proc.stop()  # a test may have restarted it


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium (Debian's), one per test module."""
    from tests.browsers import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses ORM
    # calls next to a running loop unless told that this test thread is fine.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`), the heavy tests (Blender, MP4s, the text model) run one after
    another in one process, beside the rest in the other: two of them at once fight for the cores and stretch
    their waits (a text-model test sharing the CPU with another ran past its 300 s wait in a rehearsal)."""
    for item in items:
        if item.get_closest_marker("heavy"):
            item.add_marker(pytest.mark.xdist_group("heavy"))
