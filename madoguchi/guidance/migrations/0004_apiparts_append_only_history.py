"""An entry's status history is append-only in the database too, like the audit trail and
the consultation and application histories (core.migration_sql.append_only); an entry
with a history can no longer be deleted (PROTECT instead of CASCADE)."""

import django.db.models.deletion
from django.db import migrations, models

from madoguchi.core.migration_sql import append_only


class Migration(migrations.Migration):

    dependencies = [
        ('guidance', '0003_indexed_drafts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='entrystatuschange',
            name='entry',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='status_changes', to='guidance.entry'),
        ),
        append_only(["guidance_entrystatuschange"]),
    ]
