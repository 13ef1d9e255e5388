"""When a room can be used: dayparts, day types, opening slots, closed days (private)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import CharField, DateField, TimeField, Value
from django.utils.translation import gettext as _

from madoguchi.community.models import (
    DAYPART_TIMES,
    DayType,
    OpeningSlot,
    Room,
    RoomClosure,
    VenueKind,
)
from madoguchi.core.dates import holiday_name, is_year_end_closing, load_exceptions

EVENING = (dt.time(18, 0), dt.time(21, 30))
ALL_DAY = (dt.time(9, 0), dt.time(21, 30))
# A room without opening rows: schools lend rooms only after school on weekdays.
DEFAULT_OPENINGS: dict[str, dict[str, tuple[tuple[dt.time, dt.time], ...]]] = {
    VenueKind.SCHOOL: {DayType.WEEKDAY: (EVENING,), DayType.HOLIDAY: (ALL_DAY,)},
    VenueKind.CENTRE: {DayType.WEEKDAY: (ALL_DAY,), DayType.HOLIDAY: (ALL_DAY,)},
    VenueKind.JIDOKAN: {DayType.WEEKDAY: (EVENING,), DayType.HOLIDAY: (ALL_DAY,)},
}


def ward_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def slot_times(day: dt.date, daypart: str) -> tuple[dt.datetime, dt.datetime]:
    start, end = DAYPART_TIMES[daypart]
    tz = ward_tz()
    return dt.datetime.combine(day, start, tz), dt.datetime.combine(day, end, tz)


def day_type(day: dt.date) -> str:
    if day.weekday() >= 5 or holiday_name(day):
        return DayType.HOLIDAY
    return DayType.WEEKDAY


Openings = dict[int, dict[str, tuple[tuple[dt.time, dt.time], ...]]]


def openings_of(rooms: list[Room]) -> Openings:
    """Each room's opening slots by day type (its rows, else its venue's default)."""
    rows: Openings = {}
    for slot in OpeningSlot.objects.filter(room__in=rooms):
        by_type = rows.setdefault(slot.room_id, {})
        by_type[slot.day_type] = (*by_type.get(slot.day_type, ()), (slot.start, slot.end))
    return {room.pk: rows.get(room.pk) or DEFAULT_OPENINGS[room.venue_kind] for room in rooms}


def calendar_of(rooms: list[Room], first: dt.date, last: dt.date
                ) -> tuple[Openings, Closures]:
    """The rooms' opening slots and their closed days over ``[first, last]`` in two
    queries: the rooms' own rows (opening slots and exceptions, one ``UNION ALL``) and the
    ward's closed days. What an availability page reads."""
    ids = [room.pk for room in rooms]
    no_date = Value(None, output_field=DateField())
    no_time = Value(None, output_field=TimeField())
    blank = Value("", output_field=CharField())
    slots = OpeningSlot.objects.filter(room_id__in=ids).order_by().annotate(
        on=no_date, why=blank).values_list("room_id", "day_type", "start", "end", "on", "why")
    closed = RoomClosure.objects.filter(room_id__in=ids, date__range=(first, last)).order_by(
        ).annotate(kind=blank, lo=no_time, hi=no_time).values_list(
            "room_id", "kind", "lo", "hi", "date", "reason")
    rows: Openings = {}
    room_rows: dict[tuple[int, dt.date], str] = {}
    for room_id, kind, start, end, date, reason in slots.union(closed, all=True):
        if date is not None:
            room_rows[(room_id, date)] = reason
            continue
        by_type = rows.setdefault(room_id, {})
        by_type[kind] = (*by_type.get(kind, ()), (start, end))
    openings = {room.pk: rows.get(room.pk) or DEFAULT_OPENINGS[room.venue_kind]
                for room in rooms}
    return openings, Closures(rooms, first, last, room_rows=room_rows)


def is_open_at(openings: dict[str, tuple[tuple[dt.time, dt.time], ...]], day: dt.date,
               daypart: str) -> bool:
    start, end = DAYPART_TIMES[daypart]
    return any(lo <= start and end <= hi for lo, hi in openings.get(day_type(day), ()))


def openings_text(openings: dict[str, tuple[tuple[dt.time, dt.time], ...]]) -> str:
    parts = []
    for kind in DayType:
        for lo, hi in openings.get(kind.value, ()):
            parts.append(f"{kind.label} {lo:%-H:%M}〜{hi:%-H:%M}")
    return _("、").join(parts) or _("なし")


class Closures:
    """The ward's closed days and the rooms' own exceptions over a period (two queries;
    none for the rooms' exceptions when ``room_rows`` were read already)."""

    def __init__(self, rooms: list[Room], first: dt.date, last: dt.date, *,
                 room_rows: dict[tuple[int, dt.date], str] | None = None) -> None:
        self.ward = load_exceptions(first, last)
        if room_rows is None:
            room_rows = {
                (room_id, date): reason for room_id, date, reason in RoomClosure.objects.filter(
                    room__in=rooms, date__range=(first, last)).values_list(
                        "room_id", "date", "reason")}
        self.rooms = room_rows

    def reason(self, room_id: int, day: dt.date) -> str | None:
        if day in self.ward and self.ward[day][0] == "closed":
            return self.ward[day][1]
        if is_year_end_closing(day):
            return _("年末年始")
        return self.rooms.get((room_id, day))
