"""Pieces shared by the booking writes: guests, the reason, idempotency, the overlap
error, cancelling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.scheduling import messages
from madoguchi.scheduling.errors import (
    BookingRejected,
)
from madoguchi.scheduling.models import (
    Allocation,
    Booking,
    BookingStatus,
    Participant,
    ParticipantKind,
)

REASON_MAX = 200


@dataclass(frozen=True)
class Guest:
    """A participant without an account (specialist agency, facility, family)."""

    name: str
    email: str = ""
    organisation: str = ""
    remote: bool = True

    def participant(self, booking: Booking) -> Participant:
        """The guest's (unsaved) participant row of ``booking``, its texts trimmed."""
        return Participant(booking=booking, kind=ParticipantKind.GUEST, name=self.name.strip(),
                           email=self.email.strip(), organisation=self.organisation.strip(),
                           remote=self.remote)


def display(user: User) -> str:
    return user.display_name or user.username


def _rejected(message: str, code: str) -> BookingRejected:
    return BookingRejected(message, code=code)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _rejected(_("理由を入力してください。"), "reason")
    if len(reason) > REASON_MAX:
        raise _rejected(_("理由は%(max)d文字以内で入力してください。") % {"max": REASON_MAX},
                        "reason")
    return reason


def _guest(value: Guest | Mapping) -> Guest:
    guest = value if isinstance(value, Guest) else Guest(**value)
    if not guest.name.strip():
        raise _rejected(_("外部の参加者の氏名を入力してください。"), "guest")
    return guest


def _existing(by: User, key: str | None) -> Booking | None:
    if not key:
        return None
    return Booking.objects.filter(created_by=by, idempotency_key=key).first()


def _is_overlap(error: IntegrityError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23P01" or "allocation_no_overlap" in str(error)


def _notify(booking_id: int, change: str, start: dt.datetime | None = None) -> None:
    """Tell the participants (called after commit; ``start``: the one just written)."""
    messages.booking_notice(booking_id=booking_id, change=change, start=start)


def _serialised() -> bool:
    """Whether writers are serialised (SQLite) rather than guarded by the exclusion
    constraint (PostgreSQL)."""
    return connection.vendor != "postgresql"


# The first key of the advisory locks that order booking writers (the second: a resource id).
WRITER_LOCK_SPACE = 0x5343  # "SC"heduling


def _queue_writers(resource_ids: list[int]) -> bool:
    """On PostgreSQL, wait until no other open booking write holds one of these resources
    (transaction-level advisory locks, taken in id order); whether it had to wait (then
    what the caller checked before may have changed). Without it, two attempts
    inserting overlapping allocations at once each wait in the exclusion check for the
    other's uncommitted row: a deadlock that PostgreSQL breaks only after
    ``deadlock_timeout`` (1 s), and under contention the victims' retries formed a chain
    of them. Queued, the second attempt inserts after the first has committed and is
    refused by the exclusion constraint at once. The constraint still decides; the locks
    only order the writers of the same resources (released at commit or rollback).

    One statement tries the locks in order and stops at the first one held elsewhere
    (CASE evaluates lazily); a second one then waits for it and the rest, in order, so
    no lock is ever taken out of order."""
    if _serialised() or not resource_ids:
        return False
    keys = [rid % 2_147_483_647 for rid in sorted(resource_ids)]
    tried = "0"
    for index in range(len(keys), 0, -1):
        tried = f"CASE WHEN pg_try_advisory_xact_lock(%s, %s) THEN {tried} ELSE {index} END"
    params = [value for key in keys for value in (WRITER_LOCK_SPACE, key)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tried}", params)  # noqa: S608 - placeholders only
        first_held = cursor.fetchone()[0]
        if not first_held:
            return False
        rest = keys[first_held - 1:]
        locks = ", ".join(["pg_advisory_xact_lock(%s, %s)"] * len(rest))
        cursor.execute(f"SELECT {locks}",  # noqa: S608 - placeholders only
                       [value for key in rest for value in (WRITER_LOCK_SPACE, key)])
    return True


# How often an attempt picked as a deadlock victim tries again before it reports the slot
# as taken (each try waits a little longer, at random, so that the survivors spread out).
DEADLOCK_RETRIES = 20


def _cancel(booking: Booking, *, by: User, reason: str, notify: bool) -> Booking:
    """Cancel ``booking`` (locked) and free its allocations; a cancelled one is left as it
    is. ``notify``: tell the participants after commit."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if not locked.is_active:
            return locked
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = by
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
        Allocation.objects.filter(booking=locked).update(active=False)
        if notify:
            transaction.on_commit(partial(_notify, locked.pk, "cancelled", locked.start))
    return locked
