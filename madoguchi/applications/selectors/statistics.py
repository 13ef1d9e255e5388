"""Counts of applications per district for the dashboards and the district assessment
(never a person): one query for all the districts asked."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from madoguchi.applications.models import DRAFT, Application
from madoguchi.applications.selectors.review import waiting_for_resident


def district_counts(*, district_ids: list[int], start: dt.datetime, end: dt.datetime,
                    by_procedure: bool = True) -> dict[int, dict[str, int]]:
    """Applications received in [start, end) per district, per procedure code (or one key
    ``total``)."""
    rows = (Application.objects.exclude(status=DRAFT)
            .filter(district_id__in=district_ids, submitted_at__gte=start, submitted_at__lt=end)
            .order_by())
    group = ["district_id", "version__procedure__code"] if by_procedure else ["district_id"]
    found: dict[int, dict[str, int]] = {}
    for row in rows.values(*group).annotate(n=Count("pk")):
        key = row["version__procedure__code"] if by_procedure else "total"
        found.setdefault(row["district_id"], {})[key] = row["n"]
    return found


def district_overdue_counts(*, district_ids: list[int], start: dt.datetime, end: dt.datetime,
                            today: dt.date) -> dict[int, dict[str, int]]:
    """Applications received in [start, end) and still open past their due date on the
    earlier of ``today`` and the period's end (a wait for the resident not counted), per
    district. The due date already counts open days only (``due_on``); this count does not
    subtract pauses that moved an application back within its standard (the overdue list
    does, row by row)."""
    on = min(today, end.date())
    rows = (Application.objects.exclude(status=DRAFT)
            .filter(district_id__in=district_ids, submitted_at__gte=start,
                    submitted_at__lt=end, closed_at__isnull=True,
                    version__processing_days__gt=0, due_on__lt=on)
            .exclude(waiting_for_resident())
            .order_by().values("district_id").annotate(n=Count("pk")))
    return {row["district_id"]: {"total": row["n"]} for row in rows}
