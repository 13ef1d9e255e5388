"""The participation sweep: draws the lotteries whose time has come and erases the
personal data of registrations past the retention period, then queues itself again.
``manage.py participation_sweep --schedule`` starts the chain (bin/run). The daily
reminders before sessions (ADR 0060): ``manage.py participation_remind --schedule``."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from madoguchi.core.schedule import next_daily, queue_unless_waiting
from madoguchi.participation import reminders, services

logger = logging.getLogger("madoguchi.participation")

INTERVAL = dt.timedelta(minutes=10)
REMIND_AT = dt.time(10, 0)  # in the morning, after the digest


def sweep_once() -> str:
    drawn = services.draw_due(link_base=settings.PARTICIPATION_CANCEL_BASE)
    erased = services.erase_expired(days=settings.PARTICIPATION_RETENTION_DAYS)
    logger.info("participation sweep: %d draws, %d registrations erased", drawn, erased)
    return f"drawn={drawn} erased={erased}"


@task()
def sweep(chain: bool = True) -> str:
    try:
        return sweep_once()
    finally:
        if chain:
            queue_unless_waiting(sweep, run_after=timezone.now() + INTERVAL, chain=True)


def schedule_reminders(*, at: dt.datetime | None = None) -> bool:
    """Queue the next daily run of the reminders unless one is already waiting."""
    return queue_unless_waiting(remind, run_after=at or next_daily(REMIND_AT))


@task()
def remind() -> str:
    """Daily: queue the reminders of the coming sessions (each once), then the next run
    (also when this one fails)."""
    try:
        return f"reminders {reminders.remind_due()}"
    finally:
        schedule_reminders()
