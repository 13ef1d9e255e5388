"""The usage report of a room (issue 16 item 4): per month and daypart of a year, how
many dayparts were open, how many were held (the scheduling core's active bookings of
the room), cancelled and left unused (no-show), and the occupancy (held / open). A fixed
number of queries whatever the year."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from madoguchi.community.models import (
    DAYPART_TIMES,
    Daypart,
    Room,
    RoomBooking,
    RoomBookingEvent,
)
from madoguchi.community.opening import calendar_of, day_type, ward_tz
from madoguchi.core.spreadsheet import BOM
from madoguchi.core.spreadsheet import cell as cell_text
from madoguchi.scheduling.selectors import resource_busy


@dataclass(frozen=True)
class Cell:
    open: int  # dayparts the room could be used
    held: int  # booked and not cancelled (no-shows included)
    cancelled: int
    no_show: int

    @property
    def occupancy(self) -> int | None:
        """Held of open, in whole percent (None when the daypart was never open)."""
        return round(100 * self.held / self.open) if self.open else None


@dataclass(frozen=True)
class Usage:
    room: Room
    year: int
    months: list[tuple[int, list[Cell]]]  # month, cells in Daypart order
    totals: list[Cell]
    history: list[RoomBookingEvent]  # the year's cancellations and no-shows


def _open_counts(room: Room, first: dt.date, last: dt.date) -> dict[tuple[int, str], int]:
    openings, closures = calendar_of([room], first, last)
    opening = openings[room.pk]
    counts: dict[tuple[int, str], int] = {}
    day = first
    while day <= last:
        if not closures.reason(room.pk, day):
            for lo_hi in opening.get(day_type(day), ()):
                for part, (start, end) in DAYPART_TIMES.items():
                    if lo_hi[0] <= start and end <= lo_hi[1]:
                        counts[(day.month, part)] = counts.get((day.month, part), 0) + 1
        day += dt.timedelta(days=1)
    return counts


def usage_report(*, room: Room, year: int) -> Usage:
    """The room's usage in ``year``: five queries (the room's openings and exceptions, the
    ward's closed days, its bookings in scheduling, its community records, the history)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    tz = ward_tz()
    starts = {times[0]: part for part, times in DAYPART_TIMES.items()}
    held: dict[tuple[int, str], int] = {}
    busy = resource_busy(kind="room", owner_ids=[room.pk],
                         lo=dt.datetime.combine(first, dt.time(0), tz),
                         hi=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz))
    for start, _end in busy.get(room.pk, ()):
        local = start.astimezone(tz)
        part = starts.get(local.time())
        if part is not None and local.year == year:
            held[(local.month, part)] = held.get((local.month, part), 0) + 1
    cancelled: dict[tuple[int, str], int] = {}
    no_show: dict[tuple[int, str], int] = {}
    for date, part, cancelled_at in RoomBooking.objects.filter(
            Q(cancelled_at__isnull=False) | Q(no_show=True), room=room,
            date__range=(first, last)).values_list("date", "daypart", "cancelled_at"):
        target = cancelled if cancelled_at is not None else no_show
        target[(date.month, part)] = target.get((date.month, part), 0) + 1
    opened = _open_counts(room, first, last)
    parts = [part.value for part in Daypart]
    months = [(month, [Cell(open=opened.get((month, p), 0), held=held.get((month, p), 0),
                            cancelled=cancelled.get((month, p), 0),
                            no_show=no_show.get((month, p), 0)) for p in parts])
              for month in range(1, 13)]
    totals = [Cell(open=sum(cells[i].open for _m, cells in months),
                   held=sum(cells[i].held for _m, cells in months),
                   cancelled=sum(cells[i].cancelled for _m, cells in months),
                   no_show=sum(cells[i].no_show for _m, cells in months))
              for i in range(len(parts))]
    history = list(RoomBookingEvent.objects.filter(
        room_booking__room=room, room_booking__date__range=(first, last)).select_related(
            "room_booking", "by").order_by("room_booking__date", "at", "pk"))
    return Usage(room=room, year=year, months=months, totals=totals, history=history)


def usage_csv(usage: Usage) -> str:
    """The report as CSV (UTF-8 with BOM for Excel): one row per month and daypart."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow([_("年"), _("月"), _("区分"), _("利用できた区分の数"), _("利用"),
                     _("取消"), _("無断不使用"), _("利用率（%）")])
    labels = [str(part.label) for part in Daypart]
    for month, cells in usage.months:
        for label, cell in zip(labels, cells, strict=True):
            writer.writerow([usage.year, month, cell_text(label), cell.open, cell.held,
                             cell.cancelled, cell.no_show,
                             "" if cell.occupancy is None else cell.occupancy])
    return out.getvalue()

