from django.db import migrations

from madoguchi.core.migration_sql import vendor_sql

# PostgreSQL only (ADR 0026): no parallel workers for scans of the resident table. The
# resident search reads a few thousand rows at most per request; measured at the ward's
# size, the two workers PostgreSQL started for a common family name (山田) made the search
# slower (median 30 ms against 17 ms, more under load), and a counter's many concurrent
# requests want one core each.
SERIAL = {"postgresql": ["ALTER TABLE people_resident SET (parallel_workers = 0)"]}
SERIAL_REVERSE = {"postgresql": ["ALTER TABLE people_resident RESET (parallel_workers)"]}


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_search_indexes'),
    ]

    operations = [
        vendor_sql(SERIAL, SERIAL_REVERSE),
    ]
