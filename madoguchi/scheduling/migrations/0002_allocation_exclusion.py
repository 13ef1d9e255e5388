"""No two active allocations of one resource may overlap: enforced by PostgreSQL itself.

An exclusion constraint over the half-open time range [start, end) per resource, for
active rows only (cancelled bookings free their time). It is the final guard behind the
services' row locks. SQLite has no such constraint: there the booking services run in an
IMMEDIATE (serialised) write transaction and check for overlaps before inserting.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE scheduling_allocation ADD CONSTRAINT allocation_no_overlap
       EXCLUDE USING gist (resource_id WITH =, tstzrange("start", "end", '[)') WITH &&)
       WHERE (active)""",
]
POSTGRES_REVERSE = [
    "ALTER TABLE scheduling_allocation DROP CONSTRAINT IF EXISTS allocation_no_overlap",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        migrations.RunPython(run({"postgresql": POSTGRES}), run({"postgresql": POSTGRES_REVERSE})),
    ]
