"""The ✓/✗ badges on candidate faces: shown only where the attribute classifier is sure. No Django imports.

face_attributes ranks every face by every call it makes, right or wrong; a badge is a claim a person reads
("✓ hair: red"), so it is only made where the call is sure: the class is one whose calls were right by eye
often enough, and the call wins by a margin (its graded membership minus the best other class's). Anywhere
else the badge says "not sure" instead of guessing.

The margins were calibrated on 64 faces labelled by eye (tests/data/faces/labels.json, the "calibration" set:
the default DCGAN, seed 4): for each class, the least margin at which at least 95% of its calls (and at least
3) agreed with the eye. Measured on 72 other labelled faces (the "test" set, seed 3), 90% of the sure calls
are right (every call, without margins: 67%), covering 37% of the labels; ✗ badges are right 94% of the
time. Classes whose calls never got there (blond, red and gray hair, beards, medium skin, most backgrounds,
dim and bright light, side light) get no badge at all. bench/face_identity.py prints these figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from generation.engines import face_attributes as fa

# Per attribute and class, the least winning margin at which a call is sure; unlisted classes are never sure.
# Calibrated on the calibration faces of tests/data/faces/labels.json (`calibrate`, target 95%, 3 calls).
SURE: dict[str, dict[str, float]] = {
    "hair": {"black": 0.78, "other": -0.14},  # "other" is caps, hats, dye: its rules fire rarely, and rightly
    "facial_hair": {"none": 0.65},
    "skin": {"light": 0.56, "dark": 0.73},
    "background": {"green": 0.8},
    "lighting": {"normal": 0.51},
}
# Calls that are never sure in some pictures, whatever their margin (face_attributes' rule syntax): dim light
# makes any skin look dark (the confusion face_attributes' docstring reports), so "dark" needs a lit picture.
SURE_ONLY_IF: dict[tuple[str, str], str] = {("skin", "dark"): "image_l>=30"}
# Eye labels that sit between two classes: either call is right ("dark brown" hair is black or brown).
ACCEPTS: dict[str, set[str]] = {"dark brown": {"black", "brown"}}
LABELLED = ("hair", "facial_hair", "skin", "background", "lighting")


def calls(values: dict[str, np.ndarray]) -> list[dict[str, tuple[str, float]]]:
    """Per face, every attribute's call and its margin over the runner-up class (-inf where it can't be sure)."""
    labels = fa.labels(values)
    grades = fa.memberships(values)
    allowed = {key: fa._grade(fa._derived(values), rule, soft=False) for key, rule in SURE_ONLY_IF.items()}
    out: list[dict[str, tuple[str, float]]] = []
    for i, attrs in enumerate(labels):
        row = {}
        for attribute, value in attrs.items():
            others = [float(g[i]) for name, g in grades[attribute].items() if name != value]
            margin = float(grades[attribute][value][i]) - max(others, default=0.0)
            if (attribute, value) in allowed and not allowed[(attribute, value)][i]:
                margin = float("-inf")
            row[attribute] = (value, margin)
        out.append(row)
    return out


def is_sure(attribute: str, value: str, margin: float, sure: dict[str, dict[str, float]] | None = None) -> bool:
    least = (SURE if sure is None else sure).get(attribute, {}).get(value)
    return least is not None and margin >= least


def sure_calls(values: dict[str, np.ndarray], sure: dict[str, dict[str, float]] | None = None) -> list[dict[str, str]]:
    """Per face, the attributes (and their class) the classifier is sure of; the rest are left out."""
    return [{a: v for a, (v, m) in row.items() if is_sure(a, v, m, sure)} for row in calls(values)]


@dataclass(frozen=True)
class Badges:
    """What a face's card says about the wanted look: sure matches, sure misses, and what it can't tell."""

    matched: list[str]
    missed: list[str]
    unsure: list[str]


def badges(sure: dict[str, str], wanted: dict[str, str]) -> Badges:
    """✓ where the sure call is the wanted class, ✗ where it is another class, "not sure" elsewhere."""
    matched, missed, unsure = [], [], []
    for attribute, value in wanted.items():
        name = f"{attribute}: {value}"
        if attribute not in sure:
            unsure.append(name)
        elif sure[attribute] == value:
            matched.append(name)
        else:
            missed.append(name)
    return Badges(matched=matched, missed=missed, unsure=unsure)


# --- measuring against eye labels -----------------------------------------------------------------


def right(call: str, eye: str) -> bool:
    return call == eye or call in ACCEPTS.get(eye, ())


def precision(
    values: dict[str, np.ndarray], eye: list[dict[str, Any]], sure: dict[str, dict[str, float]] | None = None
) -> dict[str, Any]:
    """How often sure calls (the ✓ badges a face can get) agree with eye labels (None = couldn't tell).

    Also the ✗ badges: for every class a look could ask for, a sure call of another class claims the face
    is not that class; it is right unless the eye says it is."""
    found = calls(values)
    per: dict[str, list[int]] = {}  # attribute -> [right, shown, labelled]
    crosses = [0, 0]
    for row, labels in zip(found, eye, strict=True):
        for attribute in LABELLED:
            truth = labels.get(attribute)
            if truth is None:
                continue
            value, margin = row[attribute]
            tally = per.setdefault(attribute, [0, 0, 0])
            tally[2] += 1
            if not is_sure(attribute, value, margin, sure):
                continue
            tally[0] += right(value, truth)
            tally[1] += 1
            for asked in fa.ATTRIBUTES[attribute]:
                if asked != value and asked != "unknown":
                    crosses[1] += 1
                    crosses[0] += not right(asked, truth)
    hits = sum(t[0] for t in per.values())
    shown = sum(t[1] for t in per.values())
    labelled = sum(t[2] for t in per.values())
    return {
        "precision": hits / shown if shown else 0.0,
        "shown": shown,
        "labelled": labelled,
        "coverage": shown / labelled if labelled else 0.0,
        "cross_precision": crosses[0] / crosses[1] if crosses[1] else 0.0,
        "per_attribute": {a: {"right": t[0], "shown": t[1], "labelled": t[2]} for a, t in per.items()},
    }


def calibrate(
    values: dict[str, np.ndarray], eye: list[dict[str, Any]], *, target: float = 0.95, least: int = 3
) -> dict[str, dict[str, float]]:
    """Per class, the least margin at which at least `target` of its calls (and at least `least`) were right."""
    found = calls(values)
    sure: dict[str, dict[str, float]] = {}
    for attribute in LABELLED:
        by_class: dict[str, list[tuple[float, bool]]] = {}
        for row, labels in zip(found, eye, strict=True):
            if labels.get(attribute) is not None:
                value, margin = row[attribute]
                if margin > float("-inf"):
                    by_class.setdefault(value, []).append((margin, right(value, labels[attribute])))
        for value, seen in by_class.items():
            seen.sort(reverse=True)
            best = None
            for k in range(least, len(seen) + 1):
                if np.mean([ok for _, ok in seen[:k]]) >= target:
                    best = seen[k - 1][0]
            if best is not None:
                sure.setdefault(attribute, {})[value] = round(best - 0.005, 2)
    return sure
