"""Scheduled publishing of the open data through the Django Tasks worker: the task
publishes, then queues its next run (the next day at 05:00), so one run keeps the chain."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)
HOUR = 5


def next_run(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


def schedule_publish(*, at: dt.datetime | None = None) -> bool:
    """Queue the next publishing unless one is already waiting. Returns whether queued."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it cannot be asked, so queue
        DBTaskResult = None  # noqa: N806
    if DBTaskResult is not None and DBTaskResult.objects.filter(
            task_path=publish_open_data.module_path, status="READY").exists():
        return False
    publish_open_data.using(run_after=at or next_run(timezone.now())).enqueue()
    return True


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
