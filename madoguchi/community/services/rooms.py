"""Booking rooms of centres, schools and 児童館 (issue 16 item 3).

A room booking is a scheduling booking of the room (kind ``room``) through
``scheduling.services.resource_book``: on PostgreSQL the exclusion constraint on
allocations refuses a second booking of the same room and time, whoever raced. The
room's own rules (who may book, purposes, capacity, opening slots, closed days and school
events) are checked first, each with a Japanese message; nothing is written unless all
pass.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.community.errors import CommunityError
from madoguchi.community.fees import fee_for
from madoguchi.community.models import (
    DAYPART_TIMES,
    BookingEventKind,
    Daypart,
    Group,
    Room,
    RoomBooking,
    RoomBookingEvent,
    RoomClosure,
)
from madoguchi.community.opening import (
    Closures,
    is_open_at,
    openings_of,
    openings_text,
    slot_times,
)
from madoguchi.core.dates import day_text
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.errors import SchedulingError

PURPOSE_MAX = 120
# Words that mark a commercial use (営利目的), refused in every room.
COMMERCIAL_WORDS = ("販売", "営業", "セミナー商品", "勧誘", "商用", "有料講座")


def _error(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code)


def check_request(*, room: Room, day: dt.date, daypart: str, group: Group | None,
                  purpose: str, attendees: int, commercial: bool = False,
                  today: dt.date | None = None, closures: Closures | None = None,
                  openings=None) -> str:
    """The request's own faults, in the order a user would fix them; returns the purpose
    cleaned. Raises CommunityError."""
    today = today or timezone.localdate()
    if not room.is_active:
        raise _error(_("%(room)sは現在利用できません。") % {"room": room}, "inactive")
    if daypart not in DAYPART_TIMES:
        raise _error(_("利用区分（午前・午後・夜間）を選んでください。"), "daypart")
    if group is None and not room.residents_may_book:
        raise _error(_("%(room)sは登録団体だけが予約できます。先に団体の登録をしてください。")
                     % {"room": room}, "group_required")
    if group is not None and not group.is_approved:
        raise _error(_("「%(group)s」はまだ登録が承認されていないため、予約できません。")
                     % {"group": group.name}, "group_not_approved")
    if group is not None and not room.groups_may_book:
        raise _error(_("%(room)sは団体の予約を受け付けていません。") % {"room": room}, "group")
    purpose = (purpose or "").strip()
    if not purpose:
        raise _error(_("利用目的を入力してください。"), "purpose")
    if len(purpose) > PURPOSE_MAX:
        raise _error(_("利用目的は%(max)d文字以内で入力してください。") % {"max": PURPOSE_MAX},
                     "purpose")
    if commercial or any(word in purpose for word in COMMERCIAL_WORDS):
        raise _error(_("営利を目的とする利用（販売・営業・勧誘など）はできません。"),
                     "commercial")
    allowed = room.purpose_list()
    if allowed and purpose not in allowed:
        raise _error(_("利用目的「%(purpose)s」は%(room)sでは認められていません。"
                       "認められる目的: %(allowed)s")
                     % {"purpose": purpose, "room": room, "allowed": _("、").join(allowed)},
                     "purpose")
    if attendees < 1:
        raise _error(_("人数を1人以上で入力してください。"), "attendees")
    if attendees > room.capacity:
        raise _error(_("%(room)sの定員は%(capacity)d人です（%(count)d人で申し込まれています）。")
                     % {"room": room, "capacity": room.capacity, "count": attendees},
                     "capacity")
    if day < today:
        raise _error(_("過去の日（%(day)s）は予約できません。")
                     % {"day": day_text(day, weekday=True)}, "past")
    closures = closures or Closures([room], day, day)
    reason = closures.reason(room.pk, day)
    if reason:
        raise _error(_("%(day)sは%(reason)sのため%(room)sを利用できません。")
                     % {"day": day_text(day, weekday=True), "reason": reason, "room": room},
                     "closed")
    openings = openings if openings is not None else openings_of([room])[room.pk]
    if not is_open_at(openings, day, daypart):
        raise _error(_("%(day)sの%(daypart)sは%(room)sの利用時間外です。利用できる時間: %(hours)s")
                     % {"day": day_text(day, weekday=True),
                        "daypart": Daypart(daypart).label, "room": room,
                        "hours": openings_text(openings)}, "hours")
    return purpose


def room_book(*, room: Room, day: dt.date, daypart: str, by: User, purpose: str,
              attendees: int, group: Group | None = None, commercial: bool = False,
              conditions: str = "", idempotency_key: str | None = None,
              closures: Closures | None = None, openings=None) -> RoomBooking:
    """Book ``room`` for ``daypart`` of ``day`` (staff at the counter, or the approval of a
    group's request). ``closures`` and ``openings``: read once by a caller booking many
    (the lottery). Raises PermissionDenied or CommunityError."""
    if not can(by, Action.COMMUNITY_ROOM_BOOK, room):
        raise PermissionDenied(_("この部屋を予約する権限がありません。"))
    purpose = check_request(room=room, day=day, daypart=daypart, group=group,
                            purpose=purpose, attendees=attendees, commercial=commercial,
                            closures=closures, openings=openings)
    start, end = slot_times(day, daypart)
    fee = fee_for(room=room, daypart=daypart, group_kind=group.kind if group else None)
    try:
        with transaction.atomic():
            booking = scheduling.resource_book(
                kind="room", owner=room, start=start, end=end, by=by,
                title=group.name if group is not None else _("区民の利用"),
                idempotency_key=idempotency_key)
            found = RoomBooking.objects.filter(booking=booking).first() \
                if idempotency_key else None
            if found is not None:  # the same request again (idempotency key)
                return found
            return RoomBooking.objects.create(
                room=room, booking=booking, group=group, date=day, daypart=daypart,
                purpose=purpose, attendees=attendees, fee_yen=fee.yen,
                fee_full_yen=fee.full_yen, fee_percent=fee.percent, exempt=fee.exempt,
                conditions=(conditions or "").strip()[:300], created_by=by)
    except SchedulingError as error:
        if error.code == "taken":
            raise _error(_("%(room)sの%(day)s %(daypart)sはすでに予約されています。")
                         % {"room": room, "day": day_text(day, weekday=True),
                            "daypart": Daypart(daypart).label}, "taken") from None
        raise _error(error.message, error.code) from None


REASON_MAX = 200


def room_cancel(*, room_booking: RoomBooking, by: User, reason: str,
                no_show: bool = False, today: dt.date | None = None) -> RoomBooking:
    """Cancel a room booking (its time is free again), or record that nobody came
    (``no_show``: the booking stays, marked; only on or after its day). Each is kept once
    in the booking's append-only history with its reason and who recorded it."""
    if not can(by, Action.COMMUNITY_ROOM_BOOK, room_booking):
        raise PermissionDenied(_("この予約を取り消す権限がありません。"))
    reason = (reason or "").strip()
    if not reason:
        raise _error(_("理由を入力してください。"), "reason")
    if len(reason) > REASON_MAX:
        raise _error(_("理由は%(max)d文字以内で入力してください。") % {"max": REASON_MAX},
                     "reason")
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = RoomBooking.objects.select_for_update().select_related("room").get(
            pk=room_booking.pk)
        if no_show:
            if locked.cancelled_at is not None:
                raise _error(_("取り消された予約には無断不使用を記録できません。"), "cancelled")
            if locked.no_show:
                raise _error(_("この予約の無断不使用はすでに記録されています。"), "duplicate")
            if locked.date > today:
                raise _error(_("利用日（%(day)s）の前には無断不使用を記録できません。")
                             % {"day": day_text(locked.date, weekday=True)}, "future")
            locked.no_show = True
            locked.save(update_fields=["no_show"])
            RoomBookingEvent.objects.create(room_booking=locked, kind=BookingEventKind.NO_SHOW,
                                            reason=reason, by=by)
            return locked
        if locked.cancelled_at is not None:
            return locked
        if locked.no_show:
            raise _error(_("無断不使用を記録した予約は取り消せません。"), "no_show")
        scheduling.resource_release(booking=locked.booking, by=by, reason=reason)
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
        RoomBookingEvent.objects.create(room_booking=locked, kind=BookingEventKind.CANCELLED,
                                        reason=reason, by=by)
    return locked


def closure_add(*, room: Room, day: dt.date, reason: str, by: User) -> RoomClosure:
    """A ward-editable exception (学校行事, 点検): the room cannot be booked on ``day``.
    Refused while the day has bookings (they are cancelled first, with their groups told)."""
    if not can(by, Action.COMMUNITY_ROOM_EDIT, room):
        raise PermissionDenied(_("この部屋の利用できない日を登録する権限がありません。"))
    reason = (reason or "").strip()
    if not reason:
        raise _error(_("理由（学校行事など）を入力してください。"), "reason")
    if len(reason) > 120:
        raise _error(_("理由は120文字以内で入力してください。"), "reason")
    with transaction.atomic():
        if RoomBooking.objects.filter(room=room, date=day, cancelled_at__isnull=True).exists():
            raise _error(_("%(day)sには予約があります。先に予約を取り消してください。")
                         % {"day": day_text(day, weekday=True)}, "booked")
        closure, created = RoomClosure.objects.get_or_create(
            room=room, date=day, defaults={"reason": reason, "created_by": by})
        if not created:
            raise _error(_("%(day)sはすでに利用できない日として登録されています（%(reason)s）。")
                         % {"day": day_text(day, weekday=True), "reason": closure.reason},
                         "duplicate")
    return closure
