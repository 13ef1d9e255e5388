"""Rooms held for the ward's own use over periods of time (an event of the participation
context, issue 15 item 1): booked through the same scheduling seam as a group's booking
(``scheduling.services.resource_book``), so a room is never given twice, whoever asked.

A period takes every daypart (午前・午後・夜間) it overlaps, the rooms' usual unit. The
rules of the ward's own use: the room is in use, the staff member may book it, the
attendees fit, the day is not closed and the daypart is within the room's opening times.
The rules of residents and groups (registered group, allowed purposes, fees) do not apply.
Every write is one transaction: nothing is held unless all the periods are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import DAYPART_TIMES, Daypart, Room, RoomBooking
from madoguchi.community.opening import (
    Closures,
    is_open_at,
    openings_of,
    openings_text,
    slot_times,
    ward_tz,
)
from madoguchi.core.dates import day_text
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.errors import SchedulingError

Period = tuple[dt.datetime, dt.datetime]


def dayparts_of(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.date, str]]:
    """The (day, daypart) units a period overlaps, in the ward's time zone."""
    tz = ward_tz()
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    day = local_start.date()
    return [(day, part) for part, (lo, hi) in DAYPART_TIMES.items()
            if dt.datetime.combine(day, lo, tz) < local_end
            and dt.datetime.combine(day, hi, tz) > local_start]


def _units(room: Room, periods: Sequence[Period]) -> list[tuple[dt.date, str]]:
    units: list[tuple[dt.date, str]] = []
    for start, end in periods:
        found = dayparts_of(start, end)
        if not found:
            raise CommunityError(
                _("%(when)sは貸室の利用区分（午前 9:00〜12:00、午後 13:00〜17:00、夜間 "
                  "18:00〜21:30）に当たらないため、%(room)sを予約できません。")
                % {"when": day_text(start.astimezone(ward_tz()).date(), weekday=True),
                   "room": room}, code="hours")
        units.extend(unit for unit in found if unit not in units)
    return units


def _check(room: Room, units: list[tuple[dt.date, str]], attendees: int) -> None:
    if attendees > room.capacity:
        raise CommunityError(
            _("%(room)sの定員は%(capacity)d人です（%(count)d人で予約しようとしています）。")
            % {"room": room, "capacity": room.capacity, "count": attendees}, code="capacity")
    if not units:
        return
    if not room.is_active:
        raise CommunityError(_("%(room)sは現在利用できません。") % {"room": room},
                             code="inactive")
    today = timezone.localdate()
    days = sorted({day for day, _part in units})
    closures = Closures([room], days[0], days[-1])
    openings = openings_of([room])[room.pk]
    for day, part in units:
        if day < today:
            raise CommunityError(_("過去の日（%(day)s）は予約できません。")
                                 % {"day": day_text(day, weekday=True)}, code="past")
        reason = closures.reason(room.pk, day)
        if reason:
            raise CommunityError(_("%(day)sは%(reason)sのため%(room)sを利用できません。")
                                 % {"day": day_text(day, weekday=True), "reason": reason,
                                    "room": room}, code="closed")
        if not is_open_at(openings, day, part):
            raise CommunityError(
                _("%(day)sの%(daypart)sは%(room)sの利用時間外です。利用できる時間: %(hours)s")
                % {"day": day_text(day, weekday=True), "daypart": Daypart(part).label,
                   "room": room, "hours": openings_text(openings)}, code="hours")


def room_hold(*, room: Room, periods: Sequence[Period], by: User, purpose: str,
              attendees: int, held: Sequence[RoomBooking] = ()) -> list[RoomBooking]:
    """Hold ``room`` for every period, for the ward's own ``purpose``. ``held``: the
    bookings the caller holds already for the same purpose; those still needed are kept,
    the others are cancelled (a changed time or room moves the holding in the same
    transaction). Returns the bookings that now hold the room, in time order. Raises
    PermissionDenied or CommunityError (``code="taken"`` when another booking has the
    time), with nothing changed."""
    if not can(by, Action.COMMUNITY_ROOM_BOOK, room):
        raise PermissionDenied(_("この部屋を予約する権限がありません。"))
    purpose = (purpose or "").strip()[:120]
    if not purpose:
        raise CommunityError(_("利用目的を入力してください。"), code="purpose")
    units = _units(room, periods)
    live = {(b.room_id, b.date, b.daypart): b for b in held if b.cancelled_at is None}
    wanted = [unit for unit in units if (room.pk, *unit) not in live]
    _check(room, wanted, attendees)
    with transaction.atomic():
        room_hold_release(held=[b for key, b in live.items()
                                if (key[1], key[2]) not in units or key[0] != room.pk],
                          by=by, reason=_("日時または会場の変更"))
        kept = [b for key, b in live.items() if key[0] == room.pk and (key[1], key[2]) in units]
        for day, part in wanted:
            kept.append(_book(room, day, part, by=by, purpose=purpose, attendees=attendees))
    return sorted(kept, key=lambda b: (b.date, DAYPART_TIMES[b.daypart][0]))


def _book(room: Room, day: dt.date, part: str, *, by: User, purpose: str,
          attendees: int) -> RoomBooking:
    start, end = slot_times(day, part)
    try:
        with transaction.atomic():
            booking = scheduling.resource_book(kind="room", owner=room, start=start, end=end,
                                               by=by, title=purpose)
    except SchedulingError as error:
        if error.code == "taken":
            raise CommunityError(
                _("%(room)sの%(day)s %(daypart)sはすでに予約されています。"
                  "別の部屋か日時を選んでください。")
                % {"room": room, "day": day_text(day, weekday=True),
                   "daypart": Daypart(part).label}, code="taken") from None
        raise CommunityError(error.message, code=error.code) from None
    return RoomBooking.objects.create(room=room, booking=booking, group=None, date=day,
                                      daypart=part, purpose=purpose, attendees=attendees,
                                      fee_yen=0, exempt=True, created_by=by)


def room_hold_release(*, held: Sequence[RoomBooking], by: User, reason: str) -> None:
    """Free the rooms of bookings made by ``room_hold`` (the event was cancelled, moved or
    held elsewhere); a cancelled one is left as it is."""
    with transaction.atomic():
        for booking in RoomBooking.objects.select_for_update().filter(
                pk__in=[b.pk for b in held], cancelled_at__isnull=True).select_related("booking"):
            scheduling.resource_release(booking=booking.booking, by=by, reason=reason)
            booking.cancelled_at = timezone.now()
            booking.save(update_fields=["cancelled_at"])
