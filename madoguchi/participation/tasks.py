"""The participation sweep: draws the lotteries whose time has come and erases the
personal data of registrations past the retention period, then queues itself again.
``manage.py participation_sweep --schedule`` starts the chain (bin/run)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from madoguchi.core.schedule import queue_unless_waiting
from madoguchi.participation import services

logger = logging.getLogger("madoguchi.participation")

INTERVAL = dt.timedelta(minutes=10)


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
