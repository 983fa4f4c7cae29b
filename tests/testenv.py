"""Loaded with `-p tests.testenv`, before Django's settings: the environment the suite runs in.

Tests get their own Redis (embedded, on a socket under var/test-redis/) unless REDIS_URL is set,
so a running `make run` studio never sees test jobs. Worker timings are shortened so that crash
and heartbeat tests take seconds.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("FILMSTUDIO_TEST_JOB_KINDS", "1")
os.environ.setdefault("JOB_HEARTBEAT_SECONDS", "0.5")
os.environ.setdefault("JOB_STALE_AFTER_SECONDS", "3")
os.environ.setdefault("JOB_REAPER_INTERVAL_SECONDS", "2")
os.environ.setdefault("JOB_MAX_ATTEMPTS", "3")
os.environ.setdefault("CHANNELS_PREFIX", "fstest")
os.environ.setdefault("MEDIA_ROOT", str(BASE_DIR / "var" / "test-media"))
if not os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = f"unix://{BASE_DIR / 'var' / 'test-redis' / 'redis.sock'}"
