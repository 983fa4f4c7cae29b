"""Staging without Blender: poses read from the action's verbs, the skeleton's forward kinematics, people in a
conversation facing each other, the speaker in focus, and people at a readable size in a wide shot."""

from __future__ import annotations

import math

import pytest

from generation.engines import staging
from generation.engines.setschema import Figure, SetSpec
from generation.engines.setspec import CharacterFigure, ShotInfo, derive_set_spec, figure_metrics
from tests.framing import figure_share

TALK = "Mara and Joe stand at the counter.\n\nJOE\nYou came back.\n\nMARA\nI had to."


def spec_for(action: str, shot_type: str, subjects: list[str], heading: str = "INT. JOE'S DINER - DAY") -> SetSpec:
    int_ext, _, rest = heading.partition(". ")
    location, _, time_of_day = rest.rpartition(" - ")
    return derive_set_spec(
        heading=heading, int_ext=int_ext, location=location, time_of_day=time_of_day, action=action,
        shot=ShotInfo(shot_type=shot_type, subjects=subjects),
        characters=[CharacterFigure(name=n) for n in subjects], seed=4, set_seed=9,
    )  # fmt: skip


# --- The verb -> pose table ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "pose"),
    [
        ("Mara stands by the window.", "standing"),
        ("Mara sits at the table.", "sitting"),
        ("Mara walks to the door.", "walking"),
        ("Mara runs down the street.", "running"),
        ("Mara points at the sky.", "pointing"),
        ("Mara holds a letter.", "holding"),
        ("Mara lies on the bed.", "lying"),
        ("Mara hugs Joe.", "embracing"),
        ("Mara waits.", "standing"),
        ("The rain falls.", "standing"),  # no verb of hers: she stands
    ],
)
def test_the_action_verb_gives_the_pose(action: str, pose: str) -> None:
    assert staging.pose_for("MARA", action, names=["MARA", "JOE"]) == pose


def test_every_pose_has_rotations_for_real_bones_and_the_table_covers_eight_poses() -> None:
    assert len(staging.POSES) >= 8
    assert set(staging.POSE_ROTATIONS) == set(staging.POSES) == set(staging.VERB_POSES)
    for pose, rotations in staging.POSE_ROTATIONS.items():
        assert set(rotations) <= set(staging.BONES), pose
    distinct = {tuple(sorted(r.items())) for r in staging.POSE_ROTATIONS.values()}
    assert len(distinct) == len(staging.POSES)  # no two poses the same


def test_verbs_belong_to_whoever_the_sentence_names_and_dialogue_poses_nobody() -> None:
    names = ["MARA", "JOE"]
    text = "Joe stands as Mara sits.\n\nJOE\nI ran all the way here.\n\nShe points at him."
    assert staging.poses_from(text, names) == {"MARA": ["sitting", "pointing"], "JOE": ["standing"]}
    assert staging.poses_from("They sit down.", names) == {"MARA": ["sitting"], "JOE": ["sitting"]}
    assert staging.poses_from("Mara hugs Joe.", names) == {"MARA": ["embracing"], "JOE": ["embracing"]}
    # A speech shot has no verbs of its own: the posture the scene gave them holds (a move does not).
    scene = "Mara sits at the counter. Joe walks in."
    assert staging.pose_for("MARA", "MARA\nHi.", scene, names) == "sitting"
    assert staging.pose_for("JOE", "JOE\nHi.", scene, names) == "standing"


def test_the_speaker_is_the_first_cue_naming_a_subject() -> None:
    assert staging.speaker_of(TALK, ["MARA", "JOE"]) == "JOE"
    assert staging.speaker_of("MARA (V.O.)\nHello.\n\nJOE\nHi.", ["Mara", "JOE"]) == "Mara"
    assert staging.speaker_of("Mara waits. THE DOOR OPENS.", ["MARA"]) == ""


# --- The skeleton ----------------------------------------------------------------------------------


def test_forward_kinematics_puts_feet_on_the_floor_and_heads_where_the_pose_says() -> None:
    h = 1.75
    standing = staging.joints("standing", h, 1.0, (0.0, 0.0, 0.0), 0.0)
    assert max(b.tail[2] for b in standing.values()) == pytest.approx(h, abs=0.02)
    assert min(min(b.head[2], b.tail[2]) for b in standing.values()) == pytest.approx(0.02 * h / 1.77, abs=1e-6)
    sitting = staging.joints("sitting", h, 1.0, (0.0, 0.0, 0.0), 0.0, seat_height=0.475)
    assert sitting["hips"].head[2] == pytest.approx(0.475)
    assert sitting["shin.L"].tail[2] < 0.15 and sitting["shin.L"].tail[1] < -0.3  # feet down, knees forward
    lying = staging.joints("lying", h, 1.0, (0.0, 0.0, 0.0), 0.0)
    assert max(b.tail[2] for b in lying.values()) < 0.8  # the whole body low
    head = staging.head_centre(lying)
    assert abs(head[0]) > 0.6  # the head a body's half-length away from the hips
    pointing = staging.joints("pointing", h, 1.0, (0.0, 0.0, 0.0), 0.0)
    hand, shoulder = pointing["hand.R"].tail, pointing["upper_arm.R"].head
    assert hand[1] < -0.5 and abs(hand[2] - shoulder[2]) < 0.1  # the arm straight out in front
    running = staging.joints("running", h, 1.0, (0.0, 0.0, 0.0), 90.0)  # facing +X
    assert running["shin.L"].tail[0] > 0.15 and running["shin.R"].tail[0] < -0.1  # one foot ahead, one behind


