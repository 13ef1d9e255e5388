"""Published procedure versions are frozen in the database itself: an UPDATE of a row whose
``published_at`` is set is refused (and a DELETE too on PostgreSQL, where the test runner
empties tables with TRUNCATE). Publishing a draft (published_at NULL → set) is allowed.

Django rebuilds SQLite tables for most column changes, which drops triggers: a later
migration that alters this table must re-create the SQLite trigger (see
core.migration_sql.append_only_rebuilt for the pattern)."""

from django.db import migrations

from madoguchi.core.migration_sql import vendor_sql

from ._frozen_trigger import FORWARD, REVERSE


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [vendor_sql(FORWARD, REVERSE)]
