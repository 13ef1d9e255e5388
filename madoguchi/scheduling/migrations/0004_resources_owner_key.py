"""A resource is a registered kind's code and its owner's key (issue 13.1).

The one-to-one columns per kind (booth, user) become ``owner_id``: existing rows keep
their id (allocations, hours and absences point to it) and take the booth's or user's key.
A booking's section becomes optional in the table (the kinds that need it say so).
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce


def to_owner_key(apps, schema_editor):
    Resource = apps.get_model("scheduling", "Resource")
    Resource.objects.update(owner_id=Coalesce("booth_id", "user_id"))


def to_columns(apps, schema_editor):
    Resource = apps.get_model("scheduling", "Resource")
    Resource.objects.filter(kind="booth").update(booth_id=models.F("owner_id"))
    Resource.objects.filter(kind="person").update(user_id=models.F("owner_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("scheduling", "0003_booking_finished"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="owner_id",
            field=models.BigIntegerField(null=True, verbose_name="対象のID"),
        ),
        migrations.RemoveConstraint(
            model_name="resource",
            name="resource_kind_matches_target",
        ),
        migrations.RunPython(to_owner_key, to_columns, elidable=False),
        migrations.RemoveField(
            model_name="resource",
            name="booth",
        ),
        migrations.RemoveField(
            model_name="resource",
            name="user",
        ),
        migrations.AlterField(
            model_name="resource",
            name="owner_id",
            field=models.BigIntegerField(verbose_name="対象のID"),
        ),
        migrations.AlterField(
            model_name="resource",
            name="kind",
            field=models.CharField(help_text="登録された予約対象の種類のコード。", max_length=32,
                                   verbose_name="種類"),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.UniqueConstraint(fields=("kind", "owner_id"),
                                               name="resource_one_per_owner"),
        ),
        migrations.AlterField(
            model_name="booking",
            name="section",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=models.deletion.PROTECT,
                                    related_name="bookings", to="organisation.section",
                                    verbose_name="担当の課・機関"),
        ),
    ]
