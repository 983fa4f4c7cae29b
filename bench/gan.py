"""The character GAN: faces per second, and the time from a job request to the picture on the page.

Prints, measured side by side in one run:
- faces per second at batch 1 and batch 64 on the CPU (and on CUDA when present), bare model;
- for a 16-face grid (plain and steered from 256 candidates): the time from the HTTP request to the
  grid arriving on an open character sheet's websocket and its first picture downloaded, against the
  bare model time for the same faces (and ranking), with the ratio.

    .venv/bin/python bench/gan.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def faces_per_second(device: str, batch: int, total: int) -> float:
    from generation.engines import gan

    model = gan.load_generator(gan.default_spec(), device=device)
    latents = gan.latents_for(0, total)
    model.faces(latents[:batch])  # warm-up
    if device == "cuda":
        import torch

        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for start in range(0, total, batch):
        model.faces(latents[start : start + batch])
    if device == "cuda":
        import torch

        torch.cuda.synchronize()
    return total / (time.perf_counter() - t0)


def bare_grid_seconds(steer: bool, repeats: int) -> float:
    from generation.engines import face_attributes, gan

    model = gan.load_generator(gan.default_spec())
    times = []
    for seed in range(repeats):
        t0 = time.perf_counter()
        pool = 256 if steer else 16
        faces = model.faces(gan.latents_for(seed, pool))
        if steer:
            face_attributes.rank(faces, "A pale man with blond hair, brightly lit.", top=16)
        for face in faces[:16]:
            gan.png_bytes(face)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(max(1, torch.get_num_threads()))
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print("DCGAN faces (gan-face-generate weights), 64x64")
    for device in devices:
        one = faces_per_second(device, 1, 64)
        many = faces_per_second(device, 64, 512 if device == "cpu" else 4096)
        print(f"  {device:4}  batch 1: {one:8.1f} faces/s   batch 64: {many:8.1f} faces/s   ratio {many / one:.1f}x")
    if "cuda" not in devices:
        print("  cuda  not available on this machine")

    from bench._stack import Stack

    stack = Stack()
    try:
        asyncio.run(run(stack, args))
    finally:
        stack.stop()


async def run(stack: Any, args: argparse.Namespace) -> None:
    import websockets
    from asgiref.sync import sync_to_async
    from django.contrib.auth import get_user_model
    from django.test import Client

    from projects.models import Character
    from projects.teams.services import project_create

    def setup() -> tuple[str, str, str]:
        owner = get_user_model().objects.create_user("bench-owner", password="x")
        project = project_create(user=owner, title="Bench")
        character = Character.objects.create(
            project=project, name="EDWARD", look="A pale man with blond hair, brightly lit."
        )
        client = Client()
        client.force_login(owner)
        return str(project.public_id), str(character.public_id), client.cookies["sessionid"].value

    project_id, character_id, session = await sync_to_async(setup)()
    token = "b" * 32
    opener = urllib.request.build_opener()
    opener.addheaders = [
        ("Cookie", f"sessionid={session}; csrftoken={token}"),
        ("X-CSRFToken", token),
        ("Referer", stack.url + "/"),
    ]
    headers = {"Origin": "http://127.0.0.1", "Cookie": f"sessionid={session}"}
    ws_url = stack.url.replace("http", "ws") + f"/ws/characters/{character_id}/"
    face = re.compile(r'<img src="(/projects/[^"]+/media/jobs/(?P<job>[0-9a-f-]+)/faces/\d+\.png)"')

    async def one_grid(steer: bool, seed: int) -> float:
        async with websockets.connect(ws_url, additional_headers=headers, max_size=2**22) as ws:
            first = str(await ws.recv())
            seen_jobs = {m["job"] for m in face.finditer(first)}
            body = urllib.parse.urlencode(
                {
                    "kind": "design_candidates",
                    "character": character_id,
                    "count": 16,
                    "steer": "yes" if steer else "no",
                    "seed": seed,
                }
            ).encode()
            t0 = time.perf_counter()
            await asyncio.to_thread(
                lambda: opener.open(f"{stack.url}/projects/{project_id}/jobs/new/", data=body, timeout=30).read()
            )
            while True:
                html = str(await asyncio.wait_for(ws.recv(), timeout=120))
                found = [m for m in face.finditer(html) if m["job"] not in seen_jobs]
                if len(found) >= 16:
                    break
            await asyncio.to_thread(lambda: opener.open(stack.url + found[0].group(1), timeout=30).read())
            return time.perf_counter() - t0

    cold = await one_grid(False, 999)  # the worker loads the model on its first face job
    print("\nrequest -> 16-face grid on the page (through Celery, Channels and the media view), 2-core CPU")
    print(f"  first job after the worker started (loads the weights): {cold * 1000:7.0f} ms")
    for steer in (False, True):
        times = [await one_grid(steer, seed) for seed in range(args.repeats)]
        page = statistics.median(times)
        bare = await asyncio.to_thread(bare_grid_seconds, steer, args.repeats)
        label = "steered (256 drawn, ranked)" if steer else "plain (16 drawn)          "
        print(
            f"  {label}  on the page p50 {page * 1000:7.0f} ms   bare model {bare * 1000:6.0f} ms   "
            f"overhead {1000 * (page - bare):6.0f} ms   ratio page/bare {page / bare:5.1f}x"
        )


if __name__ == "__main__":
    main()
