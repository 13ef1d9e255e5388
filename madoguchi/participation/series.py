"""An event's dates as a python-dateutil rrule; a date on which the ward is closed
(national holiday, 年末年始, a closed day of the ward's calendar: ``core.dates``) is kept as
a skipped occurrence, or moved to the end of the series so that the course keeps its number
of sessions (issue 15 item 1). Weekends are not closed days here: events are held on
Saturdays too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import weekday as rd_weekday
from dateutil.rrule import MONTHLY, WEEKLY, rrule
from django.utils.translation import gettext as _

from madoguchi.core.dates import closed_reason, load_exceptions, wareki

# The series never runs longer than this many rule steps (a rule landing on closed days
# only, e.g. every 1 January, ends instead of looping).
MAX_STEPS = 200
MAX_COUNT = 52


@dataclass(frozen=True)
class Planned:
    number: int
    planned: dt.date
    held: bool
    moved: bool
    reason: str


def _rule(first: dt.date, repeat: str) -> rrule:
    start = dt.datetime.combine(first, dt.time())
    if repeat == "monthly":
        nth = (first.day - 1) // 7 + 1
        return rrule(MONTHLY, dtstart=start, byweekday=rd_weekday(first.weekday(), nth),
                     count=MAX_STEPS)
    interval = 2 if repeat == "biweekly" else 1
    return rrule(WEEKLY, interval=interval, dtstart=start, count=MAX_STEPS)


def plan(first: dt.date, *, repeat: str, count: int, on_closed: str) -> list[Planned]:
    """The dates of a series of ``count`` sessions from ``first``. ``on_closed``: ``skip``
    (the session is not held, the series has fewer) or ``next_week`` (not held on that day;
    one more session after the last)."""
    count = 1 if repeat == "none" else count
    steps = [day.date() for day in _rule(first, repeat)]
    exceptions = load_exceptions(steps[0], steps[-1])
    found: list[Planned] = []
    held = 0
    for day in steps:
        if held >= count or (on_closed == "skip" and len(found) >= count):
            break
        reason = closed_reason(day, exceptions=exceptions)
        if reason:
            found.append(Planned(len(found) + 1, day, False, on_closed != "skip", str(reason)))
            continue
        held += 1
        found.append(Planned(len(found) + 1, day, True, False, ""))
    return found


def note(item: Planned) -> str:
    """What the page says of a date that is not held."""
    if item.held:
        return ""
    if item.moved:
        return _("%(day)s は%(reason)sのため休み（最終回の後に1回振り替えます）") % {
            "day": wareki(item.planned, weekday=True), "reason": item.reason}
    return _("%(day)s は%(reason)sのため休み") % {
        "day": wareki(item.planned, weekday=True), "reason": item.reason}
