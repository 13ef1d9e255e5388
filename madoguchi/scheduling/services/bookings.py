"""Bookings of a section's staff, booths and people: create, reschedule, cancel, finish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.scheduling import reference
from madoguchi.scheduling.availability import (
    local,
)
from madoguchi.scheduling.models import (
    Allocation,
    Booking,
    BookingStatus,
    ParticipantKind,
)
from madoguchi.scheduling.permissions import BookingPlace
from madoguchi.scheduling.selectors.slots import (
    HORIZON_DAYS,
    check_start,
    slot_spec,
    unique_users,
)
from madoguchi.scheduling.services._checks import (
    _kind_rules,
    _section_needed,
    _unavailable,
    _validate,
)
from madoguchi.scheduling.services._common import (
    Guest,
    _cancel,
    _existing,
    _guest,
    _reason,
    _rejected,
    display,
)
from madoguchi.scheduling.services._write import _book, _Plan


def booking_create(*, section: Section | None, start: dt.datetime, staff: User | None = None,
                   other_users: Sequence[User] = (), centre: DistrictCentre | None = None,
                   booth: Booth | None = None, booth_required: bool = True,
                   resident=None, guests: Iterable[Guest | Mapping] = (), title: str,
                   by: User, idempotency_key: str | None = None) -> Booking:
    """Book ``start`` for the section's staff member (``staff`` or the least loaded free
    one), a booth at ``centre`` (``booth`` or any free one; none when not
    ``booth_required``), ``other_users``, ``resident`` and ``guests`` (at most six
    participants). The same ``idempotency_key`` from the same user returns the booking it
    made before. Raises BookingRejected, SlotUnavailable or PermissionDenied."""
    if (existing := _existing(by, idempotency_key)) is not None:
        return existing
    _section_needed(section, ("booth",) if booth is not None or booth_required else ())
    if booth is not None:
        if centre is not None and booth.centre_id != centre.pk:
            raise _rejected(_("%(booth)sは%(centre)sの相談ブースではありません。")
                            % {"booth": booth.name, "centre": centre.name}, "booth")
        if not booth.is_active:
            raise _rejected(_("%(booth)sは現在利用できません。") % {"booth": str(booth)}, "booth")
        centre = booth.centre
    if booth_required and centre is None:
        raise _rejected(_("相談ブースを使う予約には、まちづくりセンターの指定が必要です。"),
                        "centre")
    takes_part = (staff is not None and staff.pk == by.pk) or any(
        u.pk == by.pk for u in other_users)
    if not can(by, Action.BOOKING_CREATE, BookingPlace(section, centre, takes_part)):
        raise PermissionDenied(_("この予約を作成する権限がありません。"))
    return _create(section=section, start=start, staff=staff, other_users=other_users,
                   centre=centre, booth=booth, booth_required=booth_required,
                   resident=resident, guests=guests, title=title, by=by,
                   idempotency_key=idempotency_key)


def booking_create_for_resident(*, section: Section, start: dt.datetime,
                                centre: DistrictCentre, booth_required: bool, resident,
                                title: str, by: User,
                                idempotency_key: str | None = None) -> Booking:
    """A booking the resident makes themself (ADR 0049): the section's least loaded free
    staff member, the resident, and a free booth of ``centre`` unless from home. ``by`` is
    the self-service account (``accounts.services.self_service_actor``); the caller
    (consultations' self-booking) has checked the resident's own rights (the section takes
    self-bookings at the login's identity level, the consents, one open booking per
    topic). Everything else is ``booking_create``'s: validation, slot check, race,
    idempotency, mails after commit."""
    if (existing := _existing(by, idempotency_key)) is not None:
        return existing
    return _create(section=section, start=start, staff=None, other_users=(), centre=centre,
                   booth=None, booth_required=booth_required, resident=resident, guests=(),
                   title=title, by=by, idempotency_key=idempotency_key)


def _create(*, section: Section | None, start: dt.datetime, staff: User | None,
            other_users: Sequence[User], centre: DistrictCentre | None, booth: Booth | None,
            booth_required: bool, resident, guests: Iterable[Guest | Mapping], title: str,
            by: User, idempotency_key: str | None) -> Booking:
    if staff is not None and not reference.is_section_staff(section, staff):
        raise _rejected(_("%(name)sさんは%(section)sの職員として登録されていません。")
                        % {"name": display(staff), "section": section.name}, "staff")
    title = (title or "").strip()
    if not title:
        raise _rejected(_("件名を入力してください。"), "title")
    guest_rows = tuple(_guest(g) for g in guests)
    others = tuple(u for u in unique_users(other_users) if staff is None or u.pk != staff.pk)
    spec = slot_spec(section=section, centre=centre, staff=staff, other_users=others,
                     booth_required=booth_required, booth=booth,
                     booths=reference.centre_booths(centre)
                     if booth is None and booth_required and centre is not None else None)
    _kind_rules(spec, by)
    count = 1 + len(others) + len(guest_rows) + (1 if resident is not None else 0)
    # The closed days over the search's horizon, read once for the checks, the slot and
    # the next free one.
    exceptions = None
    if timezone.is_aware(start):
        day = local(start).date()
        exceptions = reference.closed_days(day, day + dt.timedelta(days=HORIZON_DAYS - 1))
    _validate(spec, start=start, participants=count, now=timezone.now(), exceptions=exceptions)
    checked = check_start(spec, start, exceptions=exceptions)
    if checked.slot is None:
        raise _unavailable(spec, checked.blocked, start, code="unavailable",
                           calendars=checked.calendars, next_free=checked.next_free)
    plan = _Plan(spec=spec, start=start, resident=resident, guests=guest_rows, title=title,
                 others=others)
    return _book(plan, by=by, key=idempotency_key, checked=checked)


def booking_reschedule(*, booking: Booking, start: dt.datetime, by: User,
                       reason: str) -> Booking:
    """Move a booking: a new booking with the same participants (any free booth of the
    same centre) at ``start``; the old one is cancelled with ``reason`` and points to
    nothing, the new one has ``rescheduled_from`` set."""
    if not can(by, Action.BOOKING_CANCEL, booking):
        raise PermissionDenied(_("この予約を変更する権限がありません。"))
    return _reschedule(booking=booking, start=start, by=by, reason=reason)


def booking_reschedule_for_resident(*, booking: Booking, start: dt.datetime, by: User,
                                    reason: str) -> Booking:
    """Move a booking the resident made themself (ADR 0049); ``by`` is the self-service
    account and the caller has checked that the booking is the resident's own."""
    return _reschedule(booking=booking, start=start, by=by, reason=reason)


def booking_cancel_for_resident(*, booking: Booking, by: User, reason: str) -> Booking:
    """Cancel a booking the resident made themself (ADR 0049); as
    ``booking_reschedule_for_resident``. The participants are told."""
    return _cancel(booking, by=by, reason=reason, notify=True)


def _reschedule(*, booking: Booking, start: dt.datetime, by: User, reason: str) -> Booking:
    if not booking.is_active:
        raise _rejected(_("この予約はすでに変更または取り消されています。"), "inactive")
    reason = _reason(reason)
    rows = list(booking.participants.select_related("user", "resident").order_by("pk"))
    organiser = next((p.user for p in rows if p.is_organiser), None)
    others = tuple(p.user for p in rows if p.kind == ParticipantKind.STAFF and not p.is_organiser)
    resident = next((p.resident for p in rows if p.kind == ParticipantKind.RESIDENT), None)
    guests = tuple(Guest(name=p.name, email=p.email, organisation=p.organisation,
                         remote=p.remote) for p in rows if p.kind == ParticipantKind.GUEST)
    spec = slot_spec(section=booking.section, centre=booking.centre, staff=organiser,
                     other_users=others, booth_required=booking.booth_id is not None)
    _validate(spec, start=start, participants=len(rows), now=timezone.now())
    plan = _Plan(spec=spec, start=start, resident=resident, guests=guests, title=booking.title,
                 others=others)
    return _book(plan, by=by, replacing=booking, reason=reason)


def booking_cancel(*, booking: Booking, by: User, reason: str) -> Booking:
    """Cancel with a reason; frees the booking's booth and people. Cancelling a cancelled
    booking changes nothing."""
    if not can(by, Action.BOOKING_CANCEL, booking):
        raise PermissionDenied(_("この予約を取り消す権限がありません。"))
    return _cancel(booking, by=by, reason=reason, notify=True)


def booking_finish(*, booking: Booking, at: dt.datetime | None = None) -> Booking:
    """The call ended or the consultation was closed: the booking is 終了 and the rest of
    its time (booth, people, buffer) is free from ``at`` (now). Finishing a booking that is
    not active changes nothing. The caller (meetings, consultations) has checked who may
    end the call or close the consultation; this runs in the caller's transaction."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if not locked.is_active:
            return locked
        locked.status = BookingStatus.FINISHED
        locked.finished_at = at
        locked.save(update_fields=["status", "finished_at"])
        held = Allocation.objects.filter(booking=locked, active=True)
        held.filter(start__gte=at).update(active=False)
        held.filter(start__lt=at, end__gt=at).update(end=at)
    return locked
