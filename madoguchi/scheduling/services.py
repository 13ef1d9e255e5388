"""Writes of the scheduling context: resources and bookings (create, reschedule, cancel).

Each booking write validates first (read-only, Japanese messages) and finds the slot's
resources, then inserts the booking and its allocations in one transaction:

- On PostgreSQL optimistically, without locks: the exclusion constraint on allocations
  refuses an overlap, and a refused attempt looks again (another free booth or person of
  the pools, from what the winner committed) or reports the slot as taken.
- On SQLite the IMMEDIATE write transaction serialises writers; the slot is checked again
  inside it before the insert.

Participants are told after commit, through the notifier (scheduling.messages).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can, primary_membership
from madoguchi.core.dates import (
    closed_reason,
    day_text,
    is_open_day,
    load_exceptions,
    weekday_name,
)
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.scheduling import kinds, messages, reference
from madoguchi.scheduling.availability import (
    grid_minutes,
    local,
    midnight,
    resources_of,
    seconds_of,
)
from madoguchi.scheduling.errors import (
    BookingRejected,
    SlotUnavailable,
    clock,
    duration_text,
    next_free_text,
    when,
)
from madoguchi.scheduling.models import (
    MAX_PARTICIPANTS,
    Allocation,
    Booking,
    BookingStatus,
    Participant,
    ParticipantKind,
    Resource,
)
from madoguchi.scheduling.permissions import BookingPlace
from madoguchi.scheduling.selectors import (
    HORIZON_DAYS,
    SlotSpec,
    StartCheck,
    check_start,
    search,
    slot_spec,
    unique_users,
)

REASON_MAX = 200


@dataclass(frozen=True)
class Guest:
    """A participant without an account (specialist agency, facility, family)."""

    name: str
    email: str = ""
    organisation: str = ""
    remote: bool = True


def resource_for(kind: str, owner) -> Resource:
    """The resource of ``owner`` (an instance of the registered kind's owner model)."""
    kinds.get(kind)  # LookupError for a kind nobody registered
    return Resource.objects.get_or_create(kind=kind, owner_id=owner.pk)[0]


def resource_for_booth(booth: Booth) -> Resource:
    return resource_for("booth", booth)


def resource_for_user(user: User) -> Resource:
    return resource_for("person", user)


def display(user: User) -> str:
    return user.display_name or user.username


# --- validation -------------------------------------------------------------------------


def _rejected(message: str, code: str) -> BookingRejected:
    return BookingRejected(message, code=code)


def _who(spec: SlotSpec, pool) -> str:
    if pool.role == "booth":
        if len(pool.members) == 1:
            return _("%(booth)s（%(centre)s）") % {"booth": pool.members[0].name,
                                                 "centre": spec.centre.name}
        return _("%(centre)sの相談ブース") % {"centre": spec.centre.name}
    if pool.role == "staff" and len(pool.members) != 1:
        return _("%(section)sの職員") % {"section": spec.section.name}
    return _("%(name)sさん") % {"name": display(pool.members[0])}


def _unavailable(spec: SlotSpec, pools, start: dt.datetime, *, code: str,
                 who: str | None = None, calendars=None) -> SlotUnavailable:
    next_free = next(iter(search(spec, start_from=max(start, timezone.now()), limit=1,
                                 calendars=calendars)), None)
    if code == "taken":
        reason = _("%(when)sはたった今ほかの予約で埋まりました。") % {"when": when(start)}
    else:
        # Translators: separator between the names of participants who are not free.
        names = who or _("、").join(_who(spec, pool) for pool in pools)
        reason = _("%(who)sは%(when)sに空いていません。") % {"who": names, "when": when(start)}
    # Translators: the reason a time is not free, then the next free slot (two sentences).
    message = _("%(reason)s%(next_free)s") % {"reason": reason,
                                               "next_free": next_free_text(next_free)}
    return SlotUnavailable(message, code=code, next_free=next_free)


def _validate(spec: SlotSpec, *, start: dt.datetime, participants: int,
              now: dt.datetime, exceptions: dict | None = None) -> None:
    """The request's own faults, in the order a user would fix them. ``exceptions``: the
    closed days loaded for the start's day (and more), if the caller has them."""
    if participants > MAX_PARTICIPANTS:
        raise _rejected(_("参加者は%(max)d人までです（%(count)d人が指定されています）。")
                        % {"max": MAX_PARTICIPANTS, "count": participants}, "too_many")
    if timezone.is_naive(start):
        raise _rejected(_("日時にタイムゾーンがありません。"), "naive")
    if start < now:
        raise _rejected(_("過去の日時（%(when)s）は予約できません。") % {"when": when(start)},
                        "past")
    schedule, centre = spec.schedule, spec.centre
    start_local = local(start)
    day = start_local.date()
    if exceptions is None:
        exceptions = load_exceptions(day, day)
    reason = closed_reason(day, exceptions=exceptions)
    if reason is None and centre is not None and not is_open_day(
            day, weekdays=centre.weekdays, exceptions=exceptions):
        reason = weekday_name(day)
    if reason:
        raise _rejected(_("%(day)sは休業日（%(reason)s）のため予約できません。")
                        % {"day": day_text(day, weekday=True), "reason": reason}, "closed")
    held_until = start_local + dt.timedelta(
        minutes=schedule.duration_minutes + schedule.buffer_minutes)
    if centre is not None and (
            seconds_of(start_local.time()) < seconds_of(centre.opens_at)
            or held_until.date() != day
            or seconds_of(held_until.time()) > seconds_of(centre.closes_at)):
        raise _rejected(_("%(when)sは受付時間外です。%(centre)sの受付時間は%(opens)s〜%(closes)s"
                          "です（相談%(minutes)d分）。")
                        % {"when": when(start), "centre": centre.name,
                           "opens": clock(centre.opens_at), "closes": clock(centre.closes_at),
                           "minutes": schedule.duration_minutes}, "hours")
    if start < now + dt.timedelta(minutes=schedule.min_notice_minutes):
        raise _rejected(_("予約の締切を過ぎています。"
                          "%(section)sの予約は開始の%(notice)s前までです。")
                        % {"section": spec.section.name,
                           "notice": duration_text(schedule.min_notice_minutes)}, "notice")
    step = grid_minutes(schedule.duration_minutes) * 60
    if (start_local - midnight(day)).total_seconds() % step:
        raise _rejected(_("開始時刻は%(step)d分単位で指定してください。") % {"step": step // 60},
                        "grid")


def _section_needed(section: Section | None, kind_codes: Iterable[str]) -> None:
    """Kinds that need the responsible section (a consultation's booth and people: every
    booking made here holds a person) refuse a booking without one."""
    if section is None and any(kinds.get(code).needs_section
                               for code in (*kind_codes, "person")):
        raise _rejected(_("この予約には担当の課・機関の指定が必要です。"), "section")


def _kind_rules(spec: SlotSpec, by: User) -> None:
    """The registered kinds' own rule for every resource named for the booking."""
    for pool in spec.pools:
        kind = kinds.get(pool.kind)
        if len(pool.members) == 1 and not kind.may_book(by, pool.members[0]):
            raise _rejected(_("%(name)sは予約できません。")
                            % {"name": kind.describe(pool.members[0])}, "resource")


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


# --- the locked write -------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    spec: SlotSpec
    start: dt.datetime
    resident: object | None
    guests: tuple[Guest, ...]
    title: str
    others: tuple[User, ...]


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


def _existing(by: User, key: str | None) -> Booking | None:
    if not key:
        return None
    return Booking.objects.filter(created_by=by, idempotency_key=key).first()


def _is_overlap(error: IntegrityError) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23P01" or "allocation_no_overlap" in str(error)


def _notify(booking_id: int, change: str) -> None:
    """Tell the participants (called after commit)."""
    messages.booking_notice(booking_id=booking_id, change=change)


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
    rows.extend(Participant(booking=booking, kind=ParticipantKind.GUEST, name=g.name.strip(),
                            email=g.email.strip(), organisation=g.organisation.strip(),
                            remote=g.remote) for g in plan.guests)
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


def _serialised() -> bool:
    """Whether writers are serialised (SQLite) rather than guarded by the exclusion
    constraint (PostgreSQL)."""
    return connection.vendor != "postgresql"


# How often an attempt picked as a deadlock victim tries again before it reports the slot
# as taken (each try waits a little longer, at random, so that the survivors spread out).
DEADLOCK_RETRIES = 20


def _rounds(spec: SlotSpec) -> int:
    """How often an optimistic attempt may look again after losing a race: each loss means
    a competitor took a member of a pool, so more rounds than members cannot help."""
    return 1 + min(8, max(len(pool.members) for pool in spec.pools))


def _insert(plan: _Plan, slot, resources: dict[tuple[str, int], int], *, by: User,
            key: str | None, replacing: Booking | None) -> Booking:
    spec = plan.spec
    booking = Booking.objects.create(
        section=spec.section, centre=spec.centre, booth=slot.booth, start=slot.start,
        end=slot.end, title=plan.title, created_by=by, idempotency_key=key or None,
        rescheduled_from=replacing)
    Participant.objects.bulk_create(_participants(plan, booking, slot.staff))
    held_until = slot.end + dt.timedelta(minutes=spec.schedule.buffer_minutes)
    targets = [("person", slot.staff.pk)] + [("person", u.pk) for u in plan.others]
    if slot.booth is not None:
        targets.insert(0, ("booth", slot.booth.pk))
    # In resource order: two attempts that wait for each other's rows wait in one order.
    Allocation.objects.bulk_create(
        Allocation(booking=booking, resource_id=rid, start=slot.start, end=held_until)
        for rid in sorted(resources[t] for t in targets))
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
                    checked = check_start(spec, plan.start)
                if checked.slot is None:
                    raise _Taken(checked.blocked)
                slot = checked.slot
                if plan.resident is not None and _resident_busy(
                        plan.resident, slot.start, slot.end, replacing):
                    raise _Taken(who=_("区民の方（別の予約あり）"))
                booking = _insert(plan, slot, resources, by=by, key=key, replacing=replacing)
                if replacing is not None:
                    Booking.objects.filter(pk=replacing.pk).update(
                        status=BookingStatus.CANCELLED, cancelled_at=timezone.now(),
                        cancelled_by=by, cancel_reason=reason)
                transaction.on_commit(partial(_notify, booking.pk, change))
                return booking
        except _Taken as taken:
            code = "taken" if taken.who is None and replacing is None else "unavailable"
            raise _unavailable(spec, taken.pools, plan.start, code=code, who=taken.who,
                               calendars=checked.calendars if checked else None) from None
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


# --- services ---------------------------------------------------------------------------


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
                           calendars=checked.calendars)
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
            transaction.on_commit(partial(_notify, locked.pk, "cancelled"))
    return locked


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


# --- one resource of a registered kind for a given time (rooms, equipment) --------------


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
