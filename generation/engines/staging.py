"""Staging: how a set's people stand, sit, move and face each other. Pure Python, no bpy.

A figure is a rigged humanoid. `skeleton` gives its bones at rest (metres, origin between its feet, facing -Y,
+X its left side), `POSE_ROTATIONS` turn each bone about the figure's own axes (relative to its parent bone)
for each pose, and `joints` runs the same forward kinematics as Blender's armature, so framing and tests know
where a posed head or hand is without Blender. `pose_for` reads a person's pose from the action's verbs;
`speaker_of` finds who speaks in a shot's lines; `yaw_towards` and `stage_conversation` turn people to face
each other (the speaker a little towards the camera).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]  # rows

POSES = ("standing", "sitting", "walking", "running", "pointing", "holding", "lying", "embracing")
POSTURES = ("standing", "sitting", "lying")  # poses a person keeps between shots; the others belong to a moment

# Verbs (and short phrases) that put a person in a pose. The earliest in a sentence wins; at one place the
# longer phrase wins ("holds each other" embraces, "holds" holds).
VERB_POSES: dict[str, tuple[str, ...]] = {
    "standing": ("stands", "stand", "standing", "stood", "rises", "rise", "gets up", "get up", "stands up",
                 "waits", "waiting", "leans", "leaning"),
    "sitting": ("sits", "sit", "sitting", "sat", "seated", "sits down", "perches", "perched", "squats",
                "kneels", "kneeling", "crouches"),
    "walking": ("walks", "walk", "walking", "walked", "strolls", "strolling", "paces", "pacing", "enters",
                "crosses", "approaches", "steps", "wanders", "heads", "limps", "marches", "follows", "exits"),
    "running": ("runs", "run", "running", "ran", "sprints", "sprinting", "dashes", "races", "rushes", "flees",
                "chases", "bolts", "charges", "hurries", "jogs", "jogging"),
    "pointing": ("points", "point", "pointing", "pointed", "gestures", "gestures at", "aims", "aiming",
                 "indicates", "waves"),
    "holding": ("holds", "hold", "holding", "held", "carries", "carrying", "grabs", "picks up", "clutches",
                "lifts", "sips", "drinks", "reads", "hands", "offers", "raises"),
    "lying": ("lies", "lying", "lay", "lays", "sleeps", "sleeping", "asleep", "sprawled", "sprawls",
              "collapses", "unconscious", "lies down", "lie down"),
    "embracing": ("hugs", "hug", "hugging", "embraces", "embrace", "embracing", "holds each other", "kisses",
                  "kiss", "cuddle", "cuddles", "in each other's arms"),
}  # fmt: skip
_VERB_OF = {phrase: pose for pose, phrases in VERB_POSES.items() for phrase in phrases}
_VERBS = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in sorted(_VERB_OF, key=len, reverse=True)) + r")\b", re.IGNORECASE
)
_PRONOUNS = re.compile(r"\b(he|she|they|him|her|them|his|their)\b", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def _bone(x: float, z: float, y: float = 0.0) -> Vec:
    return (x, y, z)


# name: (head, tail, parent) at rest for a figure 1.77 units tall with build 1 (shoulders, hips at +-x).
_REST: dict[str, tuple[Vec, Vec, str | None]] = {
    "hips": (_bone(0, 0.85), _bone(0, 0.97), None),
    "spine": (_bone(0, 0.97), _bone(0, 1.18), "hips"),
    "chest": (_bone(0, 1.18), _bone(0, 1.45), "spine"),
    "neck": (_bone(0, 1.45), _bone(0, 1.52), "chest"),
    "head": (_bone(0, 1.52), _bone(0, 1.77), "neck"),
}
for _side, _sx in (("L", 1.0), ("R", -1.0)):
    _REST |= {
        f"upper_arm.{_side}": (_bone(0.185 * _sx, 1.41), _bone(0.215 * _sx, 1.13), "chest"),
        f"forearm.{_side}": (_bone(0.215 * _sx, 1.13), _bone(0.23 * _sx, 0.88), f"upper_arm.{_side}"),
        f"hand.{_side}": (_bone(0.23 * _sx, 0.88), _bone(0.24 * _sx, 0.78), f"forearm.{_side}"),
        f"thigh.{_side}": (_bone(0.09 * _sx, 0.85), _bone(0.09 * _sx, 0.47), "hips"),
        f"shin.{_side}": (_bone(0.09 * _sx, 0.47), _bone(0.09 * _sx, 0.08), f"thigh.{_side}"),
        f"foot.{_side}": (_bone(0.09 * _sx, 0.08), _bone(0.09 * _sx, 0.02, -0.16), f"shin.{_side}"),
    }
BONES: tuple[str, ...] = tuple(_REST)
# A body's frame: how far its shoulders and its hips sit from the middle (x scale of the arm and leg bones).
BODIES: dict[str, tuple[float, float]] = {
    "man": (1.0, 1.0),
    "woman": (0.87, 1.07),
    "boy": (0.9, 0.95),
    "girl": (0.86, 0.98),
}
_LIMBS = ("upper_arm", "forearm", "hand")
REST_HEIGHT = 1.77  # the rest skeleton's height in its own units; a figure's height scales it
HIP_HEIGHT = 0.85


def _mirror(rotations: dict[str, Vec]) -> dict[str, Vec]:
    """The other side's rotations: a turn about X stays, turns about Y and Z change sign."""
    out: dict[str, Vec] = {}
    for name, (rx, ry, rz) in rotations.items():
        if name.endswith(".L"):
            out[name[:-2] + ".R"] = (rx, -ry, -rz)
    return out


