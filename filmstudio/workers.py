"""The Celery worker command line, defined once: `studio`, the tests and the bench all start workers with it."""

from __future__ import annotations

import sys
from collections.abc import Sequence

# Models on "gpu", Blender renders on "render", light work (script settling, the reaper) on "default".
ALL_QUEUES = ("gpu", "render", "default")


def worker_argv(
    *,
    queues: Sequence[str] = ALL_QUEUES,
    concurrency: int = 1,
    hostname: str | None = None,
    beat: bool = False,
    beat_schedule: str | None = None,
    alone: bool = False,
    loglevel: str = "INFO",
) -> list[str]:
    """The argv of one prefork worker taking one task at a time (prefetch 1, as the jobs contract asks).

    `hostname` names the worker (`gpu0@%h`); `beat` also runs the periodic tasks (the reaper) in it,
    keeping its schedule in `beat_schedule` when given; `alone` skips gossip and mingle, which only a
    worker with siblings needs, so a lone worker starts sooner.
    """
    argv = [sys.executable, "-m", "celery", "-A", "filmstudio", "worker", "-P", "prefork"]
    argv += ["--prefetch-multiplier", "1", "-Q", ",".join(queues), "-c", str(concurrency)]
    if hostname:
        argv += ["-n", hostname]
    if beat:
        argv += ["-B"]
        if beat_schedule:
            argv += ["-s", beat_schedule]
    if alone:
        argv += ["--without-gossip", "--without-mingle"]
    return [*argv, "--loglevel", loglevel]
