"""The revision page's diff on a long script: the old whole-text difflib (every blank line matched
against every other) against revision_diff (common head and tail set aside, popular lines as junk,
a cap past which the page offers downloads instead), in one run on the same texts.

    .venv/bin/python bench/diff.py [--lines 8000]
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
FIXTURE = BASE_DIR.parent / "shared" / "fixtures" / "screenplays" / "Big-Fish.fountain"


def old_diff(old: str, new: str) -> int:
    matcher = difflib.SequenceMatcher(a=old.split("\n"), b=new.split("\n"), autojunk=False)
    return sum(1 for group in matcher.get_grouped_opcodes(3) for _ in group)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=8000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstudio.settings")
    os.environ.setdefault("FILMSTUDIO_VAR_DIR", tempfile.mkdtemp(prefix="fs-bench-"))
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from projects.script.selectors import revision_diff

    if FIXTURE.exists():
        source = FIXTURE.read_text().split("\n")
    else:  # a clone without shared/: screenplay-shaped lines, a third of them blank
        source = [["", f"Line {n} of the script.", "CUT TO:"][n % 3] for n in range(5000)]
    draft = (source * (args.lines // len(source) + 1))[: args.lines]
    rng = random.Random(1)
    edited = list(draft)
    for index in rng.sample(range(len(draft)), len(draft) // 10):
        edited[index] += " (revised)"
    moved = draft[len(draft) // 2 :] + draft[: len(draft) // 2]
    cases = {
        "a tenth of the lines edited": edited,
        "second half moved to the front": moved,
        "a different draft (reversed)": draft[::-1],
    }
    old_text = "\n".join(draft)
    print(f"{len(draft)} lines against each of:")
    print(f"{'case':34} {'old difflib':>12} {'revision_diff':>14} {'ratio':>8}")
    for name, lines in cases.items():
        new_text = "\n".join(lines)
        before = timed(partial(old_diff, old_text, new_text))
        after = timed(partial(revision_diff, old_text, new_text))
        print(f"{name:34} {before:11.2f}s {after:13.3f}s {before / max(after, 1e-6):7.0f}x")


if __name__ == "__main__":
    main()