def _both(rotations: dict[str, Vec]) -> dict[str, Vec]:
    return {**rotations, **_mirror(rotations)}


# Degrees about the figure's axes (X its left, Y its back, Z up), applied X then Y then Z, each bone relative
# to its parent. A hanging limb swings forward with a negative X turn; an upright bone leans forward with a
# positive one; a knee bends with a positive X turn of the shin.
POSE_ROTATIONS: dict[str, dict[str, Vec]] = {
    "standing": _both({"upper_arm.L": (2, -2, 0), "forearm.L": (-8, 0, 0)}),
    "sitting": {
        **_both({"thigh.L": (-88, -4, 0), "shin.L": (86, 4, 0), "foot.L": (4, 0, 0)}),
        **_both({"upper_arm.L": (-12, -4, 0), "forearm.L": (-45, 0, -10)}),
        "spine": (-4, 0, 0),
    },
    "walking": {
        "thigh.L": (-24, 0, 0), "shin.L": (10, 0, 0), "foot.L": (-4, 0, 0),
        "thigh.R": (18, 0, 0), "shin.R": (26, 0, 0), "foot.R": (-10, 0, 0),
        "upper_arm.L": (18, -4, 0), "forearm.L": (-12, 0, 0),
        "upper_arm.R": (-20, 4, 0), "forearm.R": (-20, 0, 0),
        "spine": (3, 0, 0),
    },
    "running": {
        "spine": (14, 0, 0), "neck": (-8, 0, 0),
        "thigh.L": (-55, 0, 0), "shin.L": (70, 0, 0), "foot.L": (-10, 0, 0),
        "thigh.R": (30, 0, 0), "shin.R": (85, 0, 0), "foot.R": (-20, 0, 0),
        "upper_arm.L": (45, -8, 0), "forearm.L": (-80, 0, 0),
        "upper_arm.R": (-50, 8, 0), "forearm.R": (-75, 0, 0),
    },
    "pointing": {
        "upper_arm.L": (2, -4, 0), "forearm.L": (-8, 0, 0),
        "upper_arm.R": (-86, 0, 8), "forearm.R": (-4, 0, 0), "hand.R": (0, 0, 0),
        "neck": (0, 0, -6),
    },
    "holding": _both({"upper_arm.L": (-12, -2, -6), "forearm.L": (-68, 0, -22)}),
    "lying": {  # on their side (the left), facing the way they face, so the face reads from the front
        "hips": (0, 90, 0),
        "upper_arm.L": (-35, 0, 0), "forearm.L": (-40, 0, 0),
        "upper_arm.R": (-15, 0, 0), "forearm.R": (-25, 0, 0),
        "thigh.L": (-25, 0, 0), "shin.L": (40, 0, 0), "thigh.R": (-12, 0, 0), "shin.R": (18, 0, 0),
    },
    "embracing": _both({"upper_arm.L": (-68, 0, -28), "forearm.L": (-10, 0, -70), "hand.L": (0, 0, -20)}),
}  # fmt: skip
# How a pose meets the ground: "feet" (the soles on the floor), "seat" (the hips at the figure's seat height)
# or "body" (lying: the body's side on the floor).
GROUND = {pose: "feet" for pose in POSES} | {"sitting": "seat", "lying": "body"}
HELD_PROP_POSES = ("holding",)


