"""Watches Redis, which carries every live update, on behalf of the open sockets.

When Redis goes away, or comes back as a new server (its run id changed, so messages were lost in
between), the sockets are closed with CLOSE_RECONNECT. Browsers then show "reconnecting…", keep
trying, and re-read the current state when a socket opens again: no page stays silent while it looks
connected. One watch per event loop (the server's; each test's own).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any

import redis.asyncio as aioredis
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from redis.exceptions import RedisError

from filmstudio import embedded_redis

logger = logging.getLogger(__name__)

# "Live updates were interrupted: connect again." A server may only send 1000 or 3000-4999 (daphne's
# autobahn refuses 1012); static/js/filmstudio.js reconnects htmx sockets on it, y-websocket on any close.
CLOSE_RECONNECT = 4012


class LiveSocket(AsyncWebsocketConsumer):
    """A socket whose groups live in Redis. While Redis is unreachable its handshake is refused and
    an open one is closed (the browser tries again), never a server error."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except (RedisError, OSError) as exc:  # from the channel layer: its channel, groups or a send
            logger.warning("live socket closed: Redis is unreachable (%s: %s)", type(exc).__name__, exc)
            watch().discard(self)
            try:
                await send({"type": "websocket.close", "code": CLOSE_RECONNECT})
            except Exception:  # the socket is gone already
                logger.debug("closing a live socket failed", exc_info=True)


class RedisWatch:
    """The open sockets of one event loop, and the task that checks Redis for them every few seconds."""

    def __init__(self) -> None:
        self.sockets: set[AsyncWebsocketConsumer] = set()
        self.task: asyncio.Task[None] | None = None

    def add(self, socket: AsyncWebsocketConsumer) -> None:
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, socket: AsyncWebsocketConsumer) -> None:
        self.sockets.discard(socket)

    async def _run(self) -> None:
        client = aioredis.Redis.from_url(
            embedded_redis.client_url(settings.REDIS_URL), socket_timeout=1.0, socket_connect_timeout=1.0
        )
        try:
            known = await _run_id(client)
            while self.sockets:
                await asyncio.sleep(settings.LIVE_WATCH_SECONDS)
                now = await _run_id(client)
                if now is None or now != known:
                    logger.warning(
                        "Redis %s: closing %d live socket(s)",
                        "is down" if now is None else "restarted",
                        len(self.sockets),
                    )
                    await self._close_all()
                known = now
        finally:
            await client.aclose()

    async def _close_all(self) -> None:
        sockets, self.sockets = list(self.sockets), set()
        for socket in sockets:
            try:
                await socket.close(code=CLOSE_RECONNECT)
            except Exception:  # a socket that is closing already
                logger.debug("closing a live socket failed", exc_info=True)


async def _run_id(client: aioredis.Redis) -> str | None:
    try:
        info = await client.info("server")
    except (RedisError, OSError):
        return None
    return str(info.get("run_id", ""))


async def join(socket: AsyncWebsocketConsumer, groups: list[str]) -> bool:
    """Join the socket's groups and watch Redis for it. False when Redis is unreachable: the
    handshake is then refused (no server error), and the browser tries again shortly."""
    try:
        for group in groups:
            await socket.channel_layer.group_add(group, socket.channel_name)
    except Exception as exc:  # redis-py and channels_redis raise several kinds when Redis is gone
        logger.warning("live socket refused: Redis is unreachable (%s: %s)", type(exc).__name__, exc)
        await leave(socket, groups)
        await socket.close()
        return False
    watch().add(socket)
    return True


async def leave(socket: AsyncWebsocketConsumer, groups: list[str]) -> None:
    """Leave the groups; with Redis gone there is nothing to leave, and the socket closes anyway."""
    watch().discard(socket)
    for group in groups:
        try:
            await socket.channel_layer.group_discard(group, socket.channel_name)
        except Exception:
            logger.debug("leaving %s failed", group, exc_info=True)


_watches: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RedisWatch] = weakref.WeakKeyDictionary()


def watch() -> RedisWatch:
    """The running event loop's watch."""
    loop = asyncio.get_running_loop()
    found = _watches.get(loop)
    if found is None:
        found = _watches[loop] = RedisWatch()
    return found
