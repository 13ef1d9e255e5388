"""Reads of the participation context: the public calendar (list, month, feeds) and the
staff's lists."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils.translation import ngettext

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
        found = found.exclude(event__online_url="", event__video_room=False)
    if filters.start:
        found = found.filter(start__gte=dt.datetime.combine(filters.start, dt.time(), TOKYO))
    if filters.end:
        found = found.filter(start__lt=dt.datetime.combine(filters.end, dt.time(), TOKYO))
    return found.order_by("start", "pk")


def public_list(filters: Filters) -> QuerySet[Occurrence]:
    return public_occurrences(filters).select_related("event__kind", "event__district",
                                                      "event__centre", "event__room")


@dataclass
class Day:
    date: dt.date
    in_month: bool
    shown: list[dict] = field(default_factory=list)
    count: int = 0
    # Ready for the template (a month has 42 cells: no lookups, filters or tags per cell).
    label: str = ""
    anchor: str = ""
    css: str = ""
    more_text: str = ""

    def __post_init__(self) -> None:
        self.label = f"{self.date.month}/{self.date.day}"
        self.anchor = f"d{self.date:%Y%m%d}"
        self.css = " ".join(name for name, on in (("month__out", not self.in_month),
                                                   ("month__empty", not self.count)) if on)
        more = self.count - len(self.shown)
        if more > 0:
            self.more_text = ngettext("ほか%(n)d件", "ほか%(n)d件", more) % {"n": more}


def month_grid(filters: Filters, year: int, month: int) -> list[list[Day]]:
    """Weeks (Sunday first) of the month; each day with its number of sessions and the
    first few. Counted and ranked by the database (a window function per day), so a month
    of thousands of sessions brings back at most a few rows a day."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    found = (public_occurrences(Filters(district_id=filters.district_id,
                                        kind_code=filters.kind_code, online=filters.online,
                                        start=first, end=last + dt.timedelta(days=1)))
             .order_by().annotate(day=TruncDate("start", tzinfo=TOKYO)))
    counts = dict(found.values("day").annotate(n=Count("pk")).values_list("day", "n"))
    shown: dict[dt.date, list[dict]] = defaultdict(list)
    if counts:
        ranked = (found.annotate(rank=Window(RowNumber(), partition_by=[F("day")],
                                             order_by=[F("start").asc(), F("pk").asc()]))
                  .filter(rank__lte=MONTH_SHOWN_PER_DAY)
                  .values_list("day", "start", "state", "event__title", "event__public_id"))
        for day, start, state, title, public_id in ranked:
            shown[day].append({"time": f"{start.astimezone(TOKYO):%H:%M}", "title": title,
                               "public_id": public_id, "held": state == "held",
                               "start": start})
        for items in shown.values():
            items.sort(key=lambda item: item["start"])
    weeks: list[list[Day]] = []
    for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append([Day(date, date.month == month, shown.get(date, []), counts.get(date, 0))
                      for date in week])
    return weeks


def kinds() -> QuerySet[EventKind]:
    return EventKind.objects.filter(active=True)


def public_event(public_id) -> Event | None:
    return (Event.objects.select_related("kind", "district", "centre", "room")
            .filter(public_id=public_id, status=Status.PUBLISHED).first())


def staff_events(user) -> QuerySet[Event]:
    return (Event.objects.filter(event_scope(user)).select_related("kind", "district")
            .order_by("-first_date"))


def attendance(event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(erased_at__isnull=True).order_by("status", "draw_rank",
                                                                       "position")


def room_bookings(event: Event) -> list:
    """The community room bookings holding the event's room now, in time order."""
    return sorted(event.room_bookings.filter(cancelled_at__isnull=True).select_related("room"),
                  key=lambda b: (b.date, b.booking_id))
