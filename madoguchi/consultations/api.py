"""Consultations in the JSON API: the same selectors, services, permissions and audit as
the pages. Only UUIDs appear in URLs; the worry travels in bodies only."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.api.auth import StaffSession
from madoguchi.api.errors import FORBIDDEN, invalid
from madoguchi.api.inputs import Moment
from madoguchi.consultations import access, selectors, services
from madoguchi.consultations.models import Consultation
from madoguchi.core.problem import Problem
from madoguchi.organisation.models import Section
from madoguchi.people import selectors as people_selectors
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.scheduling.models import Participant

NOT_FOUND = gettext_lazy("相談が見つかりません。")
RESIDENT_NOT_FOUND = gettext_lazy("区民が見つかりません。")

router = Router(tags=["consultations"])


def _guest_max(field: str) -> int:
    return Participant._meta.get_field(field).max_length


class ConsultationSlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    booth: str | None
    staff: str


class ConsultationUnavailableOut(Problem):
    next_free: ConsultationSlotOut | None


class ConsultationBookingOut(Schema):
    public_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    booth: str | None
    status: str


class OutcomeOut(Schema):
    result: str
    referred_to: str | None
    satisfied: str
    duration_minutes: int
    recorded_at: dt.datetime
    summary: str | None  # only for the section the consultation was routed to


class FollowUpOut(Schema):
    id: int
    task: str
    due_date: dt.date
    owner: str
    done_at: dt.datetime | None


class ConsultationEventOut(Schema):
    at: dt.datetime
    kind: str
    from_status: str
    to_status: str
    actor: str
    section: str | None
    note: str


class ConsultationSummary(Schema):
    public_id: uuid.UUID
    resident: uuid.UUID
    centre: str
    received_at: dt.datetime
    category: str
    urgency: str
    status: str
    stage: int | None
    section: str | None
    proposed_section: str | None
    booking: ConsultationBookingOut | None


class ConsultationOut(ConsultationSummary):
    worry: str
    documents: str
    needs: list[str]
    proposal_basis: str
    routing_reason: str
    allowed_transitions: list[str]
    outcome: OutcomeOut | None
    followups: list[FollowUpOut]
    timeline: list[ConsultationEventOut]


class ListOut(Schema):
    results: list[ConsultationSummary]
    more: bool


class IntakeIn(Schema):
    resident: uuid.UUID
    worry: str = Field(max_length=services.WORRY_MAX)
    category: str
    urgency: str = "normal"
    documents: str = Field("", max_length=services.DOCUMENTS_MAX)
    centre: str = ""
    needs_interpreter: bool | None = None
    needs_sign_language: bool | None = None
    needs_wheelchair: bool | None = None
    needs_hearing_support: bool | None = None
    consent_online: bool = False
    consent_share: bool = False
    consent_method: str = "oral"


class RouteIn(Schema):
    section: str
    reason: str = Field("", max_length=services.REASON_MAX)


class ConsultationGuestIn(Schema):
    name: str = Field(max_length=_guest_max("name"))
    organisation: str = Field("", max_length=_guest_max("organisation"))
    email: str = Field("", max_length=_guest_max("email"))
    remote: bool = True


class BookIn(Schema):
    start: Moment
    staff: str | None = None  # username of a staff member of the section
    other_users: list[str] = []  # usernames
    guests: list[ConsultationGuestIn] = []
    remote: bool = False
    idempotency_key: str | None = Field(None, max_length=80)


class OutcomeIn(Schema):
    result: str
    referred_to: str = ""
    summary: str = Field("", max_length=services.SUMMARY_MAX)
    satisfied: str = "unknown"
    duration_minutes: int


def _booking(c: Consultation) -> dict | None:
    b = c.booking
    if b is None:
        return None
    return {"public_id": b.public_id, "start": b.start, "end": b.end,
            "booth": str(b.booth) if b.booth_id else None, "status": b.status}


def _summary(c: Consultation) -> dict:
    return {
        "public_id": c.public_id, "resident": c.resident.public_id,
        "centre": c.centre.district.key, "received_at": c.received_at,
        "category": c.category, "urgency": c.urgency, "status": c.status, "stage": c.stage,
        "section": c.section.code if c.section_id else None,
        "proposed_section": c.proposed_section.code if c.proposed_section_id else None,
        "booking": _booking(c),
    }


def _detail(user, c: Consultation) -> dict:
    data = _summary(c)
    outcome = c.outcome_or_none
    data.update({
        "worry": c.worry, "documents": c.documents, "needs": c.needs,
        "proposal_basis": c.proposal_basis, "routing_reason": c.routing_reason,
        "allowed_transitions": [t.name for t in access.allowed_transitions(user, c)],
        "outcome": None if outcome is None else {
            "result": outcome.result,
            "referred_to": outcome.referred_to.code if outcome.referred_to_id else None,
            "satisfied": outcome.satisfied, "duration_minutes": outcome.duration_minutes,
            "recorded_at": outcome.recorded_at,
            "summary": outcome.summary if can(user, Action.CONSULTATION_SUMMARY, c) else None,
        },
        "followups": [{"id": f.pk, "task": f.task, "due_date": f.due_date,
                       "owner": str(f.owner), "done_at": f.done_at}
                      for f in c.followup_list],
        "timeline": [{"at": e.at, "kind": e.kind, "from_status": e.from_status,
                      "to_status": e.to_status, "actor": e.actor_display,
                      "section": e.section.code if e.section_id else None, "note": e.note}
                     for e in c.timeline],
    })
    return data


def _located(request, public_id: uuid.UUID, action: Action) -> Consultation:
    try:
        return selectors.visible_consultation(user=request.user, public_id=public_id,
                                              action=action)
    except Http404:
        raise HttpError(404, str(NOT_FOUND)) from None


def _fresh_detail(request, public_id: uuid.UUID, source: str) -> dict:
    c = selectors.consultation_detail(user=request.user, public_id=public_id, source=source)
    return _detail(request.user, c)


def _slot(slot) -> dict | None:
    if slot is None:
        return None
    return {"start": slot.start, "end": slot.end,
            "booth": str(slot.booth) if slot.booth else None, "staff": str(slot.staff)}


@router.get("/consultations", auth=StaffSession(Action.CONSULTATION_VIEW),
            response={200: ListOut, 401: Problem, 403: Problem},
            url_name="consultations_list", summary="相談の一覧（受信箱）")
def list_consultations(request, closed: bool = False):
    """The caller's consultations: a section's incoming ones, a centre's own; open ones
    by urgency and age (``closed=true``: completed and cancelled, newest first). At most
    100; ``more`` says whether there were more."""
    result = selectors.inbox(user=request.user, source="api:consultations.list",
                             closed=closed)
    return {"results": [_summary(c) for c in result.rows], "more": result.more}


@router.post("/consultations", auth=StaffSession(Action.CONSULTATION_INTAKE),
             response={201: ConsultationOut, 401: Problem, 403: Problem, 404: Problem,
                       422: Problem},
             url_name="consultation_create", summary="相談を受け付ける")
def create(request, payload: IntakeIn):
    """Record a consultation for a resident at the caller's centre; the routing proposal
    is made at once. ``consent_online`` / ``consent_share`` record the resident's
    consents in the same step (without them the consultation cannot be booked)."""
    source = "api:consultations.create"
    try:
        resident = people_selectors.visible_resident(user=request.user,
                                                     public_id=payload.resident,
                                                     action=Action.RESIDENT_VIEW)
    except Http404:
        raise HttpError(404, str(RESIDENT_NOT_FOUND)) from None
    except PermissionDenied:
        raise HttpError(403, FORBIDDEN) from None
    data = payload.model_dump(exclude={"resident"})
    data = {k: v for k, v in data.items() if v is not None}
    try:
        c = services.consultation_intake(by=request.user, resident=resident, data=data,
                                         source=source)
    except ValidationError as error:
        return invalid(error)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or FORBIDDEN) from None
    return Status(201, _fresh_detail(request, c.public_id, source))


@router.get("/consultations/{uuid:public_id}", auth=StaffSession(Action.CONSULTATION_VIEW),
            response={200: ConsultationOut, 401: Problem, 403: Problem, 404: Problem},
            url_name="consultation_detail", summary="相談の記録")
def detail(request, public_id: uuid.UUID):
    """The record with its timeline, outcome and follow-ups; ``allowed_transitions``
    lists what the caller may do now. The outcome ``summary`` is null for anyone but the
    section the consultation was routed to."""
    try:
        return _fresh_detail(request, public_id, "api:consultations.detail")
    except Http404:
        raise HttpError(404, str(NOT_FOUND)) from None


@router.post("/consultations/{uuid:public_id}/route",
             auth=StaffSession(Action.CONSULTATION_ROUTE),
             response={200: ConsultationOut, 401: Problem, 403: Problem, 404: Problem,
                       422: Problem},
             url_name="consultation_route", summary="回付先を決める")
def route(request, public_id: uuid.UUID, payload: RouteIn):
    """Send the consultation to ``section`` (a section code such as
    ``setagaya/hoken-fukushi``). A section other than the proposal needs a ``reason``;
    the section must be online at the consultation's centre."""
    source = "api:consultations.route"
    c = _located(request, public_id, Action.CONSULTATION_ROUTE)
    section = Section.objects.filter(code=payload.section).first()
    if section is None:
        return invalid(ValidationError({"section": _("回付先の課・機関が見つかりません。")}))
    try:
        services.consultation_route(by=request.user, consultation=c, section=section,
                                    reason=payload.reason, source=source)
    except ValidationError as error:
        return invalid(error)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or FORBIDDEN) from None
    return _fresh_detail(request, public_id, source)


