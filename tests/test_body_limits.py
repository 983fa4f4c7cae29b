"""Request bodies over their route's limit are refused before they are read: by the ASGI app and by daphne."""

from __future__ import annotations

import asyncio
import io
import secrets
import select
import socket
import struct
import time
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from filmstudio.asgi import application
from generation.models import GenerationJob
from generation.paths import project_media_root
from projects.characters import training
from projects.teams.selectors import project_access_for_user
from tests.conftest import Cast, Server, make_cast

KiB, MiB = 1024, 1024**2
SCRIPT = b"INT. DINER - NIGHT\n\nEDWARD\nCoffee.\n"


# --- the ASGI app, driven by hand ---------------------------------------------------------------


class Exchange:
    """One request through the real ASGI app: the body comes from `chunks`, the response is recorded."""

    def __init__(self, path: str, *, headers: dict[str, str], chunks: Iterator[bytes]) -> None:
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
        }
        self.chunks = chunks
        self.receives = 0
        self.bytes_read = 0
        self.ended = False
        self.sent: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        if self.ended:
            await asyncio.Event().wait()  # like a server: nothing more until the client goes away
        self.receives += 1
        chunk = next(self.chunks, None)
        if chunk is None:
            self.ended = True
            return {"type": "http.request", "body": b"", "more_body": False}
        self.bytes_read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    async def run(self) -> int:
        await application(self.scope, self.receive, self.send)
        return int(self.sent[0]["status"])

    @property
    def text(self) -> str:
        return b"".join(m.get("body", b"") for m in self.sent[1:]).decode()


def stream(total: int, chunk: int = 64 * KiB) -> Iterator[bytes]:
    """`total` bytes in chunks, made as they are asked for."""
    block = b"x" * chunk
    for _ in range(total // chunk):
        yield block


async def test_a_body_over_the_limit_by_content_length_gets_413_before_the_app_reads_it() -> None:
    # The app would be handed only 4 MiB of the declared gigabyte: enough to see whether it reads at all.
    exchange = Exchange("/accounts/login/", headers={"content-length": str(1024 * MiB)}, chunks=stream(4 * MiB))
    assert await exchange.run() == 413
    assert exchange.receives == 0
    assert "larger than" in exchange.text


async def test_a_chunked_body_is_cut_off_once_it_passes_the_limit() -> None:
    exchange = Exchange("/accounts/login/", headers={}, chunks=stream(64 * MiB))
    assert await exchange.run() == 413
    assert exchange.bytes_read <= 128 * KiB


def _login_cookie(client: Client, user: Any) -> str:
    client.force_login(user)
    return client.cookies["sessionid"].value


def _script_upload(size: int) -> tuple[bytes, dict[str, str]]:
    text = SCRIPT + b"\n" + b"Coffee, black, again and again.\n" * (size // 32)
    token = secrets.token_hex(16)
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("big.fountain", text)})
    headers = {
        "content-type": MULTIPART_CONTENT,
        "content-length": str(len(body)),
        "x-csrftoken": token,
        "cookie": f"csrftoken={token}",
    }
    return body, headers


@pytest.mark.django_db(transaction=True)
async def test_an_anonymous_post_over_64_kib_is_refused_even_on_an_upload_route() -> None:
    cast = await database_sync_to_async(make_cast)()
    body, headers = _script_upload(100 * KiB)
    path = f"/projects/{cast.project.public_id}/script/import/"
    for cookie in ("", "sessionid=not-a-session; "):
        sent = {**headers, "cookie": cookie + headers["cookie"]}
        exchange = Exchange(path, headers=sent, chunks=iter([body]))
        assert await exchange.run() == 413
        assert exchange.receives == 0
        assert "logged in" in exchange.text


@pytest.mark.django_db(transaction=True)
async def test_a_logged_in_upload_within_its_route_limit_goes_through() -> None:
    cast = await database_sync_to_async(make_cast)()
    session = await database_sync_to_async(_login_cookie)(Client(), cast.editor)
    body, headers = _script_upload(3 * MiB)  # over the anonymous and default limits, within the import's
    headers["cookie"] += f"; sessionid={session}"
    exchange = Exchange(
        f"/projects/{cast.project.public_id}/script/import/",
        headers=headers,
        chunks=(body[i : i + 64 * KiB] for i in range(0, len(body), 64 * KiB)),
    )
    assert await exchange.run() == 302
    # A script this big is read by a worker (an import_script job): the whole upload got through when its job
    # exists and the stored file holds every byte.
    job = await database_sync_to_async(
        lambda: GenerationJob.objects.filter(project=cast.project, kind="import_script").first()
    )()
    assert job is not None
    stored = [p for p in project_media_root(cast.project.public_id).rglob("*") if p.is_file() and "import" in str(p)]
    assert stored and max(p.stat().st_size for p in stored) >= 3 * MiB


