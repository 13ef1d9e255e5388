"""The open-day calendar: cumulative open-day numbers give the same answers as checking day
by day, and a change to the ward's closed days is seen at once."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.core import dates, opendays
from madoguchi.core.models import CalendarException
from madoguchi.organisation.services.closed_days import (
    calendar_exception_create,
    calendar_exception_delete,
)

pytestmark = pytest.mark.django_db

D = dt.date


def day_by_day(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range(1, (end - start).days + 1)
               if dates.is_open_day(start + dt.timedelta(days=n), exceptions={}))


def test_subtraction_matches_counting_day_by_day_over_two_years():
    calendar = opendays.calendar(D(2026, 1, 1), D(2027, 12, 31))
    start = D(2026, 1, 1)
    for n in range(0, 730, 7):
        end = start + dt.timedelta(days=n)
        assert calendar.between(start, end) == day_by_day(start, end)
        assert calendar.is_open(end) == dates.is_open_day(end, exceptions={})


def test_adding_open_days_skips_weekends_holidays_and_year_end():
    # Friday 25 December 2026 + 3 open days: 28 December, then 4 and 5 January 2027.
    assert opendays.add_open_days(D(2026, 12, 25), 3) == D(2027, 1, 5)
    assert opendays.add_open_days(D(2026, 12, 25), 0) == D(2026, 12, 25)
    assert opendays.due_date(D(2026, 12, 25), 0) is None
    for start in (D(2026, 4, 28), D(2026, 9, 18), D(2027, 2, 10)):
        for days in (1, 5, 10, 22):
            due = opendays.add_open_days(start, days)
            assert day_by_day(start, due) == days and dates.is_open_day(due, exceptions={})


def test_dates_far_from_today_widen_the_calendar():
    assert opendays.open_days_between(D(1999, 12, 31), D(2000, 1, 7)) == day_by_day(
        D(1999, 12, 31), D(2000, 1, 7))
    assert opendays.add_open_days(D(2045, 6, 1), 1) == D(2045, 6, 2)


def test_a_new_closed_day_is_counted_at_once_and_its_removal_too():
    start, end = D(2026, 6, 1), D(2026, 6, 5)  # Monday to Friday
    assert dates.open_days_between(start, end) == 4
    closed = calendar_exception_create(date=D(2026, 6, 3), kind="closed", reason="庁舎点検")
    assert dates.open_days_between(start, end) == 3
    assert dates.add_open_days(start, 2) == D(2026, 6, 4)
    calendar_exception_delete(exception=closed)
    assert dates.open_days_between(start, end) == 4
    # An exceptional open Saturday, written straight to the table, counts as well.
    CalendarException.objects.create(date=D(2026, 6, 6), kind="open", reason="臨時開庁")
    assert dates.open_days_between(start, D(2026, 6, 8)) == 6


def test_the_calendar_is_built_once_for_the_same_exceptions(django_assert_num_queries):
    first = opendays.calendar()
    with django_assert_num_queries(1):  # the exceptions, to see whether they changed
        assert opendays.calendar() is first
