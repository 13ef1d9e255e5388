"""Template helpers for the public calendar: upcoming closed days and opening weekdays.

``{% load closed_days %}``

- ``{% upcoming_closed_days 60 as closures %}``: the closed periods of the next 60 days
  (national holidays incl. 振替休日 and 国民の休日, 年末年始, ward exceptions), consecutive
  days with the same reason joined into one period. Periods that fall wholly on a Saturday
  or Sunday are left out: offices are closed then anyway.
- ``{{ centre.weekdays|weekday_span }}``: 月曜日～金曜日 (Monday to Friday in English).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from madoguchi.core import dates

register = template.Library()

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Closure:
    """One closed period: ``start`` to ``end`` inclusive, and why."""

    start: dt.date
    end: dt.date
    reason: str

    @property
    def single_day(self) -> bool:
        return self.start == self.end

    @property
    def reason_is_japanese(self) -> bool:
        """True when the reason has no translation (holiday names come from jpholiday)."""
        return bool(_JAPANESE.search(self.reason))


def closures_between(start: dt.date, end: dt.date) -> list[Closure]:
    """Closed periods between ``start`` and ``end``, weekend-only periods left out."""
    periods: list[Closure] = []
    for day, reason in dates.closed_days(start, end):
        last = periods[-1] if periods else None
        if last and last.reason == reason and last.end + dt.timedelta(days=1) == day:
            periods[-1] = Closure(last.start, day, reason)
        else:
            periods.append(Closure(day, day, reason))
    return [p for p in periods if any(d.weekday() < 5 for d in _days(p.start, p.end))]


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@register.simple_tag
def upcoming_closed_days(days: int = 60, start: dt.date | None = None) -> list[Closure]:
    """The closed periods from ``start`` (today) over the next ``days`` days."""
    first = start or timezone.localdate()
    return closures_between(first, first + dt.timedelta(days=int(days)))


@register.filter
def weekday_span(weekdays: Iterable[int]) -> str:
    """Opening weekdays in words: a run such as 0–4 as 月曜日～金曜日, otherwise listed."""
    days = sorted(set(weekdays))
    if not days:
        return ""
    english = (get_language() or "ja").startswith("en")

    def name(d: int) -> str:
        return WEEKDAYS_EN[d] if english else f"{dates.WEEKDAYS_JA[d]}曜日"

    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        joiner = " to " if english else "～"
        return f"{name(days[0])}{joiner}{name(days[-1])}"
    return (", " if english else "・").join(name(d) for d in days)


@register.filter
def wareki_weekday(value: dt.date | None) -> str:
    """令和8年5月6日（水） in Japanese; Wed 6 May 2026 in English."""
    if not value:
        return ""
    if (get_language() or "ja").startswith("en"):
        return value.strftime("%a %-d %b %Y")
    return dates.wareki(value, weekday=True)
