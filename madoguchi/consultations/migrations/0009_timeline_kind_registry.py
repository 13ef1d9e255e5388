"""The timeline's kind is a plain code validated against the event registry (ADR 0031):
the choices (which listed meetings' kinds here) are gone, the codes are unchanged, so the
stored rows need no data migration. No SQL on either database (choices and validators are
not in the schema), so the append-only trigger stays as it is.
"""

import madoguchi.core.events
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consultations', '0008_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='consultationevent',
            name='kind',
            field=models.CharField(max_length=16, validators=[madoguchi.core.events.validate_declared], verbose_name='種類'),
        ),
    ]