def _users(usernames: list[str]) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames,
                                                        is_active=True)}
    missing = [name for name in usernames if name not in found]
    if missing:
        raise ValidationError({"other_users": _("参加者の職員が見つかりません。")})
    return [found[name] for name in usernames]


@router.post("/consultations/{uuid:public_id}/book",
             auth=StaffSession(Action.CONSULTATION_BOOK),
             response={200: ConsultationOut, 401: Problem, 403: Problem, 404: Problem,
                       409: ConsultationUnavailableOut, 422: Problem},
             url_name="consultation_book", summary="相談の日時を予約する")
def book(request, public_id: uuid.UUID, payload: BookIn):
    """Book the video consultation at ``start``. 409 when the slot is not free
    (``next_free``: the next slot that is) or not bookable (past, closed day, outside
    hours, inside the minimum notice); 422 without the resident's consents or when the
    section is not online at the centre. Nothing is saved on any error. A retry with the
    same ``idempotency_key`` returns the first booking."""
    source = "api:consultations.book"
    c = _located(request, public_id, Action.CONSULTATION_BOOK)
    try:
        staff = _users([payload.staff])[0] if payload.staff else None
        others = _users(payload.other_users)
        services.consultation_book(
            by=request.user, consultation=c, start=payload.start, staff=staff,
            other_users=others, guests=[g.model_dump() for g in payload.guests],
            remote=payload.remote, idempotency_key=payload.idempotency_key, source=source)
    except ValidationError as error:
        return invalid(error)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or FORBIDDEN) from None
    except (SlotUnavailable, BookingRejected) as error:
        return Status(409, {"detail": error.message, "code": error.code,
                            "next_free": _slot(getattr(error, "next_free", None))})
    return _fresh_detail(request, public_id, source)


@router.post("/consultations/{uuid:public_id}/outcome",
             auth=StaffSession(Action.CONSULTATION_OUTCOME),
             response={200: ConsultationOut, 401: Problem, 403: Problem, 404: Problem,
                       422: Problem},
             url_name="consultation_outcome", summary="対応結果を記録する")
def outcome(request, public_id: uuid.UUID, payload: OutcomeIn):
    """The section records the result (``referred_to``: a section code when the result is
    ``referred``), the resident's satisfaction and the duration; the consultation becomes
    対応済み (completed)."""
    source = "api:consultations.outcome"
    c = _located(request, public_id, Action.CONSULTATION_OUTCOME)
    try:
        services.outcome_record(by=request.user, consultation=c, data=payload.model_dump(),
                                source=source)
    except ValidationError as error:
        return invalid(error)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or FORBIDDEN) from None
    return _fresh_detail(request, public_id, source)
