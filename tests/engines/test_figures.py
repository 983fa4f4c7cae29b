"""People's bodies (issue 14): the look decides body, height and hair; clothes tell a frame's people apart;
a sitter sits on the set's seat; a portrait fades into its skin; Blender builds one smooth body per person."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from generation.engines import physique, staging
from generation.engines.setspec import CharacterFigure, ShotInfo, derive_set_spec, figure_joints

FACES = Path(__file__).resolve().parents[1] / "data" / "faces"


def test_the_look_gives_sex_age_build_and_hair() -> None:
    woman = physique.read_physique("MARA", "a slim woman in her thirties with long red hair")
    man = physique.read_physique("JOE", "a heavy-set man in his fifties, gray hair and a beard")
    girl = physique.read_physique("LILY", "a girl of eight")
    bald = physique.read_physique("WALT", "an old bald man")
    assert (woman.body, woman.hair, woman.beard, woman.build) == ("woman", "long", False, 0.86)
    assert woman.hair_color == physique.HAIR_COLOURS["red"]
    assert (man.body, man.hair, man.beard, man.build) == ("man", "short", True, 1.28)
    assert man.hair_color == physique.HAIR_COLOURS["gray"]
    assert girl.body == "girl" and girl.height < 1.45 < woman.height
    assert bald.hair == "bald" and bald.old and bald.hair_color == physique.HAIR_COLOURS["gray"]
    # Nothing said: the name decides, the same every time.
    assert physique.read_physique("NOBODY") == physique.read_physique("nobody")


@pytest.mark.parametrize(
    ("name", "body", "old"),
    [("WOMAN", "woman", False), ("MRS. PEEL", "woman", False), ("OLD MAN", "man", True), ("GIRL #2", "girl", False),
     ("MOM", "woman", False), ("COWBOY", "man", False)],
)  # fmt: skip
def test_a_name_that_says_who_someone_is_sets_their_body(name: str, body: str, old: bool) -> None:
    found = physique.read_physique(name, "")
    assert (found.body, found.old) == (body, old)
    if body == "woman":
        assert physique.read_physique(name, "a tall man").body == "man"  # the look speaks first


def test_a_whole_cast_wears_colours_that_differ_within_every_scene_even_past_the_palette() -> None:
    cast = [f"EXTRA {n}" for n in range(12)]
    scenes = [["MARA", "JOE"], ["MARA", *cast[:5]], ["JOE", *cast[5:10]], cast[8:], ["MARA", "JOE", "EXTRA 3"]]
    worn = physique.cast_costumes(scenes)
    assert set(worn) == {"MARA", "JOE", *cast}
    for listed in scenes:
        for a, b in itertools.combinations(listed, 2):
            assert physique.colour_distance(worn[a], worn[b]) >= physique.MIN_COSTUME_DISTANCE, (a, b)
    assert physique.cast_costumes(scenes) == worn  # the same every time it is asked


def test_a_womans_frame_is_narrower_at_the_shoulders_and_wider_at_the_hips() -> None:
    def ratio(body: str) -> float:
        bones = staging.skeleton(1.7, 1.0, body)
        return bones["upper_arm.L"][0][0] / bones["thigh.L"][0][0]

    assert ratio("woman") < 0.85 * ratio("man")


def shot(action: str, cast: list[CharacterFigure], heading: str = "INT. LIVING ROOM - DAY", seed: int = 4):  # type: ignore[no-untyped-def]
    int_ext, _, rest = heading.partition(". ")
    location, _, tod = rest.rpartition(" - ")
    return derive_set_spec(
        heading=heading, int_ext=int_ext, location=location, time_of_day=tod, action=action,
        shot=ShotInfo(shot_type="wide", subjects=[c.name for c in cast]), characters=cast, seed=seed,
    )  # fmt: skip


def test_the_people_of_a_frame_wear_different_colours_and_keep_them_in_every_shot() -> None:
    names = ["ANNA", "BEN", "CARL", "DORA", "EVE", "FINN"]
    for group in itertools.combinations(names, 4):
        spec = shot("They talk.", [CharacterFigure(name=n) for n in group])
        colours = [f.color for f in spec.characters]
        for a, b in itertools.combinations(colours, 2):
            assert math.dist(a, b) >= physique.MIN_COSTUME_DISTANCE, (group, colours)
    # Given colours for a project's cast: each keeps theirs whoever they share the frame with.
    cast = physique.costume_colours(names)
    for pair in itertools.combinations(names, 2):
        spec = shot("They talk.", [CharacterFigure(name=n, colour=cast[n]) for n in pair], seed=len(pair[0]))
        assert [f.color for f in spec.characters] == [cast[n] for n in pair]
    assert all(math.dist(a, b) >= physique.MIN_COSTUME_DISTANCE for a, b in itertools.combinations(cast.values(), 2))


def test_a_sitter_sits_on_the_seat_near_their_mark() -> None:
    spec = shot("Mara sits on the sofa.", [CharacterFigure(name="MARA")])
    mara = spec.characters[0]
    hips = figure_joints(mara)["hips"].head
    seats = [p for p in spec.props if p.kind in ("sofa", "chair", "bench", "stool")]
    seat = min(seats, key=lambda p: math.dist(p.position[:2], hips[:2]))
    top = {"sofa": 0.44, "chair": 0.475, "bench": 0.475, "stool": 0.755}[seat.kind] * seat.scale[2]
    assert 0.03 <= hips[2] - top <= 0.1, (seat.kind, hips, top)  # the hip joint just above the seat
    assert math.dist(hips[:2], seat.position[:2]) < 0.6 * max(seat.scale[0], 1.0)


def test_a_portraits_border_fades_into_its_skin_tone(tmp_path: Path) -> None:
    from generation.engines.figures import prepared_portrait

    source = tmp_path / "face.png"
    rgb = np.asarray(Image.open(FACES / "seed3-000.png").convert("RGB")).copy()
    rgb[:8] = 0  # a dark band across the top, as DCGAN backgrounds often are
    Image.fromarray(rgb).save(source)
    faded, skin = prepared_portrait(str(source))
    out = np.asarray(Image.open(faded).convert("RGB"), dtype=np.float64) / 255.0
    srgb = [c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in skin]
    border = np.concatenate([out[0], out[-1], out[:, 0], out[:, -1]])
    assert np.abs(border - srgb).max() < 2.5 / 255  # the border is the skin, the dark band gone
    h, w, _ = out.shape
    assert np.abs(out[h // 2, w // 2] - rgb[h // 2, w // 2] / 255.0).max() < 2 / 255  # the face is kept


def components(loops: np.ndarray, starts: np.ndarray, count: int) -> int:
    """How many connected pieces the polygons make (union-find over each polygon's vertices)."""
    parent = np.arange(count)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(starts, np.append(starts[1:], len(loops)), strict=True):
        first = root(int(loops[a]))
        for v in loops[a + 1 : b]:
            parent[root(int(v))] = first
    return len({root(i) for i in range(count)})


def width(points: np.ndarray, z: float) -> float:
    band = points[np.abs(points[:, 2] - z) < 0.02]
    return float(band[:, 0].max() - band[:, 0].min())


@pytest.mark.heavy
def test_blender_makes_one_smooth_body_skinned_to_every_bone_and_shaped_by_sex() -> None:
    pytest.importorskip("bpy")
    from generation.engines import bodymesh

    widths = {}
    for body in ("man", "woman"):
        t = bodymesh.template(body)
        assert components(t.loops, t.starts, len(t.co)) == 1, body  # one connected surface
        assert np.allclose(t.weights.sum(axis=1), 1.0), body
        carried = {b for j, b in enumerate(staging.BONES) if t.weights[:, j].max() > 0.5}
        assert carried >= set(staging.BONES) - {"head"}, body  # every bone carries a part
        assert len(set(t.roles.tolist())) == len(bodymesh.ROLES)  # costume, trousers, skin and shoes
        trunk = t.co[np.abs(t.co[:, 0]) < 0.24]  # the torso without the arms hanging beside it
        widths[body] = tuple(width(trunk, z) for z in (1.33, 1.04, 0.9))  # chest, waist, hips
    man, woman = widths["man"], widths["woman"]
    assert woman[0] / woman[2] < 0.95 * man[0] / man[2]  # shoulders against hips
    assert woman[1] < woman[2] and man[1] < man[0]  # a waist


# What the script's action lines say about someone nobody described (issue 14's follow-up): pronouns in the
# sentence that names them and the next, where nobody else is named; words right at the name.
@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("MARIA wipes the counter. She smiles at the landlord.", "woman"),
        ("MARIA wipes the counter, her hands red. She hums.", "woman"),
        ("Old MARIA mends a net.", "old"),
        ("MARIA (70s) sits by the stove. He brings her tea.", "old"),  # "he" is someone else: him or her unsaid
        ("MARIA drags the boat up the sand... her father watches.", "woman"),
        ("MARIA, a girl of ten, runs along the quay.", "woman child"),
        ("Little MARIA hides. She giggles.", "woman child"),
        ("MARIA, his wife, pours the wine.", "woman"),  # the aside's "his" is the husband's; "wife" is hers
        # Windows that must not decide:
        ("MARIA and PEDRO argue. She storms out.", ""),  # someone else named: whose "she"?
        ("PEDRO watches MARIA. He laughs.", ""),
        ("MARIA smiles at him despite his temper. He shrugs.", ""),  # "him": another man is there
        ("MARIA hands her a coin. She nods.", ""),  # object "her": another woman is there
        ("He waits while MARIA pays.", ""),  # before the name: someone else
        ("MARIA stands. The door opens.", ""),
        ("An eight-year old MARIA runs.", ""),  # "old" of "eight-year old" is no old woman
    ],
)
def test_the_script_says_who_someone_nobody_described_is(action: str, said: str) -> None:
    assert physique.read_script_cues("MARIA", [action], {"PEDRO": None}) == said


