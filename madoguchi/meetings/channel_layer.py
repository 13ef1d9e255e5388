"""The one-process channel layer of the embedded default (no Redis).

Channels' ``InMemoryChannelLayer`` walks every channel queue and every group member to
drop expired messages on *each* ``receive`` and ``group_send``; every consumer calls
``receive`` again after each message, so a server with 1,000 connected clients and 1,500
groups did that walk twice per relayed frame, and it cost more than everything else on
the relay path together (profile in docs/adr/0012-recording-in-rooms.md, "Signaling
throughput"). ``group_send`` also made one task per member.

This subclass keeps the semantics (queues per channel with capacity, message expiry
after ``expiry`` seconds with the expired channel leaving its groups, group expiry,
a copy of every message so that receivers cannot change each other's) and changes the
cost only:

- the expiry sweep runs at most once per ``clean_interval`` seconds (1 s: expired
  messages live at most that much longer than ``expiry``);
- ``group_send`` puts the message on each member's queue directly;
- a message whose values are all immutable scalars (the relayed signaling frames, which
  carry their JSON text) is copied with ``dict()``; anything nested is deep-copied as
  before.

With ``REDIS_URL`` set the Redis layer is used instead (config/settings.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

_SCALARS = (str, bytes, int, float, bool, type(None))


def _copy(message: dict) -> dict:
    if all(isinstance(value, _SCALARS) for value in message.values()):
        return dict(message)
    return deepcopy(message)


class LocalChannelLayer(InMemoryChannelLayer):
    def __init__(self, *, clean_interval: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.clean_interval = clean_interval
        self._cleaned_at = 0.0

    def _clean_soon(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at >= self.clean_interval:
            self._cleaned_at = now
            self._clean_expired()

    def _put(self, channel: str, message: dict) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        try:
            queue.put_nowait((time.time() + self.expiry, _copy(message)))
        except asyncio.QueueFull:
            raise ChannelFull(channel) from None

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        assert "__asgi_channel__" not in message
        self._put(channel, message)

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        self._clean_soon()
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        try:
            _expires, message = await queue.get()
        finally:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_soon()
        for channel in list(self.groups.get(group, ())):
            with contextlib.suppress(ChannelFull):  # a full member misses it, as before
                self._put(channel, message)
