"""The consultation timeline and the statistics events are append-only in the database.

As for the audit trail (audit 0002): UPDATE is refused on every backend; DELETE is refused
on PostgreSQL (the test runner empties tables with TRUNCATE, which row triggers do not
see); on SQLite the models refuse deletes.
"""

from django.db import migrations

TABLES = ["consultations_consultationevent", "consultations_statevent"]


def sqlite(table):
    return [f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""]


def sqlite_reverse(table):
    return [f"DROP TRIGGER IF EXISTS {table}_no_update"]


def postgres(table):
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
    ]


def postgres_reverse(table):
    return [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_append_only()"]


def run(builders):
    def apply(apps, schema_editor):
        build = builders.get(schema_editor.connection.vendor)
        if build is None:
            return
        for table in TABLES:
            for sql in build(table):
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": sqlite, "postgresql": postgres}),
            run({"sqlite": sqlite_reverse, "postgresql": postgres_reverse}),
        ),
    ]
