"""Vendor-specific SQL for migrations: the one place that builds it.

``vendor_sql`` runs statements only on the named backends; ``append_only`` makes tables
append-only in the database (UPDATE refused everywhere; DELETE refused on PostgreSQL,
where the test runner and retention jobs empty tables with TRUNCATE, which row triggers
do not see; on SQLite the test runner flushes with DELETE, so there the models refuse it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import migrations

Statements = dict[str, list[str]]


def _runner(statements: Statements) -> Callable:
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


def vendor_sql(forward: Statements, reverse: Statements) -> migrations.RunPython:
    """A migration operation running ``forward[vendor]`` (and ``reverse[vendor]`` back)."""
    return migrations.RunPython(_runner(forward), _runner(reverse))


def _sqlite_trigger(table: str) -> str:
    return (f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def append_only(tables: Iterable[str]) -> migrations.RunPython:
    forward: Statements = {"sqlite": [], "postgresql": []}
    reverse: Statements = {"sqlite": [], "postgresql": []}
    for table in tables:
        forward["sqlite"].append(_sqlite_trigger(table))
        reverse["sqlite"].append(f"DROP TRIGGER IF EXISTS {table}_no_update")
        forward["postgresql"] += [
            f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        ]
        reverse["postgresql"] += [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
                                  f"DROP FUNCTION IF EXISTS {table}_append_only()"]
    return vendor_sql(forward, reverse)


def append_only_rebuilt(tables: Iterable[str], operations: list) -> list:
    """``operations`` on append-only ``tables``, keeping them append-only on SQLite.

    Django alters most columns on SQLite by rebuilding the table (create a copy, INSERT the
    rows, drop the old table, rename), and dropping a table drops its triggers. The SQLite
    trigger is re-created after the operations, both forwards and backwards. PostgreSQL
    alters tables in place and keeps its triggers, so nothing runs there.
    """
    tables = list(tables)
    recreate: Statements = {"sqlite": [
        sql for table in tables
        for sql in (f"DROP TRIGGER IF EXISTS {table}_no_update", _sqlite_trigger(table))]}
    return [vendor_sql({}, recreate), *operations, vendor_sql(recreate, {})]
