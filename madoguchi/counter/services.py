"""Writes of the counter: tickets, calls, transfers, the log, reception tablet keys.

Each is one ``transaction.atomic``; the row two clerks can race for is locked or changed
with a conditional update, so exactly one of them wins; the call display hears of the
change after the commit (``live``). A refusal raises ``CounterError`` with its Japanese
message and leaves nothing saved.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.dates import day_text
from madoguchi.core.tokens import digest
from madoguchi.counter import appointments, errors, live, selectors
from madoguchi.counter.appointments import Appointment
from madoguchi.counter.errors import CheckedIn, CounterError
from madoguchi.counter.models import (
    Counter,
    Office,
    ReceptionKiosk,
    RecordSource,
    ServiceRecord,
    Ticket,
    TicketSequence,
    TicketSource,
    TicketStatus,
    WindowService,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

TOKEN_BYTES = 24
KEY_BYTES = 32


def _require(user: User | None, action: Action, office: Office) -> None:
    if user is not None and not can(user, action, office):
        raise PermissionDenied(_("この窓口の操作をする権限がありません。"))


# ── tickets ──────────────────────────────────────────────────────────────────────────────

def ticket_issue(*, office: Office, service: WindowService, source: TicketSource,
                 by: User | None = None, now: dt.datetime | None = None) -> Ticket:
    """The next number of ``service`` today. The day's sequence row is locked while the
    number is taken: numbers are unique and without gaps per service and day."""
    _require(by, Action.COUNTER_SERVE, office)
    _issuable(office, service)
    now = now or timezone.now()
    with transaction.atomic():
        return _issue(office=office, service=service, source=source, by=by, now=now)


def _issuable(office: Office, service: WindowService) -> None:
    if not office.is_active:
        raise CounterError(errors.OFFICE_CLOSED, "office_closed")
    if service.office_id != office.pk:
        raise CounterError(errors.OTHER_OFFICE, "other_office")
    if not service.is_active:
        raise CounterError(errors.SERVICE_CLOSED, "service_closed")


def _lock_sequence(service: WindowService, day: dt.date) -> TicketSequence:
    TicketSequence.objects.get_or_create(service=service, day=day)
    return TicketSequence.objects.select_for_update().get(service=service, day=day)


def _issue(*, office: Office, service: WindowService, source: TicketSource, by: User | None,
           now: dt.datetime, appointment: Appointment | None = None,
           sequence: TicketSequence | None = None) -> Ticket:
    """Take the next number (in the caller's transaction) and write the ticket."""
    sequence = sequence or _lock_sequence(service, timezone.localdate(now))
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    booked = appointment.at if appointment is not None else None
    estimate = selectors.estimate_new(office, service, now=now, appointment_at=booked)
    ticket = Ticket.objects.create(
        token=secrets.token_urlsafe(TOKEN_BYTES), office=office, service=service,
        issued_service=service, day=sequence.day, number=sequence.last_number, source=source,
        issued_at=now, queued_at=booked or now, estimate_seconds=estimate, issued_by=by,
        appointment_key=appointment.key if appointment is not None else None,
        appointment_at=booked,
        appointment_label=appointment.label[:120] if appointment is not None else "")
    live.publish_after_commit(office.pk)
    return ticket


def appointment_check_in(*, office: Office, key: str, by: User | None = None,
                         now: dt.datetime | None = None) -> Ticket:
    """A booked appointment (``counter.appointments``) checks in at the reception: a
    ticket of its service that waits at its booked time (called before walk-ins once that
    time has come). Only today's appointments; one ticket per appointment (a second
    check-in, also a concurrent one, is refused with the first ticket's number)."""
    _require(by, Action.COUNTER_SERVE, office)
    now = now or timezone.now()
    found = appointments.find(office, key)
    if found is None:
        raise CounterError(errors.APPOINTMENT_UNKNOWN, "appointment_unknown")
    day = timezone.localdate(now)
    booked_day = timezone.localdate(found.at)
    if booked_day != day:
        shown = day_text(booked_day, weekday=True)
        raise CounterError(errors.APPOINTMENT_OTHER_DAY % {"day": shown}, "appointment_other_day")
    service = WindowService.objects.filter(office=office, code=found.service).first()
    if service is None:
        raise CounterError(errors.APPOINTMENT_NO_SERVICE, "appointment_no_service")
    _issuable(office, service)
    _refuse_checked_in(found.key)
    try:
        with transaction.atomic():
            # The sequence lock also orders two check-ins of the same appointment: the
            # second one sees the first one's ticket here.
            sequence = _lock_sequence(service, day)
            _refuse_checked_in(found.key)
            return _issue(office=office, service=service, source=TicketSource.APPOINTMENT,
                          by=by, now=now, appointment=found, sequence=sequence)
    except IntegrityError:
        # The unique key caught a race the lock did not (another service's sequence).
        _refuse_checked_in(found.key)
        raise


def _refuse_checked_in(key: str) -> None:
    earlier = Ticket.objects.select_related("issued_service").filter(appointment_key=key).first()
    if earlier is not None:
        raise CheckedIn(earlier)


def _today_or_refuse(ticket: Ticket) -> None:
    if ticket.day != selectors.today():
        raise CounterError(errors.NOT_TODAY, "not_today")


def _finish_current(counter: Counter, now: dt.datetime) -> None:
    """The counter's ticket being served is done (calling the next one ends it)."""
    current = (Ticket.objects.select_for_update()
               .filter(counter=counter, status=TicketStatus.CALLED).first())
    if current is not None:
        _serve(current, counter, now)


def _serve(ticket: Ticket, counter: Counter, now: dt.datetime) -> None:
    called = ticket.called_at or now
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.SERVED, finished_at=now)
    ServiceRecord.objects.create(
        office_id=ticket.office_id, service_id=ticket.service_id, counter=counter,
        ticket=ticket, day=ticket.day, served_at=now, source=RecordSource.TICKET,
        wait_seconds=max(0, round((called - ticket.issued_at).total_seconds())),
        handling_seconds=max(0, round((now - called).total_seconds())),
        recorded_by=ticket.called_by)


