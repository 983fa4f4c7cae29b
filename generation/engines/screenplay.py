"""Writing screenplay with a (small) language model, in stages that code keeps valid. No Django.

A 135M-parameter model cannot be trusted with a story, nor with layout, so both come from code and
only the words come from the model. Code reads the logline's people, places and premise nouns and
writes the beat outline (`generation.engines.story`): every heading, every scene's people and what
each scene is about. The model then writes each scene as alternating action paragraphs and speeches,
where the heading and every character cue are written by code and the model continues after them.
Every piece is checked before it is accepted (a speech that narrates, a name nobody asked for, a
paragraph whose time of day argues with its heading, a scene that forgets what it is about); a bad
piece is sampled again with the next seed, and dropped if it stays bad. All scenes are written side
by side in one batch, which is where the speed comes from on a CPU.

An endpoint that takes a JSON schema (`response_format`) is asked for the outline's summaries as
JSON; code still owns the headings and the people, and keeps its own summary where the answer fails
the same checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generation.engines import story
from generation.engines.base import JobCancelled
from generation.engines.story import Beat
from generation.engines.story.checks import contradicts_time, narrates, stray_names
from generation.engines.text import Sampling, ShouldStop, TextBackend, structured

PROMPT_VERSION = "fountain-story-2"

SYSTEM = (
    "You are a professional screenwriter. You write vivid, concrete screenplay scenes in Fountain "
    "format: scene headings like INT. KITCHEN - NIGHT, short present-tense action paragraphs, and "
    "character names in capitals above their dialogue. Never explain, never use markdown."
)
LINE_STARTS = ("I", "You", "We", "This", "Why", "What", "Don't", "Maybe", "It", "Listen,", "No.", "Tell")
# Speech has no place in an action paragraph: "I", "you", "we" or a question mean the model is talking.
FIRST_SECOND_PERSON = re.compile(r"\b(?:I|I'm|I've|I'll)\b|\b(?i:me|my|we|we're|us|our|you|you're|your)\b|\?")
HEADING_TIME = re.compile(r" - (" + "|".join(story.TIMES) + r")$")

__all__ = ["Beat", "Outline", "Progress", "Scene", "cast_names", "outline", "write_outline", "write_scenes"]


@dataclass
class Scene:
    beat: Beat
    characters: list[str]
    parts: list[str] = field(default_factory=list)  # accepted Fountain blocks after the heading

    def text(self) -> str:
        return "\n\n".join([self.beat.heading, *self.parts]) + "\n"


@dataclass
class Progress:
    """Callbacks into the job: how far it got, streamed text, and each accepted block (with the
    scene and the round it belongs to, so an interrupted run can be resumed)."""

    step: Callable[[float, str], None] = lambda fraction, message: None
    tokens: Callable[[int, str], None] = lambda scene, text: None
    accepted: Callable[[int, int, str], None] = lambda scene, round_number, block: None
    should_stop: ShouldStop = lambda: False
    rejected: Callable[[str, str], None] = lambda kind, reason: None  # a piece sampled again, and why


def _mostly_lowercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) < 0.25


DANGLING_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St)\.$")


def _without_dangling_title(text: str) -> str | None:
    """A text cut at its last full stop can end inside a name ("a man named Mr."): cut back to the
    sentence before it, or give up on the text."""
    while (match := DANGLING_TITLE.search(text)) is not None:
        text = text[: match.start()]
        end = max(text.rfind("."), text.rfind("!"), text.rfind("?"))
        if end <= 0:
            return None
        text = text[: end + 1]
    return text


def _clean_paragraph(raw: str) -> str | None:
    text = raw.replace("**", "").replace("#", "").strip().strip('"')
    text = text.split("\n")[0].strip()
    if not text:
        return None
    words = text.split()
    if '"' in text:  # dialogue inside action: keep the narration before it
        text = text[: text.index('"')].rstrip(" ,;:")
        words = text.split()
    if len(words) < 4 or not _mostly_lowercase(text) or not text[0].isalpha() or "_" in text:
        return None
    if ":" in text[:25]:
        return None
    # Cut a trailing half sentence.
    end = max(text.rfind("."), text.rfind("!"), text.rfind("?"))
    if end > len(text) // 3:
        text = text[: end + 1]
    kept = _without_dangling_title(text)
    return kept if kept and len(kept.split()) >= 4 else None


def _clean_line(raw: str) -> str | None:
    text = raw.strip().split("\n")[0].strip().strip('"').strip()
    text = re.sub(r"^\(.*?\)\s*", "", text)
    if len(text.split()) < 3 or not _mostly_lowercase(text) or ":" in text or "_" in text or "(" in text:
        return None
    if not text[0].isalpha():
        return None
    end = max(text.rfind("."), text.rfind("!"), text.rfind("?"))
    if end > 0:
        text = text[: end + 1]
    kept = _without_dangling_title(text)
    return kept if kept and len(kept.split()) >= 3 else None


def _sample(base: Sampling, seed: int, tokens: int) -> Sampling:
    return Sampling(tokens, base.temperature, base.top_p, base.repetition_penalty, base.no_repeat_ngram_size, seed)


@dataclass
class Outline:
    """The beats, the cast (cues, in order of appearance) and how the summaries were written."""

    beats: list[Beat]
    characters: list[str]
    mode: str = "code"


OUTLINE_SCHEMA_LIMIT = 240


def _outline_schema(count: int) -> dict[str, Any]:
    scene = {
        "type": "object",
        "properties": {"summary": {"type": "string", "maxLength": OUTLINE_SCHEMA_LIMIT}},
        "required": ["summary"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"scenes": {"type": "array", "items": scene, "minItems": count, "maxItems": count}},
        "required": ["scenes"],
        "additionalProperties": False,
    }


def summary_fits(summary: str, beat: Beat, allowed: list[str]) -> bool:
    """A summary keeps its beat: one line, its premise nouns, one of its people, no stray names."""
    mentions = [story.mention_of(cue).lower().removeprefix("the ") for cue in beat.people]
    return (
        0 < len(summary) <= OUTLINE_SCHEMA_LIMIT
        and "\n" not in summary
        and all(story.noun_pattern(noun).search(summary) for noun in beat.nouns)
        and any(m in summary.lower() for m in mentions)
        and not stray_names(summary, allowed)
    )


def write_outline(backend: TextBackend, logline: str, count: int, sampling: Sampling, progress: Progress) -> Outline:
    """The beat outline from the logline (code), its summaries rewritten by an endpoint that takes a JSON schema."""
    if progress.should_stop():
        raise JobCancelled()
    planned = story.plan(logline, count, sampling.seed)
    beats = planned.beats
    characters: list[str] = []
    for beat in beats:
        characters.extend(cue for cue in beat.people if cue not in characters)
    mode = "code"
    asker = structured(backend)
    if asker is not None:
        lines = "\n".join(
            f"Scene {i + 1} ({b.kind}), {b.heading}. People: "
            + ", ".join(story.mention_of(c) for c in b.people)
            + (f". It is about: {', '.join(b.nouns)}" if b.nouns else "")
            + f". Draft: {b.summary}"
            for i, b in enumerate(beats)
        )
        user = (
            f"Logline: {logline}\n\nThe outline of this {count}-scene short film, scene by scene:\n{lines}\n\n"
            "Rewrite each scene's draft as one vivid present-tense sentence about what happens. Keep its place, "
            "its people (named as above) and what it is about; bring in no other characters."
        )
        answer = asker.complete_json(
            SYSTEM, user, _outline_schema(count), "outline", _sample(sampling, sampling.seed, 400)
        )
        scenes = answer.get("scenes") if isinstance(answer, dict) else None
        if isinstance(scenes, list) and len(scenes) == count:
            allowed = [logline, *characters]
            for beat, item in zip(beats, scenes, strict=True):
                summary = " ".join(str(item.get("summary", "")).split()) if isinstance(item, dict) else ""
                if summary_fits(summary, beat, allowed):
                    beat.summary = summary
                    mode = "json-schema"
    for index, beat in enumerate(beats):
        progress.step((index + 1) / (count * 5), f"Outlined scene {index + 1}: {beat.heading}")
    return Outline(beats, characters, mode)


def outline(backend: TextBackend, logline: str, count: int, sampling: Sampling, progress: Progress) -> list[Beat]:
    """Scene headings with one-line summaries, the people of each scene and what it is about."""
    return write_outline(backend, logline, count, sampling, progress).beats


def cast_names(backend: TextBackend, logline: str, beats: list[Beat], sampling: Sampling) -> list[str]:
    """The cues of the outline's people: the logline's, and those the outline introduced on purpose."""
    names: list[str] = []
    for beat in beats:
        names.extend(cue for cue in beat.people if cue not in names)
    return names or [p.cue for p in story.plan(logline, max(1, len(beats)), sampling.seed).cast]


def _row_streamer(progress: Progress, rows: list[int]) -> Callable[[int, str], None]:
    def stream(row: int, text: str) -> None:
        progress.tokens(rows[row], text)

    return stream


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _check(
    kind: str, piece: str | None, scene: Scene, allowed: list[str], must_hold: list[str]
) -> tuple[str | None, str]:
    """The piece if it passes every check, else None and the reason."""
    if piece is None:
        return None, "shape"
    if stray_names(piece, allowed):
        return None, "invented name"
    if kind == "line":
        if narrates(piece, [*scene.characters, *(story.mention_of(c) for c in scene.characters)]):
            return None, "narration"
        return piece, ""
    if FIRST_SECOND_PERSON.search(piece):
        return None, "speech in action"
    time = HEADING_TIME.search(scene.beat.heading)
    if time and contradicts_time(piece, time[1]):
        return None, "time of day"
    if any(not story.noun_pattern(noun).search(piece) for noun in must_hold):
        return None, "premise noun"
    return piece, ""


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def _check_or_trim(
    kind: str, piece: str | None, scene: Scene, allowed: list[str], must_hold: list[str]
) -> tuple[str | None, str]:
    """The piece if it passes every check, else its longest run of leading sentences that does
    (a speech that ends in narration, a paragraph that drifts into talk), else None and the reason.
    Keeping the good start costs nothing; sampling again costs a whole batch on a CPU."""
    checked, reason = _check(kind, piece, scene, allowed, must_hold)
    if checked is not None or piece is None:
        return checked, reason
    sentences = SENTENCE_END.split(piece)
    shortest = 4 if kind == "action" else 3
    for end in range(len(sentences) - 1, 0, -1):
        shorter = " ".join(sentences[:end])
        if len(shorter.split()) < shortest:
            break
        kept, _ = _check(kind, shorter, scene, allowed, must_hold)
        if kept is not None:
            return kept, ""
    return None, reason


def write_scenes(
    backend: TextBackend,
    logline: str,
    beats: list[Beat],
    characters: list[str],
    sampling: Sampling,
    progress: Progress,
    *,
    rounds: tuple[str, ...] = ("action", "line", "line", "action", "line", "line"),
    done: Mapping[tuple[int, int], str] | None = None,
) -> list[Scene]:
    """Every scene at once: each round adds an action paragraph or a speech to all of them.

    A scene's speakers are its beat's people (else `characters`), in turn. Its first action
    paragraph must hold the beat's premise nouns. `done` holds the blocks an earlier, interrupted
    run already accepted, by (scene, round): they are taken as written (never sampled or accepted
    again), and the run goes on after them.
    """
    done = done or {}
    scenes = [Scene(beat, beat.people[:] or characters[:]) for beat in beats]
    allowed = [logline, *characters, *(b.heading for b in beats), *(b.summary for b in beats)]
    allowed += [story.mention_of(c) for c in characters]
    users = [
        f"Logline: {logline}\nThis scene: {scene.beat.summary}\n"
        f"Characters: {', '.join(story.mention_of(c) for c in scene.characters)}.\n"
        "Write this scene: short action paragraphs in the present tense, and natural dialogue: only the words "
        "each character says aloud. Bring in no other characters."
        for scene in scenes
    ]
    first_action = rounds.index("action") if "action" in rounds else -1
    speaker = [0] * len(scenes)
    for number, kind in enumerate(rounds):
        if progress.should_stop():
            raise JobCancelled()
        pending = []
        for i, scene in enumerate(scenes):
            earlier = done.get((i, number))
            if earlier is None:
                pending.append(i)
                continue
            scene.parts.append(earlier)
            if kind == "line":
                speaker[i] = (speaker[i] + 1) % len(scene.characters)
        for attempt in range(6):
            if not pending:
                break
            prompts, cues, starts, holds = [], [], [], []
            for i in pending:
                scene = scenes[i]
                body = scene.text().rstrip("\n")
                cue = scene.characters[speaker[i]] if kind == "line" else ""
                must_hold = scene.beat.nouns if number == first_action else []
                # A first word from code points the model at prose (it otherwise starts with dates
                # and lists); everything after it is the model's. Where the paragraph must hold the
                # scene's premise noun, every other try starts with it.
                pick = (sampling.seed + number * 7 + attempt * 3 + i) % len(LINE_STARTS)
                if kind == "line":
                    start = LINE_STARTS[pick]
                elif must_hold and attempt % 2 == 1:
                    start = f"The {must_hold[0]}"
                else:
                    who = [_capital(story.mention_of(c)) for c in scene.characters]
                    start = [*who, "The"][(number + attempt + i) % (len(who) + 1)]
                cues.append(cue)
                starts.append(start)
                holds.append(must_hold)
                prefill = f"{body}\n\n{cue}\n{start}" if cue else f"{body}\n\n{start}"
                prompts.append(backend.chat_prompt(SYSTEM, users[i], prefill))
            limit = 70 if kind == "action" else 40
            stops = ("\n\n", "\nINT.", "\nEXT.") if kind == "action" else ("\n",)
            outputs = backend.complete(
                prompts,
                _sample(sampling, sampling.seed + 1000 * (number + 1) + attempt, limit),
                stop=stops,
                on_text=_row_streamer(progress, pending),
                should_stop=progress.should_stop,
            )
            if progress.should_stop():
                raise JobCancelled()
            still = []
            for i, cue, start, hold, raw in zip(pending, cues, starts, holds, outputs, strict=True):
                joined = start + raw if raw[:1] in (",", ".", "'", "!", "?") else f"{start} {raw.lstrip()}"
                # A paragraph begun with someone's name that goes on with a capital ("Detective Ruiz
                # It seems ...") is a speech under a cue the model imagined, not action.
                cue_like = kind == "action" and start != "The" and raw.lstrip()[:1].isupper()
                cleaned = None if cue_like else _clean_paragraph(joined) if kind == "action" else _clean_line(joined)
                piece, reason = _check_or_trim(kind, cleaned, scenes[i], allowed, hold)
                if piece is None:
                    progress.rejected(kind, reason)
                    still.append(i)
                    continue
                block = piece if kind == "action" else f"{cue}\n{piece}"
                scenes[i].parts.append(block)
                progress.accepted(i, number, block)
                if kind == "line":
                    speaker[i] = (speaker[i] + 1) % len(scenes[i].characters)
            pending = still
        progress.step(0.2 + 0.8 * (number + 1) / len(rounds), f"Wrote {kind} {number + 1} of {len(rounds)}")
    return scenes
