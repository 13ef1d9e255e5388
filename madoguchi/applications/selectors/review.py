"""Reads of applications. Every read of an application (detail) or list of them writes the
audit trail: one entry per application shown, with the route name as source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from madoguchi.accounts.policy import Action
from madoguchi.applications.access import application_scope
from madoguchi.applications.models import (
    DRAFT,
    Application,
    ApplicationEvent,
    Delivery,
    Notice,
)
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core import opendays
from madoguchi.core.paging import PAGE_SIZE, Pager, offset_page

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.portal.models import PortalIdentity

RELATED = ("version__procedure", "version__section_kind", "section", "district__region",
           "resident", "centre__district")


def _resident_ref(application: Application) -> str:
    resident = application.resident if application.resident_id else None
    return str(resident.public_id) if resident is not None else ""


def audit_list(*, user: User | None, applications: list[Application], source: str,
               identity: PortalIdentity | None = None) -> None:
    audit.record_many(actor=user, action=AuditAction.LIST, record_type="application",
                      records=[(str(a.public_id), _resident_ref(a)) for a in applications],
                      source=source,
                      portal_ref=str(identity.public_id) if identity else "")


def audit_view(*, user: User | None, application: Application, source: str,
               identity: PortalIdentity | None = None) -> None:
    audit.record(actor=user, action=AuditAction.VIEW, record_type="application",
                 record_id=str(application.public_id), resident_ref=_resident_ref(application),
                 source=source, portal_ref=str(identity.public_id) if identity else "")


# ── staff ──────────────────────────────────────────────────────────────────────────────


def staff_queryset(user: User, action: Action = Action.APPLICATION_VIEW
                   ) -> QuerySet[Application]:
    return Application.objects.filter(application_scope(user, action)).select_related(*RELATED)


def staff_get(*, user: User, public_id, source: str,
              action: Action = Action.APPLICATION_VIEW) -> Application:
    """One application ``user`` may take ``action`` on, audited as a view; 404 when it
    does not exist or is out of scope (no hint that it exists)."""
    application = staff_queryset(user, action).filter(public_id=public_id).first()
    if application is None:
        raise Http404
    audit_view(user=user, application=application, source=source)
    return application


def inbox_rows(*, user: User, status: str | None = None, final: bool = False,
               procedure: str | None = None) -> QuerySet[Application]:
    """Received applications of the user's sections, oldest first (drafts never appear).
    ``final`` lists the finished ones instead of the open ones; ``procedure`` (a code)
    keeps those of one procedure."""
    rows = (staff_queryset(user, Action.APPLICATION_REVIEW).exclude(status=DRAFT)
            .filter(closed_at__isnull=not final).order_by("submitted_at", "pk"))
    if status:
        rows = rows.filter(status=status)
    if procedure:
        rows = rows.filter(version__procedure__code=procedure)
    return rows


def inbox(*, user: User, source: str, query=None, status: str | None = None,
          final: bool = False, procedure: str | None = None, size: int = PAGE_SIZE) -> Pager:
    """One page (``query``: the request's GET) of ``inbox_rows``, audited."""
    pager = offset_page(inbox_rows(user=user, status=status, final=final,
                                   procedure=procedure), query, size=size)
    audit_list(user=user, applications=pager.rows, source=source)
    return pager


def staff_drafts(*, user: User, source: str) -> list[Application]:
    """Drafts the staff member started and has not submitted yet."""
    rows = list(Application.objects.filter(created_by=user, status=DRAFT)
                .select_related(*RELATED).order_by("-updated_at")[:50])
    audit_list(user=user, applications=rows, source=source)
    return rows


# ── the clock ──────────────────────────────────────────────────────────────────────────


def paused_intervals(application: Application, events: list[ApplicationEvent] | None = None
                     ) -> list[tuple[dt.date, dt.date | None]]:
    """Local-date intervals during which the application waited for the resident (a status
    with ``pauses_clock``), from its history (``events``: its status changes, if loaded)."""
    from django.utils import timezone

    spec = application.version.workflow_spec
    pausing = {s.code for s in spec.statuses if s.pauses_clock}
    if events is None:
        events = list(application.events.filter(to_status__gt="").order_by("at", "pk"))
    intervals: list[tuple[dt.date, dt.date | None]] = []
    start: dt.date | None = None
    for event in events:
        day = timezone.localdate(event.at)
        if event.to_status in pausing and start is None:
            start = day
        elif event.to_status not in pausing and start is not None:
            intervals.append((start, day))
            start = None
    if start is not None:
        intervals.append((start, None))
    return intervals


def elapsed_open_days(application: Application, today: dt.date, *,
                      events: list[ApplicationEvent] | None = None,
                      days: opendays.OpenDays | None = None) -> int:
    """Open days since receipt, not counting days spent waiting for the resident: two
    subtractions in the open-day calendar per interval. ``events`` and ``days`` (the
    calendar) may be given when loaded already (lists: see ``elapsed_for``)."""
    from django.utils import timezone

    if application.submitted_at is None:
        return 0
    end = today
    if application.closed_at is not None:
        end = min(end, timezone.localdate(application.closed_at))
    start = timezone.localdate(application.submitted_at)
    if days is None or not days.covers(start, max(start, end)):
        days = opendays.calendar(start, max(start, end))
    elapsed = days.between(start, end)
    for begin, stop in paused_intervals(application, events):
        elapsed -= days.between(begin, min(stop or end, end))
    return max(elapsed, 0)


def elapsed_for(applications: list[Application], today: dt.date) -> dict[int, int]:
    """``elapsed_open_days`` of many applications in two queries (their status changes and
    the calendar's exceptions), by application pk."""
    from django.utils import timezone

    received = [a for a in applications if a.submitted_at is not None]
    if not received:
        return {a.pk: 0 for a in applications}
    first = min(timezone.localdate(a.submitted_at) for a in received)
    days = opendays.calendar(first, max(first, today))
    events: dict[int, list[ApplicationEvent]] = {a.pk: [] for a in received}
    for event in (ApplicationEvent.objects.filter(application__in=received, to_status__gt="")
                  .order_by("at", "pk")):
        events[event.application_id].append(event)
    result = {a.pk: 0 for a in applications}
    for application in received:
        result[application.pk] = elapsed_open_days(application, today,
                                                   events=events[application.pk], days=days)
    return result


@dataclass(frozen=True)
class OverdueRow:
    application: Application
    elapsed: int  # open days counted
    standard: int  # the procedure's standard processing days
    over: int  # open days over the standard


def waiting_for_resident() -> Q:
    """Applications in a status that stops the clock in their own version's workflow (a
    correction asked for), as one condition over (version, status): lists filter on it in
    the database instead of parsing each row's workflow."""
    from madoguchi.procedures.models import ProcedureVersion

    by_codes: dict[tuple[str, ...], list[int]] = {}
    for version in ProcedureVersion.objects.only("pk", "workflow"):
        codes = tuple(sorted(s.code for s in version.workflow_spec.statuses
                             if s.pauses_clock))
        if codes:
            by_codes.setdefault(codes, []).append(version.pk)
    condition = Q(pk__in=[])
    for codes, versions in by_codes.items():
        condition |= Q(version_id__in=versions, status__in=codes)
    return condition


def overdue(*, user: User, today: dt.date, source: str, query=None,
            size: int = PAGE_SIZE) -> Pager:
    """One page of the open applications of the manager's sections past their standard
    processing days, counted in open days (weekends, holidays, 年末年始 and waiting for
    the resident not counted), earliest due date (most overdue) first.

    Past its due date (``due_on``, the day the standard open days after receipt have
    passed) is necessary for being overdue, so the database selects and orders by it (an
    index serves it); the page's rows then get their exact open days from the calendar,
    and those a wait for the resident brought back within the standard are left out."""
    rows = (staff_queryset(user, Action.APPLICATION_OVERDUE).exclude(status=DRAFT)
            .filter(closed_at__isnull=True, version__processing_days__gt=0,
                    due_on__lt=today)
            .exclude(waiting_for_resident())
            .order_by("due_on", "submitted_at", "pk"))
    pager = offset_page(rows, query, size=size)
    elapsed_by_pk = elapsed_for(pager.rows, today)
    result = []
    for application in pager.rows:
        if application.status_spec and application.status_spec.pauses_clock:
            continue
        elapsed = elapsed_by_pk[application.pk]
        standard = application.version.processing_days
        if elapsed > standard:
            result.append(OverdueRow(application, elapsed, standard, elapsed - standard))
    result.sort(key=lambda row: (-row.over, row.application.submitted_at))
    audit_list(user=user, applications=[r.application for r in result], source=source)
    pager.rows = result
    return pager


# ── residents (portal) ────────────────────────────────────────────────────────────────


def with_pending_post(rows: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate whether a notice waits to be printed and posted (``awaiting_post``)."""
    return rows.annotate(pending_post=Exists(Notice.objects.filter(
        application=OuterRef("pk"), delivery=Delivery.POST, printed_at__isnull=True)))


def for_identity(*, identity: PortalIdentity, source: str) -> list[Application]:
    """All of a resident's online applications and drafts, newest first."""
    rows = list(with_pending_post(Application.objects.filter(identity=identity))
                .select_related(*RELATED).order_by("-updated_at", "-pk"))
    audit_list(user=None, identity=identity, applications=rows, source=source)
    return rows


def identity_get(*, identity: PortalIdentity, public_id, source: str) -> Application:
    application = (Application.objects.select_related(*RELATED)
                   .filter(public_id=public_id, identity=identity).first())
    if application is None:
        raise Http404
    audit_view(user=None, identity=identity, application=application, source=source)
    return application


def history(application: Application, *, public_only: bool) -> list[ApplicationEvent]:
    events = application.events.select_related("actor").order_by("at", "pk")
    if public_only:
        events = events.filter(public=True)
    return list(events)
