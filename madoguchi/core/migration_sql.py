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


def append_only(tables: Iterable[str]) -> migrations.RunPython:
    forward: Statements = {"sqlite": [], "postgresql": []}
    reverse: Statements = {"sqlite": [], "postgresql": []}
    for table in tables:
        forward["sqlite"].append(
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
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
