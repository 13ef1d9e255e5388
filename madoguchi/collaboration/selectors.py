"""Reads of four-party collaboration. Every read of a record in full (not anonymised) is
audited like resident data; the anonymised version is not personal data.

``district_counts(district_id, fiscal_year)`` is the seam the district assessment reads.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.collaboration import access, privacy, services, workflow
from madoguchi.collaboration.models import (
    ActionItem,
    AgendaItem,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingStatus,
    RecordForm,
    SocialResource,
    TroubleRecord,
)
from madoguchi.core import opendays

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

RECORD = services.RECORD


def _records():
    return TroubleRecord.objects.select_related(
        "party__kind", "district__region", "theme", "owner", "resident", "form")


_specs: dict[int, object] = {}


def spec_of(form: RecordForm):
    if form.pk not in _specs:
        _specs[form.pk] = services.form_spec(form)
    return _specs[form.pk]


def _audit_full(user: User, views: list[privacy.RecordView], *, source: str,
                action: str = AuditAction.LIST) -> None:
    full = [v.record for v in views if v.full]
    if full:
        audit.record_many(actor=user, action=action, record_type=RECORD, source=source,
                          records=[(r.pk, r.resident.public_id if r.resident else "")
                                   for r in full])


def view_for(user: User, record: TroubleRecord) -> privacy.RecordView:
    return privacy.view_of(record, full=access.sees_in_full(user, record),
                           spec=spec_of(record.form))


def record_list(*, user: User, source: str, status: str = "", theme: str = "",
                limit: int = 50) -> list[privacy.RecordView]:
    """The records of the user's districts they may see, newest first; audited for the ones
    shown in full."""
    if not has_role_for(user, Action.COLLAB_RECORD_VIEW):
        raise PermissionDenied
    rows = _records().filter(access.record_scope(user))
    if status:
        rows = rows.filter(status=status)
    if theme:
        rows = rows.filter(theme__code=theme)
    views = [view_for(user, r) for r in rows.order_by("-created_at", "-pk")[:limit]]
    _audit_full(user, views, source=source)
    return views


def visible_record(*, user: User, public_id, editing: bool = False) -> TroubleRecord:
    """Locate a record without showing it: 404 outside the user's scope, 403 when
    ``editing`` and the user may only look at it."""
    if not has_role_for(user, Action.COLLAB_RECORD_EDIT if editing
                        else Action.COLLAB_RECORD_VIEW):
        raise PermissionDenied
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    record = _records().filter(public_id=public_id).first()
    if record is None or not can(user, Action.COLLAB_RECORD_VIEW, record):
        raise Http404
    if editing and not can(user, Action.COLLAB_RECORD_EDIT, record):
        raise PermissionDenied
    return record


@dataclass
class RecordDetail:
    view: privacy.RecordView
    events: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    transitions: list = field(default_factory=list)
    escalations: list = field(default_factory=list)
    may_edit: bool = False


def record_detail(*, user: User, public_id, source: str) -> RecordDetail:
    record = visible_record(user=user, public_id=public_id)
    view = view_for(user, record)
    may_edit = can(user, Action.COLLAB_RECORD_EDIT, record)
    detail = RecordDetail(view=view, may_edit=may_edit,
                          events=list(record.events.select_related("actor")),
                          transitions=workflow.available(record.status) if may_edit else [],
                          escalations=list(record.escalations.select_related("to_section")))
    if view.full:
        detail.consultations = list(record.consultations.all())
        audit.record(actor=user, action=AuditAction.VIEW, record_type=RECORD,
                     record_id=record.pk, source=source,
                     resident_ref=str(record.resident.public_id) if record.resident else "")
    return detail


# ── meetings ───────────────────────────────────────────────────────────────────────────

def meeting_list(*, user: User) -> list[Meeting]:
    if not has_role_for(user, Action.COLLAB_MEETING_VIEW):
        raise PermissionDenied
    districts = access.party_district_ids(user, Action.COLLAB_MEETING_VIEW)
    return list(Meeting.objects.filter(district_id__in=districts)
                .select_related("district").order_by("starts_at"))


def visible_meeting(*, user: User, pk: int) -> Meeting:
    if not has_role_for(user, Action.COLLAB_MEETING_VIEW):
        raise PermissionDenied
    meeting = Meeting.objects.select_related("district__region", "minutes_by",
                                             "approved_by").filter(pk=pk).first()
    if meeting is None or not can(user, Action.COLLAB_MEETING_VIEW, meeting):
        raise Http404
    return meeting


@dataclass
class AgendaLine:
    item: AgendaItem
    view: privacy.RecordView | None = None
    action: ActionItem | None = None


def agenda(*, user: User, meeting: Meeting, source: str) -> list[AgendaLine]:
    """The meeting's agenda (built first while the meeting is still to come), each record
    as the user may see it."""
    items = services.agenda_build(meeting=meeting) \
        if meeting.status == MeetingStatus.SCHEDULED else list(meeting.agenda.all())
    records = {r.pk: r for r in _records().filter(pk__in=[i.record_id for i in items
                                                          if i.record_id])}
    actions = {a.pk: a for a in ActionItem.objects.filter(
        pk__in=[i.action_id for i in items if i.action_id]).select_related("party", "person")}
    lines = []
    for item in items:
        if item.record_id:
            lines.append(AgendaLine(item=item, view=view_for(user, records[item.record_id])))
        else:
            lines.append(AgendaLine(item=item, action=actions.get(item.action_id or 0)))
    _audit_full(user, [line.view for line in lines if line.view], source=source)
    return lines


def meeting_actions(meeting: Meeting) -> list[ActionItem]:
    return list(meeting.actions.select_related("party", "person", "record"))


def party_choices(meeting: Meeting):
    from madoguchi.organisation.models import Section

    return list(Section.objects.filter(district_id=meeting.district_id,
                                       kind__code__in=access.PARTY_KINDS, is_active=True)
                .select_related("kind"))


def person_choices(meeting: Meeting):
    from madoguchi.accounts.models import Membership

    units = [s.pk for s in party_choices(meeting)]
    return list({m.user_id: m.user for m in Membership.objects.current()
                 .filter(unit_id__in=units, user__is_active=True)
                 .select_related("user")}.values())


def task_list(*, user: User) -> list[ActionItem]:
    """The user's task list: open action items of their person or of their party."""
    if not has_role_for(user, Action.COLLAB_ACTION_DONE):
        raise PermissionDenied
    units = [u.pk for u in access.party_units(user, Action.COLLAB_ACTION_DONE)]
    items = list(ActionItem.objects.filter(done_at__isnull=True)
                 .filter(Q(person=user) | Q(party_id__in=units))
                 .select_related("party", "person", "meeting__district").order_by("due_date"))
    today = timezone.localdate()
    for item in items:
        item.overdue = item.due_date < today
    return items