@pytest.mark.django_db(transaction=True)
async def test_a_logged_in_body_over_its_route_limit_is_refused() -> None:
    cast = await database_sync_to_async(make_cast)()
    session = await database_sync_to_async(_login_cookie)(Client(), cast.editor)
    headers = {"content-length": str(8 * MiB), "cookie": f"sessionid={session}"}
    exchange = Exchange(f"/projects/{cast.project.public_id}/script/import/", headers=headers, chunks=stream(8 * MiB))
    assert await exchange.run() == 413
    assert exchange.receives == 0


# --- daphne: the body is refused as it arrives, not after it has been received ------------------


def post_raw(
    url: str, path: str, *, headers: dict[str, str], body: Iterator[bytes], wait: float = 10
) -> tuple[int, float]:
    """The status of a POST whose body is sent while the server lets it, and the seconds until it came."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    sock.sendall(head.encode() + b"\r\n")
    started = time.monotonic()
    sock.setblocking(False)
    pending = b""
    received = b""
    try:
        while time.monotonic() - started < wait:
            if not pending:
                pending = next(body, b"")
            readable, writable, _ = select.select([sock], [sock] if pending else [], [], 0.5)
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
                    pending = pending[sock.send(pending) :]
                except (BrokenPipeError, ConnectionResetError):
                    pending = b""
    finally:
        sock.close()
    elapsed = time.monotonic() - started
    if not received.startswith(b"HTTP/1.1 "):
        raise AssertionError(f"no response after {elapsed:.1f}s")
    return int(received.split()[1]), elapsed


def chunked(total: int) -> Iterator[bytes]:
    for block in stream(total):
        yield b"%x\r\n%s\r\n" % (len(block), block)
    yield b"0\r\n\r\n"


@pytest.mark.slow
def test_daphne_refuses_an_anonymous_gigabyte_by_its_content_length_at_once(asgi_server: Server) -> None:
    status, seconds = post_raw(
        asgi_server.url,
        "/accounts/login/",
        headers={"Content-Length": str(1024 * MiB), "Content-Type": "application/x-www-form-urlencoded"},
        body=stream(1024 * MiB),
    )
    assert status == 413 and seconds < 2


@pytest.mark.slow
def test_daphne_cuts_off_an_anonymous_chunked_stream(asgi_server: Server) -> None:
    status, seconds = post_raw(
        asgi_server.url, "/accounts/login/", headers={"Transfer-Encoding": "chunked"}, body=chunked(1024 * MiB)
    )
    assert status == 413 and seconds < 2


@pytest.mark.slow
def test_daphne_gives_a_logged_in_editor_the_route_limit_and_no_more(asgi_server: Server, cast: Cast) -> None:
    client = Client()
    session = _login_cookie(client, cast.editor)
    body, headers = _script_upload(300 * KiB)
    headers["cookie"] += f"; sessionid={session}"
    path = f"/projects/{cast.project.public_id}/script/import/"
    status, _ = post_raw(asgi_server.url, path, headers=headers, body=iter([body]))
    assert status == 302
    train = f"/projects/{cast.project.public_id}/models/train/"
    status, seconds = post_raw(
        asgi_server.url,
        train,
        headers={
            "Content-Length": str(1024 * MiB),
            "Content-Type": MULTIPART_CONTENT,
            "Cookie": f"sessionid={session}",
        },
        body=stream(1024 * MiB),
    )
    assert status == 413 and seconds < 2
    forged = {**headers, "cookie": headers["cookie"].replace(session, "forged")}
    status, _ = post_raw(asgi_server.url, path, headers=forged, body=iter([body]))
    assert status == 413


# --- the training upload: bounded by pixels as well as bytes -----------------------------------


def png_bomb(width: int, height: int) -> bytes:
    """A valid greyscale PNG of width x height whose file is tiny: every row is zeros."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_png_bomb_is_refused_by_its_dimensions_before_it_is_decoded(cast: Cast) -> None:
    bomb = png_bomb(5000, 5000)
    assert len(bomb) < 64 * KiB
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    files = [SimpleUploadedFile(f"face{n}.png", bomb) for n in range(4)]
    with pytest.raises(ValidationError, match=r"face0\.png is 5000×5000 pixels; the most is 2048×2048"):
        training.training_set_save(access=access, files=files)


def test_a_set_over_the_total_pixel_budget_is_refused(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(training, "MAX_TOTAL_PIXELS", 64 * 64 * 20)
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 100, 50)).save(picture, "PNG")
    access = project_access_for_user(user=cast.editor, public_id=cast.project.public_id)
    files = [SimpleUploadedFile(f"face{n}.png", picture.getvalue()) for n in range(24)]
    with pytest.raises(ValidationError, match="pixels in all"):
        training.training_set_save(access=access, files=files)


def test_a_png_bomb_posted_to_the_training_page_gets_a_clear_message(cast: Cast, client: Client) -> None:
    client.force_login(cast.editor)
    bomb = png_bomb(5000, 5000)
    response = client.post(
        f"/projects/{cast.project.public_id}/models/train/",
        {
            "images": [SimpleUploadedFile(f"face{n}.png", bomb) for n in range(16)],
            "name": "Inked",
            "license_note": "Our own art",
        },
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "Training was not started" in shown and "5000×5000 pixels" in shown
