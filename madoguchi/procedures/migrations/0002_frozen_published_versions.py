"""Published procedure versions are frozen in the database itself: an UPDATE of a row whose
``published_at`` is set is refused (and a DELETE too on PostgreSQL, where the test runner
empties tables with TRUNCATE). Publishing a draft (published_at NULL → set) is allowed.

Django rebuilds SQLite tables for most column changes, which drops triggers: a later
migration that alters this table must re-create the SQLite trigger (see
core.migration_sql.append_only_rebuilt for the pattern)."""

from django.db import migrations

from madoguchi.core.migration_sql import vendor_sql

TABLE = "procedures_procedureversion"

FORWARD = {
    "sqlite": [
        f"CREATE TRIGGER {TABLE}_frozen BEFORE UPDATE ON {TABLE} "
        f"WHEN OLD.published_at IS NOT NULL "
        f"BEGIN SELECT RAISE(ABORT, 'published procedure versions are immutable'); END",
    ],
    "postgresql": [
        f"CREATE OR REPLACE FUNCTION {TABLE}_frozen() RETURNS trigger AS $$ "
        f"BEGIN IF OLD.published_at IS NOT NULL THEN "
        f"RAISE EXCEPTION 'published procedure versions are immutable'; END IF; "
        f"IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
        f"CREATE TRIGGER {TABLE}_frozen BEFORE UPDATE OR DELETE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_frozen()",
    ],
}
REVERSE = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_frozen"],
    "postgresql": [f"DROP TRIGGER IF EXISTS {TABLE}_frozen ON {TABLE}",
                   f"DROP FUNCTION IF EXISTS {TABLE}_frozen()"],
}


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [vendor_sql(FORWARD, REVERSE)]
