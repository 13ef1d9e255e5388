"""An assessment's history is append-only in the database (see core.migration_sql)."""

from django.db import migrations

from madoguchi.core.migration_sql import append_only


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [append_only(["assessment_assessmentevent"])]
