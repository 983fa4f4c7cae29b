"""The finished film: animatic encode time per minute of film, and logline -> MP4 for a 3-scene film.

Prints, measured in one run:
- encode seconds per minute of film (15 stills with dissolves, a title card, voices and captions) at
  640x360 and 1280x720, and the ratio to real time;
- the end-to-end time from a logline to a playable MP4 through the real studio (HTTP requests, the Celery
  worker, the text model, Blender, espeak-ng, PyAV), broken down by stage: writing the script, rendering the
  storyboard (draft), and rendering the animatic.

    .venv/bin/python bench/animatic.py [--skip-e2e]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def encode_per_minute(size: tuple[int, int], *, moves: bool = False, still_scale: float = 1.0) -> tuple[float, float]:
    """Seconds to encode a minute of film; `moves`: every shot moves (push in, parallax over a depth pass, pan,
    pull out), its stills `still_scale` times the film's size (1.25: the storyboard's overscan)."""
    import numpy as np
    from PIL import Image, ImageDraw

    from generation.engines import animatic, voices

    folder = Path(tempfile.mkdtemp(prefix="fs-animatic-bench-"))
    clips, cues, sounds = [], [], []
    at = 0.0
    for i in range(15):
        still = (round(size[0] * still_scale), round(size[1] * still_scale))
        picture = Image.new("RGB", still, (40 + 12 * i, 90, 160 - 8 * i))
        box = (still[0] // 3, still[1] // 4, 2 * still[0] // 3, 3 * still[1] // 4)
        ImageDraw.Draw(picture).ellipse(box, fill=(230, 200, 170))
        path = folder / f"{i}.png"
        picture.save(path)
        depth = Image.new("I;16", still, 60000)
        ImageDraw.Draw(depth).ellipse(box, fill=8000)
        Image.fromarray(np.asarray(depth, dtype=np.uint16)).save(folder / f"{i}-depth.png")
        clips.append(
            animatic.Clip(
                image=str(path),
                duration=4.0,
                transition="dissolve" if i % 4 == 0 and i else "cut",
                move=("push_in", "parallax", "pan_left", "pull_out")[i % 4] if moves else "static",
                depth=str(folder / f"{i}-depth.png"),
            )
        )
        if voices.available():
            wav = folder / f"{i}.wav"
            seconds = voices.synthesize(
                "We have to get across the river before dark.", voices.character_voice(f"P{i % 3}"), wav
            )
            sounds.append(animatic.Sound(start=at + 0.3, wav=str(wav)))
            cues.append(
                animatic.Cue(
                    start=at + 0.3, end=at + 0.3 + seconds, text="We have to get across the river before dark."
                )
            )
        at += 4.0
    t0 = time.perf_counter()
    info = animatic.render_animatic(
        clips,
        out_path=folder / "film.mp4",
        size=size,
        fps=24,
        title=animatic.TitleCard("Bench", "a minute of film"),
        cues=cues,
        sounds=sounds,
        burn_captions=True,
        on_progress=lambda fraction, message: None,
        should_stop=lambda: False,
    )
    seconds = time.perf_counter() - t0
    return seconds * 60.0 / info["duration"], info["duration"]


LINES = (
    "Beer's ready!",
    "Does a bear crap in the woods?",
    "They're coming out of the woodwork! No, everybody we've put away!",
    "Everyone's coming after you mate! Scorpio, The Boy Band, Sparrow, Point Blank Sniper.",
    "This is everybody we've ever put away.",
    "I want them dead. Dead!",
)


def voice_real_time_factor() -> list[tuple[str, float, float, float]]:
    """(engine, load seconds, seconds of speech, real-time factor: synthesis seconds / seconds of speech)."""
    from generation.engines import voices

    folder = Path(tempfile.mkdtemp(prefix="fs-voice-bench-"))
    rows = []
    engines = [("piper", lambda n: voices.character_voice(n, neural=True))] if voices.piper_available() else []
    if voices.shutil.which(voices.ESPEAK):
        engines.append(("espeak-ng", lambda n: voices.voice_for(n)))
    for engine, pick in engines:
        t0 = time.perf_counter()
        voices.synthesize("Hello.", pick("WARMUP"), folder / f"{engine}-warm.wav")  # loads the model once
        load = time.perf_counter() - t0
        spoken, t0 = 0.0, time.perf_counter()
        for i, line in enumerate(LINES):
            spoken += voices.synthesize(line, pick(("BRICK", "STEEL", "COGNITO")[i % 3]), folder / f"{engine}-{i}.wav")
        rows.append((engine, load, spoken, (time.perf_counter() - t0) / spoken))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-e2e", action="store_true")
    args = parser.parse_args()
    print("scratch voices: real-time factor (seconds to synthesize a second of speech; < 1 is faster than real time)")
    for engine, load, spoken, rtf in voice_real_time_factor():
        print(f"  {engine:10} RTF {rtf:5.3f}  ({spoken:4.1f} s of speech; first line incl. loading {load:4.1f} s)")
    print("animatic encode (H.264 + AAC via PyAV; stills, dissolves, burned captions, scratch voices)")
    for size in ((640, 360), (1280, 720)):
        per_minute, _ = encode_per_minute(size)
        print(
            f"  {size[0]}x{size[1]}: {per_minute:5.1f} s to encode a minute of film ({60 / per_minute:4.1f}x real time)"
        )
    print("camera moves (640x360; push in, parallax, pan, pull out over stills 1.25x the film, as rendered)")
    still, _ = encode_per_minute((640, 360), still_scale=1.25)
    moving, _ = encode_per_minute((640, 360), moves=True, still_scale=1.25)
    small, _ = encode_per_minute((640, 360), moves=True, still_scale=0.25)
    print(f"  held stills {still:5.1f} s a minute; every shot moving {moving:5.1f} s ({moving / still:4.2f}x)")
    print(
        f"  quarter-size frames asked to move {small:5.1f} s ({small / still:4.2f}x): they hold still, never blown up"
    )
    if args.skip_e2e:
        return
    from bench._stack import Stack

    stack = Stack()
    try:
        end_to_end(stack)
    finally:
        stack.stop()


def end_to_end(stack: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from generation.models import GenerationJob
    from projects.teams.services import project_create

    owner = get_user_model().objects.create_user("bench-owner", password="x")
    project = project_create(user=owner, title="The Crossing", logline="")
    client = Client()
    client.force_login(owner)
    token = "b" * 32
    opener = urllib.request.build_opener()
    opener.addheaders = [
        ("Cookie", f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"),
        ("X-CSRFToken", token),
        ("Referer", stack.url + "/"),
    ]

    def run(kind: str, **params: Any) -> tuple[float, GenerationJob]:
        before = set(GenerationJob.objects.values_list("pk", flat=True))
        body = urllib.parse.urlencode({"kind": kind, **params}).encode()
        t0 = time.perf_counter()
        opener.open(f"{stack.url}/projects/{project.public_id}/jobs/new/", data=body, timeout=30).read()
        job = GenerationJob.objects.exclude(pk__in=before).get()
        while True:
            job.refresh_from_db()
            if job.status in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.2)
        if job.status != "succeeded":
            raise SystemExit(f"{kind} {job.status}: {job.error}")
        return time.perf_counter() - t0, job

    logline = "A retired ferryman must carry his estranged daughter across a flooded river before nightfall."
    stages = []
    seconds, _ = run("write_screenplay", logline=logline, scenes=3, rounds=3, seed=7)
    stages.append(("write the script (SmolLM2 on CPU)", seconds))
    time.sleep(2.5)  # the script settles into scenes
    seconds, job = run("render_scene", mode="draft")
    frames = len(job.result.get("frames", []))
    stages.append((f"render the storyboard ({frames} draft frames)", seconds))
    seconds, job = run("render_animatic", size=640)
    stages.append((f"render the animatic ({job.result['summary'][0][1]})", seconds))
    total = sum(s for _, s in stages)
    print("\nlogline -> MP4, 3-scene film, through the running studio (2-core CPU)")
    for name, seconds in stages:
        print(f"  {name:60} {seconds:7.1f} s  {100 * seconds / total:4.0f}%")
    print(f"  {'total':60} {total:7.1f} s")


if __name__ == "__main__":
    main()
