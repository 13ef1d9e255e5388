"""The consultation timeline and the statistics events are append-only in the database,
as the audit trail is (see core.migration_sql)."""

from django.db import migrations

from madoguchi.core.migration_sql import append_only


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]

    operations = [append_only(["consultations_consultationevent", "consultations_statevent"])]
