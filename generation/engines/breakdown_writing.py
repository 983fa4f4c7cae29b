"""Character bios and shot lists drawn from a script, with a text model. No Django imports.

As with scenes, code supplies the structure (which fields, which shots, which subjects) and the
model supplies the words, one checked sentence at a time, batched across characters or shots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generation.engines.base import JobCancelled
from generation.engines.screenplay import SYSTEM, Progress, _mostly_lowercase, _sample
from generation.engines.text import Sampling, TextBackend, structured

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
    speeches: int = 0  # how many speeches the shot holds
    written_by: str = ""  # "json-schema", "staged" (one sentence at a time) or "script" (the model gave nothing)


LENS = {"wide": 24, "medium": 35, "close-up": 85, "ots": 50, "insert": 100}


MAX_SHOTS = 12


def plan_shots(
    elements: list[tuple[str, str, int, int]], characters: list[str], max_shots: int = MAX_SHOTS
) -> list[ShotPlan]:
    """Shot types, subjects and script lines from the scene's structure: an opening wide, a shot per action
    beat and per speech.

    `elements` are (kind, text, start_line, end_line) of one scene, heading first; a dual-dialogue cue's text
    ends in "^" as in Fountain. Every speech (its cue, its
    parentheticals and every stretch of dialogue between them) lies whole inside one shot, so each shot's lines
    carry their speaker; dual dialogue joins the speech it answers in a two-shot. Past `max_shots` shots, the
    neighbours with the fewest lines between them share a shot, so no line of the scene is left out.
    """
    plans: list[ShotPlan] = []
    speech: ShotPlan | None = None  # the speech being read, while its parentheticals and dialogue follow
    spoken: ShotPlan | None = None  # the last plan, when it is a speech (dual dialogue joins it)
    for kind, text, start, end in elements:
        if kind in ("parenthetical", "dialogue") and speech is not None:
            speech.end_line = max(speech.end_line, end)
            if kind == "dialogue" and ": " not in speech.source:
                speech.source = f"{speech.source}: {text}"
            continue
        speech = None
        if kind == "action":
            spoken = None
            named = [c for c in characters if re.search(rf"\b{re.escape(c)}\b", text, re.IGNORECASE)]
            if not plans:
                plans.append(ShotPlan("wide", "eye level", LENS["wide"], characters[:], start, end, text))
            elif not named:
                plans.append(ShotPlan("insert", "high angle", LENS["insert"], [], start, end, text))
            else:
                plans.append(ShotPlan("medium", "eye level", LENS["medium"], named, start, end, text))
        elif kind == "character":
            speaker = re.sub(r"\(.*?\)", "", text).replace("^", "").strip().upper()
            if text.rstrip().endswith("^") and spoken is not None:
                # Dual dialogue: both speak at once, so one two-shot holds both speeches.
                spoken.shot_type, spoken.camera_angle, spoken.lens_mm = "medium", "eye level", LENS["medium"]
                spoken.subjects = list(dict.fromkeys([*spoken.subjects[:1], speaker]))
                spoken.end_line = end
                spoken.speeches += 1
                speech = spoken
                continue
            others = [c for c in characters if c != speaker]
            shot = "ots" if others and len(plans) % 2 else "close-up"
            subjects = [speaker, others[0]] if shot == "ots" else [speaker]
            speech = spoken = ShotPlan(shot, "eye level", LENS[shot], subjects, start, end, speaker, speeches=1)
            plans.append(speech)
        elif kind in ("transition", "centered", "scene_heading"):
            spoken = None
    if not plans:
        plans.append(ShotPlan("wide", "eye level", LENS["wide"], characters[:], 0, 0, ""))
    while len(plans) > max(1, max_shots):
        # Join the two neighbours that span the fewest lines, beats before speeches (a face should say its line).
        def cost(k: int) -> int:
            return plans[k].end_line - plans[k - 1].start_line + 10 * min(plans[k].speeches, plans[k - 1].speeches)

        i = min(range(1, len(plans)), key=cost)
        first, second = plans[i - 1], plans.pop(i)
        first.end_line = max(first.end_line, second.end_line)
        first.speeches += second.speeches
        first.subjects = list(dict.fromkeys([*first.subjects, *second.subjects]))
        if first.shot_type in ("insert", "close-up") and first.subjects:
            kind = "medium" if len(first.subjects) > 1 or first.shot_type == "insert" else first.shot_type
            first.shot_type, first.camera_angle, first.lens_mm = kind, "eye level", LENS[kind]
    return plans


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
    asker = structured(backend)
    if asker is not None and plans:
        listing = "\n".join(
            f"Shot {i + 1}: {labels[p.shot_type]} on {' and '.join(s.title() for s in p.subjects) or 'the scene'}"
            for i, p in enumerate(plans)
        )
        item = {
            "type": "object",
            "properties": {"description": {"type": "string", "maxLength": 300}},
            "required": ["description"],
            "additionalProperties": False,
        }
        schema = {
            "type": "object",
            "properties": {"shots": {"type": "array", "items": item, "minItems": len(plans), "maxItems": len(plans)}},
            "required": ["shots"],
            "additionalProperties": False,
        }
        answer = asker.complete_json(
            SYSTEM,
            f"{user}\n\nThe shots:\n{listing}",
            schema,
            "shot_list",
            _sample(sampling, sampling.seed, 60 * len(plans)),
        )
        shots = answer.get("shots") if isinstance(answer, dict) else None
        if isinstance(shots, list) and len(shots) == len(plans):
            still = []
            for i, shot in zip(pending, shots, strict=True):
                sentence = _sentence(str(shot.get("description", ""))) if isinstance(shot, dict) else None
                if sentence is None:
                    still.append(i)
                else:
                    plans[i].description, plans[i].written_by = sentence, "json-schema"
            pending = still
            progress.step(1 - len(still) / len(plans), f"Described {len(plans) - len(still)} of {len(plans)} shots")
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
                plans[i].description, plans[i].written_by = sentence, "staged"
        pending = still
        progress.step(1 - len(still) / max(1, len(plans)), f"Described {len(plans) - len(still)} of {len(plans)} shots")
    for i in pending:  # the model gave nothing usable: the shot shows its script lines
        plans[i].description, plans[i].written_by = plans[i].source.split("\n")[0][:300], "script"
    return plans
