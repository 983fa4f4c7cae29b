# SPDX-License-Identifier: GPL-3.0-or-later
"""What the scene writer does with the words a model gives it (canned here: no model runs), the
checks' code paths that the quality bench (bench/script_quality.py) measures with the real one."""

from __future__ import annotations

from dataclasses import dataclass, field

from generation.engines.screenplay import Progress, write_scenes
from generation.engines.story import Beat
from generation.engines.text import OnText, Sampling, ShouldStop

LOGLINE = "A retired ferryman must carry his estranged daughter across a flooded river before nightfall."
CAST = ["RETIRED FERRYMAN", "DAUGHTER"]


@dataclass
class Canned:
    """A text backend that answers each batch with the next canned continuation, one per row."""

    answers: list[str]
    label: str = "canned"
    prompts: list[list[str]] = field(default_factory=list)

    def chat_prompt(self, system: str, user: str, prefill: str) -> str:
        return prefill

    def complete(
        self,
        prompts: list[str],
        sampling: Sampling,
        *,
        stop: tuple[str, ...] = (),
        on_text: OnText | None = None,
        should_stop: ShouldStop | None = None,
    ) -> list[str]:
        self.prompts.append(prompts)
        answer = self.answers[min(len(self.prompts), len(self.answers)) - 1]
        return [answer] * len(prompts)


def write(answers: list[str], rounds: tuple[str, ...]) -> tuple[str, Canned, dict[str, int]]:
    backend = Canned(answers)
    rejected: dict[str, int] = {}

    def count(kind: str, reason: str) -> None:
        rejected[reason] = rejected.get(reason, 0) + 1

    beat = Beat("EXT. FLOODED RIVER - DUSK", "The ferryman waits at the river.", "whole", CAST[:], [])
    scenes = write_scenes(backend, LOGLINE, [beat], CAST, Sampling(seed=7), Progress(rejected=count), rounds=rounds)
    return scenes[0].text(), backend, rejected


def test_a_paragraph_that_drifts_into_talk_keeps_its_first_sentences() -> None:
    text, backend, rejected = write(
        [" stands at the edge of the water and watches the current. Why did you come back?"], ("action",)
    )
    body = text.split("\n\n")[1].strip()
    assert body.endswith("and watches the current."), body
    assert "?" not in body and "you" not in body
    assert len(backend.prompts) == 1 and rejected == {}  # kept, not sampled again


def test_a_speech_that_ends_in_narration_keeps_the_speech() -> None:
    text, backend, rejected = write([" know what you did last winter. The daughter said softly."], ("line",))
    cue, speech = text.split("\n\n")[1].strip().split("\n")
    assert cue == CAST[0]
    assert speech.endswith("what you did last winter."), speech
    assert "said" not in speech
    assert len(backend.prompts) == 1 and rejected == {}


def test_a_piece_with_no_good_start_is_sampled_again() -> None:
    # Narration from the first sentence on (nothing to keep), then a speech that speaks.
    text, backend, rejected = write(
        [" the daughter said softly, and she walked away.", " never wanted the river to win."], ("line",)
    )
    speech = text.split("\n\n")[1].strip().split("\n")[1]
    assert speech.endswith("never wanted the river to win."), speech
    assert len(backend.prompts) == 2 and rejected == {"narration": 1}


def test_a_kept_start_must_still_pass_every_check() -> None:
    # The first sentence brings in a name nobody gave the story: nothing is kept, the next sample is.
    text, backend, rejected = write(
        [" waves to Sarah across the river. Then the rain starts.", " ties the rope to the post and waits."],
        ("action",),
    )
    assert "Sarah" not in text and "ties the rope to the post and waits." in text
    assert len(backend.prompts) == 2 and rejected == {"invented name": 1}


def test_a_speech_cut_inside_a_name_ends_at_the_sentence_before() -> None:
    text, _, _ = write([" know the truth now. She was taken by a strange man named Mr. Gray"], ("line",))
    speech = text.split("\n\n")[1].strip().split("\n")[1]
    assert speech.endswith("know the truth now."), speech
    assert "Mr." not in speech


def test_a_paragraph_that_takes_the_name_it_starts_with_for_a_cue_is_sampled_again() -> None:
    # Code starts the paragraph with "The retired ferryman"; the model goes on as if it were a cue.
    text, backend, rejected = write(
        [" It seems there is something out there...", " ties the rope to the post and waits."], ("action",)
    )
    body = text.split("\n\n")[1].strip()
    assert "It seems" not in text and body.endswith("ties the rope to the post and waits."), body
    assert len(backend.prompts) == 2 and rejected == {"shape": 1}
