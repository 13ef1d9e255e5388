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

import threading
import time

from asgiref.sync import SyncToAsync
from django.db import connections

KEEP_SECONDS = 30.0

_lock = threading.Lock()
_waiting = [0]  # calls made and not yet returned


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


class SocketDatabaseSyncToAsync(SyncToAsync):
    """``database_sync_to_async`` for the sockets: see the module's text."""

    async def __call__(self, *args, **kwargs):
        with _lock:
            _waiting[0] += 1
        try:
            return await super().__call__(*args, **kwargs)
        finally:
            with _lock:
                _waiting[0] -= 1

    def thread_handler(self, loop, *args, **kwargs):
        _tidy(keep=True)
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            with _lock:
                others = _waiting[0] > 1  # this call is still counted
            _tidy(keep=others)


socket_db = SocketDatabaseSyncToAsync
