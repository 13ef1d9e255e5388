"""Scheduled publishing of the open data through the Django Tasks worker: the task
publishes, then queues its next run (the next day at 05:00), so one run keeps the chain."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from madoguchi.core.schedule import next_daily, queue_unless_waiting

logger = logging.getLogger(__name__)
HOUR = 5


def next_run(now: dt.datetime) -> dt.datetime:
    return next_daily(dt.time(HOUR), now)


def schedule_publish(*, at: dt.datetime | None = None) -> bool:
    """Queue the next publishing unless one is already waiting. Returns whether queued."""
    return queue_unless_waiting(publish_open_data, run_after=at or next_run(timezone.now()))


@task()
def publish_open_data() -> str:
    """Publish every open dataset now, then queue the next run (also when this one fails)."""
    from madoguchi.assessment import services

    try:
        files = services.open_data_publish()
    finally:
        schedule_publish()
    summary = ", ".join(f"{found.dataset}: {found.rows}" for found in files)
    logger.info("open data published: %s", summary)
    return summary
