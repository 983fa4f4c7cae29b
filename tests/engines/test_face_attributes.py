"""Steering faces by description: attribute measurement, description parsing, ranking and agreement."""

from __future__ import annotations

import numpy as np
import pytest

from generation.engines import face_attributes as fa
from generation.engines import gan


@pytest.fixture(scope="module")
def faces_model() -> gan.FaceGenerator:
    return gan.load_generator(gan.default_spec(), device="cpu")


@pytest.fixture(scope="module")
def faces(faces_model: gan.FaceGenerator) -> np.ndarray:
    return faces_model.faces(gan.latents_for(11, 128))


def _portrait(
    *, background: tuple[int, int, int], skin: tuple[int, int, int], hair: tuple[int, int, int]
) -> np.ndarray:
    """A flat face-like picture: a skin oval in front of a background, a hair cap across the top."""
    image = np.empty((64, 64, 3), dtype=np.uint8)
    image[:] = background
    yy, xx = np.mgrid[0:64, 0:64]
    image[((yy - 36) / 30.0) ** 2 + ((xx - 32) / 22.0) ** 2 <= 1.0] = skin
    image[0:12, 14:50] = hair
    return image


def test_measure_gives_every_face_a_valid_value_for_every_attribute(faces: np.ndarray) -> None:
    measured = fa.measure(faces)
    assert len(measured) == len(faces)
    for attrs in measured:
        assert set(attrs) == set(fa.ATTRIBUTES)
        for attribute, value in attrs.items():
            assert value in fa.ATTRIBUTES[attribute]
    values = fa.measure_values(faces)
    assert all(v.shape == (len(faces),) and np.isfinite(v).all() for v in values.values())
    # Real faces don't all fall in one class: each attribute takes at least two values over 128 faces.
    for attribute in fa.ATTRIBUTES:
        assert len({a[attribute] for a in measured}) >= 2, attribute


def test_measure_rejects_images_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match="64, 64, 3"):
        fa.measure(np.zeros((2, 32, 32, 3), dtype=np.uint8))


def test_synthetic_portraits_are_classified_by_their_regions() -> None:
    blond = _portrait(background=(60, 140, 60), skin=(235, 195, 170), hair=(225, 185, 80))
    dark = _portrait(background=(90, 140, 220), skin=(70, 45, 35), hair=(20, 18, 16))
    side = blond.copy()
    side[:, 32:] = (side[:, 32:] * 0.35).astype(np.uint8)  # the right half in shadow
    night = (dark * 0.3).astype(np.uint8)
    a_blond, a_dark, a_side, a_night = fa.measure(np.stack([blond, dark, side, night]))
    assert a_blond["hair"] == "blond"
    assert a_blond["skin"] == "light"
    assert a_blond["background"] == "green"
    assert a_blond["light_direction"] == "even"
    assert a_dark["skin"] == "dark"
    assert a_dark["hair"] == "black"
    assert a_dark["background"] == "blue"
    assert a_side["light_direction"] == "side"
    assert a_night["lighting"] == "dim"
    assert a_night["background"] == "dark"


def test_parse_description_reads_looks_and_ignores_the_rest() -> None:
    assert fa.parse_description("A pale young woman with red hair.") == {"skin": "light", "hair": "red"}
    assert fa.parse_description("A bearded man with dark skin and black hair, lit by a harsh lamp.") == {
        "skin": "dark",
        "hair": "black",
        "facial_hair": "beard",
        "light_direction": "side",
    }
    assert fa.parse_description("The ginger redhead, fair-haired? No: a redhead.")["hair"] == "red"
    assert fa.parse_description("A silver-haired woman in the forest at night") == {
        "hair": "gray",
        "background": "green",
        "lighting": "dim",
    }
    assert fa.parse_description("A clean-shaven black man at the beach, sunlit") == {
        "skin": "dark",
        "facial_hair": "none",
        "lighting": "bright",
        "background": "blue",
    }
    assert fa.parse_description("A man with no beard and a tanned face") == {"skin": "medium", "facial_hair": "none"}
    assert fa.parse_description("The detective enters the parking lot and sits down.") == {}
    for text in fa.TEST_DESCRIPTIONS:
        assert fa.parse_description(text), text


def test_score_counts_matched_and_missed_attributes() -> None:
    attrs = {"skin": "light", "hair": "blond", "facial_hair": "none"}
    value, matched, missed = fa.score(attrs, {"hair": "blond", "skin": "dark"})
    assert (value, matched, missed) == (0.5, ["hair: blond"], ["skin: dark"])
    values = {k: v[0] for k, v in fa.measure_values(np.zeros((1, 64, 64, 3), np.uint8)).items()}
    soft, matched, missed = fa.score(values, {"lighting": "dim", "background": "green"})
    assert matched == ["lighting: dim"] and missed == ["background: green"]
    assert 0.0 < soft < 1.0


def test_ranking_puts_matching_candidates_first(faces: np.ndarray) -> None:
    ranked = fa.rank(faces, "A blond young man at the beach", top=len(faces))
    assert [r.index for r in ranked] != list(range(len(faces)))
    assert sorted(r.index for r in ranked) == list(range(len(faces)))
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert len(ranked[0].matched) >= max(len(r.matched) for r in ranked[len(ranked) // 2 :])
    assert all(set(r.matched) | set(r.missed) == {"hair: blond", "background: blue"} for r in ranked)
    measured = fa.measure(faces)
    for r in ranked[:4]:
        for name in r.matched:
            attribute, value = name.split(": ")
            assert measured[r.index][attribute] == value


@pytest.mark.heavy
def test_top_candidates_agree_with_descriptions_more_than_the_pool(faces_model: gan.FaceGenerator) -> None:
    result = fa.agreement(faces_model, fa.TEST_DESCRIPTIONS, pool=64, top=4, seed=0)
    assert len(result["per_description"]) == len(fa.TEST_DESCRIPTIONS)
    assert result["overall_top"] > result["overall_pool"] + 0.25, result
    for attribute, stats in result["per_attribute"].items():
        assert stats["top"] >= stats["pool"], (attribute, stats)


def test_ranking_is_deterministic_and_breaks_ties_by_index(faces: np.ndarray) -> None:
    text = "A bearded man with dark skin and black hair, lit by a harsh lamp."
    assert fa.rank(faces, text, top=8) == fa.rank(faces.copy(), text, top=8)
    assert fa.measure(faces) == fa.measure(faces.copy())
    same = np.repeat(faces[:1], 5, axis=0)
    assert [r.index for r in fa.rank(same, text, top=5)] == [0, 1, 2, 3, 4]
    assert fa.rank(faces, text, top=0) == []