def test_build_widens_shoulders_and_height_scales_the_skeleton() -> None:
    small, broad = staging.skeleton(1.6, 0.9), staging.skeleton(1.9, 1.2)
    assert broad["head"][1][2] == pytest.approx(1.9) and small["head"][1][2] == pytest.approx(1.6)
    assert broad["upper_arm.L"][0][0] / small["upper_arm.L"][0][0] == pytest.approx(1.9 * 1.2 / (1.6 * 0.9))


def test_a_character_keeps_height_build_and_clothes_in_every_shot() -> None:
    seen: dict[str, set[tuple[float, float | None, tuple[float, ...]]]] = {}
    for action, shot_type in ((TALK, "wide"), ("Mara runs.", "medium"), ("Mara sits.", "close-up")):
        for fig in spec_for(action, shot_type, ["MARA", "JOE"]).characters:
            seen.setdefault(fig.name, set()).add((fig.height, fig.build, tuple(fig.color)))
    assert all(len(looks) == 1 for looks in seen.values()), seen
    assert seen["MARA"] != seen["JOE"]


# --- Facing and focus --------------------------------------------------------------------------------


def _looks_at(fig: Figure, other: Figure) -> float:
    fx, fy = staging.forward(fig.facing)
    dx, dy = other.position[0] - fig.position[0], other.position[1] - fig.position[1]
    return (fx * dx + fy * dy) / math.hypot(dx, dy)


def test_facing_math() -> None:
    assert staging.yaw_towards(0.0, -1.0) == 0.0  # towards -Y, the camera side
    assert staging.forward(staging.yaw_towards(1.0, 0.0)) == pytest.approx((1.0, 0.0))
    facings = staging.stage_conversation([(-0.65, 0.0), (0.65, 0.0), (0.0, 0.9)], speaker=0)
    speaker = staging.forward(facings[0])
    for i, (x, y) in enumerate([(0.65, 0.0), (0.0, 0.9)], start=1):
        fx, fy = staging.forward(facings[i])
        assert (fx * (-0.65 - x) + fy * (0.0 - y)) / math.hypot(-0.65 - x, y) == pytest.approx(1.0)
    assert speaker[1] < -0.3  # towards the camera side...
    assert speaker[0] > 0.3  # ...and towards the listeners (to the speaker's right on screen)


def test_in_a_conversation_listeners_face_the_speaker_who_is_in_focus() -> None:
    spec = spec_for(TALK, "medium", ["MARA", "JOE"])
    figs = {f.name: f for f in spec.characters}
    assert _looks_at(figs["MARA"], figs["JOE"]) == pytest.approx(1.0, abs=1e-3)  # Mara listens to Joe
    assert _looks_at(figs["JOE"], figs["MARA"]) > 0.5  # Joe talks to her...
    assert staging.forward(figs["JOE"].facing)[1] < -0.3  # ...turned towards the camera side
    assert spec.camera.focus == "JOE" and spec.camera.fstop == 2.8
    wide = spec_for(TALK, "wide", ["MARA", "JOE"])
    assert wide.camera.focus == "JOE" and wide.camera.fstop == 5.6  # a wide keeps more sharp


def test_an_over_the_shoulder_shot_looks_at_the_speaker_over_the_listener() -> None:
    # Subjects come in cast order (Mara first) while Joe speaks: the camera still favours the speaker.
    spec = spec_for(TALK, "ots", ["MARA", "JOE"])
    figs = {f.name: f for f in spec.characters}
    assert _looks_at(figs["MARA"], figs["JOE"]) == pytest.approx(1.0, abs=1e-3)
    assert _looks_at(figs["JOE"], figs["MARA"]) == pytest.approx(1.0, abs=1e-3)
    cam = spec.camera
    assert math.dist(cam.target[:2], [figure_metrics(figs["JOE"])[k] for k in ("head_x", "head_y")]) < 0.05
    assert math.dist(cam.position[:2], figs["MARA"].position[:2]) < 1.0  # behind Mara's shoulder
    assert cam.focus == "JOE"


def test_an_embrace_brings_two_people_together_face_to_face() -> None:
    spec = spec_for("Mara hugs Joe.", "medium", ["MARA", "JOE"])
    a, b = spec.characters
    assert a.pose == b.pose == "embracing"
    assert math.dist(a.position, b.position) < 0.6
    assert _looks_at(a, b) == pytest.approx(1.0, abs=1e-3) and _looks_at(b, a) == pytest.approx(1.0, abs=1e-3)


# --- Readable people in a wide -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "action", "people"),
    [
        ("INT. JOE'S DINER - DAY", TALK, ["MARA", "JOE"]),
        ("INT. APARTMENT - NIGHT", "Mara sits at the table.", ["MARA"]),
        ("EXT. MAIN STREET - DAY", "Joe runs down the street.", ["JOE"]),
        ("EXT. PARK - DAY", "Mara lies on the grass.", ["MARA"]),
        ("INT. WAREHOUSE - NIGHT", "They walk in.", ["MARA", "JOE", "KATE", "SAM"]),
        ("EXT. BEACH - DUSK", "Mara hugs Joe.", ["MARA", "JOE"]),
    ],
)
def test_a_wide_shows_its_people_whole_and_at_least_a_quarter_of_the_frame_tall(
    heading: str, action: str, people: list[str]
) -> None:
    spec = spec_for(action, "wide", people, heading=heading)
    assert sorted(f.name for f in spec.characters) == sorted(people)
    shares = []
    for fig in spec.characters:
        share, box = figure_share(spec, fig)
        assert -1.02 <= box[0] and box[2] <= 1.02 and -1.02 <= box[1] and box[3] <= 1.02, (fig.name, box)
        shares.append(share)
    assert max(shares) >= 0.25, shares
