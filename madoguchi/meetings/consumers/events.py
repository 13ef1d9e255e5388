"""What the channel layer tells a connection (another's arrival or departure, the lobby, a
relayed signal, chat, the recording, the host's decisions), sent on to its browser."""

from __future__ import annotations

from django.utils.translation import gettext as _

from madoguchi.meetings import services
from madoguchi.meetings.consumers._common import (
    CLOSE_DONE,
    everyone_group,
    hosts_group,
)
from madoguchi.meetings.db import socket_db
from madoguchi.meetings.models import Attendance, AttendanceState, Room


class RoomEvents:
    """Handlers of the room's group messages (``meet.*``), mixed into ``MeetingConsumer``
    (which holds the state they read: ``room``, ``attendance``, ``in_call``, ``peers``)."""

    room: Room | None
    attendance: Attendance | None

    async def meet_lobby(self, event):
        if self.attendance is None or not self.attendance.is_host or self.closing:
            return
        rows = await socket_db(services.waiting)(room=self.room)
        await self.send_json({"type": "waiting", "waiting": rows})

    async def meet_admitted(self, event):
        if self.attendance is None or self.in_call:
            return
        self.attendance.state = AttendanceState.ADMITTED
        await self._enter_call()

    async def meet_peer_joined(self, event):
        if not self.in_call or self.attendance is None or event["peer"] == self.attendance.peer:
            return
        self.peers[event["peer"]] = event["channel"]
        await self.send_json({"type": "peer-joined", "peer": event["peer"],
                              "label": event["label"], "host": event["host"]})

    async def meet_peer_left(self, event):
        if self.peers.pop(event["peer"], None) is not None:
            await self.send_json({"type": "peer-left", "peer": event["peer"]})

    async def meet_relay(self, event):
        if self.in_call and event["from"] in self.peers:
            await self.send(text_data=event["text"])

    async def meet_chat(self, event):
        if self.in_call:
            await self.send_json({"type": "chat", "from": event["from"], "label": event["label"],
                                  "text": event["text"], "at": event["at"]})

    async def meet_recording(self, event):
        """The call's recording started or stopped (recording_services): everyone in the
        room sees it, in the lobby too."""
        if self.attendance is None or self.closing:
            return
        active = bool(event["active"])
        await self.send_json({"type": "recording", "active": active,
                              "message": _("この通話は録画されています。") if active
                              else _("録画は停止しました。")})

    async def _closed_by_host(self, kind: str, message: str):
        if self.attendance is None:
            return
        attendance, self.attendance = self.attendance, None
        was_in_call, self.in_call = self.in_call, False
        self.closing = True
        for group in (self.room.group, hosts_group(self.room), everyone_group(self.room)):
            await self.channel_layer.group_discard(group, self.channel_name)
        if was_in_call and kind != "ended":
            await self.channel_layer.group_send(self.room.group, {"type": "meet.peer_left",
                                                                  "peer": attendance.peer})
        await self.send_json({"type": kind, "message": message})
        await self.close(code=CLOSE_DONE)

    async def meet_refused(self, event):
        await self._closed_by_host("refused", _("担当の職員が入室をお断りしました。"))

    async def meet_removed(self, event):
        await self._closed_by_host("removed", _("担当の職員により退室となりました。"))

    async def meet_ended(self, event):
        await self._closed_by_host("ended", _("相談は終了しました。ありがとうございました。"))