def rotation(angles: Vec) -> Mat:
    """The rotation matrix for X, then Y, then Z turns, in degrees (Blender's XYZ Euler)."""
    ax, ay, az = (math.radians(a) for a in angles)
    cx, sx, cy, sy, cz, sz = math.cos(ax), math.sin(ax), math.cos(ay), math.sin(ay), math.cos(az), math.sin(az)
    rx = ((1.0, 0.0, 0.0), (0.0, cx, -sx), (0.0, sx, cx))
    ry = ((cy, 0.0, sy), (0.0, 1.0, 0.0), (-sy, 0.0, cy))
    rz = ((cz, -sz, 0.0), (sz, cz, 0.0), (0.0, 0.0, 1.0))
    return matmul(rz, matmul(ry, rx))


def matmul(a: Mat, b: Mat) -> Mat:
    rows = tuple(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3))
    return rows  # type: ignore[return-value]


def apply(m: Mat, v: Vec) -> Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def skeleton(height: float, build: float = 1.0, body: str = "man") -> dict[str, tuple[Vec, Vec, str | None]]:
    """The rest bones (head, tail, parent) in metres for a person `height` tall; `build` widens shoulders and hips,
    and the `body` (man, woman, boy, girl) sets the shoulders' width against the hips'."""
    s = height / REST_HEIGHT
    shoulders, hips = BODIES.get(body, BODIES["man"])
    out: dict[str, tuple[Vec, Vec, str | None]] = {}
    for name, (head, tail, parent) in _REST.items():
        wide = s * build * (shoulders if name.startswith(_LIMBS) else hips if parent is not None and "." in name else 1)
        out[name] = (
            (head[0] * wide, head[1] * s, head[2] * s),
            (tail[0] * wide, tail[1] * s, tail[2] * s),
            parent,
        )
    return out


@dataclass(frozen=True)
class PosedBone:
    head: Vec  # where the bone starts, posed (figure space, metres, before the figure's drop and turn)
    tail: Vec
    turn: Mat  # the bone's accumulated rotation (rest -> posed)


def pose_bones(pose: str, height: float, build: float = 1.0, body: str = "man") -> dict[str, PosedBone]:
    """Forward kinematics: each bone's posed head, tail and rotation, the way Blender's armature poses it."""
    bones = skeleton(height, build, body)
    table = POSE_ROTATIONS.get(pose, POSE_ROTATIONS["standing"])
    out: dict[str, PosedBone] = {}
    for name, (head, tail, parent) in bones.items():  # parents come first
        rel = rotation(table.get(name, (0.0, 0.0, 0.0)))
        if parent is None:
            turn, posed_head = rel, head
        else:
            up = out[parent]
            # The parent's pose carries this bone's rest head along: rotate about the parent's head.
            parent_rest_head = bones[parent][0]
            posed_head = _add(up.head, apply(up.turn, _sub(head, parent_rest_head)))
            turn = matmul(up.turn, rel)
        out[name] = PosedBone(posed_head, _add(posed_head, apply(turn, _sub(tail, head))), turn)
    return out


