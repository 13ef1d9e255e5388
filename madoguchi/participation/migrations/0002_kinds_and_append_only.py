from django.db import migrations

from madoguchi.core.migration_sql import append_only

# The plan's kinds of event (issue 15 item 1); the ward edits the list.
KINDS = [
    ("chiku-joho", "地区情報連絡会", "District information meeting"),
    ("workshop", "ワークショップ", "Workshop"),
    ("town-meeting", "タウンミーティング", "Town meeting"),
    ("bosai-juku", "防災塾", "Disaster preparedness school"),
    ("smartphone", "スマートフォン教室", "Smartphone class"),
    ("exercise", "体操講座", "Exercise class"),
    ("liaison", "連絡会", "Liaison meeting"),
    ("other", "その他", "Other"),
]


def add_kinds(apps, schema_editor):
    EventKind = apps.get_model("participation", "EventKind")
    for order, (code, name, name_en) in enumerate(KINDS, 1):
        EventKind.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]

    operations = [
        migrations.RunPython(add_kinds, migrations.RunPython.noop),
        append_only(["participation_transition", "participation_draw"]),
    ]
