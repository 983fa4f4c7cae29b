"""The project's live socket: everyone in a project sees jobs and edits arrive as they happen."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
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

from generation.events import JobState, job_state
from projects.events import character_group, frame_group, members_group, project_group, script_group
from projects.jobs import selectors as job_selectors
from projects.jobs.parts import job_created_html, job_row_html, jobs_panel_html
from projects.script import services as script_services
from projects.teams.selectors import ProjectAccess, project_access_for_user

MAX_CLIENT_MESSAGE = 64 * 1024
CLOSE_NOT_ALLOWED = 4403


class LiveConsumer(AsyncWebsocketConsumer):
    """Authorizes once at connect, joins one object group, and drops out-of-order job events."""

    access: ProjectAccess
    group: str

    async def authorize(self) -> ProjectAccess:
        raise NotImplementedError

    async def initial_html(self) -> str:
        raise NotImplementedError

    async def connect(self) -> None:
        self.last_seq: dict[str, int] = {}
        try:
            self.access = await self.authorize()
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.joined = [self.group, *self.extra_groups()]
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        # Sent on every connect, so a page that reconnects re-reads current state.
        if html := await self.initial_html():
            await self.send(text_data=html)

    def extra_groups(self) -> list[str]:
        return []

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        size = len(text_data or "") + len(bytes_data or b"")
        if size > MAX_CLIENT_MESSAGE:
            await self.close(code=1009)
        # Clients only listen on these sockets; writes go through the HTTP views.

    def is_fresh(self, state: JobState) -> bool:
        if state["seq"] <= self.last_seq.get(state["public_id"], 0):
            return False
        self.last_seq[state["public_id"]] = state["seq"]
        return True

    async def membership_changed(self, event: dict[str, Any]) -> None:
        if event["user_id"] != self.access.membership.user_id:
            return
        try:
            self.access = await self.authorize()
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        if html := await self.initial_html():
            await self.send(text_data=html)


# What a page asks the project socket for (`?show=jobs,frames`; without `show`, the jobs panel only): each
# costs queries and rendering per event, and htmx reports swaps into elements a page lacks, so a page gets
# only the parts it has.
PAGE_PARTS = frozenset({"breakdown", "cast", "frames", "jobs", "overview", "timeline"})
# A storyboard render changes frames one after another: the overview is rebuilt once per burst.
OVERVIEW_DELAY = 0.3


class ProjectConsumer(LiveConsumer):
    """ws/projects/<uuid>/: the project page's jobs panel, live, plus the parts the page shows (`?show=`)."""

    def shows(self, part: str) -> bool:
        if not hasattr(self, "_parts"):
            query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
            asked = {p.strip() for value in query.get("show", []) for p in value.split(",")}
            self._parts = frozenset(asked & PAGE_PARTS) if "show" in query else frozenset({"jobs"})
        return part in self._parts

    async def authorize(self) -> ProjectAccess:
        project_id = self.scope["url_route"]["kwargs"]["project_id"]
        access = await database_sync_to_async(project_access_for_user)(user=self.scope["user"], public_id=project_id)
        self.group = project_group(access.project.public_id)
        return access

    @database_sync_to_async
    def _panel(self) -> str:
        jobs = job_selectors.job_list_for_project(access=self.access)
        states = [job_state(job) for job in jobs]
        for state in states:
            self.last_seq[state["public_id"]] = max(self.last_seq.get(state["public_id"], 0), state["seq"])
        return jobs_panel_html(
            states, can_write=self.access.can_write, project_public_id=str(self.access.project.public_id)
        )

    async def initial_html(self) -> str:
        # On connect, reconnect and role changes: the current state of every part the page shows.
        html = await self._panel() if self.shows("jobs") else ""
        return html + (await self._overview() if self.shows("overview") else "")

    async def job_event(self, event: dict[str, Any]) -> None:
        state: JobState = event["job"]
        if not self.shows("jobs") or not self.is_fresh(state):
            return
        render = job_created_html if event["event"] == "created" else job_row_html
        await self.send(
            text_data=render(state, can_write=self.access.can_write, published_at=event.get("published_at"))
        )

    @database_sync_to_async
    def _breakdown(self) -> str:
        from django.template.loader import render_to_string

        from projects.script.views import breakdown_context

        return render_to_string("projects/script.html#breakdown", breakdown_context(self.access))

    @database_sync_to_async
    def _overview(self) -> str:
        from projects.teams.views import overview_html

        return overview_html(self.access)

    async def send_overview(self) -> None:
        # The Studio page's pipeline overview counts scenes, faces, frames and the film: any of them changing
        # moves it. Changes within OVERVIEW_DELAY of each other are sent as one rebuild.
        if not self.shows("overview") or getattr(self, "_overview_task", None) is not None:
            return
        self._overview_task: asyncio.Task[None] | None = asyncio.create_task(self._overview_later())

    async def _overview_later(self) -> None:
        try:
            await asyncio.sleep(OVERVIEW_DELAY)
        finally:
            self._overview_task = None
        await self.send(text_data=await self._overview())

    async def disconnect(self, code: int) -> None:
        task = getattr(self, "_overview_task", None)
        if task is not None:
            task.cancel()
        await super().disconnect(code)

    async def script_settled(self, event: dict[str, Any]) -> None:
        # The script changed: the script page's scene navigator and reports re-read the breakdown.
        if self.shows("breakdown"):
            await self.send(text_data=await self._breakdown())
        await self.send_overview()

    @database_sync_to_async
    def _cast_card(self, character_public_id: str) -> str:
        from projects.characters import selectors as character_selectors
        from projects.characters.views import cast_card_html

        try:
            character = character_selectors.character_get(access=self.access, public_id=character_public_id)
        except Http404:
            return ""
        return cast_card_html(self.access, character)

    async def character_changed(self, event: dict[str, Any]) -> None:
        # The cast page shows each character's card by id; other pages have no such element.
        await self.send_overview()
        if not self.shows("cast"):
            return
        html = await self._cast_card(event["character"])
        if html:
            await self.send(text_data=html)

    @database_sync_to_async
    def _frame_card(self, frame_public_id: str, created: bool) -> str:
        from projects.storyboard import selectors as storyboard_selectors
        from projects.storyboard.views import frame_card_html

        try:
            frame = storyboard_selectors.frame_get(access=self.access, public_id=frame_public_id)
        except Http404:
            return ""
        return frame_card_html(self.access, frame, created=created)

    @database_sync_to_async
    def _timeline(self) -> str:
        from projects.animatic.views import timeline_html

        return timeline_html(self.access)

    async def timeline_changed(self, event: dict[str, Any]) -> None:
        # Only the animatic page shows the timeline; building it costs queries and parsing.
        if self.shows("timeline"):
            await self.send(text_data=await self._timeline())
        await self.send_overview()

    async def frame_changed(self, event: dict[str, Any]) -> None:
        # The storyboard shows each frame's card by id (new ones are appended to their scene's grid).
        await self.send_overview()
        if not self.shows("frames"):
            return
        html = await self._frame_card(event["frame"], bool(event.get("created")))
        if html:
            await self.send(text_data=html)