def drop(pose: str, height: float, build: float = 1.0, seat_height: float = 0.45, body: str = "man") -> float:
    """How far (metres) the posed skeleton moves down so that it meets the ground or its seat as its pose says."""
    bones = pose_bones(pose, height, build, body)
    s = height / REST_HEIGHT
    ground = GROUND.get(pose, "feet")
    if ground == "seat":
        return seat_height - bones["hips"].head[2]
    low = min(min(b.head[2], b.tail[2]) for b in bones.values())
    margin = 0.07 * s if ground == "body" else 0.02 * s  # a limb's thickness under a lying body; a sole
    return margin - low


def joints(
    pose: str, height: float, build: float, position: Vec, facing: float, seat_height: float = 0.45, body: str = "man"
) -> dict[str, PosedBone]:
    """Every bone posed, dropped onto the ground and turned to `facing` (degrees; 0 looks towards -Y), in the world."""
    down = drop(pose, height, build, seat_height, body)
    yaw = rotation((0.0, 0.0, facing))

    def place(v: Vec) -> Vec:
        return _add(position, apply(yaw, (v[0], v[1], v[2] + down)))

    return {
        name: PosedBone(place(b.head), place(b.tail), matmul(yaw, b.turn))
        for name, b in pose_bones(pose, height, build, body).items()
    }


def head_centre(bones: dict[str, PosedBone]) -> Vec:
    h = bones["head"]
    return ((h.head[0] + h.tail[0]) / 2, (h.head[1] + h.tail[1]) / 2, (h.head[2] + h.tail[2]) / 2)


def outline(bones: dict[str, PosedBone], height: float) -> list[Vec]:
    """Points that bound the posed figure: every joint, padded sideways by the body's thickness (the head's tail
    is the top of the head, the feet's tails their soles)."""
    pad = 0.13 * height / REST_HEIGHT
    points: list[Vec] = []
    for b in bones.values():
        for p in (b.head, b.tail):
            points += [(p[0] + dx, p[1] + dy, p[2] + dz) for dx, dy, dz in
                       ((0, 0, 0), (pad, 0, 0), (-pad, 0, 0), (0, pad, 0), (0, -pad, 0))]  # fmt: skip
    return points


# --- Who does what --------------------------------------------------------------------------------


def action_text(text: str) -> str:
    """The lines of a stretch of screenplay that are action: cues, parentheticals and dialogue left out."""
    out: list[str] = []
    in_speech = False
    for line in text.split("\n"):
        bare = line.strip()
        if not bare:
            in_speech = False
            out.append("")
            continue
        if in_speech:
            continue
        if _is_cue(bare):
            in_speech = True
            continue
        out.append(bare)
    return "\n".join(out)


def _is_cue(line: str) -> bool:
    name = re.sub(r"\(.*?\)", "", line).replace("^", "").strip()
    return bool(name) and name == name.upper() and any(c.isalpha() for c in name) and len(name) <= 40 and (
        not name.startswith(("INT.", "EXT.", "INT ", "EXT ", "I/E", "CUT TO", "FADE"))
    ) and not name.endswith((":", ".", "!", "?", ","))  # fmt: skip


def speaker_of(text: str, names: list[str]) -> str:
    """Who speaks first in these screenplay lines (a cue naming one of `names`), or "" when nobody does."""
    wanted = {n.upper(): n for n in names}
    for line in text.split("\n"):
        bare = line.strip()
        if bare.startswith("@"):
            bare = bare[1:]
        if _is_cue(bare):
            name = re.sub(r"\(.*?\)", "", bare).replace("^", "").strip()
            if name in wanted:
                return wanted[name]
    return ""


