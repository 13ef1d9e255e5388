"""A room's fee for one daypart, computed in one place (issue 16 item 3: "fees and
exemptions"): the room's flat fee per daypart plus its hourly fee for the daypart's
length, less the room's reduction for the group's kind (100 % is an exemption). A
resident's booking pays the full fee. Used when a room is booked (the amount is kept on the
booking), and shown on a group's requests and on the approval queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from madoguchi.community.models import (
    DAYPART_TIMES,
    BookingRequest,
    FeeReduction,
    GroupKind,
    Room,
    RoomBooking,
)


@dataclass(frozen=True)
class Fee:
    full_yen: int  # before any reduction
    percent: int  # the reduction applied (0: none, 100: exempt)
    yen: int  # what is paid

    @property
    def exempt(self) -> bool:
        return self.percent >= 100 and self.full_yen > 0

    def text(self) -> str:
        """For the pages: 「500円」, 「免除（500円）」, 「250円（50%減額、500円）」."""
        if self.exempt:
            return _("免除（%(full)s円）") % {"full": f"{self.full_yen:,}"}
        if self.percent:
            return _("%(yen)s円（%(percent)d%%減額、%(full)s円）") % {
                "yen": f"{self.yen:,}", "percent": self.percent, "full": f"{self.full_yen:,}"}
        return _("%(yen)s円") % {"yen": f"{self.yen:,}"}


def _minutes(daypart: str) -> int:
    start, end = DAYPART_TIMES[daypart]
    day = dt.date(2000, 1, 1)
    return int((dt.datetime.combine(day, end) - dt.datetime.combine(day, start))
               .total_seconds() // 60)


Reductions = dict[tuple[int, str], int]


def reductions_of(rooms: Iterable[Room]) -> Reductions:
    """The rooms' reductions by (room id, group kind), in one query (for lists)."""
    ids = [room.pk for room in rooms]
    return {(room_id, kind): percent for room_id, kind, percent in
            FeeReduction.objects.filter(room_id__in=ids).values_list(
                "room_id", "group_kind", "percent")}


def fee_for(*, room: Room, daypart: str, group_kind: str | None,
            reductions: Reductions | None = None) -> Fee:
    """The fee of ``room`` for ``daypart`` for a group of ``group_kind`` (None: a
    resident). ``reductions``: read once by a caller listing many (``reductions_of``)."""
    full = room.fee_yen + room.hourly_fee_yen * _minutes(daypart) // 60
    percent = 0
    if group_kind in GroupKind.values:
        if reductions is None:
            reductions = reductions_of([room])
        percent = reductions.get((room.pk, group_kind), 0)
    if full == 0:
        return Fee(full_yen=0, percent=0, yen=0)
    return Fee(full_yen=full, percent=percent, yen=full - full * percent // 100)


def of_booking(booking: RoomBooking) -> Fee:
    """The fee kept on a booking when it was made (what is charged, whatever the room's
    fees are now)."""
    return Fee(full_yen=booking.fee_full_yen, percent=booking.fee_percent,
               yen=booking.fee_yen)


def of_request(row: BookingRequest, reductions: Reductions | None = None) -> Fee:
    """A request's fee: its booking's once it holds one (won, approved), else what the
    room's fees and reductions give today (``row`` with ``room``, ``group`` and
    ``room_booking`` selected)."""
    if row.room_booking is not None:
        return of_booking(row.room_booking)
    return fee_for(room=row.room, daypart=row.daypart, group_kind=row.group.kind,
                   reductions=reductions)
