from django.db import migrations

from madoguchi.core.migration_sql import append_only


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [append_only(["applications_applicationevent"])]