def _call_payload(ticket: Ticket, counter: Counter) -> dict:
    return {"label": ticket.label, "counter": counter.number}


def call_next(*, counter: Counter, by: User, now: dt.datetime | None = None) -> Ticket:
    """「次の方」: the counter's current ticket is done; the waiting ticket of the highest
    service priority, then a checked-in appointment whose time has come, then the earliest
    (``selectors.queue_order``), among the counter's services is called. Two
    clerks calling at once get different tickets (rows locked, locked ones skipped)."""
    _require(by, Action.COUNTER_SERVE, counter.office)
    if not Counter.objects.filter(pk=counter.pk, is_open=True).exists():
        raise CounterError(errors.COUNTER_CLOSED, "counter_closed")
    now = now or timezone.now()
    with transaction.atomic():
        _finish_current(counter, now)
        for _attempt in range(5):
            candidates = (Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                          .select_related("issued_service")
                          .filter(office_id=counter.office_id, day=timezone.localdate(now),
                                  status=TicketStatus.WAITING,
                                  service__in=counter.services.all())
                          .filter(Q(for_counter__isnull=True) | Q(for_counter=counter)))
            ticket = selectors.queue_order(candidates, now).first()
            if ticket is None:
                break
            if _mark_called(ticket, counter, by, now):
                live.publish_after_commit(counter.office_id,
                                          call=_call_payload(ticket, counter))
                return ticket
        # nothing saved: the counter's current ticket stays as it was
        transaction.set_rollback(True)
    raise CounterError(errors.NOBODY_WAITING, "nobody_waiting")


def _mark_called(ticket: Ticket, counter: Counter, by: User, now: dt.datetime) -> bool:
    """WAITING → CALLED, only if it is still waiting: the one update that wins."""
    won = Ticket.objects.filter(pk=ticket.pk, status=TicketStatus.WAITING).update(
        status=TicketStatus.CALLED, counter=counter, called_at=now, called_by=by,
        call_count=1, for_counter=None)
    if won:
        ticket.status, ticket.counter, ticket.called_at = TicketStatus.CALLED, counter, now
    return bool(won)


