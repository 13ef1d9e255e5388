"""Reads of the section's review: the inbox, the clock (open days elapsed, paused while
the section waits for the resident) and the overdue list. Each list is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from madoguchi.accounts.policy import Action
from madoguchi.applications.models import (
    DRAFT,
    Application,
    ApplicationEvent,
)
from madoguchi.applications.selectors._common import (
    RELATED,
    audit_list,
    staff_queryset,
)
from madoguchi.core import opendays
from madoguchi.core.paging import PAGE_SIZE, Pager, offset_page

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

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
