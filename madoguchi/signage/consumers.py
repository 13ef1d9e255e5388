"""The player's WebSocket (ADR 0043): emergency messages within seconds, and a nudge to
fetch the schedule when an item was approved or withdrawn.

The screen is the one whose key the player's session holds (opened once with the key, as
the booth kiosk's). On connect the player gets the emergency message for its region (or
none); then every change. A revoked key closes the socket (4403).
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from madoguchi.signage import live
from madoguchi.signage.errors import SignageRefused
from madoguchi.signage.selectors import emergency_for
from madoguchi.signage.services import SESSION_SCREEN, screen_for_key


class PlayerConsumer(AsyncJsonWebsocketConsumer):
    screen_id = 0
    region_id: int | None = None
    joined = False

    async def connect(self):
        found = await self._screen()
        if found is None:
            await self.close(code=4403)
            return
        self.screen_id, self.region_id, emergency = found
        await self.channel_layer.group_add(live.GROUP, self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_json({"type": "emergency", "emergency": emergency})

    @database_sync_to_async
    def _screen(self):
        session = self.scope.get("session")
        key = session.get(SESSION_SCREEN) if session is not None else None
        try:
            screen = screen_for_key(key)
        except SignageRefused:
            return None
        return screen.pk, screen.centre.district.region_id, emergency_for(screen)

    async def disconnect(self, close_code):
        if self.joined:
            await self.channel_layer.group_discard(live.GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def signage_emergencies(self, message):
        mine = next((e for e in message["active"] if e["region"] in (None, self.region_id)),
                    None)
        await self.send_json({"type": "emergency", "emergency": mine})

    async def signage_refresh(self, message):
        await self.send_json({"type": "refresh"})

    async def signage_revoked(self, message):
        if message.get("screen") == self.screen_id:
            await self.send_json({"type": "revoked"})
            await self.close(code=4403)
