"""Character bios and shot lists drawn from a script, with a text model. No Django imports.

As with scenes, code supplies the structure (which fields, which shots, which subjects) and the
model supplies the words, one checked sentence at a time, batched across characters or shots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generation.engines.base import JobCancelled
from generation.engines.screenplay import SYSTEM, Progress, _mostly_lowercase, _sample
from generation.engines.text import Sampling, TextBackend

BIO_FIELDS = (
    ("look", "Look (face, build, clothes):"),
    ("personality", "Personality:"),
    ("wants", "What they want:"),
    ("needs", "What they really need:"),
    ("key_actions", "Key actions in the story:"),
)


@dataclass
class Person:
    name: str
    lines: list[str]
    scenes: list[str]


def _sentence(raw: str, start: str = "") -> str | None:
    text = (start + raw).strip().split("\n")[0].strip().strip('"*')
    end = max(text.rfind("."), text.rfind("!"), text.rfind("?"))
    if end > 10:
        text = text[: end + 1]
    if len(text.split()) < 3 or not _mostly_lowercase(text) or ":" in text[:12] or "_" in text:
        return None
    return text


def write_bios(
    backend: TextBackend, people: list[Person], sampling: Sampling, progress: Progress
) -> list[dict[str, str]]:
    """A bio per person: look, personality, wants, needs and key actions, one checked sentence each."""
    bios: list[dict[str, str]] = [{} for _ in people]
    users = [
        f"Character: {p.name.title()}\nScenes: {'; '.join(p.scenes[:6])}\nSome of their lines:\n"
        + "\n".join(f"- {line}" for line in p.lines[:8])
        + "\n\nDescribe this character in five short lines for the film's designers."
        for p in people
    ]
    for number, (key, label) in enumerate(BIO_FIELDS):
        pending = list(range(len(people)))
        for attempt in range(4):
            if not pending:
                break
            if progress.should_stop():
                raise JobCancelled()
            prompts = []
            for i in pending:
                so_far = "".join(f"{lab} {bios[i][k]}\n" for k, lab in BIO_FIELDS if bios[i].get(k))
                prompts.append(backend.chat_prompt(SYSTEM, users[i], f"{so_far}{label} {people[i].name.title()}"))
            outputs = backend.complete(
                prompts,
                _sample(sampling, sampling.seed + 50 * number + attempt, 40),
                stop=("\n",),
                should_stop=progress.should_stop,
            )
            still = []
            for i, raw in zip(pending, outputs, strict=True):
                sentence = _sentence(raw, people[i].name.title())
                if sentence is None:
                    still.append(i)
                else:
                    bios[i][key] = sentence
            pending = still
        progress.step((number + 1) / len(BIO_FIELDS), f"Wrote “{label.rstrip(':')}” for {len(people)} characters")
    return bios


@dataclass
class ShotPlan:
    shot_type: str
    camera_angle: str
    lens_mm: int
    subjects: list[str]
    start_line: int
    end_line: int
    source: str
    description: str = ""
    provenance: dict[str, object] = field(default_factory=dict)


LENS = {"wide": 24, "medium": 35, "close-up": 85, "ots": 50, "insert": 100}


MAX_SHOTS = 12


def plan_shots(
    elements: list[tuple[str, str, int, int]], characters: list[str], max_shots: int = MAX_SHOTS
) -> list[ShotPlan]:
    """Shot types, subjects and script lines from the scene's structure: an opening wide, a shot per action
    beat and per speech. Every speech lands in some shot: a scene of more than `max_shots` beats merges its
    smallest neighbouring beats (`merge_smallest_beats`) instead of dropping its ending.

    `elements` are (kind, text, start_line, end_line) of one scene, heading first."""
    plans: list[ShotPlan] = []
    speaker = ""
    for kind, text, start, end in elements:
        if kind == "scene_heading":
            continue
        if kind == "action":
            named = [c for c in characters if re.search(rf"\b{re.escape(c)}\b", text, re.IGNORECASE)]
            if not plans:
                plans.append(ShotPlan("wide", "eye level", LENS["wide"], characters[:], start, end, text))
            elif not named:
                plans.append(ShotPlan("insert", "high angle", LENS["insert"], [], start, end, text))
            else:
                plans.append(ShotPlan("medium", "eye level", LENS["medium"], named, start, end, text))
        elif kind == "character":
            speaker = re.sub(r"\(.*?\)", "", text).replace("^", "").strip().upper()
        elif kind == "dialogue" and speaker:
            others = [c for c in characters if c != speaker]
            shot = "ots" if others and len(plans) % 2 else "close-up"
            subjects = [speaker, others[0]] if shot == "ots" else [speaker]
            plans.append(ShotPlan(shot, "eye level", LENS[shot], subjects, start - 1, end, f"{speaker}: {text}"))
    if not plans:
        plans.append(ShotPlan("wide", "eye level", LENS["wide"], characters[:], 0, 0, ""))
    return merge_smallest_beats(plans, max_shots)


def merge_smallest_beats(plans: list[ShotPlan], max_shots: int = MAX_SHOTS) -> list[ShotPlan]:
    """At most `max_shots` shots covering the same lines: the beat with the fewest script lines joins its smaller
    neighbour, again and again. The opening wide stays as it is while other beats can merge."""
    plans = list(plans)
    while len(plans) > max(1, max_shots):
        size = [max(1, p.end_line - p.start_line + 1) for p in plans]
        candidates = range(1, len(plans)) if len(plans) > 2 else range(len(plans))
        i = min(candidates, key=lambda k: (size[k], k))
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(plans) and (j > 0 or len(plans) <= 2)]
        j = min(neighbours, key=lambda k: (size[k], k)) if neighbours else i - 1
        a, b = sorted((i, j))
        plans[a : b + 1] = [_merged(plans[a], plans[b])]
    return plans


def _merged(first: ShotPlan, second: ShotPlan) -> ShotPlan:
    """Two neighbouring beats as one shot: its lines run from the first's start to the second's end."""
    subjects = list(dict.fromkeys([*first.subjects, *second.subjects]))
    if first.shot_type == "wide":
        shot_type = "wide"
    elif not first.subjects and not second.subjects:
        shot_type = "insert"
    elif len(subjects) > 1:
        shot_type = "ots" if {first.shot_type, second.shot_type} == {"ots"} else "medium"
    else:
        shot_type = first.shot_type if first.subjects else second.shot_type
    angle = first.camera_angle if shot_type == first.shot_type else second.camera_angle
    starts = [p.start_line for p in (first, second) if p.start_line]
    return ShotPlan(
        shot_type,
        angle if shot_type != "medium" else "eye level",
        LENS[shot_type],
        subjects,
        min(starts) if starts else 0,
        max(first.end_line, second.end_line),
        f"{first.source}\n{second.source}".strip(),
    )


def describe_shots(
    backend: TextBackend, scene_text: str, plans: list[ShotPlan], sampling: Sampling, progress: Progress
) -> list[ShotPlan]:
    """What happens in each shot, one sentence each, all shots in one batch."""
    labels = {
        "wide": "WIDE SHOT",
        "medium": "MEDIUM SHOT",
        "close-up": "CLOSE-UP",
        "ots": "OVER THE SHOULDER",
        "insert": "INSERT",
    }
    user = f"The scene:\n{scene_text[:1500]}\n\nWrite the shot list: one sentence per shot saying what we see."
    pending = list(range(len(plans)))
    for attempt in range(4):
        if not pending:
            break
        if progress.should_stop():
            raise JobCancelled()
        prompts = []
        for i in pending:
            plan = plans[i]
            who = " and ".join(s.title() for s in plan.subjects) or "the scene"
            prompts.append(
                backend.chat_prompt(SYSTEM, user, f"Shot {i + 1}, {labels[plan.shot_type]} on {who}: We see")
            )
        outputs = backend.complete(
            prompts, _sample(sampling, sampling.seed + attempt, 40), stop=("\n",), should_stop=progress.should_stop
        )
        still = []
        for i, raw in zip(pending, outputs, strict=True):
            sentence = _sentence(raw, "We see")
            if sentence is None:
                still.append(i)
            else:
                plans[i].description = sentence
        pending = still
        progress.step(1 - len(still) / max(1, len(plans)), f"Described {len(plans) - len(still)} of {len(plans)} shots")
    for i in pending:  # the model gave nothing usable: the shot shows its script lines
        plans[i].description = plans[i].source.split("\n")[0][:300]
    return plans
