"""The fast interval search finds exactly what the naive minute-grid search finds."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.scheduling.naive import search_naive
from madoguchi.scheduling.problem import Day, Problem, ResourceCalendar
from madoguchi.scheduling.slots import search

BASE = int(dt.datetime(2027, 1, 4, tzinfo=dt.timezone(dt.timedelta(hours=9))).timestamp())
DAYS = 3
MINUTE = 60


@st.composite
def hours(draw):
    """Working hours per weekday at minute resolution: 0-2 rows per day."""
    table = {}
    for weekday in range(7):
        rows = []
        for _ in range(draw(st.integers(0, 2))):
            start = draw(st.integers(6 * 60, 18 * 60))
            length = draw(st.integers(10, 6 * 60))
            rows.append((start * MINUTE, min(24 * 60 - 1, start + length) * MINUTE))
        table[weekday] = tuple(rows)
    return table


@st.composite
def busy(draw):
    """Absences and allocations; arbitrary seconds, sometimes crossing midnight."""
    items = []
    for _ in range(draw(st.integers(0, 8))):
        start = BASE + draw(st.integers(-3600, DAYS * 86_400))
        items.append((start, start + draw(st.integers(1, 4 * 3600))))
    return tuple(items)


@st.composite
def resource(draw, key):
    return ResourceCalendar(key=key, hours=draw(hours()), busy=draw(busy()),
                            load=draw(st.integers(0, 3)))


@st.composite
def problems(draw):
    keys = iter(range(1, 100))
    pools = tuple(
        tuple(draw(resource(next(keys))) for _ in range(draw(st.integers(1, 3))))
        for _ in range(draw(st.integers(1, 3))))
    days = []
    for i in range(DAYS):
        window = None
        if draw(st.booleans()) or i == 0:
            opens = draw(st.integers(7 * 60, 10 * 60))
            window = (opens * MINUTE, draw(st.integers(opens + 30, 23 * 60)) * MINUTE)
        days.append(Day(date=dt.date(2027, 1, 4) + dt.timedelta(days=i),
                        midnight=BASE + i * 86_400, window=window))
    duration = draw(st.sampled_from([15, 20, 30, 45, 60]))
    return Problem(
        days=tuple(days), pools=pools,
        earliest=BASE + draw(st.integers(0, DAYS * 86_400)),
        duration=duration * MINUTE,
        buffer=draw(st.sampled_from([0, 5, 10, 15])) * MINUTE,
        step=(30 if duration % 30 == 0 else duration) * MINUTE,
        limit=draw(st.integers(1, 40)),
    )


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_fast_search_matches_minute_grid(problem):
    assert search(problem) == search_naive(problem)


def test_any_member_is_the_least_loaded_free_one():
    hours = {0: ((9 * 3600, 17 * 3600),)}
    busy_one = ResourceCalendar(key=1, hours=hours, load=1,
                                busy=((BASE + 9 * 3600, BASE + 10 * 3600),))
    loaded = ResourceCalendar(key=2, hours=hours, load=5)
    idle = ResourceCalendar(key=3, hours=hours, load=0)
    problem = Problem(days=(Day(dt.date(2027, 1, 4), BASE, (9 * 3600, 12 * 3600)),),
                      pools=((busy_one, loaded, idle),), earliest=BASE, duration=1800, limit=3)
    assert [c.members for c in search(problem)] == [(3,), (3,), (3,)]
    problem = Problem(days=problem.days, pools=((busy_one, loaded),), earliest=BASE,
                      duration=1800, limit=3)
    assert [c.members for c in search(problem)] == [(2,), (2,), (1,)]
