"""The ward's calendar of open days, for counting in O(1).

Every date in a window gets its cumulative open-day number (how many ward open days there
are from the window's start up to and including that date), so that

- the open days after ``start`` up to ``end`` are ``number(end) - number(start)``, and
- the day on which ``n`` open days after ``start`` have passed is a list look-up.

Open days are the regular weekdays (Mon–Fri) minus national holidays (``jpholiday``) and
年末年始, with the ward's ``CalendarException`` rows (extra closed days, exceptional open
days) on top: the same rule as ``core.dates.is_open_day``.

The calendar is built once per process and cached, keyed by the exception rows: each call
of ``calendar()`` reads those rows (one small query) and rebuilds only when they differ
from the ones the cached calendar was built from, so a change to the closed days, made in
any process, is seen by the next page. The window grows when a date outside it is asked.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import jpholiday
from django.utils import timezone

from madoguchi.core.dates import is_year_end_closing

WEEKDAYS = frozenset(range(5))
# The first window: ten years back (applications and consultations still counted), three
# ahead (due dates); widened in steps of this many years when a date falls outside.
YEARS_BACK, YEARS_AHEAD, GROW_YEARS = 10, 3, 5

Exceptions = tuple[tuple[dt.date, str], ...]  # (date, "open" | "closed"), sorted


@dataclass(frozen=True)
class OpenDays:
    """Open-day numbers of the days ``first`` … ``first + len(numbers) - 1``."""

    first: dt.date
    numbers: tuple[int, ...]  # cumulative open days up to and including each day
    open_dates: tuple[dt.date, ...]  # the open days of the window, in order
    exceptions: Exceptions

    @property
    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=len(self.numbers) - 1)

    def covers(self, *days: dt.date) -> bool:
        return all(self.first <= day <= self.last for day in days)

    def number(self, day: dt.date) -> int:
        """Open days from the window's start up to and including ``day``."""
        index = (day - self.first).days
        if not 0 <= index < len(self.numbers):
            raise ValueError(f"{day.isoformat()} is outside the calendar")
        return self.numbers[index]

    def is_open(self, day: dt.date) -> bool:
        index = (day - self.first).days
        return self.number(day) > (self.numbers[index - 1] if index else 0)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Open days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        if end <= start:
            return 0
        return self.number(end) - self.number(start)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The day on which ``days`` open days after ``start`` have passed (``start`` itself
        not counted); ``start`` when ``days`` is 0 or less."""
        if days <= 0:
            return start
        return self.open_dates[self.number(start) + days - 1]


def build(first: dt.date, last: dt.date, exceptions: Exceptions) -> OpenDays:
    """The calendar of ``first`` … ``last`` (inclusive)."""
    holidays = {day for day, _name in jpholiday.between(first, last)}
    overrides = dict(exceptions)
    numbers, open_dates, count = [], [], 0
    day = first
    while day <= last:
        kind = overrides.get(day)
        if kind is None:
            is_open = (day.weekday() in WEEKDAYS and day not in holidays
                       and not is_year_end_closing(day))
        else:
            is_open = kind == "open"
        if is_open:
            count += 1
            open_dates.append(day)
        numbers.append(count)
        day += dt.timedelta(days=1)
    return OpenDays(first=first, numbers=tuple(numbers), open_dates=tuple(open_dates),
                    exceptions=exceptions)


_lock = threading.Lock()
_cached: OpenDays | None = None


def _load_exceptions() -> Exceptions:
    from madoguchi.core.models import CalendarException

    return tuple(CalendarException.objects.order_by("date").values_list("date", "kind"))


def _years(day: dt.date, years: int) -> dt.date:
    return day.replace(month=1, day=1, year=day.year + years)


def calendar(*days: dt.date) -> OpenDays:
    """The cached calendar, rebuilt when the ward's exceptions changed or when one of
    ``days`` (the dates the caller will look up) lies outside it. ``add`` may look up to
    ``GROW_YEARS`` years past the window's end: pass the start plus the days to add when
    adding more."""
    global _cached
    exceptions = _load_exceptions()
    today = timezone.localdate()
    wanted = (*days, today) if days else (today,)
    cached = _cached
    if cached is not None and cached.exceptions == exceptions and cached.covers(*wanted):
        return cached
    with _lock:
        first = _years(today, -YEARS_BACK)
        last = _years(today, YEARS_AHEAD + 1) - dt.timedelta(days=1)
        if cached is not None and cached.exceptions == exceptions:
            first, last = min(first, cached.first), max(last, cached.last)
        while min(wanted) < first:
            first = _years(first, -GROW_YEARS)
        while max(wanted) > last:
            last = _years(last, GROW_YEARS + 1) - dt.timedelta(days=1)
        _cached = build(first, last, exceptions)
        return _cached


# ── the functions every context uses ───────────────────────────────────────────────────


def open_days_between(start: dt.date, end: dt.date) -> int:
    """Open days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    if end <= start:
        return 0
    return calendar(start, end).between(start, end)


def add_open_days(start: dt.date, days: int) -> dt.date:
    """The day on which ``days`` open days after ``start`` have passed (``start`` itself not
    counted): the due date of a procedure of ``days`` standard processing days."""
    reach = start + dt.timedelta(days=max(days, 0) * 2 + 400)
    return calendar(start, reach).add(start, days)


def due_date(received: dt.date, processing_days: int) -> dt.date | None:
    """The due date of something received on ``received`` with ``processing_days`` standard
    open days (None when there is no standard)."""
    return add_open_days(received, processing_days) if processing_days else None
