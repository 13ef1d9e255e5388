"""The players' live channel: one channel-layer group for every player (ADR 0043).

Messages (after the writing transaction commits): ``signage.emergencies`` with every
active emergency message (each player keeps the one for its region or the ward),
``signage.refresh`` when an item was approved or withdrawn (the player fetches its
schedule now instead of at its next poll), and ``signage.revoked`` with a screen's id
when its key was revoked. A player that missed a message is right again at its next poll.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

GROUP = "signage.players"


def _send(message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    def send() -> None:
        try:
            async_to_sync(layer.group_send)(GROUP, message)
        except Exception:  # noqa: BLE001 - the write stands; players catch up on their poll
            log.exception("signage publish failed: %s", message.get("type"))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send()
        return
    worker = threading.Thread(target=send)
    worker.start()
    worker.join(timeout=10)


def emergencies_after_commit() -> None:
    def publish() -> None:
        from madoguchi.signage.selectors import active_emergencies

        _send({"type": "signage.emergencies", "active": active_emergencies()})

    transaction.on_commit(publish)


def refresh_after_commit() -> None:
    transaction.on_commit(lambda: _send({"type": "signage.refresh"}))


def revoke_after_commit(screen_id: int) -> None:
    transaction.on_commit(lambda: _send({"type": "signage.revoked", "screen": screen_id}))