def _named(sentence: str, names: list[str]) -> list[tuple[int, str]]:
    found = []
    for name in names:
        m = re.search(rf"\b{re.escape(name)}\b", sentence, re.IGNORECASE)
        if m:
            found.append((m.start(), name))
    return sorted(found)


def poses_from(text: str, names: list[str]) -> dict[str, list[str]]:
    """Every pose the action's verbs give each person, in the order the action says them.

    A verb belongs to the people a sentence names before it ("Mara sits" sits Mara), or, in a sentence that
    names nobody but says he/she/they, to the people of the sentence before; an embrace takes everyone the
    sentence names ("Mara hugs Joe")."""
    out: dict[str, list[str]] = {n: [] for n in names}
    last: list[str] = []
    for sentence in _SENTENCES.split(action_text(text)):
        named = _named(sentence, names)
        verbs = [(m.start(), _VERB_OF[m.group(1).lower()]) for m in _VERBS.finditer(sentence)]
        if not named:
            pronoun = _PRONOUNS.search(sentence)
            if pronoun and verbs:
                plural = pronoun.group(1).lower() in ("they", "them", "their")
                # "She sits.": whoever was named last; "They sit.": the people of the sentence before, or everyone.
                for who in (last if len(last) > 1 else names) if plural else (last[-1:] or names):
                    out[who].append(verbs[0][1])
            continue
        last = [n for _, n in named]
        doers: list[str] = []
        since = -1
        for where, pose in verbs:
            if pose == "embracing":
                doers = last
            else:
                # The people named since the verb before this one; none: the same people as that verb's.
                doers = [n for at, n in named if since < at < where] or doers or [named[0][1]]
            since = where
            for who in doers:
                out[who].append(pose)
    return out


def pose_for(name: str, shot_action: str, scene_action: str = "", names: list[str] | None = None) -> str:
    """A person's pose in a shot: the first the shot's own action gives them; failing that, the last posture
    (stand, sit, lie) the scene's action gave them; failing that, standing."""
    cast = list(dict.fromkeys([*(names or []), name]))
    own = poses_from(shot_action, cast).get(name, [])
    if own:
        return own[0]
    kept = [p for p in poses_from(scene_action, cast).get(name, []) if p in POSTURES]
    return kept[-1] if kept else "standing"


# --- Facing ---------------------------------------------------------------------------------------


def yaw_towards(dx: float, dy: float) -> float:
    """The facing (degrees) that looks along (dx, dy); facing 0 looks towards -Y, where the cameras stand."""
    return round(math.degrees(math.atan2(dx, -dy)), 1)


def forward(facing: float) -> tuple[float, float]:
    a = math.radians(facing)
    return math.sin(a), -math.cos(a)


def _blend(a: float, b: float, share: float) -> float:
    """The facing `share` of the way from a to b, the short way round."""
    diff = (b - a + 180.0) % 360.0 - 180.0
    return round(a + diff * share, 1)


SPEAKER_TO_CAMERA = 0.5  # how far the speaker turns from the listeners towards the camera side


def stage_conversation(positions: list[tuple[float, float]], speaker: int) -> list[float]:
    """Facings for people in a conversation: listeners look at the speaker; the speaker looks between the
    listeners and the camera side (-Y), so a draft shows their face while they talk to someone."""
    sx, sy = positions[speaker]
    others = [p for i, p in enumerate(positions) if i != speaker]
    out = []
    for i, (x, y) in enumerate(positions):
        if i == speaker:
            if not others:
                out.append(0.0)
                continue
            cx, cy = sum(p[0] for p in others) / len(others), sum(p[1] for p in others) / len(others)
            out.append(_blend(yaw_towards(cx - sx, cy - sy), 0.0, SPEAKER_TO_CAMERA))
        else:
            out.append(yaw_towards(sx - x, sy - y))
    return out
