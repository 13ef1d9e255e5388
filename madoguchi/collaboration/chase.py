"""The daily chase of overdue action items, run by the Django Tasks worker.

``chase_overdue_actions`` chases, then queues itself for the next morning (also when it
fails), like the files' orphan sweep; ``manage.py chase_collaboration`` queues the first.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from madoguchi.collaboration import services
from madoguchi.core.schedule import queue_unless_waiting

RUN_AT = dt.time(8, 0)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    now = timezone.localtime(now)
    day = now.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, RUN_AT, tzinfo=now.tzinfo)


def schedule_chase() -> bool:
    """Queue the next chase unless one is waiting already."""
    return queue_unless_waiting(chase_overdue_actions, run_after=next_run())


@task()
def chase_overdue_actions() -> str:
    try:
        chased = services.chase_overdue()
    finally:
        schedule_chase()
    return f"chased {chased}"
