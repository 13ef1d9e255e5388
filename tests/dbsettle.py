"""Flushing the test database while live servers still hold sessions on it (PostgreSQL).

A live server handles a socket closed at a test's end after the test; its last write and the
flush's TRUNCATE can take their locks in opposite orders. ``wait_for_other_sessions`` lets
those writes finish first; ``is_deadlock`` tells the flush when to try again.
"""

from __future__ import annotations

import time

from django.db import connections, transaction
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


# Left as migrate made them: post_migrate, which Django's flush sends, only re-creates them.
KEPT_TABLES = frozenset({"django_content_type", "auth_permission"})


def quick_flush(alias: str) -> bool:
    """Empty the tables that hold rows, in one transaction, as Django's flush would leave the
    database (content types and permissions as migrate made them); False when this database
    cannot be flushed so (not SQLite, or a PostgreSQL role that may not set
    ``session_replication_role``), and Django's flush is to run instead.

    Django's flush truncates all ~250 tables and re-creates every content type and permission:
    about 4 s a transactional test on PostgreSQL. Deleting the rows of the few tables a test
    wrote takes milliseconds. On PostgreSQL the row triggers (foreign keys, the append-only
    tables' guards) are off for this transaction only (``session_replication_role``), as
    TRUNCATE does not fire them either; on SQLite the foreign keys are deferred to the commit.
    """
    connection = connections[alias]
    if connection.vendor not in ("postgresql", "sqlite"):
        return False
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select rolsuper from pg_roles where rolname = current_user")
            if not cursor.fetchone()[0]:
                return False
        tables = sorted(set(connection.introspection.django_table_names(
            only_existing=True, include_views=False)) - KEPT_TABLES)
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        written = []
        for start in range(0, len(tables), 200):  # SQLite allows 500 terms in a compound select
            cursor.execute(" union all ".join(
                f"select {number} where exists (select 1 from {qn(tables[number])})"
                for number in range(start, min(start + 200, len(tables)))))
            written += [tables[row[0]] for row in cursor.fetchall()]
        if connection.vendor == "postgresql":
            cursor.execute("set local session_replication_role = replica")
        for table in written:
            cursor.execute(f"delete from {qn(table)}")  # noqa: S608 - Django's own table names
    return True
