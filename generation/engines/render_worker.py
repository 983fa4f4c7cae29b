"""A warm Blender child process and its controller, so a render can be cancelled by killing the child.

Run as `python -m generation.engines.render_worker`: the child imports bpy once, then answers JSON lines
on stdin with JSON lines on its original stdout (Blender's own output goes to stderr). Requests are
`{"id", "op": "render"|"export"|"ping"|"quit", ...}`; replies are `{"event": "ready"}` once, then
`{"event": "progress", "id", "fraction", "message"}`, `{"event": "result", "id", "result"}` or
`{"event": "error", "id", "kind": "invalid"|"failed", "message"}`.

The parent side is `RenderProcess` (no bpy, no Django): Celery prefork pool processes are daemonic,
so the child is a plain `subprocess.Popen`, not multiprocessing.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generation.engines.base import JobCancelled, JobFailed

BASE_DIR = Path(__file__).resolve().parents[2]
POLL_S = 0.1


class RenderCancelled(JobCancelled):
    """The render was cancelled; the child was killed and nothing was written."""


class RenderFailed(JobFailed):
    """The render did not finish: the child died, timed out, or reported an error (the message says which)."""


class InvalidSetSpec(RenderFailed, ValueError):
    """The set spec reaching the child is impossible; the message names the parameter."""


class RenderProcess:
    """One warm render child: started lazily, restarted after it dies, SIGKILLed on cancel."""

    def __init__(self, *, python: str = sys.executable, startup_timeout: float = 120.0) -> None:
        self.python = python
        self.startup_timeout = startup_timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._log_path = ""
        self._lock = threading.Lock()
        self.starts = 0
        self.import_seconds = 0.0

    @property
    def pid(self) -> int | None:
        """The child's process id, or None when no child is running."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def alive(self) -> bool:
        """Whether the child is running."""
        return self.pid is not None

    def start(self) -> None:
        """Starts the child (if it is not running) and waits until it has imported bpy."""
        if self.alive():
            return
        self._reap()
        fd, self._log_path = tempfile.mkstemp(prefix="render-worker-", suffix=".log")
        os.close(fd)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(BASE_DIR), env.get("PYTHONPATH", "")) if p)
        env["PYTHONUNBUFFERED"] = "1"
        with open(self._log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [self.python, "-m", "generation.engines.render_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=str(BASE_DIR),
                env=env,
            )
        self._buffer = b""
        self.starts += 1
        deadline = time.monotonic() + self.startup_timeout
        while True:
            msg = self._read_message(deadline, doing="while starting")
            if msg.get("event") == "ready":
                self.import_seconds = float(msg.get("import_seconds", 0.0))
                return

    def render(
        self,
        spec: dict[str, Any],
        out_dir: str | Path,
        mode: str = "draft",
        on_progress: Callable[[float, str], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
        *,
        device: str = "auto",
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Renders frame.png and depth.png into out_dir in the child; returns the child's result dict."""
        payload = {"spec": spec, "out_dir": str(out_dir), "mode": mode, "device": device}
        return self._request("render", payload, on_progress, should_cancel, timeout)

    def export(
        self, spec: dict[str, Any], out_dir: str | Path, should_cancel: Callable[[], bool] | None = None
    ) -> dict[str, Any]:
        """Writes set.blend and set.glb into out_dir in the child; returns their paths."""
        return self._request("export", {"spec": spec, "out_dir": str(out_dir)}, None, should_cancel, None)

    def ping(self) -> dict[str, Any]:
        """Round trip to the (started) child; returns its pid."""
        return self._request("ping", {}, None, None, 30.0)

    def kill(self) -> None:
        """SIGKILLs the child and waits for it."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        self._reap()

    def close(self) -> None:
        """Asks the child to quit (SIGKILL after 5 s) and removes its log."""
        with self._lock:
            proc = self._proc
            if proc is not None and proc.poll() is None and proc.stdin is not None:
                try:
                    proc.stdin.write(b'{"op": "quit"}\n')
                    proc.stdin.flush()
                    proc.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            self.kill()
            if self._log_path:
                Path(self._log_path).unlink(missing_ok=True)
                self._log_path = ""

    def _reap(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _log_tail(self, limit: int = 1500) -> str:
        try:
            data = Path(self._log_path).read_bytes()[-limit:].decode("utf-8", "replace")
        except OSError:
            return ""
        lines = [ln for ln in data.splitlines() if ln.strip() and not ln.startswith("Fra:")]
        return " | ".join(lines[-6:])

    def _died(self, doing: str) -> RenderFailed:
        proc = self._proc
        code = proc.wait(timeout=10) if proc is not None else None
        how = f"killed by {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        tail = self._log_tail()
        self._reap()
        return RenderFailed(f"the render worker died {doing} ({how})" + (f"; last output: {tail}" if tail else ""))

    def _read_message(
        self, deadline: float | None, should_cancel: Callable[[], bool] | None = None, doing: str = "during the render"
    ) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            if should_cancel is not None and should_cancel():
                self.kill()
                raise RenderCancelled()
            if deadline is not None and time.monotonic() > deadline:
                self.kill()
                raise RenderFailed("the render worker did not answer in time; it was stopped")
            ready, _, _ = select.select([fd], [], [], POLL_S)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise self._died(doing)
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            msg = json.loads(line)
        except ValueError:
            return {"event": "noise", "line": line.decode("utf-8", "replace")}
        return msg if isinstance(msg, dict) else {"event": "noise"}

    def _request(
        self,
        op: str,
        payload: dict[str, Any],
        on_progress: Callable[[float, str], None] | None,
        should_cancel: Callable[[], bool] | None,
        timeout: float | None,
    ) -> dict[str, Any]:
        with self._lock:
            rid = uuid.uuid4().hex
            token = rid[:12]
            line = (json.dumps({"id": rid, "op": op, "token": token, **payload}) + "\n").encode()
            for attempt in (1, 2):
                self.start()
                assert self._proc is not None and self._proc.stdin is not None
                Path(self._log_path).write_bytes(b"")
                try:
                    self._proc.stdin.write(line)
                    self._proc.stdin.flush()
                    break
                except OSError:
                    self.kill()
                    if attempt == 2:
                        raise RenderFailed("could not send the request to the render worker") from None
            deadline = time.monotonic() + timeout if timeout else None
            try:
                while True:
                    msg = self._read_message(deadline, should_cancel)
                    if msg.get("id") != rid:
                        continue
                    event = msg.get("event")
                    if event == "progress" and on_progress is not None:
                        on_progress(float(msg.get("fraction", 0.0)), str(msg.get("message", "")))
                    elif event == "result":
                        return dict(msg.get("result") or {})
                    elif event == "error":
                        text = str(msg.get("message", "unknown error"))
                        if msg.get("kind") == "invalid":
                            raise InvalidSetSpec(f"invalid set spec: {text}")
                        raise RenderFailed(f"the render failed: {text}")
            except BaseException as exc:
                if not isinstance(exc, (RenderFailed, RenderCancelled)):
                    self.kill()  # a callback raised mid-render: the child's state is unknown, so stop it
                if not self.alive() and "out_dir" in payload:
                    _remove_temporaries(Path(payload["out_dir"]), token)
                raise


def _remove_temporaries(out_dir: Path, token: str) -> None:
    """Removes what a killed child left half-written in out_dir (its temp names carry the request token)."""
    if not out_dir.is_dir():
        return
    for path in out_dir.iterdir():
        if path.name.startswith((f".frame-{token}", f".depth-{token}", f".set-{token}")):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


_processes: dict[int, RenderProcess] = {}
_processes_lock = threading.Lock()


def get_render_process() -> RenderProcess:
    """The render child of this (parent) process; started on first use, restarted after it dies."""
    with _processes_lock:
        proc = _processes.get(os.getpid())
        if proc is None:
            _processes.clear()  # entries inherited through fork belong to another process
            proc = _processes[os.getpid()] = RenderProcess()
        return proc


def main() -> None:
    """The child: keep the protocol on a private fd, import bpy once, then serve requests until EOF."""
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # Blender and print() write to fd 1: send that to stderr, off the protocol channel
    sys.stdout = sys.stderr
    write_lock = threading.Lock()

    def send(msg: dict[str, Any]) -> None:
        with write_lock:  # progress arrives on Cycles' own thread
            proto.write(json.dumps(msg) + "\n")
            proto.flush()

    started = time.perf_counter()
    import bpy  # noqa: F401

    from generation.engines import render
    from generation.engines.setschema import SetSpecError, validate_set_spec

    send({"event": "ready", "pid": os.getpid(), "import_seconds": round(time.perf_counter() - started, 3)})
    for raw in sys.stdin:
        if not raw.strip():
            continue
        rid = None
        try:
            req = json.loads(raw)
            rid, op = req.get("id"), req.get("op")
            if op == "quit":
                break
            if op == "ping":
                result: dict[str, Any] = {"pid": os.getpid()}
            elif op in ("render", "export"):
                try:
                    spec = validate_set_spec(req.get("spec"))
                except SetSpecError as exc:
                    send({"event": "error", "id": rid, "kind": "invalid", "message": str(exc)})
                    continue
                if op == "render":

                    def progress(fraction: float, message: str, rid: Any = rid) -> None:
                        send({"event": "progress", "id": rid, "fraction": round(fraction, 4), "message": message})

                    result = render.render_frame(
                        spec, req["out_dir"], mode=req.get("mode", "draft"), on_progress=progress,
                        device=req.get("device", "auto"), token=req.get("token", ""),
                    )  # fmt: skip
                else:
                    result = render.export_set(spec, req["out_dir"], token=req.get("token", ""))
            else:
                raise ValueError(f"unknown op {op!r}")
            send({"event": "result", "id": rid, "result": result})
        except Exception as exc:
            send({"event": "error", "id": rid, "kind": "failed", "message": f"{type(exc).__name__}: {exc}"})


if __name__ == "__main__":
    main()
