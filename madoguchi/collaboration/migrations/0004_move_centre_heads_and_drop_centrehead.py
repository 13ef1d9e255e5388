"""The centre head is a role of accounts (ADR 0058): any row of the old table becomes a
current ``centre_head`` membership of the district's centre, then the table goes."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def move_to_memberships(apps, schema_editor):
    CentreHead = apps.get_model("collaboration", "CentreHead")
    Membership = apps.get_model("accounts", "Membership")
    Section = apps.get_model("organisation", "Section")
    today = timezone.localdate()
    for head in CentreHead.objects.all():
        centre = Section.objects.filter(district_id=head.district_id,
                                        kind__tier="district").order_by("pk").first()
        if centre is None:
            raise RuntimeError(f"district {head.district_id} has no centre to hold its head")
        held = Membership.objects.filter(user_id=head.user_id, role="centre_head", unit=centre)
        if not held.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).exists():
            Membership.objects.create(user_id=head.user_id, role="centre_head", unit=centre,
                                      valid_from=today)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_membership_role_centre_head"),
        ("collaboration", "0003_record_references_to_other_contexts"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_to_memberships, migrations.RunPython.noop),
        migrations.DeleteModel(name="CentreHead"),
    ]
