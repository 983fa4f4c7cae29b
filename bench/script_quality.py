# SPDX-License-Identifier: GPL-3.0-or-later
"""Does the draft follow the logline? Writes a script for each of 22 loglines (our own, each with
the people and places a reader would name, written down by hand) with the studio's text engine, and
prints per logline and in total:

- recall: the share of the logline's people who speak, and of its places that appear in headings;
- valid headings: `INT.|EXT.|INT./EXT. <place> - <DAY|NIGHT|...>` with a place that is no time word;
- narration: dialogue lines that narrate ("…Emma said gently", a third-person past-tense report);
- invented names: cues that are not the outline's people, and names in the text no one gave it;
- adherence: scenes whose text holds their beat's premise nouns;
- seconds per scene, and how often each check made the engine sample a piece again.

    .venv/bin/python bench/script_quality.py [--loglines 22] [--scenes 3] [--rounds 6] [--seed 7]
        [--device cpu|cuda] [--endpoint URL --model-name NAME] [--json out.json]

Targets: recall >= 90%, valid headings 100%, narration < 5%, invented names 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

from generation.engines import screenplay, story  # noqa: E402
from generation.engines.story.checks import narrates, stray_names  # noqa: E402
from generation.engines.text import LocalBackend, OpenAIBackend, Sampling, TextBackend, TextModelSpec  # noqa: E402
from projects import fountain  # noqa: E402

# (logline, people a reader names (a cue must hold the word), places a reader names (a heading must hold it))
LOGLINES: list[tuple[str, list[str], list[str]]] = [
    (
        "A retired ferryman must carry his estranged daughter across a flooded river before nightfall.",
        ["FERRYMAN", "DAUGHTER"],
        ["RIVER"],
    ),
    (
        "A teenage son steals his father's fishing boat and an oil lamp to search the bay for his missing mother.",
        ["SON", "FATHER", "MOTHER"],
        ["BOAT", "BAY"],
    ),
    ("Emma, a retired cop, hunts the arsonist who burned down her diner.", ["EMMA", "ARSONIST"], ["DINER"]),
    ("A night-shift nurse at a seaside hospital meets the same patient twice.", ["NURSE", "PATIENT"], ["HOSPITAL"]),
    (
        "Two sisters fight over their father's will in a snowed-in farmhouse.",
        ["OLDER SISTER", "YOUNGER SISTER", "FATHER"],
        ["FARMHOUSE"],
    ),
    ("Detective Ruiz and her rookie partner chase a forger through Paris.", ["RUIZ", "PARTNER", "FORGER"], ["PARIS"]),
    (
        "A chef loses her sense of taste the night before a famous critic visits her restaurant.",
        ["CHEF", "CRITIC"],
        ["RESTAURANT"],
    ),
    (
        "A retired boxer trains his granddaughter in a basement gym the week before her first fight.",
        ["BOXER", "GRANDDAUGHTER"],
        ["GYM"],
    ),
    ("A projectionist finds the last reel of a lost film hidden in an old cinema.", ["PROJECTIONIST"], ["CINEMA"]),
    (
        "A widow and her teenage grandson drive a stolen taxi across the desert to bury a box of letters.",
        ["WIDOW", "GRANDSON"],
        ["TAXI", "DESERT"],
    ),
    ("A young astronaut hears knocking on the hull of her space station.", ["ASTRONAUT"], ["STATION"]),
    (
        "A shy librarian and a charming thief plan to steal a rare map from the city museum.",
        ["LIBRARIAN", "THIEF"],
        ["MUSEUM"],
    ),
    (
        "An old beekeeper teaches a runaway girl to tend the hives on a mountain farm.",
        ["BEEKEEPER", "GIRL"],
        ["FARM"],
    ),
    (
        "A disgraced pilot must fly a cargo plane full of medicine through a storm to a cut-off island.",
        ["PILOT"],
        ["PLANE", "ISLAND"],
    ),
    (
        "A small-town mechanic and her estranged brother rebuild their late father's race car in a crumbling garage.",
        ["MECHANIC", "BROTHER", "FATHER"],
        ["GARAGE"],
    ),
    ("Marcus, a street musician, finds a violin that plays by itself in a pawnshop.", ["MARCUS"], ["PAWNSHOP"]),
    (
        "A grieving father and his young son camp in the woods to find the wolf that took their dog.",
        ["FATHER", "SON"],
        ["WOODS"],
    ),
    (
        "A hotel maid discovers a guest's suitcase full of old love letters.",
        ["MAID", "GUEST"],
        ["HOTEL"],
    ),
    (
        "Two rival bakers are snowed in together at a mountain inn on the night of a baking contest.",
        ["FIRST BAKER", "SECOND BAKER"],
        ["INN"],
    ),
    (
        "A stubborn farmer refuses to leave her flooded farm when a young soldier comes to rescue her.",
        ["FARMER", "SOLDIER"],
        ["FARM"],
    ),
    (
        "An elderly clockmaker builds a clock that turns back one hour, and his apprentice wants to sell it.",
        ["CLOCKMAKER", "APPRENTICE"],
        [],
    ),
    (
        "Nadia, a radio operator on a remote island, hears her missing brother's voice in a storm.",
        ["NADIA", "BROTHER"],
        ["ISLAND"],
    ),
]


@dataclass
class Result:
    logline: str
    seconds: float
    scenes: int
    people: int = 0
    people_speaking: int = 0
    places: int = 0
    places_in_headings: int = 0
    headings: int = 0
    headings_valid: int = 0
    lines: int = 0
    lines_narrating: int = 0
    names: int = 0
    names_invented: list[str] = field(default_factory=list)
    scenes_adherent: int = 0
    resampled: dict[str, int] = field(default_factory=dict)
    outline: str = "code"
    text: str = ""
    cpu_seconds: float = 0.0  # this process's CPU time: on a shared machine, wall time is mostly the others'


def measure(
    text: str,
    beats: list[screenplay.Beat],
    characters: list[str],
    logline: str,
    people: list[str],
    places: list[str],
    result: Result,
) -> None:
    """Fill in the result's counts from the written script."""
    script = fountain.parse(text)
    headings = [e.text for e in script.elements if e.kind == "scene_heading"]
    cues = [fountain.cue_name(e.text)[0] for e in script.elements if e.kind == "character"]
    lines = [e.text for e in script.elements if e.kind == "dialogue"]
    prose = [e.text for e in script.elements if e.kind in ("action", "dialogue")]
    result.headings, result.headings_valid = len(headings), sum(story.valid_heading(h) for h in headings)
    result.people, result.people_speaking = len(people), sum(any(p in cue for cue in cues) for p in people)
    result.places = len(places)
    result.places_in_headings = sum(any(p in h for h in headings) for p in places)
    names = [*characters, *(story.mention_of(c) for c in characters)]
    result.lines, result.lines_narrating = len(lines), sum(narrates(line, names) for line in lines)
    invented = [c for c in dict.fromkeys(cues) if c not in characters]
    allowed = [logline, *names, *(b.heading for b in beats), *(b.summary for b in beats)]
    for block in prose:
        invented.extend(n for n in stray_names(block, allowed) if n not in invented)
    result.names = len(set(cues)) + len(invented) - len([c for c in invented if c in cues])
    result.names_invented = invented
    bodies = text.split("\n\n")
    scene_texts: list[str] = []
    for block in bodies:
        if story.valid_heading(block.strip()) or not scene_texts:
            scene_texts.append(block)
        else:
            scene_texts[-1] += "\n\n" + block
    result.scenes_adherent = sum(
        all(story.noun_pattern(n).search(body) for n in beat.nouns)
        for beat, body in zip(beats, scene_texts, strict=False)
    )


