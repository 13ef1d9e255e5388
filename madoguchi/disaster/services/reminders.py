"""The yearly review reminder of 個別避難計画: one mail per district centre, no personal data."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F, Q

from madoguchi.disaster.models import EvacuationPlan
from madoguchi.notifications.notify import notify

KIND = "disaster.plan_review"
AHEAD = dt.timedelta(days=30)


def plan_reviews_remind(*, on: dt.date) -> int:
    """Mark the plans due for review within 30 days of ``on`` that were not reminded of
    this review yet, and notify each district's centre once after commit. Returns how
    many districts are notified; a second run the same day notifies none."""
    with transaction.atomic():
        due = (EvacuationPlan.objects.select_for_update()
               .filter(review_due__lte=on + AHEAD)
               .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("review_due"))))
        districts: dict[int, int] = {}
        for district_id in due.values_list("entry__resident__district_id", flat=True):
            districts[district_id] = districts.get(district_id, 0) + 1
        due.update(reminded_for=F("review_due"))
        for district_id, count in districts.items():
            notify(KIND, about={"district": district_id, "count": count,
                                "on": on.isoformat()})
    return len(districts)
