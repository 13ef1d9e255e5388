"""Reads of the counter: offices a user serves, queues, estimates, the display, the log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from madoguchi.accounts.policy import Action, can
from madoguchi.counter import appointments, estimator
from madoguchi.counter.models import (
    Counter,
    Office,
    ServiceGroup,
    ServiceRecord,
    Ticket,
    TicketStatus,
    WindowService,
    in_language,
)

DISPLAY_CALLS = 8  # numbers on the call display
RECENT_DAYS = 30  # handling times older than this are not "recent"
# A checked-in appointment whose time has come is placed this far before its booked time,
# so that it comes before every walk-in of the day (the estimator's "place").
DUE_AHEAD = 86400.0


def today() -> dt.date:
    return timezone.localdate()


def offices_for(user, action: Action = Action.COUNTER_SERVE) -> list[Office]:
    offices = Office.objects.select_related("centre__district", "section").filter(is_active=True)
    return [o for o in offices if can(user, action, o)]


def office_get(code: str) -> Office:
    try:
        return Office.objects.select_related("centre__district", "section").get(code=code)
    except Office.DoesNotExist:
        raise Http404 from None


def office_of_centre(centre_id: int) -> Office | None:
    """The active walk-in office of a district centre, if it has one (for signage)."""
    return Office.objects.filter(centre_id=centre_id, is_active=True).first()


def services_of(office: Office, *, active_only: bool = True) -> list[WindowService]:
    qs = office.services.all()
    return list(qs.filter(is_active=True) if active_only else qs)


def takes_moves(office: Office) -> bool:
    """Whether ``office`` takes 住民異動の届出 now (an active window service counted in the
    registration group of 別表2): the くみん窓口 in the default data (for the flyers' panel)."""
    return office.services.filter(is_active=True, group=ServiceGroup.REGISTRATION).exists()


def centre_services(centre_id: int) -> list[WindowService]:
    """The window services a district centre's office takes now (its public list: what
    the centre does at the counter, e.g. for the district's flyer); none without an office."""
    return list(WindowService.objects.select_related("office")
                .filter(office__centre_id=centre_id, office__is_active=True, is_active=True)
                .order_by("sort_order", "code"))


def counters_of(office: Office) -> list[Counter]:
    return list(office.counters.prefetch_related("services"))


def current_ticket(counter: Counter) -> Ticket | None:
    return (Ticket.objects.select_related("issued_service", "service")
            .filter(counter=counter, status=TicketStatus.CALLED, day=today()).first())


def queue_order(tickets: QuerySet[Ticket], now: dt.datetime) -> QuerySet[Ticket]:
    """The order 「次の方」 calls in: service priority; then checked-in appointments whose
    booked time has come (``counter.appointments``: before walk-ins); then the place in the
    queue (an appointment's place is its booked time)."""
    return (tickets.annotate(not_due=Case(When(appointment_at__lte=now, then=Value(0)),
                                          default=Value(1), output_field=IntegerField()))
            .order_by("service__priority", "not_due", "queued_at", "pk"))


def queue_place(ticket: Ticket, now: dt.datetime) -> float:
    """The same order as a number, for the estimator."""
    place = ticket.queued_at.timestamp()
    if ticket.appointment_at is not None and ticket.appointment_at <= now:
        return place - DUE_AHEAD
    return place


def waiting(office: Office, day: dt.date | None = None) -> list[Ticket]:
    return list(queue_order(Ticket.objects.select_related("issued_service", "service")
                            .filter(office=office, day=day or today(),
                                    status=TicketStatus.WAITING), timezone.now()))


def appointments_today(office: Office) -> list[dict]:
    """Today's bookings at the office (every registered source) and each one's ticket once
    it has checked in. Labels only: no personal data."""
    booked = appointments.for_day(office, today())
    tickets = {t.appointment_key: t for t in Ticket.objects.select_related("issued_service")
               .filter(appointment_key__in=[a.key for a in booked])}
    return [{"appointment": a, "ticket": tickets.get(a.key),
             "time": timezone.localtime(a.at)} for a in booked]


# ── estimate ─────────────────────────────────────────────────────────────────────────────

def handling_times(office: Office, *, now: dt.datetime | None = None) -> dict[int, float]:
    """Each service's handling time (estimator.handling_time over its recent records)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    recent: dict[int, list[float]] = defaultdict(list)
    rows = (ServiceRecord.objects.filter(office=office, served_at__gte=since,
                                         handling_seconds__isnull=False)
            .order_by("service_id", "-served_at").values_list("service_id", "handling_seconds"))
    for service_id, seconds in rows:
        if seconds is not None and len(recent[service_id]) < estimator.RECENT:
            recent[service_id].append(float(seconds))
    return {s.pk: estimator.handling_time(list(reversed(recent[s.pk])), s.expected_seconds)
            for s in office.services.all()}


def _model(office: Office, now: dt.datetime):
    """The office's queue as the estimator sees it: (waiting, desks, handling)."""
    counters = [c for c in counters_of(office) if c.is_open]
    called = {t.counter_id: t for t in Ticket.objects.filter(
        office=office, day=timezone.localdate(now), status=TicketStatus.CALLED)}
    desk_index = {c.pk: i for i, c in enumerate(counters)}
    desks = []
    for c in counters:
        current = called.get(c.pk)
        desks.append(estimator.Desk(
            services=frozenset(str(s.pk) for s in c.services.all()),
            serving=str(current.service_id) if current else None,
            elapsed=(now - current.called_at).total_seconds()
            if current and current.called_at else 0.0))
    queue = {}
    for t in waiting(office, timezone.localdate(now)):
        queue[t.pk] = estimator.Waiting(
            service=str(t.service_id), priority=t.service.priority,
            place=queue_place(t, now),
            for_desk=desk_index.get(t.for_counter_id) if t.for_counter_id else None)
    handling = {str(k): v for k, v in handling_times(office, now=now).items()}
    return queue, desks, handling


def estimate_new(office: Office, service: WindowService, *, now: dt.datetime | None = None,
                 appointment_at: dt.datetime | None = None) -> int:
    """Seconds a ticket issued now for ``service`` (or an appointment of that time checking
    in now) would wait."""
    now = now or timezone.now()
    queue, desks, handling = _model(office, now)
    place = now.timestamp()
    if appointment_at is not None:
        place = appointment_at.timestamp() - (DUE_AHEAD if appointment_at <= now else 0.0)
    mine = estimator.Waiting(service=str(service.pk), priority=service.priority, place=place)
    return estimator.estimate(mine=mine, queue=queue.values(), desks=desks, handling=handling)


def ticket_get(token: str) -> Ticket:
    try:
        return (Ticket.objects.select_related("office", "service", "issued_service", "counter")
                .get(token=token))
    except Ticket.DoesNotExist:
        raise Http404 from None


def ticket_state(ticket: Ticket, *, now: dt.datetime | None = None) -> dict:
    """What the ticket page shows: status, people ahead, estimated wait. No one's name."""
    now = now or timezone.now()
    state = {"label": ticket.label, "status": ticket.status,
             "status_text": str(ticket.get_status_display()),
             "counter": ticket.counter.number if ticket.counter else None,
             "ahead": None, "wait_seconds": None, "wait_minutes": None,
             "today": ticket.day == timezone.localdate(now)}
    if ticket.status == TicketStatus.WAITING and state["today"]:
        queue, desks, handling = _model(ticket.office, now)
        mine = queue.get(ticket.pk)
        if mine is not None:
            seconds = estimator.estimate(mine=mine, queue=queue.values(), desks=desks,
                                         handling=handling)
            state.update(ahead=len(estimator.ahead_of(mine, queue.values(), desks)),
                         wait_seconds=seconds, wait_minutes=estimator.minutes(seconds))
    return state


def current_waits(office: Office) -> list[dict]:
    """Per service: people waiting and the wait of a ticket issued now (「0分」 when none)."""
    now = timezone.now()
    queue, desks, handling = _model(office, now)
    counts: dict[str, int] = defaultdict(int)
    for w in queue.values():
        counts[w.service] += 1
    out = []
    for s in services_of(office):
        mine = estimator.Waiting(service=str(s.pk), priority=s.priority, place=now.timestamp())
        seconds = estimator.estimate(mine=mine, queue=queue.values(), desks=desks,
                                     handling=handling)
        out.append({"service": s, "waiting": counts[str(s.pk)], "seconds": seconds,
                    "minutes": estimator.minutes(seconds)})
    return out


# ── call display ─────────────────────────────────────────────────────────────────────────

def display_state(office: Office) -> dict:
    """The call display's whole state (sent on connect and with every change)."""
    day = today()
    called = (Ticket.objects.select_related("issued_service", "counter")
              .filter(office=office, day=day, called_at__isnull=False,
                      status__in=[TicketStatus.CALLED, TicketStatus.SERVED])
              .order_by("-called_at")[:DISPLAY_CALLS])
    return {
        "office": office.name,
        "calls": [{"label": t.label, "counter": t.counter.number if t.counter else None,
                   "current": t.status == TicketStatus.CALLED,
                   "at": t.called_at.isoformat() if t.called_at else ""} for t in called],
        "waiting": Ticket.objects.filter(office=office, day=day,
                                         status=TicketStatus.WAITING).count(),
    }


# ── the log (窓口サービスの実績) ─────────────────────────────────────────────────────────────

def log_counts(office: Office, *, year: int, month: int | None = None) -> list[dict]:
    """Counts per 別表2 group and service, with mean wait and handling (seconds)."""
    return log_counts_for([office], year=year, month=month)


def log_counts_for(offices: list[Office], *, year: int, month: int | None = None
                   ) -> list[dict]:
    """``log_counts`` of several offices in one query (per office, group and service): the
    ward's figures for the district profile and the dashboard."""
    qs = ServiceRecord.objects.filter(office__in=offices, day__year=year)
    if month:
        qs = qs.filter(day__month=month)
    rows = (qs.values("office__name", "office__name_en", "office__code", "service__name",
                      "service__name_en", "service__group")
            .annotate(count=Sum("quantity"), tickets=Count("ticket"),
                      wait=Avg("wait_seconds"), handling=Avg("handling_seconds"))
            .order_by("office__code", "service__group", "service__sort_order", "service__name"))
    labels = dict(ServiceGroup.choices)
    return [{"office": in_language(r["office__name"], r["office__name_en"]),
             "group": labels.get(r["service__group"], r["service__group"]),
             "service": in_language(r["service__name"], r["service__name_en"]),
             "count": r["count"], "tickets": r["tickets"],
             "wait": round(r["wait"]) if r["wait"] is not None else None,
             "handling": round(r["handling"]) if r["handling"] is not None else None}
            for r in rows]
