"""Stopping, killing and starting the test suite's embedded Redis, for the fault tests.

Only the embedded server (a unix socket under var/) is ours to stop; with REDIS_URL pointing at
another server these tests are skipped. A server started here lives until the session ends, as
the one `real_redis` started would have.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from filmstudio import embedded_redis

_started: list[subprocess.Popen[bytes]] = []


def socket_path() -> Path:
    path = embedded_redis.socket_path_of(settings.REDIS_URL)
    assert path is not None
    return path


def client() -> redis.Redis:
    return redis.Redis.from_url(embedded_redis.client_url(settings.REDIS_URL), socket_timeout=2)


def is_up() -> bool:
    return embedded_redis.is_listening(socket_path())


def _wait_down(timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while is_up():
        if time.monotonic() > deadline:
            raise AssertionError("Redis is still answering")
        time.sleep(0.05)


def kill() -> None:
    """SIGKILL the server, as the OOM killer would: nothing is saved."""
    pid = int(client().info("server")["process_id"])
    os.kill(pid, signal.SIGKILL)
    _wait_down()


def start() -> None:
    if not is_up():
        _started.append(embedded_redis.start(socket_path(), persistent=False))


@pytest.fixture(scope="session")
def _restarted_redis() -> Iterator[None]:
    yield
    for proc in _started:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def redis_faults(_restarted_redis: None) -> Iterator[None]:
    """Lets a test kill and start the embedded Redis; it is running again when the test ends."""
    if embedded_redis.socket_path_of(settings.REDIS_URL) is None:
        pytest.skip("REDIS_URL points at a server these tests must not stop")
    yield
    start()
