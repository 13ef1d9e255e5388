"""The write of a booking: insert the booking, its participants and allocations in one
transaction (optimistic on PostgreSQL, serialised on SQLite; see the package's docstring)."""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import primary_membership
from madoguchi.scheduling.availability import (
    resources_of,
)
from madoguchi.scheduling.models import (
    Allocation,
    Booking,
    BookingStatus,
    Participant,
    ParticipantKind,
)
from madoguchi.scheduling.selectors.slots import (
    SlotSpec,
    StartCheck,
    check_start,
)
from madoguchi.scheduling.services._checks import (
    _unavailable,
)
from madoguchi.scheduling.services._common import (
    DEADLOCK_RETRIES,
    Guest,
    _existing,
    _is_overlap,
    _notify,
    _queue_writers,
    _rejected,
    _serialised,
    display,
)
from madoguchi.scheduling.services.resources import resource_for


@dataclass(frozen=True)
class _Plan:
    spec: SlotSpec
    start: dt.datetime
    resident: object | None
    guests: tuple[Guest, ...]
    title: str
    others: tuple[User, ...]


class _Lost(Exception):  # noqa: N818 - internal signal, not an error for users
    """The slot changed while the write waited in the queue: ``check`` is the new look."""

    def __init__(self, check: StartCheck) -> None:
        self.check = check


class _Retry(Exception):  # noqa: N818 - internal signal, not an error for users
    """Look again in a new transaction (another member is free now)."""


class _Taken(Exception):  # noqa: N818 - internal signal, not an error for users
    def __init__(self, pools=(), who: str | None = None) -> None:
        self.pools = pools
        self.who = who


def _resource_ids(spec: SlotSpec, calendars=None) -> dict[tuple[str, int], int]:
    """(kind, owner key) -> resource id for every member of the pools (rows made for
    members never booked before). ``calendars`` loaded for the spec already know most."""
    found = dict(calendars.resource_of) if calendars is not None else {
        (kind, owner): pk for pk, kind, owner in
        resources_of(spec.pools).values_list("pk", "kind", "owner_id")}
    for pool in spec.pools:
        for member in pool.members:
            if (pool.kind, member.pk) not in found:
                found[(pool.kind, member.pk)] = resource_for(pool.kind, member).pk
    return found


def _participants(plan: _Plan, booking: Booking, staff: User) -> list[Participant]:
    section = plan.spec.section
    rows = [Participant(booking=booking, kind=ParticipantKind.STAFF, user=staff,
                        name=display(staff), organisation=section.name, remote=True,
                        is_organiser=True)]
    if plan.resident is not None:
        rows.append(Participant(booking=booking, kind=ParticipantKind.RESIDENT,
                                resident=plan.resident, remote=booking.booth_id is None))
    for user in plan.others:
        membership = primary_membership(user)
        rows.append(Participant(booking=booking, kind=ParticipantKind.STAFF, user=user,
                                name=display(user), remote=True,
                                organisation=membership.unit.name if membership and
                                membership.unit else ""))
    rows.extend(g.participant(booking) for g in plan.guests)
    return rows


def _resident_busy(resident, start: dt.datetime, end: dt.datetime,
                   moving: Booking | None) -> bool:
    # Lock the resident's row (no personal data is read) so two centres cannot book them
    # twice at once; then look for an overlapping booking of theirs.
    type(resident)._default_manager.select_for_update().filter(pk=resident.pk).values_list(
        "pk", flat=True).first()
    return Participant.objects.filter(
        resident=resident, booking__status=BookingStatus.BOOKED,
        booking__start__lt=end, booking__end__gt=start,
    ).exclude(booking=moving).exists()


def _rounds(spec: SlotSpec) -> int:
    """How often an optimistic attempt may look again after losing a race: each loss means
    a competitor took a member of a pool, so more rounds than members cannot help."""
    return 1 + min(8, max(len(pool.members) for pool in spec.pools))


def _targets(plan: _Plan, slot) -> list[tuple[str, int]]:
    targets = [("person", slot.staff.pk)] + [("person", u.pk) for u in plan.others]
    if slot.booth is not None:
        targets.insert(0, ("booth", slot.booth.pk))
    return targets