class ObjectConsumer(LiveConsumer):
    """A socket on one object inside a project: also hears membership changes, to close on removal."""

    def extra_groups(self) -> list[str]:
        return [members_group(self.access.project.public_id)]


class CharacterConsumer(ObjectConsumer):
    """ws/characters/<uuid>/: a character sheet's face, bio and design runs, live for every member."""

    async def authorize(self) -> ProjectAccess:
        from projects.characters import selectors as character_selectors
        from projects.models import Character

        character_id = self.scope["url_route"]["kwargs"]["character_id"]

        def find() -> ProjectAccess:
            found = Character.objects.select_related("project").filter(public_id=character_id).first()
            if found is None:
                raise Http404("No such character")
            access = project_access_for_user(user=self.scope["user"], public_id=found.project.public_id)
            self.character = character_selectors.character_get(access=access, public_id=character_id)
            return access

        access = await database_sync_to_async(find)()
        self.group = character_group(self.character.public_id)
        return access

    @database_sync_to_async
    def _sheet(self) -> str:
        from projects.characters import selectors as character_selectors
        from projects.characters.views import sheet_partials_html

        try:
            character = character_selectors.character_get(access=self.access, public_id=self.character.public_id)
        except Http404:
            return ""
        return sheet_partials_html(self.access, character)

    async def initial_html(self) -> str:
        return await self._sheet()

    async def character_changed(self, event: dict[str, Any]) -> None:
        html = await self._sheet()
        if html:
            await self.send(text_data=html)
        else:
            await self.close(code=CLOSE_NOT_ALLOWED)


