"""The histories are append-only; the ward's default themes and the first standard form."""

from django.db import migrations

from madoguchi.core.migration_sql import append_only

THEMES = [
    ("elderly", "高齢", "Older people"), ("children", "子ども・子育て", "Children and families"),
    ("disability", "障害", "Disability"), ("poverty", "生活困窮", "Poverty"),
    ("housing", "住まい", "Housing"), ("neighbourhood", "地域・近隣", "Neighbourhood"),
    ("disaster", "防災", "Disaster"), ("other", "その他", "Other"),
]

FORM_V1 = {"sections": [{
    "title": "気づいたことの詳細", "title_en": "What was noticed",
    "fields": [
        {"name": "since", "type": "select", "label": "いつから続いているか",
         "label_en": "Since when",
         "choices": [{"value": "new", "label": "今回初めて", "label_en": "First time"},
                     {"value": "month", "label": "1か月以内", "label_en": "Within a month"},
                     {"value": "half_year", "label": "半年以内", "label_en": "Within six months"},
                     {"value": "longer", "label": "それ以上", "label_en": "Longer"},
                     {"value": "unknown", "label": "不明", "label_en": "Unknown"}]},
        {"name": "how_noticed", "type": "radio", "label": "気づいたきっかけ",
         "label_en": "How it was noticed",
         "choices": [{"value": "counter", "label": "窓口・相談", "label_en": "At the counter"},
                     {"value": "visit", "label": "訪問", "label_en": "A visit"},
                     {"value": "neighbour", "label": "地域の方から", "label_en": "From neighbours"},
                     {"value": "event", "label": "行事・活動", "label_en": "At an activity"},
                     {"value": "other", "label": "その他", "label_en": "Other"}]},
        {"name": "others_involved", "type": "yesno", "label": "他の機関がすでに関わっている",
         "label_en": "Other agencies are already involved"},
        {"name": "note", "type": "textarea", "label": "補足",
         "label_en": "Notes",
         "help": "個人名・住所・連絡先は書かないでください。",
         "help_en": "Do not write names, addresses or contact details."},
    ]}]}


def seed(apps, schema_editor):
    Theme = apps.get_model("collaboration", "Theme")
    RecordForm = apps.get_model("collaboration", "RecordForm")
    for order, (code, name, name_en) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en,
                                                         "sort_order": order})
    if not RecordForm.objects.exists():
        RecordForm.objects.create(version=1, definition=FORM_V1)


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0001_initial")]

    operations = [
        append_only(["collaboration_recordevent", "collaboration_escalationmessage"]),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
