"""The call display's live updates: one channel-layer group per office.

A change (ticket issued, called, called again, finished) publishes the office's whole
display state after its transaction commits, so a display that missed a message is right
again with the next one, and one that reconnects gets the state on connect (consumers).
"""

from __future__ import annotations

import asyncio
import logging
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)


def group(office_id: int) -> str:
    return f"counter.office.{office_id}"


def publish_after_commit(office_id: int, *, call: dict | None = None) -> None:
    transaction.on_commit(lambda: publish(office_id, call=call))


def publish(office_id: int, *, call: dict | None = None) -> None:
    from madoguchi.counter.models import Office
    from madoguchi.counter.selectors import display_state

    layer = get_channel_layer()
    if layer is None:
        return
    state = display_state(Office.objects.get(pk=office_id))

    def send() -> None:
        try:
            async_to_sync(layer.group_send)(group(office_id), {
                "type": "counter.state", "state": state, "call": call})
        except Exception:  # noqa: BLE001 - the call stands; displays catch up on the next change
            log.exception("counter display publish failed office=%s", office_id)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send()  # the usual case: a sync view or service in its own thread
        return
    # Called from a thread that runs an event loop (a sync caller inside async code):
    # the send needs a thread of its own.
    worker = threading.Thread(target=send)
    worker.start()
    worker.join(timeout=10)
