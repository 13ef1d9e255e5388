"""Postings carry a quantised impact per (term, entry) instead of per-field frequencies.

The index is derived data: the old postings are dropped and ``load_guidance`` (run by
``make run``) or any entry write rebuilds them.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("guidance", "0001_initial")]

    operations = [
        migrations.DeleteModel(name="Posting"),
        migrations.CreateModel(
            name="IndexStats",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("docs", models.PositiveIntegerField(default=0)),
                ("avg_q", models.FloatField(default=1.0)),
                ("avg_k", models.FloatField(default=1.0)),
                ("avg_a", models.FloatField(default=1.0)),
                ("avg_r", models.FloatField(default=1.0)),
                ("built_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name="Posting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("term", models.CharField(max_length=64)),
                ("impact", models.PositiveIntegerField()),
                ("doc", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                          related_name="postings",
                                          to="guidance.indexedentry")),
            ],
            options={
                "indexes": [models.Index(fields=["term", "doc", "impact"],
                                         name="guidance_posting_term_doc")],
                "constraints": [models.UniqueConstraint(fields=("doc", "term"),
                                                        name="guidance_posting_once")],
            },
        ),
    ]
