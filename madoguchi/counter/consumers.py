"""The call display's WebSocket: the office's state on connect, then every change.

No login: the display shows ticket numbers and counters only. A display that reconnects
gets the whole current state first (never a stale list).
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from madoguchi.counter import live
from madoguchi.counter.models import Office
from madoguchi.counter.selectors import display_state


class DisplayConsumer(AsyncJsonWebsocketConsumer):
    group = ""

    async def connect(self):
        code = self.scope["url_route"]["kwargs"]["office"]
        found = await self._state(code)
        if found is None:
            await self.close(code=4404)
            return
        office_id, state = found
        self.group = live.group(office_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "state", "state": state, "call": None})

    @database_sync_to_async
    def _state(self, code: str):
        office = Office.objects.filter(code=code, is_active=True).first()
        return None if office is None else (office.pk, display_state(office))

    async def disconnect(self, close_code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def counter_state(self, message):
        await self.send_json({"type": "state", "state": message["state"],
                              "call": message.get("call")})
