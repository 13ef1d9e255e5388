"""Tasks of the disaster context (Django Tasks API, database backend)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from madoguchi.core.schedule import next_daily, queue_unless_waiting
from madoguchi.disaster.services.reminders import plan_reviews_remind

RUN_AT = dt.time(7, 0)


def schedule_reminders(*, at: dt.datetime | None = None) -> bool:
    """Queue the next daily reminder unless one is already waiting."""
    return queue_unless_waiting(remind_plan_reviews, run_after=at or next_daily(RUN_AT))


@task()
def remind_plan_reviews() -> str:
    """Daily: remind the district centres of the plans due for their yearly review, then
    queue the next day's run (also when this one fails)."""
    try:
        return f"districts {plan_reviews_remind(on=timezone.localdate())}"
    finally:
        schedule_reminders()