def test_the_script_counts_by_majority_and_ignores_what_it_cannot_place() -> None:
    mostly_her = ["MARIA sweeps. She sings.", "MARIA sits. She sighs.", "MARIA waits. He is late."]
    assert physique.read_script_cues("MARIA", mostly_her) == ""  # 2 to 1 is not enough; 3 to 1 is

    assert physique.read_script_cues("MARIA", [*mostly_her, "MARIA leaves. She locks up."]) == "woman"
    assert physique.read_script_cues("MARIA", mostly_her[:2] + ["MARIA waits. He is late. "] * 2) == ""
    # Another character whose sex is known: the other sex's pronouns can only be this one's.
    near = ["The LANDLORD glares as MARIA walks in. She ignores him. Her apron is white."]
    assert physique.read_script_cues("MARIA", near, {"LANDLORD": "man"}) == "woman"  # "him" is his
    assert (
        physique.read_script_cues("MARIA", ["The LANDLORD glares as MARIA walks in. She sits."], {"LANDLORD": "man"})
        == "woman"
    )
    assert (
        physique.read_script_cues("MARIA", ["The LANDLORD glares as MARIA walks in. She sits."], {"LANDLORD": None})
        == ""
    )
    # Seen at six and at twenty-eight: no age from the script.
    assert physique.read_script_cues("WILL", ["WILL (6) hides.", "WILL, now 28, sits. He is furious."]) == "man"
    # YOUNG EDWARD's "(10)" is his, not EDWARD's.
    assert physique.read_script_cues("EDWARD", ["YOUNG EDWARD (10) runs."], {"YOUNG EDWARD": None}) == ""


