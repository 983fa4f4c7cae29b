"""A tiny OpenAI-compatible chat endpoint that writes plausible screenplay words at once.

The real text model (SmolLM2 on a CPU) takes minutes for a screenplay; tests about what a job
does with the words (resume, faults, the queue) run the studio's real `OpenAIBackend` against
this server instead. Its answer depends only on the prompt, so a run can be made again.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PLACES = ["old lighthouse", "harbour shed", "quiet kitchen", "village church", "night ferry", "empty library"]
NAMES = {"main character": "Walter", "other important character": "Martha"}
SUBJECTS = ["the keeper", "the old man", "his sister", "the stranger", "the ferryman", "the child", "the widow"]
VERBS = ["studies", "folds", "turns over", "hides", "reads", "carries", "drops", "opens", "buries", "mends"]
THINGS = ["a green bottle", "the torn letter", "a brass key", "the cold lamp", "a wet map", "the last photograph"]
PLACES_IN = ["by the window", "near the stove", "at the door", "under the stairs", "on the rocks", "in the rain"]


def _pick(words: list[str], digest: bytes, index: int) -> str:
    return words[digest[index] % len(words)]


def answer(system: str, user: str) -> str:
    """What the fake model says to a prompt (the backend puts the text to go on from in `user`)."""
    prefill = user.rsplit("without repeating it:\n", 1)[-1]
    digest = hashlib.sha256((user + system).encode()).digest()
    scene = re.search(r"Scene (\d+) takes place in the$", prefill)
    if scene:
        return " " + PLACES[(int(scene[1]) - 1) % len(PLACES)]
    if re.search(r"Scene \d+: [^\n]+ \| $", prefill):
        return f"{_pick(SUBJECTS, digest, 0)} {_pick(VERBS, digest, 1)} {_pick(THINGS, digest, 2)} and waits."
    named = re.search(r"The (main character|other important character) is named$", prefill)
    if named:
        return " " + NAMES[named[1]]
    unique = digest[:3].hex()  # every block differs, so a block written twice shows
    if re.search(r"\n[A-Z][A-Z .'-]+\n\S+$", prefill):  # a speech: cue, then the first word
        return f" never told anyone about {_pick(THINGS, digest, 3)} {unique}."
    return (
        f" {_pick(VERBS, digest, 4)} {_pick(THINGS, digest, 5)} {_pick(PLACES_IN, digest, 6)}"
        f" while the wind rattles the glass, mark {unique}."
    )


def answer_json(user: str, schema: dict[str, Any]) -> dict[str, Any]:
    """What the fake model says when asked for JSON that follows `schema` (`response_format`): an
    outline's summaries (keeping each scene's people and what it is about) or a shot list."""
    digest = hashlib.sha256(user.encode()).digest()
    properties = schema.get("properties", {})
    if "scenes" in properties:
        scenes = []
        for line in re.findall(r"^Scene \d+ \(.*$", user, re.M):
            people = re.search(r"People: (.*?)\.( It is about| Draft)", line)
            about = re.search(r"It is about: (.*?)\. Draft", line)
            who = people[1].split(", ") if people else ["someone"]
            thing = f" over the {about[1].split(', ')[0]}" if about else ""
            scenes.append({"summary": f"{' and '.join(who)} circle each other{thing}, saying less than they mean."})
        return {"scenes": scenes}
    if "shots" in properties:
        count = properties["shots"].get("minItems", 1)
        return {
            "shots": [
                {"description": f"We see {_pick(SUBJECTS, digest, i)} {_pick(VERBS, digest, i + 1)} {thing}."}
                for i, thing in ((i, _pick(THINGS, digest, i + 2)) for i in range(count))
            ]
        }
    return {}


class FakeLLM:
    """The server's state: how many requests it answered, how slowly it streams (seconds a chunk),
    whether it refuses `response_format` like an endpoint without JSON schemas, and the JSON requests."""

    def __init__(self) -> None:
        self.requests = 0
        self.chunk_seconds = 0.0
        self.url = ""
        self.refuse_schemas = False
        self.json_requests: list[str] = []


def _handler(state: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            messages = {m["role"]: m["content"] for m in body["messages"]}
            state.requests += 1
            if "response_format" in body:
                self.json_answer(body, messages)
                return
            text = answer(messages.get("system", ""), messages.get("user", ""))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            words = text.split(" ")
            for i in range(0, len(words), 3):
                chunk = (" " if i else "") + " ".join(words[i : i + 3])
                data = {"choices": [{"delta": {"content": chunk}}]}
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()
                if state.chunk_seconds:
                    time.sleep(state.chunk_seconds)
            self.wfile.write(b"data: [DONE]\n\n")

        def json_answer(self, body: dict[str, Any], messages: dict[str, str]) -> None:
            if state.refuse_schemas:
                self.send_response(400)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": {"message": "response_format is not supported"}}')
                return
            schema = body["response_format"]["json_schema"]["schema"]
            state.json_requests.append(body["response_format"]["json_schema"]["name"])
            content = json.dumps(answer_json(messages.get("user", ""), schema))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}).encode())

    return Handler


@contextmanager
def fake_llm() -> Iterator[FakeLLM]:
    """Serve the fake endpoint on a free local port for the duration of the block."""
    state = FakeLLM()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="fake-llm", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
