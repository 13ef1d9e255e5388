"""Reads of rooms: the availability of a district's rooms over a month (one page, a fixed
number of queries whatever the month's size)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from madoguchi.community.models import Daypart, Room, RoomBooking
from madoguchi.community.opening import (
    Closures,
    is_open_at,
    openings_of,
    slot_times,
    ward_tz,
)
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
    (the ward's closed days, 年末年始, the room's exceptions) or outside its opening."""
    days = month_days(year, month)
    tz = ward_tz()
    lo = dt.datetime.combine(days[0], dt.time(0), tz)
    hi = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time(0), tz)
    busy = resource_busy(kind="room", owner_ids=[r.pk for r in rooms], lo=lo, hi=hi)
    closures = Closures(rooms, days[0], days[-1])
    openings = openings_of(rooms)
    labels = {FREE: _("空き"), BOOKED: _("予約済み"), NOT_OPEN: _("利用時間外")}
    result = []
    for room in rooms:
        taken = {(s.astimezone(tz).date(), s.astimezone(tz).time()) for s, _e in
                 busy.get(room.pk, ())}
        rows = []
        for day in days:
            reason = closures.reason(room.pk, day)
            cells = []
            for part in Daypart:
                if reason:
                    cells.append(Cell(CLOSED, reason))
                elif not is_open_at(openings[room.pk], day, part):
                    cells.append(Cell(NOT_OPEN, labels[NOT_OPEN]))
                elif (day, slot_times(day, part)[0].time()) in taken:
                    cells.append(Cell(BOOKED, labels[BOOKED]))
                else:
                    cells.append(Cell(FREE, labels[FREE]))
            rows.append((day, day_text(day, weekday=True), cells))
        result.append(RoomMonth(room=room, rows=rows))
    return result


def usage_report(*, room: Room, year: int) -> dict[tuple[int, str], int]:
    """Bookings held (not cancelled) per month and daypart of ``year``."""
    counts: dict[tuple[int, str], int] = {}
    for date, part in RoomBooking.objects.filter(
            room=room, date__year=year, cancelled_at__isnull=True).values_list(
                "date", "daypart"):
        counts[(date.month, part)] = counts.get((date.month, part), 0) + 1
    return counts
