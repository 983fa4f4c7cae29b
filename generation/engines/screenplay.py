"""Writing screenplay with a (small) language model, in stages that code keeps valid. No Django.

A 135M-parameter model cannot be trusted with layout, so the structure comes from code and only
the words come from the model: an outline of scene headings with one-line summaries, then each
scene as alternating action paragraphs and speeches, where the scene heading and every character
cue are written by code and the model continues after them. Every piece is checked before it is
accepted; a bad piece is sampled again with the next seed, and dropped if it stays bad. All scenes
are written side by side in one batch, which is where the speed comes from on a CPU.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from generation.engines.base import JobCancelled
from generation.engines.text import Sampling, ShouldStop, TextBackend

PROMPT_VERSION = "fountain-staged-1"

SYSTEM = (
    "You are a professional screenwriter. You write vivid, concrete screenplay scenes in Fountain "
    "format: scene headings like INT. KITCHEN - NIGHT, short present-tense action paragraphs, and "
    "character names in capitals above their dialogue. Never explain, never use markdown."
)
LINE_STARTS = ("I", "You", "We", "This", "Why", "What", "Don't", "Maybe", "It", "Listen,", "No.", "Tell")
PLACE_STOPS = (
    "\n",
    ",",
    ".",
    ";",
    " where",
    " and",
    " with",
    " as",
    " on",
    " of",
    " in",
    " at",
    " by",
    " near",
    " during",
    " when",
)
OUTDOORS = re.compile(
    r"\b(coast|beach|street|forest|woods|garden|field|road|harbou?r|dock|shore|island|sea|river|park|yard|porch|"
    r"cliff|mountain|lake|bridge|square|rooftop|desert|meadow|alley|pier|lighthouse)\b"
)
NOT_NAMES = {
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Morning",
    "Evening",
    "Night",
    "Today",
    "Tomorrow",
    "God",
    "Mom",
    "Dad",
    "Sir",
    "Miss",
    "Mrs",
    "Mr",
    "Doctor",
    "Scene",
    "Film",
}
HEADING = re.compile(r"^(INT|EXT|INT\./EXT|I/E)\.?\s+([A-Z0-9][A-Z0-9 '&.,/-]{1,60}?)\s+-\s+([A-Z][A-Z ]{1,20})$")
TIMES = ("DAY", "NIGHT", "MORNING", "EVENING", "DAWN", "DUSK", "LATER", "CONTINUOUS")
NAME = re.compile(r"\b([A-Z][a-z]{2,14})\b")
STOPWORDS = {
    "The",
    "This",
    "That",
    "When",
    "After",
    "Before",
    "Then",
    "They",
    "There",
    "Their",
    "She",
    "His",
    "Her",
    "And",
    "But",
    "While",
    "With",
    "Scene",
    "Int",
    "Ext",
    "Day",
    "Night",
    "One",
    "Two",
    "Three",
    "What",
}


@dataclass
class Beat:
    heading: str
    summary: str


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


def clean_heading(raw: str, fallback_time: str = "DAY") -> str | None:
    """A valid scene heading from what the model wrote, repaired where it can be."""
    text = " ".join(raw.replace("*", "").replace("#", "").split()).upper().strip(" .:")
    text = re.sub(r"^(SCENE\s*\d+\s*[:.-]\s*)", "", text)
    if not re.match(r"^(INT|EXT|INT\./EXT|I/E)\b", text):
        text = "INT. " + text
    text = re.sub(r"^(INT|EXT)\s+", r"\1. ", text)
    if " - " not in text:
        text = f"{text} - {fallback_time}"
    place, _, time = text.rpartition(" - ")
    if not any(time.startswith(t) for t in TIMES):
        time = fallback_time
    place = re.sub(r"[^A-Z0-9 '&.,/-]", "", place).strip()
    candidate = f"{place} - {time.split()[0]}"
    return candidate if HEADING.match(candidate) else None


def _mostly_lowercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) < 0.25


def _plausible_place(heading: str) -> bool:
    place = heading.split(". ", 1)[-1].rsplit(" - ", 1)[0]
    words = place.split()
    return (
        1 <= len(words) <= 4
        and len(place.replace(" ", "")) >= 5
        and not any(ch.isdigit() for ch in place)
        and all(len(w) > 1 for w in words)
    )


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
    return text


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
    return text


def _sample(base: Sampling, seed: int, tokens: int) -> Sampling:
    return Sampling(tokens, base.temperature, base.top_p, base.repetition_penalty, base.no_repeat_ngram_size, seed)


def outline(backend: TextBackend, logline: str, count: int, sampling: Sampling, progress: Progress) -> list[Beat]:
    """Scene headings with one-line summaries, one scene at a time."""
    beats: list[Beat] = []
    user = (
        f"Logline: {logline}\n\nWrite a {count}-scene outline for this short film. One line per scene: "
        "where it happens, then a vertical bar, then one sentence about what happens."
    )
    for index in range(count):
        if progress.should_stop():
            raise JobCancelled()
        so_far = "".join(f"Scene {i + 1}: {b.heading} | {b.summary}\n" for i, b in enumerate(beats))
        for attempt in range(8):
            seed = sampling.seed + 101 * index + attempt
            # The model names the place in plain words; code writes INT./EXT. and the time of day.
            time = "NIGHT" if (index + attempt) % 2 else "DAY"
            prompt = backend.chat_prompt(SYSTEM, user, f"{so_far}Scene {index + 1} takes place in the")
            place = backend.complete([prompt], _sample(sampling, seed, 8), stop=PLACE_STOPS)[0].strip()
            prefix = "EXT." if OUTDOORS.search(place.lower()) else "INT."
            heading = clean_heading(f"{prefix} {place} - {time}", time)
            if heading is None or not _plausible_place(heading):
                continue
            prompt = backend.chat_prompt(SYSTEM, user, f"{so_far}Scene {index + 1}: {heading} | ")
            summary = " ".join(backend.complete([prompt], _sample(sampling, seed, 40), stop=("\n",))[0].split())
            summary = re.sub(r"^.*?Scene \d+\s*:\s*", "", summary).strip(" -–")
            if len(summary.split()) >= 4 and _mostly_lowercase(summary) and heading not in {b.heading for b in beats}:
                beats.append(Beat(heading, summary))
                break
        else:
            raise ValueError(f"the model could not outline scene {index + 1}")
        progress.step((index + 1) / (count * 5), f"Outlined scene {index + 1}: {beats[-1].heading}")
    return beats


def cast_names(backend: TextBackend, logline: str, beats: list[Beat], sampling: Sampling) -> list[str]:
    """Two or three character names: from the logline and outline if they name people, else asked for."""
    names: list[str] = []
    for text in [logline, *(b.summary for b in beats)]:
        for name in NAME.findall(text):
            if name not in STOPWORDS and name not in NOT_NAMES and name.upper() not in names:
                names.append(name.upper())
    attempt = 0
    while len(names) < 2 and attempt < 8:
        who = "main character" if not names else "other important character"
        prompt = backend.chat_prompt(
            SYSTEM, f"Logline: {logline}\nWhat is the first name of the {who} of this film?", f"The {who} is named"
        )
        raw = backend.complete([prompt], _sample(sampling, sampling.seed + 7 + attempt, 6), stop=("\n", ".", ","))[0]
        found = NAME.findall(raw.strip().title())
        if found and found[0] not in STOPWORDS and found[0] not in NOT_NAMES and found[0].upper() not in names:
            names.append(found[0].upper())
        attempt += 1
    if len(names) < 2:
        raise ValueError("the model could not name the characters")
    return names[:3]


def _row_streamer(progress: Progress, rows: list[int]) -> Callable[[int, str], None]:
    def stream(row: int, text: str) -> None:
        progress.tokens(rows[row], text)

    return stream


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

    `done` holds the blocks an earlier, interrupted run already accepted, by (scene, round): they
    are taken as written (never sampled or accepted again), and the run goes on after them.
    """
    done = done or {}
    scenes = [Scene(beat, characters[:]) for beat in beats]
    users = [
        f"Logline: {logline}\nThis scene: {beat.summary}\nCharacters: {', '.join(c.title() for c in characters)}.\n"
        "Write this scene: short action paragraphs in the present tense, and natural dialogue."
        for beat in beats
    ]
    speaker = [i % len(characters) for i in range(len(scenes))]
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
                speaker[i] = (speaker[i] + 1) % len(characters)
        for attempt in range(6):
            if not pending:
                break
            prompts, cues, starts = [], [], []
            for i in pending:
                body = scenes[i].text().rstrip("\n")
                cue = characters[speaker[i]] if kind == "line" else ""
                # A first word from code points the model at prose (it otherwise starts with dates
                # and lists); everything after it is the model's.
                pick = (sampling.seed + number * 7 + attempt * 3 + i) % len(LINE_STARTS)
                if kind == "action":
                    start = [characters[(i + number) % len(characters)].title(), "The", "Outside,"][pick % 3]
                else:
                    start = LINE_STARTS[pick]
                cues.append(cue)
                starts.append(start)
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
            for i, cue, start, raw in zip(pending, cues, starts, outputs, strict=True):
                joined = start + raw if raw[:1] in (",", ".", "'", "!", "?") else f"{start} {raw.lstrip()}"
                piece = _clean_paragraph(joined) if kind == "action" else _clean_line(joined)
                if piece is None:
                    still.append(i)
                    continue
                block = piece if kind == "action" else f"{cue}\n{piece}"
                scenes[i].parts.append(block)
                progress.accepted(i, number, block)
                if kind == "line":
                    speaker[i] = (speaker[i] + 1) % len(characters)
            pending = still
        progress.step(0.2 + 0.8 * (number + 1) / len(rounds), f"Wrote {kind} {number + 1} of {len(rounds)}")
    return scenes
