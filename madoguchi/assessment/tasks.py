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


# -- the precomputed figures of the ward dashboard (ADR 0051) ------------------------------

REFRESH_EVERY = dt.timedelta(hours=1)


def next_refresh(now: dt.datetime) -> dt.datetime:
    """The next full hour (local time) after ``now``."""
    local = timezone.localtime(now)
    return local.replace(minute=0, second=0, microsecond=0) + REFRESH_EVERY


def schedule_refresh(*, at: dt.datetime | None = None) -> bool:
    """Queue the next refresh of the figures unless one is already waiting."""
    return queue_unless_waiting(refresh_figures, run_after=at or next_refresh(timezone.now()))


def refreshed_years(today: dt.date) -> tuple[int, int]:
    """The fiscal years each run refreshes: this one and the one before (late entries and
    applications still open from it); older years keep their last tallies, their data no
    longer changes."""
    from madoguchi.assessment.figures import fiscal_year_of

    current = fiscal_year_of(today)
    return current - 1, current


@task()
def refresh_figures() -> str:
    """Precompute the figures of this fiscal year and the last, then queue the next run
    (also when this one fails)."""
    from madoguchi.assessment import services

    try:
        done = [services.figures_refresh(year)
                for year in refreshed_years(timezone.localdate())]
    finally:
        schedule_refresh()
    summary = ", ".join(f"{found.fiscal_year}: {found.seconds:.1f} s" for found in done)
    logger.info("figures refreshed: %s", summary)
    return summary
