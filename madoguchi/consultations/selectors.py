"""Reads of consultations. Every read that shows a consultation is audited (record type
``consultation``, the resident's public id as ``resident_ref``); lists are fetched in a
fixed number of queries and bounded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from madoguchi.accounts.policy import Action, has_role_for
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import access, routing
from madoguchi.consultations.models import (
    Category,
    Consultation,
    ConsultationEvent,
    FollowUp,
    OnlineService,
    RoutingRule,
    StatEvent,
    Urgency,
)
from madoguchi.consultations.workflow import OPEN
from madoguchi.core import opendays
from madoguchi.organisation.models import DistrictCentre, Section, SectionKind
from madoguchi.organisation.selectors import section_serving

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

INBOX_LIMIT = 100
RECORD = "consultation"

URGENCY_ORDER = Case(When(urgency=Urgency.URGENT, then=Value(0)),
                     When(urgency=Urgency.SOON, then=Value(1)),
                     default=Value(2), output_field=IntegerField())


@dataclass
class InboxResult:
    rows: list[Consultation] = field(default_factory=list)
    more: bool = False
    closed: bool = False  # True when completed and cancelled ones are included
    page: int = 1


def _base():
    return Consultation.objects.select_related(
        "resident__district__region", "centre__district__region", "section__kind",
        "proposed_section__kind", "proposed_online_section", "received_by", "booking")


def inbox(*, user: User, source: str, closed: bool = False,
          limit: int = INBOX_LIMIT, page: int = 1) -> InboxResult:
    """The consultations the user works on: a section's incoming ones, a centre's own,
    a partner's; open ones first by urgency and age (at most ``limit``, from the
    ``page``-th group of ``limit``)."""
    if not has_role_for(user, Action.CONSULTATION_VIEW):
        raise PermissionDenied
    rows = _base().filter(access.consultation_scope(user))
    rows = rows.exclude(status__in=OPEN) if closed else rows.filter(status__in=OPEN)
    order = ["-received_at", "-pk"] if closed else [URGENCY_ORDER, "received_at", "pk"]
    start = (max(page, 1) - 1) * limit
    found = list(rows.order_by(*order)[start:start + limit + 1])
    shown = found[:limit]
    today = timezone.localdate()
    received = [timezone.localdate(row.received_at) for row in shown]
    days = opendays.calendar(*received, today)  # open days waited: one subtraction each
    for row, day in zip(shown, received, strict=True):
        row.waiting_days = days.between(day, today)
    audit.record_many(actor=user, action=AuditAction.LIST, record_type=RECORD,
                      records=[(c.pk, c.resident.public_id) for c in shown], source=source)
    return InboxResult(rows=shown, more=len(found) > limit, closed=closed, page=page)


def visible_consultation(*, user: User, public_id: uuid.UUID | str,
                         action: Action = Action.CONSULTATION_VIEW) -> Consultation:
    """Locate a consultation without showing it (not audited): 404 outside the user's
    scope, so that its existence is not revealed; 403 when the role may not act."""
    if not has_role_for(user, action):
        raise PermissionDenied
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    consultation = (_base().filter(public_id=public_id)
                    .filter(access.consultation_scope(user)).first())
    if consultation is None:
        raise Http404
    return consultation


def consultation_detail(*, user: User, public_id: uuid.UUID | str,
                        source: str) -> Consultation:
    """The record with its timeline, outcome and follow-ups; audited as a view."""
    consultation = visible_consultation(user=user, public_id=public_id)
    consultation.timeline = list(
        ConsultationEvent.objects.filter(consultation=consultation)
        .select_related("actor", "section").order_by("at", "pk"))
    consultation.followup_list = list(
        FollowUp.objects.filter(consultation=consultation)
        .select_related("owner", "done_by").order_by("done_at", "due_date", "pk"))
    consultation.outcome_or_none = (
        consultation.outcome if hasattr(consultation, "outcome") else None)
    if consultation.outcome_or_none is not None:
        consultation.outcome_or_none = (type(consultation.outcome_or_none).objects
                                        .select_related("referred_to", "recorded_by")
                                        .get(pk=consultation.outcome_or_none.pk))
    return consultation_shown(user=user, consultation=consultation, source=source)


def consultation_shown(*, user: User, consultation: Consultation, source: str) -> Consultation:
    """Audit a page that shows ``consultation`` (the record, or a transition's page with the
    resident's name) as a view."""
    audit.record(actor=user, action=AuditAction.VIEW, record_type=RECORD,
                 record_id=consultation.pk, resident_ref=str(consultation.resident.public_id),
                 source=source)
    return consultation


def visible_followup(*, consultation: Consultation, followup_id: int) -> FollowUp:
    followup = (FollowUp.objects.select_related("consultation__centre", "owner")
                .filter(pk=followup_id, consultation=consultation).first())
    if followup is None:
        raise Http404
    return followup


def _of_booking(booking_id: int):
    """The consultations a booking belongs to (now, or before a new booking replaced it)."""
    return Consultation.objects.filter(
        Q(booking_id=booking_id) | Q(events__booking_id=booking_id)).distinct()


def booking_consultation_visible(*, user: User, booking_id: int) -> bool:
    """Whether ``user`` may see a consultation the booking belongs to (for meetings: who
    may list and play the call's recordings)."""
    return _of_booking(booking_id).filter(access.consultation_scope(user)).exists()


def booking_resident_ref(*, booking_id: int) -> str:
    """The public id of the resident whose consultation the booking is (for the audit
    trail of what happens in its call), or ``""``."""
    consultation = _of_booking(booking_id).select_related("resident").first()
    return str(consultation.resident.public_id) if consultation is not None else ""


def route_choices(consultation: Consultation) -> list[Section]:
    """Sections the consultation can be routed to: each kind online at its centre,
    resolved to the section that serves the resident."""
    kinds = (SectionKind.objects.filter(
        pk__in=OnlineService.objects.filter(centre=consultation.centre, enabled=True,
                                            since__lte=timezone.localdate())
        .values("section_kind_id")).order_by("sort_order", "code"))
    choices = []
    for kind in kinds:
        section = routing.section_for(kind, consultation.resident)
        if section is not None:
            choices.append(section)
    return choices


def routing_rules() -> list[RoutingRule]:
    return list(RoutingRule.objects.select_related("section_kind")
                .order_by("category", "-priority", "pk"))


@dataclass
class OnlineRow:
    centre: DistrictCentre
    cells: list[tuple[SectionKind, OnlineService | None]]


def online_matrix() -> tuple[list[SectionKind], list[OnlineRow]]:
    """Centres × routable section kinds with their online service (3 queries)."""
    kinds = list(SectionKind.objects.filter(tier__in=routing.ROUTABLE_TIERS)
                 .exclude(tier="partner").order_by("sort_order", "code"))
    services = {(s.centre_id, s.section_kind_id): s for s in OnlineService.objects.all()}
    centres = DistrictCentre.objects.select_related("district__region").order_by(
        "district__region__sort_order", "district__sort_order")
    rows = [OnlineRow(centre, [(kind, services.get((centre.pk, kind.pk))) for kind in kinds])
            for centre in centres]
    return kinds, rows


# ── statistics for dashboards (anonymous counts, no resident) ─────────────────────────


STAT_GROUPS = {"category": "category", "section_kind": "section__kind__code",
               "district": None}


def stat_counts(*, district_ids: list[int], start, end, kind: str, by: str = "district"
                ) -> dict[int, dict[str, int]]:
    """Anonymous statistics events of ``kind`` per district in [start, end), counted per
    ``by`` (``category``, ``section_kind`` code, or ``district``: one key ``total``). One
    query for all the districts; only aggregates leave this function."""
    group = STAT_GROUPS[by]
    rows = StatEvent.objects.filter(district_id__in=district_ids, kind=kind, at__gte=start,
                                    at__lt=end)
    fields = ["district_id", group] if group else ["district_id"]
    found: dict[int, dict[str, int]] = {}
    for row in rows.order_by().values(*fields).annotate(n=Count("pk")):
        key = str(row[group] or "") if group else "total"
        found.setdefault(row["district_id"], {})[key] = row["n"]
    return found


def category_labels() -> dict[str, str]:
    """The consultation categories' codes and labels (for statistics shown elsewhere)."""
    return {code: str(label) for code, label in Category.choices}


def _summary_rows(district_ids: list[int], start, end, *, by_month: bool = False):
    booked = Q(kind=StatEvent.Kind.BOOKED)
    rows = StatEvent.objects.filter(district_id__in=district_ids, at__gte=start, at__lt=end,
                                    kind__in=[StatEvent.Kind.INTAKE, StatEvent.Kind.BOOKED])
    group = ["district_id"]
    if by_month:
        rows = rows.annotate(month=TruncMonth("at"))
        group.append("month")
    return rows.order_by().values(*group).annotate(
        intake=Count("pk", filter=Q(kind=StatEvent.Kind.INTAKE)),
        booked=Count("pk", filter=booked),
        days_total=Sum("waiting_days", filter=booked),
        days_cases=Count("waiting_days", filter=booked))


def _summary(row) -> dict[str, int]:
    return {"intake": row["intake"], "booked": row["booked"],
            "waiting_days": row["days_total"] or 0, "waiting_cases": row["days_cases"]}


def stat_summary(*, district_ids: list[int], start, end) -> dict[int, dict[str, int]]:
    """Per district in [start, end), in one pass over the statistics events: consultations
    taken (``intake``), video consultations booked (``booked``) and the waiting days of
    the bookings that have one (``waiting_days`` total, ``waiting_cases``)."""
    return {row["district_id"]: _summary(row)
            for row in _summary_rows(district_ids, start, end)}


def stat_summary_by_month(*, district_ids: list[int], start, end
                          ) -> dict[int, dict[int, dict[str, int]]]:
    """``stat_summary`` per calendar month (in the ward's time zone) in one query:
    ``{month: {district_id: {...}}}``."""
    found: dict[int, dict[int, dict[str, int]]] = {}
    for row in _summary_rows(district_ids, start, end, by_month=True):
        found.setdefault(row["month"].month, {})[row["district_id"]] = _summary(row)
    return found


def topic_section(*, category: str, district) -> Section | None:
    """The section that takes a consultation of ``category`` booked by a resident of
    ``district`` themself (ADR 0049): the unit of the highest-priority active routing rule
    of the category that has no keywords (a resident's topic says no more than its
    category) and whose kind has an active unit serving the district."""
    rules = (RoutingRule.objects.filter(active=True, category=category, keywords="")
             .select_related("section_kind").order_by("-priority", "pk"))
    for rule in rules:
        section = section_serving(rule.section_kind, district)
        if section is not None:
            return section
    return None


def open_on_topic(*, resident, category: str) -> Consultation | None:
    """The resident's open consultation of ``category``, if any."""
    return (Consultation.objects.filter(resident=resident, category=category,
                                        status__in=OPEN).order_by("pk").first())
