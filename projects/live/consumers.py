"""The live sockets: one per page, showing the page's parts (projects.live.parts), and the script's CRDT sync."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, ClassVar
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied
from django.http import Http404
from pycrdt import (
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
    read_message,
)

from projects.characters import selectors as character_selectors
from projects.events import members_group, script_group
from projects.live import parts as live_parts
from projects.live import watch
from projects.live.parts import Event, Handler, Page, Part
from projects.live.sessions import socket_session_group
from projects.models import Character, Frame
from projects.script import services as script_services
from projects.script.presence import Presence, user_color
from projects.storyboard import selectors as storyboard_selectors
from projects.teams.selectors import AnyUser, ProjectAccess, project_access_for_user

MAX_CLIENT_MESSAGE = 64 * 1024
CLOSE_NOT_ALLOWED = 4403
# A message sent to several groups reaches a socket in more than one of them once per group: the socket
# remembers the ids of the last few it handled (copies arrive together).
RECENT_EVENTS = 64


class PageConsumer(watch.LiveSocket):
    """One page's one socket: authorizes at connect, joins the groups of the parts the page shows
    (`?show=jobs,sheet`; without `show`, the socket's default parts), and sends each part's html.

    Subclasses name the object of the URL (its `anchor`) and how a user reaches it (`find`).
    """

    anchor: ClassVar[str]
    url_kwarg: ClassVar[str]
    default_parts: ClassVar[frozenset[str]]

    page: Page
    parts: list[Part]

    def find(self, user: AnyUser, object_id: str) -> ProjectAccess:
        """The user's access to the project of the URL's object: Http404 or PermissionDenied when none."""
        raise NotImplementedError

    def asked_parts(self) -> list[Part]:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        asked = {p.strip() for value in query.get("show", []) for p in value.split(",")}
        return live_parts.parts_for(self.anchor, asked if "show" in query else set(self.default_parts))

    async def connect(self) -> None:
        self.joined: list[str] = []
        self.recent: deque[str] = deque(maxlen=RECENT_EVENTS)
        self.pending: dict[str, asyncio.Task[None]] = {}
        user = self.scope["user"]
        object_id = str(self.scope["url_route"]["kwargs"][self.url_kwarg])
        try:
            access = await database_sync_to_async(self.find)(user, object_id)
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.page = Page(user=user, access=access, anchor=self.anchor, object_id=object_id)
        self.parts = self.asked_parts()
        # Membership changes reach every socket of the project through its members group; a logout
        # reaches the session's sockets through its session group.
        groups = {part.group(self.page) for part in self.parts} | {members_group(self.page.project_id)}
        if session := socket_session_group(self.scope):
            groups.add(session)
        self.joined = sorted(groups)
        if not await watch.join(self, self.joined):
            return
        await self.accept()
        # Sent on every connect, so a page that reconnects re-reads current state.
        await self.send_initial()

    async def disconnect(self, code: int) -> None:
        for task in getattr(self, "pending", {}).values():
            task.cancel()
        await watch.leave(self, getattr(self, "joined", []))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        size = len(text_data or "") + len(bytes_data or b"")
        if size > MAX_CLIENT_MESSAGE:
            await self.close(code=1009)
        # Clients only listen on these sockets; writes go through the HTTP views.

    async def send_initial(self) -> None:
        try:
            html = await database_sync_to_async(self._initial)()
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        if html:
            await self.send(text_data=html)

    def _initial(self) -> str:
        return "".join(live_parts.render(part.name, self.page) for part in self.parts)

    def is_repeat(self, event: Event) -> bool:
        event_id = event.get("event_id")
        if not event_id:
            return False
        if event_id in self.recent:
            return True
        self.recent.append(event_id)
        return False

    async def forward(self, event: Event) -> None:
        """Hand an event to every part of the page that follows it."""
        followers = [(part, part.on[event["type"]]) for part in self.parts if event["type"] in part.on]
        if not followers or self.is_repeat(event):
            return
        if event["type"] == "job.event" and not self.page.is_fresh(event["job"]):
            return
        for part, handle in followers:
            if part.delay:
                self.later(part, handle, event)
            elif not await self.send_part(part, handle, event):
                return

    async def send_part(self, part: Part, handle: Handler, event: Event) -> bool:
        """Render and send one part; False when its object is gone and the socket closed."""
        try:
            html = await database_sync_to_async(handle)(self.page, event) if part.queries else handle(self.page, event)
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return False
        if html:
            await self.send(text_data=html)
        return True

    def later(self, part: Part, handle: Handler, event: Event) -> None:
        # Changes within the part's delay of each other are sent as one rebuild.
        if part.name not in self.pending:
            self.pending[part.name] = asyncio.create_task(self._send_later(part, handle, event))

    async def _send_later(self, part: Part, handle: Handler, event: Event) -> None:
        try:
            await asyncio.sleep(part.delay)
        finally:
            self.pending.pop(part.name, None)
        await self.send_part(part, handle, event)

    # The events a page's groups carry; each goes to the parts that follow it.
    async def job_event(self, event: Event) -> None:
        await self.forward(event)

    async def script_settled(self, event: Event) -> None:
        await self.forward(event)

    async def script_notes(self, event: Event) -> None:
        await self.forward(event)

    async def character_changed(self, event: Event) -> None:
        await self.forward(event)

    async def frame_changed(self, event: Event) -> None:
        await self.forward(event)

    async def timeline_changed(self, event: Event) -> None:
        await self.forward(event)

    async def music_changed(self, event: Event) -> None:
        await self.forward(event)

    async def production_changed(self, event: Event) -> None:
        await self.forward(event)

    async def session_ended(self, event: Event) -> None:
        await self.close(code=CLOSE_NOT_ALLOWED)

    async def membership_changed(self, event: Event) -> None:
        if event["user_id"] != self.page.access.membership.user_id or self.is_repeat(event):
            return
        try:
            self.page.access = await database_sync_to_async(self.find)(self.page.user, self.page.object_id)
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        await self.send_initial()


class ProjectConsumer(PageConsumer):
    """ws/projects/<uuid>/: a project page's parts (`?show=jobs,overview`); the jobs panel by default."""

    anchor = "project"
    url_kwarg = "project_id"
    default_parts = frozenset({"jobs"})

    def find(self, user: AnyUser, object_id: str) -> ProjectAccess:
        return project_access_for_user(user=user, public_id=object_id)


class CharacterConsumer(PageConsumer):
    """ws/characters/<uuid>/: a character sheet's face, bio and design runs (plus `?show=` project parts)."""

    anchor = "character"
    url_kwarg = "character_id"
    default_parts = frozenset({"sheet"})

    def find(self, user: AnyUser, object_id: str) -> ProjectAccess:
        found = Character.objects.select_related("project").filter(public_id=object_id).first()
        if found is None:
            raise Http404("No such character")
        access = project_access_for_user(user=user, public_id=found.project.public_id)
        character_selectors.character_get(access=access, public_id=object_id)
        return access


class FrameConsumer(PageConsumer):
    """ws/frames/<uuid>/: a storyboard frame's picture, notes and exports (plus `?show=` project parts)."""

    anchor = "frame"
    url_kwarg = "frame_id"
    default_parts = frozenset({"frame"})

    def find(self, user: AnyUser, object_id: str) -> ProjectAccess:
        found = Frame.objects.select_related("project").filter(public_id=object_id).first()
        if found is None:
            raise Http404("No such frame")
        access = project_access_for_user(user=user, public_id=found.project.public_id)
        storyboard_selectors.frame_get(access=access, public_id=object_id)
        return access


class ScriptConsumer(watch.LiveSocket):
    """ws/script/<uuid>: the screenplay's CRDT sync (the y-websocket protocol, binary frames).

    Members read; editors and owners write. Updates from viewers are dropped here, whatever
    their browser does. Every accepted update is in the database before anyone else sees it.
    """

    MAX_MESSAGE = 4 * 1024 * 1024

    async def connect(self) -> None:
        self.group = ""
        self.ended = False
        self.session_group = socket_session_group(self.scope)
        try:
            self.access = await self._authorize()
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.group = script_group(self.access.project.public_id)
        # Join before loading: an update committed in between arrives through the group.
        if not await watch.join(self, self._groups()):
            return
        self.doc = await database_sync_to_async(script_services.script_doc)(self.access.project)
        username = self.scope["user"].get_username()
        self.presence = Presence(username=username, color=user_color(username))
        await self.accept()
        # Our state vector: the client answers with whatever we lack (edits made offline).
        await self.send(bytes_data=create_sync_message(self.doc))

    async def _authorize(self) -> ProjectAccess:
        project_id = self.scope["url_route"]["kwargs"]["project_id"]
        return await database_sync_to_async(project_access_for_user)(user=self.scope["user"], public_id=project_id)

    async def disconnect(self, code: int) -> None:
        if self.group:
            await watch.leave(self, self._groups())

    def _groups(self) -> list[str]:
        # The script's group, and the login session's (a logout closes this socket).
        return [self.group, *([self.session_group] if self.session_group else [])]

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.ended or not bytes_data or len(bytes_data) < 2:
            return
        if len(bytes_data) > self.MAX_MESSAGE:
            await self.close(code=1009)
            return
        if bytes_data[0] == YMessageType.AWARENESS:
            # Relayed as rewritten: the sender's own name, a plain colour, its own client id only.
            data = self.presence.sanitize(bytes_data)
            if data is not None:
                await self.channel_layer.group_send(
                    self.group, {"type": "script.awareness", "data": data, "sender": self.channel_name}
                )
            return
        if bytes_data[0] != YMessageType.SYNC:
            return
        if bytes_data[1] == YSyncMessageType.SYNC_STEP1:
            reply = handle_sync_message(bytes_data[1:], self.doc)
            if reply is not None:
                await self.send(bytes_data=reply)
            return
        if not self.access.can_write:
            return  # viewers watch; their updates never reach the document
        update = read_message(bytes_data[2:])
        if update == b"\x00\x00":
            return
        self.doc.apply_update(update)
        await database_sync_to_async(script_services.script_update_append)(
            project=self.access.project,
            author_id=self.access.membership.user_id,
            update=update,
            sender=self.channel_name,
        )

    async def script_update(self, event: dict[str, Any]) -> None:
        if event["sender"] == self.channel_name:
            return
        self.doc.apply_update(event["update"])
        await self.send(bytes_data=create_update_message(event["update"]))

    async def script_awareness(self, event: dict[str, Any]) -> None:
        # Echoed to the sender too: y-websocket closes a socket that hears nothing for 30 s, and a
        # lone editor would otherwise reconnect every half minute (its awareness renews every 15 s).
        await self.send(bytes_data=event["data"])

    async def session_ended(self, event: dict[str, Any]) -> None:
        # The session logged out: this socket loses the access it had; frames still in flight are ignored.
        self.ended = True
        await self.close(code=CLOSE_NOT_ALLOWED)

    async def membership_changed(self, event: dict[str, Any]) -> None:
        if event["user_id"] != self.access.membership.user_id:
            return
        try:
            self.access = await self._authorize()
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
