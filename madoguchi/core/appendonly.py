"""Append-only rows: inserted, never changed or deleted.

Models that are histories or trails (audit entries, consultation and application events)
subclass ``AppendOnlyModel``; the database refuses UPDATE (and DELETE on PostgreSQL) too,
through ``core.migration_sql.append_only`` in the model's migrations.
"""

from __future__ import annotations

from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes are refused too: ``Model.objects.filter(...).update()/.delete()``."""

    def update(self, **kwargs):
        raise AppendOnlyError("append-only rows cannot be changed")

    def delete(self):
        raise AppendOnlyError("append-only rows cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")
