"""Tasks of the community context (Django Tasks API, database backend): the daily
reminder of circulars households have not read. ``manage.py remind_circulars --schedule``
starts the chain (bin/run)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from madoguchi.community.services.circulars import circulars_remind
from madoguchi.core.schedule import next_daily, queue_unless_waiting

RUN_AT = dt.time(9, 0)  # in the morning, not at night


def schedule_reminders(*, at: dt.datetime | None = None) -> bool:
    """Queue the next daily run unless one is already waiting."""
    return queue_unless_waiting(remind_circulars, run_after=at or next_daily(RUN_AT))


@task()
def remind_circulars() -> str:
    """Daily: remind once each household that has not read a circular by its due date,
    then queue the next day's run (also when this one fails)."""
    try:
        return f"reminders {circulars_remind(today=timezone.localdate())}"
    finally:
        schedule_reminders()
