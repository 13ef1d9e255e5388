"""Due dates of action items and escalations, counted in open days, agree with the project's
calendar for every day from 2019 to 2035 (振替休日, 国民の休日, 年末年始 12/29–1/3): the
weakness reviewers found in Signalen's deadlines (Amsterdam/signals #791)."""

from __future__ import annotations

import datetime as dt

import jpholiday
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.collaboration import services
from madoguchi.core.dates import is_open_day

pytestmark = pytest.mark.django_db

FIRST, LAST = dt.date(2019, 1, 1), dt.date(2035, 12, 31)


def open_by_hand(day: dt.date) -> bool:
    """The ward's rule written out independently: weekdays, minus national holidays
    (jpholiday: 振替休日 and 国民の休日 included), minus 12/29–1/3."""
    year_end = (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)
    return day.weekday() < 5 and not jpholiday.is_holiday(day) and not year_end


def due_by_hand(start: dt.date, days: int) -> dt.date:
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if open_by_hand(day):
            left -= 1
    return day


def test_every_day_2019_to_2035_is_open_or_closed_as_the_calendar_says(db):
    day = FIRST
    while day <= LAST:
        assert is_open_day(day, exceptions={}) == open_by_hand(day), day
        assert services.due_in_open_days(day, 1) == due_by_hand(day, 1), day
        day += dt.timedelta(days=1)


def test_known_closed_days():
    assert not open_by_hand(dt.date(2019, 5, 6))  # 振替休日 after the 2019 golden week
    assert not open_by_hand(dt.date(2026, 9, 22))  # 国民の休日 between 敬老の日 and 秋分の日
    assert not open_by_hand(dt.date(2030, 1, 3))  # 年末年始


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=FIRST, max_value=LAST), days=st.integers(0, 60))
def test_due_dates_in_open_days_agree_with_the_calendar(db, start, days):
    due = services.due_in_open_days(start, days)
    assert due == due_by_hand(start, days)
    if days:
        assert open_by_hand(due)
