"""Who is in the script editor: each person's cursor colour, and the awareness updates that carry it.

The y-websocket protocol relays awareness (name, colour, cursor) from one browser to all others.
The server rewrites each update so that a person can only speak for themselves: the name is their
own username, the colour a plain #rrggbb, and an update names the one client id their socket uses.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from pycrdt import YMessageType, write_message, write_var_uint

COLOR = re.compile(r"#[0-9a-f]{6}")
MAX_STATE_BYTES = 4096  # a name, a colour and a cursor are a few hundred bytes


def user_color(name: str) -> str:
    """A person's cursor colour, the same on every page: a hue from their name."""
    hue = int(hashlib.sha1(name.encode()).hexdigest()[:4], 16) % 360  # noqa: S324 - a colour, not security
    r, g, b = colorsys.hls_to_rgb(hue / 360, 0.42, 0.65)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


class _Reader:
    """lib0 decoding (var uints and length-prefixed bytes) that refuses truncated or oversized input."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def uint(self) -> int:
        value = shift = 0
        while True:
            if self.at >= len(self.data) or shift > 49:
                raise ValueError("truncated number")
            byte = self.data[self.at]
            self.at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    def bytes(self) -> bytes:
        length = self.uint()
        if self.at + length > len(self.data):
            raise ValueError("truncated bytes")
        chunk = self.data[self.at : self.at + length]
        self.at += length
        return chunk


@dataclass
class Presence:
    """One socket's awareness: the person it speaks for and the client id it uses (the first it sends)."""

    username: str
    color: str
    client_id: int | None = None

    def sanitize(self, message: bytes) -> bytes | None:
        """The awareness message to relay in place of `message`, or None when nothing in it may be relayed."""
        try:
            reader = _Reader(message)
            if reader.uint() != YMessageType.AWARENESS:
                return None
            update = _Reader(reader.bytes())
            entries = [(update.uint(), update.uint(), update.bytes()) for _ in range(update.uint())]
        except ValueError:
            return None
        kept = []
        for client_id, clock, raw in entries:
            if self.client_id is None:
                self.client_id = client_id
            if client_id != self.client_id or len(raw) > MAX_STATE_BYTES:
                continue
            try:
                state = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                continue
            if state is not None and not isinstance(state, dict):
                continue
            kept.append((client_id, clock, None if state is None else self._clean(state)))
        if not kept:
            return None
        body = bytearray(write_var_uint(len(kept)))
        for client_id, clock, clean in kept:
            text = json.dumps(clean, separators=(",", ":")).encode()
            body += write_var_uint(client_id) + write_var_uint(clock) + write_message(text)
        return bytes([YMessageType.AWARENESS]) + write_message(bytes(body))

    def _clean(self, state: dict[str, Any]) -> dict[str, Any]:
        user = state.get("user")
        asked = user.get("color") if isinstance(user, dict) else None
        color = asked if isinstance(asked, str) and COLOR.fullmatch(asked) else self.color
        clean: dict[str, Any] = {"user": {"name": self.username, "color": color, "colorLight": color + "33"}}
        if isinstance(state.get("cursor"), dict) or state.get("cursor", False) is None:
            clean["cursor"] = state["cursor"]
        return clean
