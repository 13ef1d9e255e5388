"""The sockets' trips to the database thread, with its connection kept while work queues.

Channels' ``database_sync_to_async`` closes stale connections before and after every
call, and with ``CONN_MAX_AGE=0`` (config/settings.py: under ASGI every HTTP request has a
thread of its own, so a kept connection there is never reused) every connection is stale:
each trip of a socket to the database opened a new connection (SQLite: open the file, the
pragmas, the functions Django registers; PostgreSQL: a new backend). The sockets of a
process, though, share one thread for their database work (``thread_sensitive`` without a
per-request context), so there a kept connection *is* reused.

``socket_db`` keeps the connection of that thread open after a call while other calls of
sockets are waiting for the thread (a burst of joins), up to ``KEEP_SECONDS`` old, and
closes it as before once the queue is empty: an idle process holds no connection, so
nothing changes for a database restart, a test database being dropped or PostgreSQL's
connection limit. A connection that had an error (other than an integrity or data error)
or is in a changed autocommit state is closed at once, usable or not.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.db import connections

KEEP_SECONDS = 30.0

_lock = threading.Lock()
# Calls made whose work has not finished in the database thread. A call leaves the set when
# its work ends in that thread, not when its caller resumes (the event loop may resume the
# callers of a burst only after the last one's work has ended, and counting them until then
# kept the connection of a finished burst open).
_pending: set[object] = set()
T = TypeVar("T")


def _tidy(*, keep: bool) -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if not keep:
            conn.close_if_unusable_or_obsolete()
            continue
        if conn.errors_occurred:  # not worth a check (SQLite's always passes): a new one
            conn.close()
            continue
        # close_if_unusable_or_obsolete without the age check, which CONN_MAX_AGE=0 fails.
        opened_or_due, conn.close_at = conn.close_at, None
        try:
            conn.close_if_unusable_or_obsolete()
        finally:
            conn.close_at = opened_or_due
        if (conn.connection is not None and opened_or_due is not None
                and time.monotonic() >= opened_or_due + KEEP_SECONDS):
            conn.close()


def socket_db(func: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """``database_sync_to_async`` for the sockets (see the module's text): ``func`` runs in
    the shared database thread, with the connection tidied before and after."""

    @functools.wraps(func)
    async def call(*args: Any, **kwargs: Any) -> T:
        token = object()
        with _lock:
            _pending.add(token)

        def work() -> T:
            _tidy(keep=True)
            try:
                return func(*args, **kwargs)
            finally:
                with _lock:  # this call's work is over: are others waiting for the thread?
                    _pending.discard(token)
                    others = bool(_pending)
                _tidy(keep=others)

        try:
            return await sync_to_async(work, thread_sensitive=True)()
        finally:
            with _lock:  # a call cancelled before its work ran
                _pending.discard(token)

    return call
