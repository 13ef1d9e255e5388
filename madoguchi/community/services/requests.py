"""Room requests, the monthly lottery and first-come booking (issue 16 item 4).

Requests for a month are collected in the ward's window (by default the 10th to the 19th
two months ahead), drawn on the draw day by ``lottery.draw`` with a recorded seed, then
what is left goes first come, first served. Winners hold the slot (a scheduling booking)
until the owning unit approves them, with conditions, or the month ends and the slot
lapses. A month has at most one valid run (a partial unique index); a second is refused
unless the first is annulled with a reason.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.community import lottery
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import (
    BookingCycle,
    BookingRequest,
    Group,
    LotteryRun,
    RequestStatus,
    Room,
    RoomBooking,
)
from madoguchi.community.opening import Closures, day_type, openings_of
from madoguchi.community.services.rooms import check_request, room_book, room_cancel
from madoguchi.core.dates import day_text, wareki_year


def _error(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code)


def cycle() -> BookingCycle:
    return BookingCycle.objects.get_or_create(pk=1)[0]


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_text(month: dt.date) -> str:
    return _("%(year)s%(month)d月") % {"year": wareki_year(month), "month": month.month}


def window(month: dt.date, settings: BookingCycle | None = None
           ) -> tuple[dt.date, dt.date, dt.date]:
    """(first day to apply, last day to apply, draw day) for requests for ``month``."""
    settings = settings or cycle()
    applied = _shift(month.replace(day=1), -settings.months_ahead)
    return (applied.replace(day=settings.apply_from), applied.replace(day=settings.apply_until),
            applied.replace(day=settings.draw_day))


def slot_kind(day: dt.date, daypart: str) -> str:
    return f"{day_type(day)}/{daypart}"


def request_submit(*, group: Group, room: Room, day: dt.date, daypart: str, purpose: str,
                   attendees: int, today: dt.date | None = None) -> BookingRequest:
    """A group's request in the window; the room's rules are checked now (the same as for
    a booking), so a request that could never be booked is refused at once."""
    today = today or timezone.localdate()
    opens, closes, _draw = window(day)
    if not opens <= today <= closes:
        raise _error(_("%(month)sの利用の申込は%(opens)sから%(closes)sまでです。")
                     % {"month": month_text(day), "opens": day_text(opens),
                        "closes": day_text(closes)}, "window")
    purpose = check_request(room=room, day=day, daypart=daypart, group=group, purpose=purpose,
                            attendees=attendees, today=today)
    try:
        with transaction.atomic():
            return BookingRequest.objects.create(group=group, room=room, date=day,
                                                 daypart=daypart, purpose=purpose,
                                                 attendees=attendees)
    except IntegrityError:
        raise _error(_("「%(group)s」はこの枠をすでに申し込んでいます。") % {"group": group.name},
                     "duplicate") from None


def _entries(requests: list[BookingRequest]) -> list[lottery.Entry]:
    return [lottery.Entry(request_id=r.pk, group_id=r.group_id, room_id=r.room_id,
                          date=r.date.isoformat(), daypart=r.daypart,
                          kind=slot_kind(r.date, r.daypart)) for r in requests]


def lottery_run(*, month: dt.date, by: User, seed: str | None = None,
                today: dt.date | None = None) -> LotteryRun:
    """Draw ``month``'s pending requests. Winners' slots are booked (held until approval);
    requests for a slot booked meanwhile, or no longer bookable, lose. Refused before the
    draw day and when the month already has a valid run."""
    month = month.replace(day=1)
    if not can(by, Action.COMMUNITY_LOTTERY, LotteryRun(month=month)):
        raise PermissionDenied(_("抽選を行う権限がありません。"))
    today = today or timezone.localdate()
    previous = LotteryRun.objects.filter(month=month, annulled_at__isnull=True).first()
    if previous is not None:
        raise _already_drawn(previous)
    _opens, _closes, draw_on = window(month)
    if today < draw_on:
        raise _error(_("%(month)sの抽選は%(day)s以降に行えます。")
                     % {"month": month_text(month), "day": day_text(draw_on)}, "early")
    seed = seed or secrets.token_hex(16)
    following = _shift(month, 1)
    try:
        with transaction.atomic():
            previous = LotteryRun.objects.select_for_update().filter(
                month=month, annulled_at__isnull=True).first()
            if previous is not None:
                raise _RunExists(previous)
            requests = list(BookingRequest.objects.select_for_update(of=("self",)).filter(
                date__gte=month, date__lt=following, status=RequestStatus.PENDING)
                .select_related("room", "group"))
            entries = _entries(requests)
            outcomes = lottery.draw(seed, entries)
            run = LotteryRun.objects.create(
                month=month, seed=seed, inputs_digest=lottery.inputs_digest(entries),
                requests_count=len(entries), run_by=by,
                entries=[[e.request_id, e.group_id, e.room_id, e.date, e.daypart, e.kind]
                         for e in entries],
                results={str(k): [o.won, o.rank] for k, o in outcomes.items()})
            _book_winners(run, requests, outcomes, by=by)
            return run
    except _RunExists as exists:
        raise _already_drawn(exists.run) from None
    except IntegrityError:  # a concurrent run committed first
        raise _error(_("%(month)sの抽選はすでに行われています。") % {"month": month_text(month)},
                     "already_drawn") from None


def _already_drawn(run: LotteryRun) -> CommunityError:
    return _error(_("%(month)sの抽選はすでに行われています（%(when)s、種 %(seed)s）。"
                    "やり直すには、先の抽選を理由を付けて無効にしてください。")
                  % {"month": month_text(run.month),
                     "when": day_text(timezone.localtime(run.run_at)), "seed": run.seed},
                  "already_drawn")


class _RunExists(Exception):  # noqa: N818 - internal signal
    def __init__(self, run: LotteryRun) -> None:
        self.run = run


def _book_winners(run: LotteryRun, requests: list[BookingRequest],
                  outcomes: dict[int, lottery.Outcome], *, by: User) -> None:
    won, lost = [], []
    rooms = list({request.room_id: request.room for request in requests}.values())
    if requests:  # read once for every winner: the closed days and the opening slots
        closures = Closures(rooms, run.month, _shift(run.month, 1) - dt.timedelta(days=1))
        openings = openings_of(rooms)
    for request in requests:
        request.lottery = run
        if not outcomes[request.pk].won:
            request.status = RequestStatus.LOST
            lost.append(request)
            continue
        try:
            with transaction.atomic():
                request.room_booking = room_book(
                    room=request.room, day=request.date, daypart=request.daypart, by=by,
                    purpose=request.purpose, attendees=request.attendees,
                    group=request.group, closures=closures,
                    openings=openings[request.room_id])
            request.status = RequestStatus.WON
            won.append(request)
        except CommunityError:
            request.status = RequestStatus.LOST  # booked or closed meanwhile
            lost.append(request)
    BookingRequest.objects.bulk_update(won + lost, ["lottery", "status", "room_booking"],
                                       batch_size=500)


def lottery_annul(*, run: LotteryRun, by: User, reason: str) -> LotteryRun:
    """Annul a run with a reason: its winners' slots are released and the month's requests
    wait for a new draw. The run keeps its seed, inputs and results."""
    if not can(by, Action.COMMUNITY_LOTTERY, run):
        raise PermissionDenied(_("抽選を無効にする権限がありません。"))
    reason = (reason or "").strip()
    if not reason:
        raise _error(_("抽選を無効にする理由を入力してください。"), "reason")
    with transaction.atomic():
        locked = LotteryRun.objects.select_for_update().get(pk=run.pk)
        if locked.annulled_at is not None:
            raise _error(_("この抽選はすでに無効にされています。"), "annulled")
        if locked.requests.filter(status=RequestStatus.APPROVED).exists():
            raise _error(_("承認済みの当選があるため、この抽選は無効にできません。"), "approved")
        for request in locked.requests.filter(
                status=RequestStatus.WON, room_booking__isnull=False).select_related(
                    "room_booking__room"):
            assert request.room_booking is not None
            room_cancel(room_booking=request.room_booking, by=by, reason=reason[:200])
        locked.requests.update(status=RequestStatus.PENDING, lottery=None, room_booking=None)
        locked.annulled_at = timezone.now()
        locked.annulled_by = by
        locked.annul_reason = reason[:200]
        locked.save(update_fields=["annulled_at", "annulled_by", "annul_reason"])
    return locked


def lottery_reproduce(run: LotteryRun) -> bool:
    """Whether drawing again from the run's seed and recorded inputs gives its results."""
    entries = [lottery.Entry(*row) for row in run.entries]
    if lottery.inputs_digest(entries) != run.inputs_digest:
        return False
    outcomes = lottery.draw(run.seed, entries)
    return {str(k): [o.won, o.rank] for k, o in outcomes.items()} == run.results