class FrameConsumer(ObjectConsumer):
    """ws/frames/<uuid>/: a storyboard frame's picture, notes and exports, live for every member."""

    async def authorize(self) -> ProjectAccess:
        from projects.models import Frame
        from projects.storyboard import selectors as storyboard_selectors

        frame_id = self.scope["url_route"]["kwargs"]["frame_id"]

        def find() -> ProjectAccess:
            found = Frame.objects.select_related("project").filter(public_id=frame_id).first()
            if found is None:
                raise Http404("No such frame")
            access = project_access_for_user(user=self.scope["user"], public_id=found.project.public_id)
            self.frame = storyboard_selectors.frame_get(access=access, public_id=frame_id)
            return access

        access = await database_sync_to_async(find)()
        self.group = frame_group(self.frame.public_id)
        return access

    @database_sync_to_async
    def _frame(self) -> str:
        from projects.storyboard import selectors as storyboard_selectors
        from projects.storyboard.views import frame_partials_html

        try:
            frame = storyboard_selectors.frame_get(access=self.access, public_id=self.frame.public_id)
        except Http404:
            return ""
        return frame_partials_html(self.access, frame)

    async def initial_html(self) -> str:
        return await self._frame()

    async def frame_changed(self, event: dict[str, Any]) -> None:
        html = await self._frame()
        if html:
            await self.send(text_data=html)
        else:
            await self.close(code=CLOSE_NOT_ALLOWED)


class ScriptConsumer(AsyncWebsocketConsumer):
    """ws/script/<uuid>: the screenplay's CRDT sync (the y-websocket protocol, binary frames).

    Members read; editors and owners write. Updates from viewers are dropped here, whatever
    their browser does. Every accepted update is in the database before anyone else sees it.
    """

    MAX_MESSAGE = 4 * 1024 * 1024

    async def connect(self) -> None:
        self.group = ""
        try:
            self.access = await self._authorize()
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.group = script_group(self.access.project.public_id)
        # Join before loading: an update committed in between arrives through the group.
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.doc = await database_sync_to_async(script_services.script_doc)(self.access.project)
        await self.accept()
        # Our state vector: the client answers with whatever we lack (edits made offline).
        await self.send(bytes_data=create_sync_message(self.doc))

    async def _authorize(self) -> ProjectAccess:
        project_id = self.scope["url_route"]["kwargs"]["project_id"]
        return await database_sync_to_async(project_access_for_user)(user=self.scope["user"], public_id=project_id)

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not bytes_data or len(bytes_data) < 2:
            return
        if len(bytes_data) > self.MAX_MESSAGE:
            await self.close(code=1009)
            return
        if bytes_data[0] == YMessageType.AWARENESS:
            await self.channel_layer.group_send(
                self.group, {"type": "script.awareness", "data": bytes_data, "sender": self.channel_name}
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

    async def membership_changed(self, event: dict[str, Any]) -> None:
        if event["user_id"] != self.access.membership.user_id:
            return
        try:
            self.access = await self._authorize()
        except (Http404, PermissionDenied):
            await self.close(code=CLOSE_NOT_ALLOWED)