def test_the_look_then_the_name_speak_before_the_script() -> None:
    assert physique.read_physique("MARIA", "", "woman").body == "woman"
    assert physique.read_physique("MARIA", "a tall man with a beard", "woman").body == "man"  # the look first
    assert physique.read_physique("MRS. PEEL", "", "man").body == "woman"  # then the name
    assert physique.read_physique("MARTIN", "a young fisherman", "man old").old is False  # "young": not old
    assert physique.read_physique("MARTIN", "", "man old").old is True
    assert physique.read_physique("ELSA", "", "woman child").body == "girl"
    assert physique.read_physique("YOUNG ELSA", "", "woman child").body == "girl"
    assert physique.read_physique("ELSA", "a woman in her forties", "woman child").body == "woman"
    assert physique.read_physique("MARIA") == physique.read_physique("MARIA", "", "")  # nothing said: as before


# Clothes and held things (issue 14's follow-up): the look names the clothes, the action what a hand holds.
@pytest.mark.parametrize(
    ("look", "clothes"),
    [
        ("a woman in a red dress", ("dress", None, None)),
        ("a woman in an evening gown", ("gown", None, None)),
        ("a girl of nine in a skirt and a baseball cap", ("skirt", None, "cap")),
        ("a man in a dark suit and a fedora", (None, "suit", "hat")),
        ("a tall man in a long coat", (None, "coat", None)),
        ("a boy in a denim jacket", (None, "jacket", None)),
        ("a well-dressed woman with a capable air", (None, None, None)),  # no dress, no cap
    ],
)
def test_the_look_names_the_clothes(look: str, clothes: tuple[str | None, ...]) -> None:
    assert physique.read_clothes(look) == clothes
    spec = shot("Sam stands.", [CharacterFigure(name="SAM", look=look)])
    sam = spec.characters[0]
    assert (sam.dress, sam.jacket, sam.hat) == clothes


