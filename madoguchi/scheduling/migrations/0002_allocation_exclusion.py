"""No two active allocations of one resource may overlap: enforced by PostgreSQL itself.

An exclusion constraint over the half-open time range [start, end) per resource, for
active rows only (cancelled bookings free their time). It is the final guard behind the
services' row locks. SQLite has no such constraint: there the booking services run in an
IMMEDIATE (serialised) write transaction and check for overlaps before inserting.
"""

from django.db import migrations

from madoguchi.core.migration_sql import vendor_sql

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE scheduling_allocation ADD CONSTRAINT allocation_no_overlap
       EXCLUDE USING gist (resource_id WITH =, tstzrange("start", "end", '[)') WITH &&)
       WHERE (active)""",
]
POSTGRES_REVERSE = [
    "ALTER TABLE scheduling_allocation DROP CONSTRAINT IF EXISTS allocation_no_overlap",
]


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        vendor_sql({"postgresql": POSTGRES}, {"postgresql": POSTGRES_REVERSE}),
    ]
