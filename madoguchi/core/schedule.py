"""Recurring work on the Django Tasks worker, without cron: a task does its work, then
queues its own next run (also when the work failed). Queuing is skipped while a run of the
same task already waits, so starting a chain again (each ``make run`` does) never doubles
it."""

from __future__ import annotations

import abc
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone


def queue_unless_waiting(task: Any, *, run_after: dt.datetime, **kwargs: Any) -> bool:
    """Queue ``task`` (with ``kwargs``) to run after ``run_after`` unless a run of it is
    already waiting. Returns whether one was queued."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it cannot be asked, so queue
        DBTaskResult = None  # noqa: N806
    if DBTaskResult is not None and DBTaskResult.objects.filter(
            task_path=task.module_path, status="READY").exists():
        return False
    task.using(run_after=run_after).enqueue(**kwargs)
    return True


def next_daily(at: dt.time, now: dt.datetime | None = None) -> dt.datetime:
    """The next local time of day ``at`` after ``now`` (today's if still ahead)."""
    local = timezone.localtime(now)
    run = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return run if run > local else run + dt.timedelta(days=1)


class DailyCommand(BaseCommand, abc.ABC):
    """A daily job's command: run it now, or ``--schedule`` its daily chain on the task
    worker (``bin/run`` does, at start). A subclass says how: ``run_now()`` -> the line to
    print, ``schedule()`` -> whether a new chain was queued."""

    @abc.abstractmethod
    def run_now(self) -> str:
        """Run the job once now; the line to print."""

    @abc.abstractmethod
    def schedule(self) -> bool:
        """Queue the daily chain unless one waits; whether a new one was queued."""

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="Start the daily chain on the task worker instead.")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            self.stdout.write("scheduled" if self.schedule() else "already scheduled")
        else:
            self.stdout.write(self.run_now())