def request_approve(*, request: BookingRequest, by: User, conditions: str = ""
                    ) -> BookingRequest:
    """The owning unit approves a won (or first-come) request, with conditions."""
    if not can(by, Action.COMMUNITY_ROOM_BOOK, request.room):
        raise PermissionDenied(_("この申込を承認する権限がありません。"))
    with transaction.atomic():
        locked = BookingRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.WON:
            raise _error(_("この申込は承認できる状態ではありません（%(status)s）。")
                         % {"status": locked.get_status_display()}, "status")
        locked.status = RequestStatus.APPROVED
        locked.save(update_fields=["status"])
        RoomBooking.objects.filter(request=locked).update(
            conditions=(conditions or "").strip()[:300])
    return locked


def lapse_unconfirmed(*, month: dt.date, by: User, today: dt.date | None = None) -> int:
    """After the end of the draw's month, won requests not approved lapse and their slots
    are released. Returns how many lapsed."""
    today = today or timezone.localdate()
    month = month.replace(day=1)
    _opens, _closes, draw_on = window(month)
    if today < _shift(draw_on.replace(day=1), 1):
        return 0
    count = 0
    for request in BookingRequest.objects.filter(
            date__gte=month, date__lt=_shift(month, 1), status=RequestStatus.WON
    ).select_related("room_booking__room"):
        if request.room_booking is None:
            continue
        with transaction.atomic():
            room_cancel(room_booking=request.room_booking, by=by,
                        reason=_("期限までに確定されませんでした"))
            BookingRequest.objects.filter(pk=request.pk).update(status=RequestStatus.LAPSED)
        count += 1
    return count


def first_come(*, group: Group, room: Room, day: dt.date, daypart: str, purpose: str,
               attendees: int, by: User, today: dt.date | None = None) -> BookingRequest:
    """After the month's draw, a free slot goes to the first request: it is booked at once
    (held until approval). Concurrent requests for one slot make one booking (scheduling's
    exclusion constraint); the others are told it is taken."""
    today = today or timezone.localdate()
    month = day.replace(day=1)
    if not LotteryRun.objects.filter(month=month, annulled_at__isnull=True).exists():
        raise _error(_("%(month)sの先着順の受付は抽選の後に始まります。")
                     % {"month": month_text(month)}, "before_draw")
    with transaction.atomic():
        booked = room_book(room=room, day=day, daypart=daypart, by=by, purpose=purpose,
                           attendees=attendees, group=group)
        request, _created = BookingRequest.objects.update_or_create(
            group=group, room=room, date=day, daypart=daypart,
            defaults={"purpose": booked.purpose, "attendees": attendees,
                      "status": RequestStatus.WON, "room_booking": booked})
    return request
