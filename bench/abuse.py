"""Oversized requests and archive bombs against the real ASGI server: how fast each is refused, and
how much the web process's memory grows meanwhile.

Starts daphne on a throwaway var/ folder (no worker), then sends each case from a raw socket. A
gigabyte is never held here: bodies are generated chunk by chunk while the server reads them.
Memory is the web process's peak resident set (VmHWM, reset before each case where the kernel
allows it, and sampled every few ms) minus its resident set before the case.
Target for every case: refused within 2 s and with less than 100 MB growth.

    .venv/bin/python bench/abuse.py
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import select
import socket
import struct
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._stack import Stack

KiB, MiB, GiB = 1024, 1024**2, 1024**3
TOKEN = "c" * 32  # a well-formed CSRF token, sent as cookie and header (double submit)


# --- the web process's memory ---------------------------------------------------------------------


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def rss_bytes(pid: int) -> int:
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss)
    except ImportError:
        return _status_kib(pid, "VmRSS") * KiB


class PeakWatch:
    """The peak resident set of `pid` while the block runs (and a moment after), as growth over its start."""

    def __init__(self, pid: int, settle: float = 0.5) -> None:
        self.pid, self.settle = pid, settle
        self.peak = self.start = 0
        self._stop = threading.Event()

    def __enter__(self) -> PeakWatch:
        try:  # "5" resets the kernel's peak (VmHWM) to the current resident set
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False
        self.start = self.peak = rss_bytes(self.pid)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            time.sleep(0.005)

    def __exit__(self, *exc: object) -> None:
        time.sleep(self.settle)
        self._stop.set()
        self._thread.join()
        if self.hwm_reset:
            self.peak = max(self.peak, _status_kib(self.pid, "VmHWM") * KiB)

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 1e6


# --- requests from a raw socket ------------------------------------------------------------------


def post(
    port: int, path: str, headers: dict[str, str], body: Iterator[bytes], wait: float = 30
) -> tuple[int, float, int, dict[str, str]]:
    """Send a POST while the server reads it; stop at its answer. Status, seconds, bytes sent, headers."""
    sock = socket.create_connection(("127.0.0.1", port))
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    started = time.monotonic()
    sock.sendall(head.encode() + b"\r\n")
    sock.setblocking(False)
    pending, received, sent = b"", b"", 0
    try:
        while time.monotonic() - started < wait:
            if not pending:
                pending = next(body, b"")
            readable, writable, _ = select.select([sock], [sock] if pending else [], [], 0.2)
            if readable:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    break
                received += data
                if not data or b"\r\n\r\n" in received:
                    break
            elif writable:
                try:
                    n = sock.send(pending)
                except (BrokenPipeError, ConnectionResetError):
                    pending = b""
                    continue
                sent += n
                pending = pending[n:]
    finally:
        sock.close()
    seconds = time.monotonic() - started
    if not received.startswith(b"HTTP/1."):
        return 0, seconds, sent, {}
    lines = received.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), seconds, sent, {k.lower(): v for k, v in fields.items()}


def zeros(total: int, chunk: int = 256 * KiB) -> Iterator[bytes]:
    block = bytes(chunk)
    for _ in range(total // chunk):
        yield block


def chunked(parts: Iterator[bytes]) -> Iterator[bytes]:
    for part in parts:
        yield b"%x\r\n%s\r\n" % (len(part), part)
    yield b"0\r\n\r\n"


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "benchboundary7d3f"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# --- bombs ----------------------------------------------------------------------------------------


def png_bomb(width: int, height: int) -> bytes:
    """A valid greyscale PNG of width x height whose file is tiny: every row is zeros."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = bytes(width + 1)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def rebuilt_archive(source: Path, name: str, write: Callable[[Callable[[bytes], None]], None]) -> bytes:
    """`source` with member `name` replaced by what `write` streams, its manifest checksum made to match."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read("manifest.json"))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
            for member in old.namelist():
                if member not in ("manifest.json", name):
                    new.writestr(member, old.read(member))
            digest, size = hashlib.sha256(), 0
            with new.open(name, "w", force_zip64=True) as target:

                def emit(data: bytes) -> None:
                    nonlocal size
                    digest.update(data)
                    size += len(data)
                    target.write(data)

                write(emit)
            manifest["files"][name] = {"sha256": digest.hexdigest(), "size": size}
            new.writestr("manifest.json", json.dumps(manifest))
    return out.getvalue()


def big_jobs(emit: Callable[[bytes], None], total: int = 250 * 1000**2) -> None:
    """A valid jobs.json of `total` bytes: many small objects, the costliest shape to parse."""
    item = b'{"k":[1,2,3],"v":"x"},'
    block = item * (1 * MiB // len(item))
    emit(b'{"jobs": [], "padding": [')
    written = 0
    while written + len(block) < total:
        emit(block)
        written += len(block)
    emit(b"0]}")


def deep_frames(source: Path, depth: int = 600) -> Callable[[Callable[[bytes], None]], None]:
    with zipfile.ZipFile(source) as zf:
        frames = json.loads(zf.read("frames.json"))

    def write(emit: Callable[[bytes], None]) -> None:
        frames["frames"][0]["set_spec"] = {"room": "HERE"}
        text = json.dumps(frames).replace('"HERE"', '{"a": [' * depth + "1" + "]}" * depth)
        emit(text.encode())

    return write


# --- the run --------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    status: int
    seconds: float
    growth_mb: float
    sent_mb: float
    refused: bool

    @property
    def ok(self) -> bool:
        return self.refused and self.seconds < 2 and self.growth_mb < 100


def main() -> None:
    stack = Stack(worker=False)
    try:
        rows = run(stack)
    finally:
        stack.stop()
    print()
    print(f"{'case':<52} {'status':>6} {'seconds':>8} {'growth MB':>10} {'sent MB':>8}  result")
    for row in rows:
        verdict = "PASS" if row.ok else ("FAIL (accepted)" if not row.refused else "FAIL")
        print(
            f"{row.case:<52} {row.status:>6} {row.seconds:>8.2f} {row.growth_mb:>10.1f} {row.sent_mb:>8.1f}  {verdict}"
        )
    passed = sum(row.ok for row in rows)
    print(f"\n{passed}/{len(rows)} refused within 2 s with < 100 MB growth of the web process")
    if passed != len(rows):
        raise SystemExit(1)


def run(stack: Stack) -> list[Row]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from generation.models import GenerationJob
    from projects import archive
    from projects.models import Frame, Membership, Project, Role
    from projects.teams.selectors import project_access_for_user
    from projects.teams.services import project_create

    User = get_user_model()
    owner = User.objects.create_user("bench-owner", password="x")
    editor = User.objects.create_user("bench-editor", password="x")
    project = project_create(user=owner, title="Bench", logline="Abuse, politely.")
    Membership.objects.create(project=project, user=editor, role=Role.EDITOR)
    Frame.objects.create(project=project, scene_heading="INT. DINER - NIGHT", position=0)
    client = Client()
    client.force_login(editor)
    session = client.cookies["sessionid"].value
    source = stack.var / "source.zip"
    archive.project_export_archive(access=project_access_for_user(user=owner, public_id=project.public_id), out=source)

    pid, port = stack.web.pid, stack.port
    logged_in = {"Cookie": f"sessionid={session}; csrftoken={TOKEN}", "X-CSRFToken": TOKEN}
    train = f"/projects/{project.public_id}/models/train/"
    form = {"name": "Bench faces", "license_note": "Made by the bench", "steps": "5", "start": "default"}

    def upload(path: str, body: bytes, ctype: str) -> tuple[dict[str, str], Iterator[bytes]]:
        headers = {**logged_in, "Content-Type": ctype, "Content-Length": str(len(body))}
        return headers, iter([body[i : i + 256 * KiB] for i in range(0, len(body), 256 * KiB)])

    bomb = png_bomb(5000, 5000)
    bombs, bombs_type = multipart(form, [("images", f"bomb{n}.png", bomb) for n in range(16)])
    jobs_bomb = rebuilt_archive(source, "jobs.json", big_jobs)
    deep = rebuilt_archive(source, "frames.json", deep_frames(source))
    big_multipart_head, big_type = multipart(form, [])
    big_multipart_head = big_multipart_head.rsplit(b"--benchboundary7d3f--", 1)[0]
    file_head = b'--benchboundary7d3f\r\nContent-Disposition: form-data; name="images"; filename="huge.png"\r\n\r\n'

    def gigabyte_multipart() -> Iterator[bytes]:
        yield big_multipart_head + file_head
        yield from zeros(GiB)

    # Warm-up: the first request of each kind imports and caches code; that is not the bomb's cost.
    tiny, tiny_type = multipart(form, [("images", "one.png", png_bomb(64, 64))])
    post(port, train, *upload(train, tiny, tiny_type))
    small_zip, zip_type = multipart({}, [("archive", "not.zip", b"PK not a zip")])
    post(port, "/projects/import/", *upload("/projects/import/", small_zip, zip_type))
    form_type = {"Content-Length": "3", "Content-Type": "application/x-www-form-urlencoded"}
    post(port, "/accounts/login/", form_type, iter([b"a=b"]))

    jobs_before = GenerationJob.objects.count()
    projects_before = Project.objects.count()

    def is_413(status: int, headers: dict[str, str]) -> bool:
        return status == 413

    def back_to(page: str) -> Callable[[int, dict[str, str]], bool]:
        return lambda status, headers: status == 302 and headers.get("location", "") == page

    Check = Callable[[int, dict[str, str]], bool]
    cases: list[tuple[str, dict[str, str], Iterator[bytes], Check, str]] = [
        (
            "1 GiB anonymous POST (Content-Length)",
            {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(GiB)},
            zeros(GiB),
            is_413,
            "/accounts/login/",
        ),
        (
            "1 GiB anonymous chunked stream",
            {"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"},
            chunked(zeros(GiB)),
            is_413,
            "/accounts/login/",
        ),
        (
            "1 GiB multipart from a logged-in editor (training)",
            {**logged_in, "Content-Type": big_type, "Content-Length": str(GiB + 4096)},
            gigabyte_multipart(),
            is_413,
            train,
        ),
        (
            "1 GiB chunked multipart, logged-in editor (training)",
            {**logged_in, "Content-Type": big_type, "Transfer-Encoding": "chunked"},
            chunked(gigabyte_multipart()),
            is_413,
            train,
        ),
        (
            f"16 PNGs of 5000x5000 in {len(bombs) / MiB:.2f} MiB (training)",
            *upload(train, bombs, bombs_type),
            back_to(f"/projects/{project.public_id}/models/"),
            train,
        ),
        (
            f"archive of {len(jobs_bomb) / KiB:.0f} KiB, 250 MB jobs.json, checksum ok",
            *upload("/projects/import/", *multipart({}, [("archive", "bomb.zip", jobs_bomb)])),
            back_to("/projects/"),
            "/projects/import/",
        ),
        (
            "archive with a JSON field nested 600 deep",
            *upload("/projects/import/", *multipart({}, [("archive", "deep.zip", deep)])),
            back_to("/projects/"),
            "/projects/import/",
        ),
    ]
    # A control, outside the verdict: an accepted 48 MiB body shows that the watch sees daphne holding it.
    notes = io.BytesIO()
    with zipfile.ZipFile(notes, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("notes.txt", os.urandom(48 * MiB))
    control, control_type = multipart(form, [("images", "notes.zip", notes.getvalue())])
    with PeakWatch(pid) as watch:
        status, seconds, _, _ = post(port, train, *upload(train, control, control_type))
    print(f"control: 48 MiB accepted by the training page: {status} in {seconds:.2f} s, +{watch.growth_mb:.1f} MB")
    del control, notes

    rows = []
    for case, headers, body, refused, path in cases:
        with PeakWatch(pid) as watch:
            status, seconds, sent, response = post(port, path, headers, body)
        rows.append(Row(case, status, seconds, watch.growth_mb, sent / 1e6, refused(status, response)))
        print(f"{case}: {status} in {seconds:.2f} s, +{watch.growth_mb:.1f} MB", flush=True)
    if GenerationJob.objects.count() != jobs_before or Project.objects.count() != projects_before:
        print("a bomb got through: a job or a project was created")
        rows.append(Row("nothing was created", 0, 0, 0, 0, False))
    return rows


if __name__ == "__main__":
    main()
