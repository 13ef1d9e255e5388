"""The room's consumer: a browser's connection, its messages (join, the host's decisions,
signaling relay, chat, leave) and its departure however it ends."""

from __future__ import annotations

import asyncio
import json
import uuid

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from madoguchi.meetings import errors, protocol, services
from madoguchi.meetings import kiosk as kiosk_services
from madoguchi.meetings.consumers._common import (
    CLOSE_DONE,
    CLOSE_REFUSED,
    SESSION_TOUCH_SECONDS,
    CallState,
    everyone_group,
    hosts_group,
    log,
    scope_language,
    staff_login,
)
from madoguchi.meetings.consumers.events import RoomEvents
from madoguchi.meetings.db import socket_db
from madoguchi.meetings.models import Attendance, AttendanceState, Room
from madoguchi.meetings.services import recording as recordings


class MeetingConsumer(RoomEvents, AsyncJsonWebsocketConsumer):
    room: Room | None = None
    attendance: Attendance | None = None
    user = None
    link = None
    kiosk = None
    entry: services.StaffEntry | None = None  # a staff login's entry, checked at connect
    label = ""

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Ended without disconnect (the channel layer failed, the task was cancelled):
            # the departure is recorded all the same, shielded from the cancellation.
            if self.room is not None and self.attendance is not None:
                await asyncio.shield(self._depart(dropped=True))

    async def dispatch(self, message):
        """Every message is handled (and every reply worded) in the connection's language.

        Unlike Channels' own ``dispatch`` this does not hop to the database thread to
        close stale connections before every message: that serialised all relayed frames
        of the process through one thread. Every database access here goes through
        ``socket_db`` (madoguchi/meetings/db.py), which closes stale connections around
        itself. A relayed frame carries its JSON text and needs neither the database nor
        a language."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        if message["type"] == "meet.relay":
            await handler(message)
            return
        if not hasattr(self, "language"):
            self.language = scope_language(self.scope)
        with translation.override(self.language):
            await handler(message)

    async def connect(self):
        self.peers: dict[str, str] = {}
        self.in_call = False
        self.closing = False
        self._touched = 0.0
        await self.accept()
        try:
            room_id = uuid.UUID(str(self.scope["url_route"]["kwargs"]["room"]))
            self.room, self.user, self.link = await self._identify(room_id)
        except errors.MeetingRefused as refused:
            await self._refuse(refused.code, refused.message)
        except (ValueError, Room.DoesNotExist):
            await self._refuse("not_participant", str(errors.NOT_PARTICIPANT))

    @socket_db
    def _identify(self, room_id: uuid.UUID):
        room = Room.objects.select_related("booking").get(public_id=room_id)
        user = staff_login(self.scope)
        if user is not None and user.is_authenticated:
            # Checked once per connection: the join of this connection uses it again.
            self.entry = services.staff_entry(room=room, user=user)
            return room, user, None
        session = self.scope.get("session")
        if session is not None and session.get(kiosk_services.SESSION_KIOSK):
            # The booth's tablet: the resident of a booking at this booth, after consent.
            self.kiosk = kiosk_services.kiosk_for_key(session[kiosk_services.SESSION_KIOSK])
            kiosk_services.kiosk_entry(kiosk=self.kiosk, room=room)
            return room, None, None
        devices = dict(session.get(services.SESSION_DEVICES, {})) if session is not None else {}
        return room, None, services.access_for_session(room=room, devices=devices)

    async def _refuse(self, code: str, message: str):
        log.info("meeting refused: %s", code)
        self.closing = True
        await self.send_json({"type": "error", "code": code, "message": message})
        await self.close(code=CLOSE_REFUSED)

    async def _error(self, code: str, message: str):
        await self.send_json({"type": "error", "code": code, "message": message})

    # ── incoming ───────────────────────────────────────────────────────────────────────

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing or self.room is None:
            return
        try:
            message = protocol.parse(text_data)
            await getattr(self, f"on_{message['type']}")(message)
        except protocol.ProtocolError as problem:
            log.info("meeting message refused: %s", problem.code)
            await self._error(problem.code, problem.message)
        except errors.MeetingRefused as refused:
            await self._error(refused.code, refused.message)
        except Exception as problem:  # noqa: BLE001 - one bad message must not end the call
            # The type only: exception texts may quote names or SDP.
            log.error("meeting message failed: %s", type(problem).__name__)
            await self._error("server_error", str(protocol.MESSAGES["server_error"]))

    def _require_call(self):
        if self.attendance is None:
            raise protocol.ProtocolError("not_joined")
        if not self.in_call:
            raise protocol.ProtocolError("not_in_call")

    def _require_host(self):
        self._require_call()
        if not self.attendance.is_host:
            raise protocol.ProtocolError("not_host")

    async def on_ping(self, message):
        await self._touch_session()
        if self.attendance is not None:
            await socket_db(services.attendance_seen)(attendance=self.attendance)
        await self.send_json({"type": "pong"})

    async def _touch_session(self):
        """Saving the session moves its idle expiry on: a resident in a long call keeps the
        device binding that lets the page reconnect after a network drop."""
        session = self.scope.get("session")
        now = timezone.now().timestamp()
        if self.link is None or session is None or now - self._touched < SESSION_TOUCH_SECONDS:
            return
        self._touched = now
        await socket_db(session.save)()

    async def on_join(self, message):
        if self.attendance is not None:
            raise protocol.ProtocolError("already_joined")
        self.attendance, state = await socket_db(self._join)()
        await self._touch_session()
        await self.channel_layer.group_add(everyone_group(self.room), self.channel_name)
        if self.attendance.state == AttendanceState.ADMITTED:
            await self._enter_call(state)
        else:
            await self.send_json({"type": "lobby", "peer": self.attendance.peer,
                                  "message": _("担当の職員が入室を許可するまで、お待ちください。"),
                                  "recording": self.attendance.recording_active})
            await self.channel_layer.group_send(hosts_group(self.room), {"type": "meet.lobby"})

    def _join(self) -> tuple[Attendance, CallState | None]:
        """The join and, when it is straight into the call, what the call looks like: one
        trip to the database thread (it serves every connection of the process)."""
        attendance = services.attendance_join(
            room=self.room, channel_name=self.channel_name, user=self.user, link=self.link,
            kiosk=self.kiosk, entry=self.entry)
        if attendance.state != AttendanceState.ADMITTED:
            return attendance, None
        return attendance, self._call_state(attendance, recording=attendance.recording_active)

    async def _enter_call(self, state: CallState | None = None):
        self.in_call = True
        room = self.room
        await self.channel_layer.group_add(room.group, self.channel_name)
        if self.attendance.is_host:
            await self.channel_layer.group_add(hosts_group(room), self.channel_name)
        if state is None:  # admitted from the lobby
            state = await socket_db(self._call_state)(self.attendance)
        others, me, recording, waiting = state
        self.peers = {p["peer"]: p["channel"] for p in others}
        self.label = me
        await self.send_json({
            "type": "admitted", "peer": self.attendance.peer, "host": self.attendance.is_host,
            "peers": [{"peer": p["peer"], "label": p["label"], "host": p["host"]}
                      for p in others],
            "recording": recording})
        await self.channel_layer.group_send(room.group, {
            "type": "meet.peer_joined", "peer": self.attendance.peer,
            "channel": self.channel_name, "label": me, "host": self.attendance.is_host})
        if waiting is not None and not self.closing:
            await self.send_json({"type": "waiting", "waiting": waiting})

    def _call_state(self, attendance: Attendance, *, recording: bool | None = None
                    ) -> CallState:
        """The others in the call, the name they see for this connection (kept for chat,
        so that a chat message needs no database query), whether it is recorded (unless
        the join just found out), and for a host who is waiting in the lobby."""
        waiting = None
        if attendance.is_host:
            others, waiting = services.call_and_lobby(room=self.room, exclude=attendance.peer)
        else:
            others = services.peers_in_call(room=self.room, exclude=attendance.peer)
        if recording is None:
            recording = recordings.active(self.room) is not None
        return others, services.label(attendance), recording, waiting

    async def _decide(self, message, service, event: str):
        self._require_host()
        target = await socket_db(service)(
            room=self.room, peer=message["peer"], by=self.attendance)
        await self.channel_layer.send(target.channel_name, {"type": event})
        await self.channel_layer.group_send(hosts_group(self.room), {"type": "meet.lobby"})

    async def on_admit(self, message):
        await self._decide(message, services.attendance_admit, "meet.admitted")

    async def on_refuse(self, message):
        await self._decide(message, services.attendance_refuse, "meet.refused")

    async def on_remove(self, message):
        await self._decide(message, services.attendance_remove, "meet.removed")

    async def on_end(self, message):
        self._require_host()
        await socket_db(services.room_end)(room=self.room, by=self.user)
        await self.channel_layer.group_send(everyone_group(self.room), {"type": "meet.ended"})

    async def _relay(self, message):
        self._require_call()
        channel = self.peers.get(message["to"])
        if channel is None:
            raise protocol.ProtocolError("unknown_peer")
        # Serialised once, here: the peer's consumer forwards the text as it is.
        peer = self.attendance.peer
        payload = {k: v for k, v in message.items() if k != "to"}
        payload["from"] = peer
        await self.channel_layer.send(channel, {"type": "meet.relay", "from": peer,
                                                "text": json.dumps(payload)})

    on_offer = on_answer = on_candidate = _relay

    async def on_chat(self, message):
        self._require_call()
        await self.channel_layer.group_send(self.room.group, {
            "type": "meet.chat", "from": self.attendance.peer, "label": self.label,
            "text": message["text"], "at": timezone.now().isoformat()})

    async def on_leave(self, message):
        if self.attendance is None:
            raise protocol.ProtocolError("not_joined")
        await self._depart(dropped=False)
        self.closing = True
        await self.send_json({"type": "left", "message": _("退室しました。")})
        await self.close(code=CLOSE_DONE)

    async def _depart(self, *, dropped: bool):
        attendance, self.attendance = self.attendance, None
        if attendance is None:
            return
        was_in_call, self.in_call = self.in_call, False
        closed = await socket_db(services.attendance_leave)(
            attendance=attendance, dropped=dropped)
        try:
            room = self.room
            for group in (room.group, hosts_group(room), everyone_group(room)):
                await self.channel_layer.group_discard(group, self.channel_name)
            if was_in_call:
                await self.channel_layer.group_send(room.group, {"type": "meet.peer_left",
                                                                 "peer": attendance.peer})
            if closed is not None or not was_in_call:
                await self.channel_layer.group_send(hosts_group(room), {"type": "meet.lobby"})
        except Exception as problem:  # noqa: BLE001 - the departure is recorded already
            # The channel layer is unavailable (Redis restarting): the others learn of the
            # departure from the database when they reconnect; group entries expire.
            log.warning("meeting departure not announced: %s", type(problem).__name__)

    async def disconnect(self, code):
        if self.room is not None and self.attendance is not None:
            await self._depart(dropped=True)
