"""Reads of rooms: the availability of a district's rooms over a month (one page, a fixed
number of queries whatever the month's size)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from madoguchi.community.models import DAYPART_TIMES, Daypart, Room
from madoguchi.community.opening import calendar_of, day_type, ward_tz
from madoguchi.core.dates import day_text
from madoguchi.organisation.models import District
from madoguchi.scheduling.selectors import resource_busy

FREE, BOOKED, CLOSED, NOT_OPEN = "free", "booked", "closed", "not_open"


@dataclass(frozen=True)
class Cell:
    state: str
    label: str


@dataclass(frozen=True)
class RoomMonth:
    room: Room
    rows: list[tuple[dt.date, str, list[Cell]]]  # per day (和暦): morning, afternoon, evening


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def district_rooms(district: District) -> list[Room]:
    return list(Room.objects.filter(district=district, is_active=True).select_related(
        "district", "approving_unit"))


def availability(*, rooms: list[Room], year: int, month: int) -> list[RoomMonth]:
    """Each room's days of the month with the state of each daypart: free, booked, closed
    (the ward's closed days, 年末年始, the room's exceptions) or outside its opening.
    Three queries whatever the month (the rooms' bookings, their openings and
    exceptions, the ward's closed days); the day type of each day is worked out once."""
    days = month_days(year, month)
    tz = ward_tz()
    lo = dt.datetime.combine(days[0], dt.time(0), tz)
    hi = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), tz)
    busy = resource_busy(kind="room", owner_ids=[r.pk for r in rooms], lo=lo, hi=hi)
    openings, closures = calendar_of(rooms, days[0], days[-1])
    parts = [part.value for part in Daypart]
    starts = {DAYPART_TIMES[part][0]: part for part in parts}
    free, booked, not_open = (Cell(FREE, _("空き")), Cell(BOOKED, _("予約済み")),
                              Cell(NOT_OPEN, _("利用時間外")))
    day_info = [(day, day_text(day, weekday=True), day_type(day)) for day in days]
    result = []
    for room in rooms:
        taken = set()
        for start, _end in busy.get(room.pk, ()):
            local = start.astimezone(tz)
            if local.time() in starts:
                taken.add((local.date(), starts[local.time()]))
        opening = {kind: [part for part in parts
                          if any(a <= DAYPART_TIMES[part][0] and DAYPART_TIMES[part][1] <= b
                                 for a, b in hours)]
                   for kind, hours in openings[room.pk].items()}
        rows = []
        for day, label, kind in day_info:
            reason = closures.reason(room.pk, day)
            if reason:
                closed = Cell(CLOSED, reason)
                rows.append((day, label, [closed] * len(parts)))
                continue
            open_parts = opening.get(kind, ())
            rows.append((day, label, [
                (booked if (day, part) in taken else free) if part in open_parts
                else not_open for part in parts]))
        result.append(RoomMonth(room=room, rows=rows))
    return result

