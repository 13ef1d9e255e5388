"""Flushing the test database while live servers still hold sessions on it (PostgreSQL).

A live server handles a socket closed at a test's end after the test; its last write and the
flush's TRUNCATE can take their locks in opposite orders. ``wait_for_other_sessions`` lets
those writes finish first; ``is_deadlock`` tells the flush when to try again.
"""

from __future__ import annotations

import time

from django.db import connections
from django.db.utils import OperationalError

BUSY = """
    select count(*) from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')
"""


def wait_for_other_sessions(alias: str, timeout: float = 10.0) -> None:
    """Until no other session on this PostgreSQL database is in a transaction (or timeout)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(BUSY)
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


def is_deadlock(error: BaseException | None) -> bool:
    cause = getattr(error, "__cause__", None)
    return isinstance(error, OperationalError) and getattr(cause, "sqlstate", None) == "40P01"
