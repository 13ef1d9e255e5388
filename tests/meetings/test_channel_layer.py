"""The one-process channel layer keeps Channels' in-memory semantics (capacity, expiry with
the expired channel leaving its groups, a copy per receiver) while sweeping for expired
messages at most once per ``clean_interval`` instead of on every receive."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.exceptions import ChannelFull
from django.conf import settings

from madoguchi.meetings.channel_layer import LocalChannelLayer


def run(scenario):
    """On a loop of its own in another thread (a browser test's Playwright may still hold an
    event loop in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


def test_the_embedded_default_uses_it():
    assert not settings.REDIS_URL or settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith(
        "channels_redis")
    if not settings.REDIS_URL:
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == (
            "madoguchi.meetings.channel_layer.LocalChannelLayer")


def test_send_receive_and_group_send_give_each_receiver_its_own_copy():
    async def scenario():
        layer = LocalChannelLayer()
        a, b = await layer.new_channel(), await layer.new_channel()
        for channel in (a, b):
            await layer.group_add("room", channel)
        nested = {"type": "meet.x", "payload": {"peers": ["p1"]}}
        await layer.group_send("room", nested)
        got_a, got_b = await layer.receive(a), await layer.receive(b)
        got_a["payload"]["peers"].append("changed")
        assert got_b == {"type": "meet.x", "payload": {"peers": ["p1"]}}
        assert nested == {"type": "meet.x", "payload": {"peers": ["p1"]}}
        flat = {"type": "meet.relay", "from": "p1", "text": "{}"}
        await layer.send(a, flat)
        received = await layer.receive(a)
        assert received == flat and received is not flat
        # An empty queue is dropped once read, as in Channels.
        assert a not in layer.channels

    run(scenario)


def test_a_full_channel_refuses_sends_and_is_skipped_by_group_send():
    async def scenario():
        layer = LocalChannelLayer(capacity=1)
        a, b = await layer.new_channel(), await layer.new_channel()
        for channel in (a, b):
            await layer.group_add("room", channel)
        await layer.send(a, {"type": "one"})
        with pytest.raises(ChannelFull):
            await layer.send(a, {"type": "two"})
        await layer.group_send("room", {"type": "three"})
        assert (await layer.receive(a))["type"] == "one"
        assert (await layer.receive(b))["type"] == "three"

    run(scenario)


def test_expired_messages_are_swept_and_their_channel_leaves_its_groups():
    async def scenario():
        layer = LocalChannelLayer(expiry=0.05, clean_interval=0)
        gone, alive = await layer.new_channel(), await layer.new_channel()
        for channel in (gone, alive):
            await layer.group_add("room", channel)
        await layer.send(gone, {"type": "never read"})
        await asyncio.sleep(0.1)
        await layer.send(alive, {"type": "read"})
        assert (await layer.receive(alive))["type"] == "read"
        assert gone not in layer.channels
        assert list(layer.groups["room"]) == [alive]

    run(scenario)


def test_the_sweep_runs_at_most_once_per_interval():
    async def scenario():
        layer = LocalChannelLayer(expiry=0.05, clean_interval=60)
        gone, alive = await layer.new_channel(), await layer.new_channel()
        await layer.send(alive, {"type": "first"})
        await layer.receive(alive)  # the sweep runs now (nothing expired) ...
        await layer.send(gone, {"type": "never read"})
        await asyncio.sleep(0.1)
        await layer.send(alive, {"type": "second"})
        await layer.receive(alive)  # ... and not again within the interval
        assert gone in layer.channels
        layer.clean_interval = 0
        await layer.send(alive, {"type": "third"})
        await layer.receive(alive)
        assert gone not in layer.channels

    run(scenario)
