"""Resources of the registered kinds, and one resource held for a given time (rooms,
equipment: ADR 0040; an event's session in the video room, with its guests: ADR 0064)."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.organisation.models import Booth
from madoguchi.scheduling import kinds
from madoguchi.scheduling.errors import (
    SlotUnavailable,
    when,
)
from madoguchi.scheduling.models import (
    Allocation,
    Booking,
    BookingStatus,
    Participant,
    Resource,
)
from madoguchi.scheduling.services._common import (
    DEADLOCK_RETRIES,
    Guest,
    _cancel,
    _existing,
    _guest,
    _is_overlap,
    _rejected,
    _serialised,
)


def resource_for(kind: str, owner) -> Resource:
    """The resource of ``owner`` (an instance of the registered kind's owner model)."""
    kinds.get(kind)  # LookupError for a kind nobody registered
    return Resource.objects.get_or_create(kind=kind, owner_id=owner.pk)[0]


def resource_for_booth(booth: Booth) -> Resource:
    return resource_for("booth", booth)


def resource_for_user(user: User) -> Resource:
    return resource_for("person", user)


def resource_book(*, kind: str, owner, start: dt.datetime, end: dt.datetime, title: str,
                  by: User, idempotency_key: str | None = None) -> Booking:
    """Hold ``owner`` (of the registered ``kind``) from ``start`` to ``end`` for a booking
    without section, booth or people: the seam for kinds whose owning app decides the
    opening times, rules and approvals itself (community rooms, equipment; ADR 0040).
    The kind's ``may_book`` is asked; the time is checked against the resource's active
    allocations. On PostgreSQL the exclusion constraint refuses an overlap (the attempt
    does not look again: the resource is one); on SQLite the IMMEDIATE write transaction
    serialises writers, which check before they insert. Raises BookingRejected or
    SlotUnavailable (``code="taken"``)."""
    registered = kinds.get(kind)
    if (existing := _existing(by, idempotency_key)) is not None:
        return existing
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise _rejected(_("日時にタイムゾーンがありません。"), "naive")
    if end <= start:
        raise _rejected(_("終了は開始より後にしてください。"), "order")
    if not registered.may_book(by, owner):
        raise _rejected(_("%(name)sは予約できません。") % {"name": registered.describe(owner)},
                        "resource")
    title = (title or "").strip()[:120]
    if not title:
        raise _rejected(_("件名を入力してください。"), "title")
    resource = resource_for(kind, owner)
    taken = SlotUnavailable(
        _("%(name)sの%(when)sはすでに予約されています。")
        % {"name": registered.describe(owner), "when": when(start)},
        code="taken", next_free=None)
    deadlocks = 0
    while True:
        try:
            with transaction.atomic():
                if _serialised() and Allocation.objects.filter(
                        resource=resource, active=True, start__lt=end, end__gt=start).exists():
                    raise taken
                booking = Booking.objects.create(start=start, end=end, title=title,
                                                 created_by=by,
                                                 idempotency_key=idempotency_key or None)
                Allocation.objects.create(booking=booking, resource=resource, start=start,
                                          end=end)
                return booking
        except IntegrityError as error:
            if (existing := _existing(by, idempotency_key)) is not None:
                return existing
            if not _is_overlap(error):
                raise
            raise taken from error
        except OperationalError as error:
            # Two inserts into the exclusion constraint's index can wait for each other
            # (each sees the other's uncommitted range) and PostgreSQL aborts one: look
            # again a moment later (the survivor has usually committed: "taken").
            if getattr(error.__cause__, "sqlstate", None) != "40P01":
                raise
            deadlocks += 1
            if deadlocks > DEADLOCK_RETRIES:
                raise taken from error
            time.sleep(random.uniform(0, 0.005 * deadlocks))


def resource_release(*, booking: Booking, by: User, reason: str) -> Booking:
    """Cancel a booking made by ``resource_book`` (the owning app has checked who may):
    its time is free again (the owning app tells whom it concerns). Releasing a cancelled
    booking changes nothing."""
    return _cancel(booking, by=by, reason=reason, notify=False)


def guest_add(*, booking: Booking, guest: Guest) -> Participant:
    """Add ``guest`` to an active booking made by ``resource_book`` (no section: the owning
    app decides who takes part and how many, e.g. the online registrants of an event's
    session, ADR 0064). A consultation's participants are set by its own services. Raises
    BookingRejected."""
    guest = _guest(guest)
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.section_id is not None:
            raise _rejected(_("この予約の参加者は予約の変更で設定してください。"), "section")
        if booking.status != BookingStatus.BOOKED:
            raise _rejected(_("取り消された予約には参加者を加えられません。"), "cancelled")
        row = guest.participant(booking)
        row.name = row.name[:80]
        row.save()
        return row
