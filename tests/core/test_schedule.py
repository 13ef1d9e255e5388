"""Recurring tasks: starting a chain again never doubles it; the next daily run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from madoguchi.core.schedule import next_daily
from madoguchi.disaster.tasks import remind_plan_reviews
from madoguchi.participation.tasks import sweep

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
@pytest.mark.parametrize(("command", "task"), [("participation_sweep", sweep),
                                               ("remind_plan_reviews", remind_plan_reviews)])
def test_starting_a_chain_twice_queues_one_run(command, task):
    call_command(command, "--schedule", verbosity=0)
    call_command(command, "--schedule", verbosity=0)  # the next `make run`
    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
    assert waiting.count() == 1


def test_next_daily_is_today_while_ahead_and_tomorrow_after():
    at = dt.time(7, 0)
    assert next_daily(at, dt.datetime(2026, 12, 7, 6, 59, tzinfo=TOKYO)) == dt.datetime(
        2026, 12, 7, 7, 0, tzinfo=TOKYO)
    assert next_daily(at, dt.datetime(2026, 12, 7, 7, 0, tzinfo=TOKYO)) == dt.datetime(
        2026, 12, 8, 7, 0, tzinfo=TOKYO)