def call_ticket(*, counter: Counter, ticket: Ticket, by: User,
                now: dt.datetime | None = None) -> Ticket:
    """Call one ticket by its number (a clerk picks it). Exactly one clerk wins."""
    _require(by, Action.COUNTER_SERVE, counter.office)
    if ticket.office_id != counter.office_id:
        raise CounterError(errors.OTHER_OFFICE, "other_office")
    _today_or_refuse(ticket)
    now = now or timezone.now()
    with transaction.atomic():
        if ticket.status != TicketStatus.WAITING or not _mark_called(ticket, counter, by, now):
            transaction.set_rollback(True)
            raise CounterError(errors.TAKEN, "taken")
        _finish_other(counter, ticket, now)
        live.publish_after_commit(counter.office_id, call=_call_payload(ticket, counter))
    return ticket


def _finish_other(counter: Counter, called: Ticket, now: dt.datetime) -> None:
    other = (Ticket.objects.select_for_update().filter(counter=counter, status=TicketStatus.CALLED)
             .exclude(pk=called.pk).first())
    if other is not None:
        _serve(other, counter, now)


def _called_here(ticket: Ticket, counter: Counter) -> Ticket:
    _today_or_refuse(ticket)
    locked = Ticket.objects.select_for_update().select_related("issued_service").get(pk=ticket.pk)
    if locked.status != TicketStatus.CALLED or locked.counter_id != counter.pk:
        raise CounterError(errors.NOT_CALLED_HERE, "not_called_here")
    return locked


def call_again(*, counter: Counter, ticket: Ticket, by: User) -> Ticket:
    """「もう一度呼ぶ」: the display calls the same number again."""
    _require(by, Action.COUNTER_SERVE, counter.office)
    with transaction.atomic():
        locked = _called_here(ticket, counter)
        locked.call_count += 1
        locked.save(update_fields=["call_count"])
        live.publish_after_commit(counter.office_id, call=_call_payload(locked, counter))
    return locked


def mark_absent(*, counter: Counter, ticket: Ticket, by: User,
                now: dt.datetime | None = None) -> Ticket:
    """「不在」: called and nobody came. Not counted in the log."""
    _require(by, Action.COUNTER_SERVE, counter.office)
    with transaction.atomic():
        locked = _called_here(ticket, counter)
        Ticket.objects.filter(pk=locked.pk).update(status=TicketStatus.ABSENT,
                                                   finished_at=now or timezone.now())
        live.publish_after_commit(counter.office_id)
    locked.refresh_from_db()
    return locked


def finish(*, counter: Counter, ticket: Ticket, by: User,
           now: dt.datetime | None = None) -> Ticket:
    """「完了」: served; the log records service, counter, wait and handling time."""
    _require(by, Action.COUNTER_SERVE, counter.office)
    with transaction.atomic():
        locked = _called_here(ticket, counter)
        _serve(locked, counter, now or timezone.now())
        live.publish_after_commit(counter.office_id)
    locked.refresh_from_db()
    return locked


def transfer(*, counter: Counter, ticket: Ticket, by: User,
             service: WindowService | None = None, to_counter: Counter | None = None) -> Ticket:
    """「ほかの窓口・サービスへ」: the ticket waits again, keeping its place in the queue
    (so it is called first), for another service and/or only at another counter."""
    _require(by, Action.COUNTER_SERVE, counter.office)
    if service is None and to_counter is None:
        raise CounterError(errors.TRANSFER_NOWHERE, "transfer_nowhere")
    for other in (service, to_counter):
        if other is not None and other.office_id != counter.office_id:
            raise CounterError(errors.OTHER_OFFICE, "other_office")
    with transaction.atomic():
        locked = _called_here(ticket, counter)
        service = service or locked.service
        if to_counter is not None and not to_counter.services.filter(pk=service.pk).exists():
            raise CounterError(errors.TRANSFER_NOT_SERVED, "transfer_not_served")
        Ticket.objects.filter(pk=locked.pk).update(
            status=TicketStatus.WAITING, service=service, for_counter=to_counter,
            counter=None, called_at=None, called_by=None, call_count=0)
        live.publish_after_commit(counter.office_id)
    locked.refresh_from_db()
    return locked


