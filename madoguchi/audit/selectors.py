"""Reads of the audit trail for auditors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.audit.models import AuditEntry

EXPORT_LIMIT = 50_000


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(filters: Mapping[str, Any]) -> QuerySet[AuditEntry]:
    """Entries matching the cleaned filters of ``AuditFilterForm``, newest first."""
    rows = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    if filters.get("actor"):
        rows = rows.filter(actor__username=filters["actor"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("record_type"):
        rows = rows.filter(record_type=filters["record_type"])
    if filters.get("resident_ref"):
        rows = rows.filter(resident_ref=str(filters["resident_ref"]))
    if filters.get("date_from"):
        rows = rows.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        rows = rows.filter(at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    return rows
