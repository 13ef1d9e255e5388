"""The inbox handler registry: what becomes of a text a resident sent to the ward's LINE
account. News stores every valid message (``InboxMessage``) and hands it to the handlers
registered here; a context above news (participation: an opinion or an inquiry) registers
one in its ``AppConfig.ready`` with ``register_handler(name, handler)``. News imports none
of them.

A handler gets an ``Incoming`` (the stored message's id, the LINE user id, the text, when it
was sent) and returns True when it took the message. It runs in the transaction that
stores the message, in a savepoint of its own: a handler that raises is logged (name and
message id only) and does not lose the message.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger("madoguchi.news")


@dataclass(frozen=True)
class Incoming:
    message_id: int
    line_user: str
    text: str
    sent_at: dt.datetime


Handler = Callable[[Incoming], bool]

_handlers: dict[str, Handler] = {}


def register_handler(name: str, handler: Handler) -> None:
    if _handlers.get(name, handler) is not handler:
        raise ValueError(f"inbox handler {name!r} is registered already")
    _handlers[name] = handler


def unregister_handler(name: str) -> None:
    _handlers.pop(name, None)


def handlers() -> dict[str, Handler]:
    return dict(_handlers)


def hand_over(incoming: Incoming) -> list[str]:
    """Give ``incoming`` to every handler; the names of those that took it."""
    taken = []
    for name, handler in _handlers.items():
        try:
            with transaction.atomic():
                if handler(incoming):
                    taken.append(name)
        except Exception:
            logger.exception("inbox handler %s failed on message %s", name,
                             incoming.message_id)
    return taken