def _insert(plan: _Plan, slot, resources: dict[tuple[str, int], int], *, by: User,
            key: str | None, replacing: Booking | None, exceptions: dict | None) -> Booking:
    spec = plan.spec
    targets = _targets(plan, slot)
    held = sorted(resources[t] for t in targets)
    if _queue_writers(held):
        # Queued behind another write of these resources: look again now that it has
        # committed (one read) rather than insert and be refused by the constraint.
        again = check_start(spec, plan.start, exceptions=exceptions)
        if again.slot is None or again.slot != slot:
            raise _Lost(again)
    booking = Booking.objects.create(
        section=spec.section, centre=spec.centre, booth=slot.booth, start=slot.start,
        end=slot.end, title=plan.title, created_by=by, idempotency_key=key or None,
        rescheduled_from=replacing)
    Participant.objects.bulk_create(_participants(plan, booking, slot.staff))
    held_until = slot.end + dt.timedelta(minutes=spec.schedule.buffer_minutes)
    Allocation.objects.bulk_create(
        Allocation(booking=booking, resource_id=rid, start=slot.start, end=held_until)
        for rid in held)
    return booking


def _book(plan: _Plan, *, by: User, key: str | None = None,
          replacing: Booking | None = None, reason: str = "",
          checked: StartCheck | None = None) -> Booking:
    """Insert the booking at ``plan.start``. ``checked``: the slot found just before (out
    of the transaction); PostgreSQL inserts it as found and lets the exclusion constraint
    judge, SQLite (and a move, which frees the booking's own time first) checks again in
    the write transaction."""
    spec = plan.spec
    resources = _resource_ids(spec, checked.calendars if checked is not None else None)
    change = "rescheduled" if replacing is not None else "created"
    serialised = _serialised()
    rounds = _rounds(spec)
    round_ = deadlocks = 0
    # The closed days the first check read (from the start's day on), for the checks
    # made again here.
    exceptions = checked.calendars.exceptions if checked and checked.calendars else None
    while True:
        try:
            with transaction.atomic():
                if replacing is not None:
                    old = Booking.objects.select_for_update().get(pk=replacing.pk)
                    if not old.is_active:
                        raise _rejected(_("この予約はすでに変更または取り消されています。"),
                                        "inactive")
                    Allocation.objects.filter(booking=old).update(active=False)
                if (existing := _existing(by, key)) is not None:
                    return existing
                if serialised or replacing is not None or checked is None or round_:
                    checked = check_start(spec, plan.start, exceptions=exceptions)
                if checked.slot is None:
                    raise _Taken(checked.blocked)
                slot = checked.slot
                if plan.resident is not None and _resident_busy(
                        plan.resident, slot.start, slot.end, replacing):
                    raise _Taken(who=_("区民の方（別の予約あり）"))
                try:
                    booking = _insert(plan, slot, resources, by=by, key=key,
                                      replacing=replacing, exceptions=exceptions)
                except _Lost as lost:
                    checked = lost.check
                    if checked.slot is None:
                        raise _Taken(checked.blocked) from None
                    raise _Retry from None
                if replacing is not None:
                    Booking.objects.filter(pk=replacing.pk).update(
                        status=BookingStatus.CANCELLED, cancelled_at=timezone.now(),
                        cancelled_by=by, cancel_reason=reason)
                transaction.on_commit(partial(_notify, booking.pk, change, booking.start))
                return booking
        except _Taken as taken:
            code = "taken" if taken.who is None and replacing is None else "unavailable"
            raise _unavailable(spec, taken.pools, plan.start, code=code, who=taken.who,
                               calendars=checked.calendars if checked else None,
                               next_free=checked.next_free if checked else None) from None
        except _Retry:
            if round_ + 1 == rounds:
                raise _unavailable(spec, (), plan.start, code="taken") from None
            round_ += 1
        except IntegrityError as error:
            if (existing := _existing(by, key)) is not None:
                return existing
            if not _is_overlap(error):
                raise
            if round_ + 1 == rounds:
                raise _unavailable(spec, (), plan.start, code="taken") from error
            round_ += 1
        except OperationalError as error:
            # A deadlock: two attempts at the same resources each waiting for the other's
            # uncommitted allocation in the exclusion check (or two movers for each other's
            # bookings), and PostgreSQL picked this one. Not a lost race yet: wait a moment
            # and look again (the winner has usually committed by then, and the slot is
            # reported taken by the check), a bounded number of times.
            if getattr(error.__cause__, "sqlstate", None) != "40P01":
                raise
            deadlocks += 1
            if deadlocks > DEADLOCK_RETRIES:
                raise _unavailable(spec, (), plan.start, code="taken") from error
            time.sleep(random.uniform(0, 0.005 * deadlocks))
            round_ = max(round_, 1)  # the next try checks the slot again
