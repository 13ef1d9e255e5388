"""Make the audit table append-only in the database itself (see core.migration_sql)."""

from django.db import migrations

from madoguchi.core.migration_sql import append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [append_only(["audit_auditentry"])]
