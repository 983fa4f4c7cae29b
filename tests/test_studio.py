"""`make run`'s last step, as a new user meets it: one command serves the site, runs jobs, and
Ctrl-C stops Redis, the worker and the web server."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from filmstudio import embedded_redis
from tests.conftest import free_port, wait_for

BASE_DIR = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def run_manage(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class Browser:
    """Just enough of a browser: cookies and CSRF tokens."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()


def test_the_studio_serves_runs_a_job_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL", "MEDIA_ROOT"}}
    env.update(DEBUG="1", FILMSTUDIO_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    run_manage(["migrate", "--noinput", "-v", "0"], env)
    printed = run_manage(["demo", "--scale", "25"], env)  # a quarter-size film: the demo test checks the film
    password = re.search(r"password: (\S+)", printed)[1]  # type: ignore[index]
    again = run_manage(["demo"], env)  # idempotent: the same account and password, and nothing made twice
    assert again[again.index("=====") :] == printed[printed.index("=====") :]
    assert "Demo: writing the screenplay" in printed and "Demo: writing" not in again and "rendering" not in again

    port = free_port()
    log = open(tmp_path / "studio.log", "wb")
    studio = subprocess.Popen(
        [sys.executable, "manage.py", "studio", "--port", str(port)],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    output = lambda: (tmp_path / "studio.log").read_text(errors="replace")  # noqa: E731
    try:
        wait_for(lambda: "ready." in output(), timeout=90, what=f"worker ready:\n{output()[-2000:]}")
        browser = Browser(f"http://127.0.0.1:{port}")
        wait_for(lambda: "Log in" in browser.get("/accounts/login/"), timeout=30, what="web server")
        home = browser.post("/accounts/login/", {"username": "demo", "password": password})
        project = re.search(r'href="/projects/([0-9a-f-]{36})/"', home)[1]  # type: ignore[index]
        browser.post(f"/projects/{project}/jobs/new/", {"kind": "worker_check"})
        page = browser.get(f"/projects/{project}/")
        job = re.search(r'id="job-([0-9a-f-]{36})"', page)[1]  # type: ignore[index]
        wait_for(lambda: 'data-status="succeeded"' in browser.get(f"/jobs/{job}/"), timeout=60, what="worker check")
        assert "Disk write" in browser.get(f"/jobs/{job}/")

        family = psutil.Process(studio.pid).children(recursive=True)
        redis_sock = tmp_path / "redis" / "redis.sock"
        assert embedded_redis.is_listening(redis_sock)
        assert len(family) >= 4  # redis, celery main + pool + beat, daphne
    finally:
        studio.send_signal(signal.SIGINT)
        code = studio.wait(timeout=60)
        log.close()
    assert code == 0, output()[-3000:]
    assert "studio stopped." in output()

    def running() -> list[psutil.Process]:
        alive = []
        for p in family:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
            except psutil.NoSuchProcess:
                pass
        return alive

    wait_for(lambda: not running(), timeout=10, what="the studio's processes to exit")
    assert not embedded_redis.is_listening(redis_sock)
    assert (tmp_path / "redis" / "appendonly.aof").exists() or (tmp_path / "redis" / "dump.rdb").exists()