def test_a_long_coat_is_no_long_hair() -> None:
    assert physique.read_physique("SAM", "a man in a long coat").hair == "short"
    assert physique.read_physique("SAM", "a man with long hair").hair == "long"


@pytest.mark.parametrize(
    ("action", "held"),
    [
        ("Mara holds a phone.", {"MARA": "phone"}),
        ("JOE grabs the pistol and waits.", {"JOE": "gun"}),
        ("Mara sips her coffee.", {"MARA": "cup"}),
        ("Joe holds a knife. Mara holds a glass of wine.", {"JOE": "knife", "MARA": "glass"}),
        ("Joe and Mara talk. She carries a bouquet of roses.", {"MARA": "flowers"}),  # she: the last named
        ("Joe reads the letter.", {"JOE": "paper"}),
        ("Joe picks up his briefcase.", {"JOE": "briefcase"}),
        ("Mara lifts the rifle.", {"MARA": "rifle"}),
        ("Mara holds her bag. Joe pours a bottle.", {"MARA": "bag"}),  # Joe is not holding
        ("Mara holds on.", {}),  # a holding figure with nothing named: the box, as before
    ],
)
def test_a_holding_figure_holds_what_the_action_names(action: str, held: dict[str, str]) -> None:
    from generation.engines import holding

    spec = shot(action, [CharacterFigure(name="MARA"), CharacterFigure(name="JOE")])
    got = {f.name: f.held for f in spec.characters if f.held}
    assert got == held
    for fig in spec.characters:
        assert fig.held is None or fig.pose == "holding"
        if fig.pose == "holding":
            assert holding.held_thing(fig.name, action, ["MARA", "JOE"]) == held.get(fig.name)


def test_a_held_thing_is_in_the_hand_not_on_a_table_too_except_in_its_insert() -> None:
    action = "Mara holds a phone. Joe grabs the pistol and waits."
    people = [CharacterFigure(name="MARA"), CharacterFigure(name="JOE")]
    spec = shot(action, people)
    assert {f.name: f.held for f in spec.characters} == {"MARA": "phone", "JOE": "gun"}
    assert not [p.kind for p in spec.props if p.kind in ("phone", "gun")]
    insert = derive_set_spec(
        heading="INT. LIVING ROOM - DAY", int_ext="INT", location="LIVING ROOM", time_of_day="DAY", action=action,
        shot=ShotInfo(shot_type="insert", subjects=[]), characters=people, seed=4,
    )  # fmt: skip
    assert "phone" in [p.kind for p in insert.props]  # the insert frames the phone the lines name
    alone = shot("A phone rings on the table. Mara and Joe stare at it.", people)
    assert "phone" in [p.kind for p in alone.props]  # nobody holds it: it is in the set