def run(backend: TextBackend, logline: str, people: list[str], places: list[str], args: argparse.Namespace) -> Result:
    resampled: dict[str, int] = {}

    def rejected(kind: str, reason: str) -> None:
        resampled[f"{kind}: {reason}"] = resampled.get(f"{kind}: {reason}", 0) + 1
        if args.verbose:
            print(f"   sampled again: {kind}: {reason}", file=sys.stderr, flush=True)

    def step(fraction: float, message: str) -> None:
        if args.verbose:
            print(f"   [{fraction:4.0%}] {message}", file=sys.stderr, flush=True)

    progress = screenplay.Progress(rejected=rejected, step=step)
    sampling = Sampling(seed=args.seed, temperature=0.7)
    rounds = ("action", "line", "line", "action", "line", "line", "action", "line", "line", "line")[: args.rounds]
    started, cpu_started = time.perf_counter(), time.process_time()
    drafted = screenplay.write_outline(backend, logline, args.scenes, sampling, progress)
    scenes = screenplay.write_scenes(
        backend, logline, drafted.beats, drafted.characters, sampling, progress, rounds=rounds
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    text = "".join(scene.text() + "\n" for scene in scenes)
    result = Result(
        logline, seconds, len(scenes), resampled=resampled, outline=drafted.mode, text=text, cpu_seconds=cpu_seconds
    )
    measure(text, drafted.beats, drafted.characters, logline, people, places, result)
    return result


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   — "


def row(number: int, result: Result) -> str:
    recall = percent(result.people_speaking + result.places_in_headings, result.people + result.places)
    return (
        f"{number:2d} {recall:>6} {percent(result.headings_valid, result.headings):>6} "
        f"{percent(result.lines_narrating, result.lines):>6} {len(result.names_invented):6d} "
        f"{percent(result.scenes_adherent, result.scenes):>6} {result.seconds / result.scenes:7.1f}  "
        f"{result.logline[:60]}" + (f"  invented: {', '.join(result.names_invented)}" if result.names_invented else "")
    )


HEADER = f"{'#':>2} {'recall':>6} {'heads':>6} {'narr.':>6} {'invent':>6} {'adher.':>6} {'s/scene':>7}  logline"


def report(results: list[Result]) -> None:
    """The totals over every logline written."""

    def total(name: str) -> int:
        return sum(getattr(r, name) for r in results)

    recall_part = total("people_speaking") + total("places_in_headings")
    recall_whole = total("people") + total("places")
    invented = sum(len(r.names_invented) for r in results)
    scenes = total("scenes")
    seconds = sum(r.seconds for r in results)
    resampled: dict[str, int] = {}
    for r in results:
        for reason, count in r.resampled.items():
            resampled[reason] = resampled.get(reason, 0) + count
    print()
    print(f"loglines {len(results)}, scenes {scenes}, outline: {', '.join(sorted({r.outline for r in results}))}")
    speaking = percent(total("people_speaking"), total("people"))
    print(
        f"recall {percent(recall_part, recall_whole)} (people who speak {speaking}, "
        f"places in headings {percent(total('places_in_headings'), total('places'))})   target >= 90%: "
        + ("PASS" if recall_whole and recall_part / recall_whole >= 0.9 else "FAIL")
    )
    valid, heads = total("headings_valid"), total("headings")
    print(f"valid headings {percent(valid, heads)}   target 100%: {'PASS' if valid == heads else 'FAIL'}")
    narrating, lines = total("lines_narrating"), total("lines")
    print(
        f"narration in dialogue {percent(narrating, lines)} ({narrating} of {lines} lines)   target < 5%: "
        + ("PASS" if not lines or narrating / lines < 0.05 else "FAIL")
    )
    print(
        f"invented names {invented} (rate {percent(invented, total('names'))} of names)   target 0: "
        + ("PASS" if invented == 0 else "FAIL")
    )
    print(f"one-line-summary adherence {percent(total('scenes_adherent'), scenes)}")
    cpu = sum(r.cpu_seconds for r in results)
    print(
        f"seconds per scene {seconds / max(1, scenes):.1f} (whole run {seconds:.0f} s; "
        f"CPU seconds per scene {cpu / max(1, scenes):.1f}, {os.cpu_count()} CPUs)"
    )
    print("sampled again: " + (", ".join(f"{k} {v}" for k, v in sorted(resampled.items())) or "nothing"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loglines", type=int, default=len(LOGLINES), help="how many loglines to write")
    parser.add_argument("--first", type=int, default=1, help="start at this logline (1 = the first)")
    parser.add_argument("--scenes", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--endpoint", default="", help="an OpenAI-compatible endpoint instead of SmolLM2")
    parser.add_argument("--model-name", default="")
    parser.add_argument("--json", default="", help="write every result (scripts included) here, after each logline")
    parser.add_argument("--report", nargs="*", default=None, help="print the figures of earlier --json files")
    parser.add_argument("--show", action="store_true", help="print each script")
    parser.add_argument("--verbose", action="store_true", help="print each step and each piece sampled again")
    args = parser.parse_args()

    if args.report is not None:
        earlier = [Result(**r) for name in args.report for r in json.loads(Path(name).read_text())]
        print(HEADER)
        for number, result in enumerate(earlier, start=1):
            print(row(number, result))
        report(earlier)
        return
    if args.endpoint:
        backend: TextBackend = OpenAIBackend(
            TextModelSpec(key="bench", backend="openai", location=args.endpoint, model_name=args.model_name)
        )
        label = f"{args.model_name} at {args.endpoint}"
    else:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        spec = TextModelSpec(
            key="bench",
            backend="package-gguf",
            cache_dir=str(BASE / "var" / "models" / "smollm2-135m-instruct-embedded"),
        )
        local = LocalBackend.load(spec)
        local.model.to(args.device)
        local.device = args.device
        backend, label = local, f"SmolLM2-135M-Instruct on {args.device}"
    print(f"{label}; {args.scenes} scenes x {args.rounds} rounds, seed {args.seed}")
    print(HEADER)
    results: list[Result] = []
    chosen = LOGLINES[args.first - 1 : args.first - 1 + args.loglines]
    for number, (logline, people, places) in enumerate(chosen, start=args.first):
        result = run(backend, logline, people, places, args)
        results.append(result)
        print(row(number, result), flush=True)
        if args.show:
            print(result.text)
        if args.json:
            Path(args.json).write_text(json.dumps([asdict(r) for r in results], indent=1))
    report(results)


if __name__ == "__main__":
    main()
