"""Reads of the participation context: the public calendar (list, month, feeds) and the
staff's lists."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from madoguchi.notifications.ical import TOKYO
from madoguchi.participation.access import event_scope
from madoguchi.participation.models import Event, EventKind, Occurrence, Registration, Status

MONTH_SHOWN_PER_DAY = 3


@dataclass(frozen=True)
class Filters:
    district_id: int | None = None
    kind_code: str = ""
    online: bool = False
    start: dt.date | None = None
    end: dt.date | None = None  # exclusive


def public_occurrences(filters: Filters) -> QuerySet[Occurrence]:
    """The sessions of published events, held or not (a skipped one is shown as such)."""
    found = Occurrence.objects.filter(event__status=Status.PUBLISHED)
    if filters.district_id:
        found = found.filter(event__district_id=filters.district_id)
    if filters.kind_code:
        found = found.filter(event__kind__code=filters.kind_code)
    if filters.online:
        found = found.exclude(event__online_url="")
    if filters.start:
        found = found.filter(start__gte=dt.datetime.combine(filters.start, dt.time(), TOKYO))
    if filters.end:
        found = found.filter(start__lt=dt.datetime.combine(filters.end, dt.time(), TOKYO))
    return found.order_by("start", "pk")


def public_list(filters: Filters) -> QuerySet[Occurrence]:
    return public_occurrences(filters).select_related("event__kind", "event__district",
                                                      "event__centre")


@dataclass
class Day:
    date: dt.date
    in_month: bool
    shown: list[dict] = field(default_factory=list)
    count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.shown)


def month_grid(filters: Filters, year: int, month: int) -> list[list[Day]]:
    """Weeks (Sunday first) of the month; each day with its number of sessions and the
    first few. One query over plain values: fast with thousands of sessions."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    rows = (public_occurrences(Filters(district_id=filters.district_id,
                                       kind_code=filters.kind_code, online=filters.online,
                                       start=first, end=last + dt.timedelta(days=1)))
            .values_list("start", "state", "event__title", "event__public_id"))
    by_day: dict[dt.date, Day] = defaultdict(lambda: Day(first, True))
    for start, state, title, public_id in rows.iterator(chunk_size=2000):
        local = start.astimezone(TOKYO)
        day = by_day[local.date()]
        day.count += 1
        if len(day.shown) < MONTH_SHOWN_PER_DAY:
            day.shown.append({"time": f"{local:%H:%M}", "title": title,
                              "public_id": public_id, "held": state == "held"})
    weeks: list[list[Day]] = []
    for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        cells = []
        for date in week:
            found = by_day.get(date)
            cells.append(Day(date, date.month == month,
                             found.shown if found else [], found.count if found else 0))
        weeks.append(cells)
    return weeks


def kinds() -> QuerySet[EventKind]:
    return EventKind.objects.filter(active=True)


def public_event(public_id) -> Event | None:
    return (Event.objects.select_related("kind", "district", "centre")
            .filter(public_id=public_id, status=Status.PUBLISHED).first())


def staff_events(user) -> QuerySet[Event]:
    return (Event.objects.filter(event_scope(user)).select_related("kind", "district")
            .order_by("-first_date"))


def attendance(event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(erased_at__isnull=True).order_by("status", "draw_rank",
                                                                       "position")