def _material_vertices(name: str, prefix: str) -> tuple[np.ndarray, np.ndarray]:
    """The world positions of the posed figure's vertices whose faces wear materials named `prefix`..., and
    all its vertices."""
    import bpy

    obj = bpy.data.objects[f"Figure {name}"]
    ev = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
    mesh = ev.to_mesh()
    co = np.empty(len(mesh.vertices) * 3)
    mesh.vertices.foreach_get("co", co)
    world = np.array(ev.matrix_world)
    points = co.reshape(-1, 3) @ world[:3, :3].T + world[:3, 3]
    wanted = {i for i, m in enumerate(mesh.materials) if m.name.startswith(prefix)}
    picked = sorted({v for p in mesh.polygons if p.material_index in wanted for v in p.vertices})
    ev.to_mesh_clear()
    return points[picked], points


@pytest.mark.heavy
def test_held_things_sit_in_the_right_hand_and_clothes_follow_the_legs() -> None:
    pytest.importorskip("bpy")
    import bpy

    from generation.engines.figures import build_figures
    from generation.engines.render import _material

    cast = [
        CharacterFigure(name="ELENA", look="a woman in a red dress"),
        CharacterFigure(name="VICTOR", look="a man in a dark suit and a hat"),
    ]
    for action, things in (
        ("Elena holds her phone. Victor holds a gun.", ("phone", "gun")),
        ("Elena carries flowers. Victor holds a glass.", ("flowers", "glass")),
    ):
        spec = shot(action, cast)
        assert [f.held for f in spec.characters] == list(things)
        bpy.ops.wm.read_factory_settings(use_empty=True)
        build_figures(spec.characters, _material)
        for fig in spec.characters:
            held, _ = _material_vertices(fig.name, "held:")
            assert len(held), fig.held
            hand = figure_joints(fig)["hand.R"]
            grip = np.array(hand.head) + 0.6 * (np.array(hand.tail) - np.array(hand.head))
            # In the hand: the grip inside its bounds (give or take the fist's 4 cm), all of it within 40 cm.
            low, high = held.min(axis=0) - 0.04, held.max(axis=0) + 0.04
            assert (low <= grip).all() and (grip <= high).all(), (fig.held, low, high, grip)
            assert np.linalg.norm(held - grip, axis=1).max() < 0.4, fig.held
            # And carried by the hand's bone alone.
            obj = bpy.data.objects[f"Figure {fig.name}"]
            group = obj.vertex_groups["hand.R"].index
            mesh = obj.data
            wanted = {i for i, m in enumerate(mesh.materials) if m.name.startswith("held:")}
            verts = {v for p in mesh.polygons if p.material_index in wanted for v in p.vertices}
            for v in list(verts)[:50]:
                weights = {g.group: g.weight for g in mesh.vertices[v].groups}
                assert weights == {group: 1.0}
    # The dress's skirt: from the waist to about the knee, wider than the hips, and it strides with the legs.
    skirts = {}
    for pose in ("standing", "walking"):
        spec = shot(f"Elena {'walks' if pose == 'walking' else 'stands'}.", cast[:1])
        elena = spec.characters[0]
        elena.facing = 0.0
        bpy.ops.wm.read_factory_settings(use_empty=True)
        build_figures(spec.characters, _material)
        skirt, _ = _material_vertices("ELENA", "Skirt ")
        joints = figure_joints(elena)
        assert skirt[:, 2].min() < joints["shin.L"].head[2] + 0.1  # down to the knee
        assert skirt[:, 2].max() > joints["hips"].head[2] + 0.08  # up to the waist
        skirts[pose] = skirt
    # Walking, the left thigh swings forward (-y) and the right one back: so do the hem's two sides.
    still, walking = skirts["standing"], skirts["walking"]
    hem = still[:, 2] < still[:, 2].min() + 0.03
    left, right = hem & (still[:, 0] > 0.05), hem & (still[:, 0] < -0.05)
    assert walking[left, 1].mean() < still[left, 1].mean() - 0.06
    assert walking[right, 1].mean() > still[right, 1].mean() + 0.04
