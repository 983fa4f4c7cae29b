"""Loaded with `-p tests.testenv`, before Django's settings: the environment the suite runs in.

Tests get their own Redis (embedded, on a socket under var/test-redis/) unless REDIS_URL is set,
so a running `make run` studio never sees test jobs. Worker timings are shortened so that crash
and heartbeat tests take seconds.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def with_redis_database(url: str, number: int) -> str:
    """The same Redis server, database `number` (redis://host:port/N; a unix socket's ?db=N)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"] + [("db", str(number))]
        return f"unix://{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{number}"))


os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("FILMSTUDIO_TEST_JOB_KINDS", "1")
os.environ.setdefault("JOB_HEARTBEAT_SECONDS", "0.5")
os.environ.setdefault("JOB_STALE_AFTER_SECONDS", "3")
os.environ.setdefault("JOB_REAPER_INTERVAL_SECONDS", "2")
os.environ.setdefault("JOB_MAX_ATTEMPTS", "3")
# Under pytest-xdist (`make test` runs two workers) each worker has its own Redis database (or embedded server),
# media folder and channel prefix, as it has its own test database: jobs that one worker queues are never
# taken by the Celery workers of the other. Workers inherit the controller's environment, so what this module
# chose (rather than the user) is remembered and chosen again per worker.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ...; empty without xdist
SUFFIX = f"-{WORKER}" if WORKER else ""
_ours = {name for name in os.environ.get("FILMSTUDIO_TESTENV_CHOSE", "").split(",") if name}


def _choose(name: str, value: str) -> None:
    if name in _ours or not os.environ.get(name):
        os.environ[name] = value
        _ours.add(name)


_choose("CHANNELS_PREFIX", f"fstest{SUFFIX}")
_choose("MEDIA_ROOT", str(BASE_DIR / "var" / f"test-media{SUFFIX}"))
if WORKER and "REDIS_URL" not in _ours and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = with_redis_database(os.environ["REDIS_URL"], 1 + int(WORKER.removeprefix("gw")))
_choose("REDIS_URL", f"unix://{BASE_DIR / 'var' / f'test-redis{SUFFIX}' / 'redis.sock'}")
os.environ["FILMSTUDIO_TESTENV_CHOSE"] = ",".join(sorted(_ours))