def counter_set_open(*, counter: Counter, is_open: bool, by: User) -> Counter:
    """Open or close a counter (the estimate counts open counters only). A counter with a
    ticket being served is closed only after that ticket is done."""
    _require(by, Action.COUNTER_SERVE, counter.office)
    with transaction.atomic():
        locked = Counter.objects.select_for_update().get(pk=counter.pk)
        if not is_open and Ticket.objects.filter(counter=locked,
                                                 status=TicketStatus.CALLED).exists():
            raise CounterError(_("対応中の番号札を終えてから閉じてください。"), "serving")
        locked.is_open = is_open
        locked.save(update_fields=["is_open"])
        live.publish_after_commit(counter.office_id)
    return locked


def office_configure(*, office: Office, by: User, services: dict[int, dict],
                     counters: dict[int, set[int]]) -> None:
    """Set each service's expected minutes, priority and whether it takes tickets, and
    which services each counter serves; all or nothing. ``services``: {service pk:
    {"minutes": int, "priority": int, "active": bool}}; ``counters``: {counter pk: {service
    pk, …}}."""
    _require(by, Action.COUNTER_SERVE, office)
    own = {s.pk: s for s in office.services.all()}
    desks = {c.pk: c for c in office.counters.all()}
    if set(services) - set(own) or set(counters) - set(desks) or any(
            chosen - set(own) for chosen in counters.values()):
        raise CounterError(errors.OTHER_OFFICE, "other_office")
    for values in services.values():
        if not 1 <= values["minutes"] <= 240:
            raise CounterError(_("標準の処理時間は1分から240分までで入力してください。"), "minutes")
        if not 1 <= values["priority"] <= 9:
            raise CounterError(_("優先順位は1から9までで入力してください。"), "priority")
    with transaction.atomic():
        for pk, values in services.items():
            WindowService.objects.filter(pk=pk).update(
                expected_seconds=values["minutes"] * 60, priority=values["priority"],
                is_active=values["active"])
        for pk, chosen in counters.items():
            desks[pk].services.set([own[s] for s in chosen])


# ── the log ──────────────────────────────────────────────────────────────────────────────

def record_manual(*, office: Office, service: WindowService, day: dt.date, quantity: int,
                  by: User, note: str = "") -> ServiceRecord:
    """A service done without a ticket (a lending at the door, a relay by phone)."""
    _require(by, Action.COUNTER_SERVE, office)
    if service.office_id != office.pk:
        raise CounterError(errors.OTHER_OFFICE, "other_office")
    if day > selectors.today():
        raise CounterError(_("先の日付には記録できません。"), "future")
    if not 1 <= quantity <= 999:
        raise CounterError(_("件数は1から999までで入力してください。"), "quantity")
    with transaction.atomic():
        return ServiceRecord.objects.create(
            office=office, service=service, day=day, quantity=quantity, note=note[:200],
            served_at=timezone.now(), source=RecordSource.MANUAL, recorded_by=by)


# ── the reception tablet ─────────────────────────────────────────────────────────────────

def kiosk_key_issue(*, office: Office, by: User) -> tuple[ReceptionKiosk, str]:
    """A new key for the office's reception tablet (earlier ones revoked), shown once."""
    _require(by, Action.COUNTER_SERVE, office)
    key = secrets.token_urlsafe(KEY_BYTES)
    now = timezone.now()
    with transaction.atomic():
        ReceptionKiosk.objects.filter(office=office, revoked_at__isnull=True).update(
            revoked_at=now)
        kiosk = ReceptionKiosk.objects.create(office=office, key_hash=digest(key), created_by=by)
    return kiosk, key


def kiosk_for_key(key: str | None) -> ReceptionKiosk:
    kiosk = (ReceptionKiosk.objects.select_related("office")
             .filter(key_hash=digest(key or ""), revoked_at__isnull=True).first())
    if kiosk is None or not key or not kiosk.office.is_active:
        raise CounterError(errors.KIOSK_UNKNOWN, "kiosk_unknown")
    return kiosk
