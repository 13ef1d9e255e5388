"""English texts for who may apply, the processing note and the fee note (issue 11.8).

Adding columns rebuilds the table on SQLite, which drops the trigger that freezes published
versions (0002): it is re-created afterwards, forwards and backwards."""

from django.db import migrations, models

from madoguchi.core.migration_sql import vendor_sql

from ._frozen_trigger import FORWARD

RECREATE = {"sqlite": [
    "DROP TRIGGER IF EXISTS procedures_procedureversion_frozen", *FORWARD["sqlite"]]}


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0002_frozen_published_versions"),
    ]

    operations = [
        vendor_sql({}, RECREATE),
        migrations.AddField(
            model_name="procedureversion",
            name="fee_note_en",
            field=models.CharField(blank=True, max_length=600,
                                   verbose_name="手数料の補足（英語）"),
        ),
        migrations.AddField(
            model_name="procedureversion",
            name="processing_note_en",
            field=models.CharField(blank=True, max_length=600,
                                   verbose_name="処理期間の補足（英語）"),
        ),
        migrations.AddField(
            model_name="procedureversion",
            name="who_may_apply_en",
            field=models.TextField(blank=True, verbose_name="申請できる人（英語）"),
        ),
        vendor_sql(RECREATE, {}),
    ]