def resource_list(*, user: User) -> list[SocialResource]:
    if not has_role_for(user, Action.COLLAB_MEETING_VIEW):
        raise PermissionDenied
    districts = access.party_district_ids(user, Action.COLLAB_MEETING_VIEW)
    return list(SocialResource.objects.filter(district_id__in=districts)
                .select_related("district", "created_by"))


# ── escalations ────────────────────────────────────────────────────────────────────────

def escalation_list(*, user: User) -> list[Escalation]:
    """Escalations the user may see, with their age in open days and whether late: the
    district's parties, the section asked, and every branch section of the region."""
    if not has_role_for(user, Action.COLLAB_ESCALATION_VIEW):
        raise PermissionDenied
    rows = list(Escalation.objects.filter(access.escalation_scope(user))
                .select_related("district", "to_section", "opened_by")
                .order_by("status", "opened_at"))
    today = timezone.localdate()
    opened = [timezone.localdate(e.opened_at) for e in rows]
    days = opendays.calendar(*opened, today)
    for row, day in zip(rows, opened, strict=True):
        row.age_days = days.between(day, today)
        row.late = row.status == EscalationStatus.OPEN and row.due_date < today
    return rows


def visible_escalation(*, user: User, public_id) -> Escalation:
    if not has_role_for(user, Action.COLLAB_ESCALATION_VIEW):
        raise PermissionDenied
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    escalation = (Escalation.objects.select_related("district", "to_section", "record__form",
                                                    "action", "opened_by")
                  .filter(public_id=public_id).first())
    if escalation is None or not can(user, Action.COLLAB_ESCALATION_VIEW, escalation):
        raise Http404
    escalation.thread = list(escalation.messages.select_related("author"))
    escalation.record_view = (privacy.view_of(escalation.record, full=False,
                                              spec=spec_of(escalation.record.form))
                              if escalation.record else None)
    return escalation


# ── the figures the district assessment reads ──────────────────────────────────────────

def fiscal_year_range(fiscal_year: int) -> tuple[dt.datetime, dt.datetime]:
    """年度 ``fiscal_year``: 1 April of that year to 1 April of the next (local time)."""
    zone = timezone.get_current_timezone()
    return (dt.datetime(fiscal_year, 4, 1, tzinfo=zone),
            dt.datetime(fiscal_year + 1, 4, 1, tzinfo=zone))


def district_counts(district_id: int, fiscal_year: int) -> dict:
    """Aggregates only (no person): trouble records made in the fiscal year by theme and by
    status (their status now), meetings held, social resources and escalations opened."""
    start, end = fiscal_year_range(fiscal_year)
    records = TroubleRecord.objects.filter(district_id=district_id, created_at__gte=start,
                                           created_at__lt=end)
    by_theme = Counter({row["theme__code"]: row["n"] for row in
                        records.values("theme__code").annotate(n=Count("pk"))})
    by_status = Counter({row["status"]: row["n"] for row in
                         records.values("status").annotate(n=Count("pk"))})
    meetings = Meeting.objects.filter(district_id=district_id, starts_at__gte=start,
                                      starts_at__lt=end)
    escalations = Escalation.objects.filter(district_id=district_id, opened_at__gte=start,
                                            opened_at__lt=end)
    return {
        "records_by_theme": dict(by_theme),
        "records_by_status": dict(by_status),
        "records": sum(by_status.values()),
        "meetings_held": meetings.exclude(status=MeetingStatus.SCHEDULED).count(),
        "social_resources": SocialResource.objects.filter(
            district_id=district_id, created_at__gte=start, created_at__lt=end).count(),
        "escalations": escalations.count(),
        "escalations_open": escalations.exclude(status=EscalationStatus.CLOSED).count(),
    }
