"""A consultation the resident books themself on the portal (ADR 0049).

The same core as the centre's intake and booking: the consents of ``REQUIRED_CONSENTS``
(given on screen here), the online services of the resident's centre, the workflow's
transitions and ``scheduling``'s booking (validation, closed days, minimum notice, the
race for a slot). What differs is who acts: no staff member, so the records name the
self-service account (``accounts.services.self_service_actor``), the timeline names the
resident (``participant_kind``) and the audit trail the portal identity (``portal_ref``).
The caller (the booking pages' context) checks that the login may book with the section
and that a consultation it moves or cancels is the login's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.services import self_service_actor
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import routing, selectors, workflow
from madoguchi.consultations.models import (
    Category,
    Consultation,
    ConsultationEvent,
    StatEvent,
    Status,
    Urgency,
)
from madoguchi.consultations.services._common import (
    RECORD,
    REQUIRED_CONSENTS,
    _locked,
    _stat,
)
from madoguchi.consultations.services.booking import _check_bookable, booking_title
from madoguchi.organisation.models import DistrictCentre, Section
from madoguchi.people import services as people_services
from madoguchi.people.models import Resident
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import BookingStatus, ParticipantKind

SELF_WORRY_MAX = 1000
SELF_REASON = "区民がオンラインで予約"


def _event(consultation: Consultation, *, kind: str, from_status: str, note: str = "",
           booking=None) -> None:
    ConsultationEvent.objects.create(
        consultation=consultation, at=timezone.now(), actor=None,
        participant_kind=ParticipantKind.RESIDENT, kind=kind, from_status=from_status,
        to_status=consultation.status, section=consultation.section, note=note,
        booking=booking)


def _audit(consultation: Consultation, *, action: str, portal_ref: str, source: str,
           fields: list[str]) -> None:
    audit.record(actor=None, portal_ref=portal_ref, action=action, record_type=RECORD,
                 record_id=consultation.pk, resident_ref=str(consultation.resident.public_id),
                 source=source, fields=fields)


def clean_self_request(data: Mapping[str, Any]) -> dict[str, Any]:
    """The topic, the short description and the consents of a resident's own request."""
    errors: dict[str, str] = {}
    category = str(data.get("category") or "").strip()
    if category not in Category.values:
        errors["category"] = _("相談の内容を一覧から選んでください。")
    worry = str(data.get("worry") or "").strip()
    if not worry:
        errors["worry"] = _("ご相談の内容を簡単に入力してください。")
    elif len(worry) > SELF_WORRY_MAX:
        errors["worry"] = (_("ご相談の内容は%(max)d文字以内で入力してください。")
                           % {"max": SELF_WORRY_MAX})
    if not data.get("consent"):
        errors["consent"] = _("オンラインで相談することと、相談の記録を担当の課と共有することに"
                              "同意いただく必要があります。")
    if errors:
        raise ValidationError(errors)
    return {"category": category, "worry": worry}


def consultation_self_book(*, resident_data: Mapping[str, Any], request: Mapping[str, Any],
                           section: Section, centre: DistrictCentre, start: dt.datetime,
                           remote: bool, portal_ref: str, idempotency_key: str | None,
                           source: str) -> Consultation:
    """Take, route and book in one transaction: the resident's record (found by フリガナ
    and birth date, or made), the consents given on screen, the consultation routed to
    ``section`` and its booking at ``start`` (from home when ``remote``, else at a free
    booth of ``centre``). Raises ``ValidationError`` (topic, consents, a consultation of
    the same topic still open, not online at the centre) or scheduling's
    ``BookingRejected`` / ``SlotUnavailable``; nothing is saved then."""
    cleaned = clean_self_request(request)
    if not routing.is_online(centre=centre, kind=section.kind):
        raise ValidationError(_("%(section)sのオンライン相談は、%(centre)sではまだ受け付けて"
                                "いません。") % {"section": section.name, "centre": centre.name},
                              code="not_online")
    by = self_service_actor()
    with transaction.atomic():
        resident = people_services.resident_for_self_booking(
            cleaned=resident_data, by=by, portal_ref=portal_ref, source=source)
        Resident.objects.select_for_update().filter(pk=resident.pk).values_list(
            "pk", flat=True).first()
        if selectors.open_on_topic(resident=resident, category=cleaned["category"]):
            raise ValidationError(
                _("「%(topic)s」のご相談は、すでに受け付けているものがあります。予約の変更や"
                  "取消しは「わたしの予約」から、そのほかはまちづくりセンターにお問い合わせ"
                  "ください。") % {"topic": Category(cleaned["category"]).label},
                code="open_on_topic")
        people_services.consents_give_self(resident=resident, purposes=list(REQUIRED_CONSENTS),
                                           by=by, portal_ref=portal_ref, source=source)
        now = timezone.now()
        consultation = Consultation.objects.create(
            resident=resident, centre=centre, received_by=by, received_at=now,
            worry=cleaned["worry"], category=cleaned["category"], urgency=Urgency.NORMAL,
            status=Status.RECEIVED, proposed_section=section,
            proposal_basis=_("区民がオンラインで選んだ相談の内容"),
            needs_interpreter=resident.needs_interpreter,
            needs_sign_language=resident.needs_sign_language,
            needs_wheelchair=resident.needs_wheelchair,
            needs_hearing_support=resident.needs_hearing_support)
        _event(consultation, kind=ConsultationEvent.Kind.INTAKE, from_status="",
               note=SELF_REASON)
        _stat(consultation, kind=StatEvent.Kind.INTAKE)
        consultation.section, consultation.routed_by, consultation.routed_at = section, by, now
        consultation.stage = routing.stage_for(section)
        consultation.status = Status.ROUTED
        _event(consultation, kind=ConsultationEvent.Kind.ROUTE, from_status=Status.RECEIVED)
        _stat(consultation, kind=StatEvent.Kind.ROUTED)
        _check_bookable(consultation)
        booking = scheduling.booking_create_for_resident(
            section=section, start=start, centre=centre, booth_required=not remote,
            resident=resident, title=booking_title(consultation), by=by,
            idempotency_key=idempotency_key)
        consultation.booking = booking
        consultation.status = Status.BOOKED
        consultation.save()
        _event(consultation, kind=ConsultationEvent.Kind.BOOK, from_status=Status.ROUTED,
               booking=booking)
        _stat(consultation, kind=StatEvent.Kind.BOOKED, start=booking.start)
        _audit(consultation, action=AuditAction.CREATE, portal_ref=portal_ref, source=source,
               fields=["worry", "category", "centre", "section", "booking", "status"])
    return consultation


def consultation_self_reschedule(*, consultation: Consultation, start: dt.datetime,
                                 portal_ref: str, source: str) -> Consultation:
    """Move the resident's own booked consultation to ``start`` (the same booth rule: a
    free booth of the same centre, or from home)."""
    by = self_service_actor()
    with transaction.atomic():
        current = _locked(consultation)
        workflow.require(current, "reschedule")
        _check_bookable(current)
        booking = scheduling.booking_reschedule_for_resident(
            booking=current.booking, start=start, by=by, reason=_("区民が予約を変更"))
        current.booking = booking
        current.save()
        _event(current, kind=ConsultationEvent.Kind.RESCHEDULE, from_status=current.status,
               note=_("区民が予約を変更"), booking=booking)
        _stat(current, kind=StatEvent.Kind.RESCHEDULED, start=booking.start)
        _audit(current, action=AuditAction.UPDATE, portal_ref=portal_ref, source=source,
               fields=["booking"])
    return current


def consultation_self_cancel(*, consultation: Consultation, portal_ref: str,
                             source: str) -> Consultation:
    """Cancel the resident's own consultation and its booking (the section is told).
    Cancelling one already cancelled changes nothing."""
    by = self_service_actor()
    with transaction.atomic():
        current = _locked(consultation)
        if current.status == Status.CANCELLED:
            return current
        workflow.require(current, "cancel")
        booking = current.booking if current.booking_id else None
        if booking is not None and booking.status == BookingStatus.BOOKED:
            booking = scheduling.booking_cancel_for_resident(
                booking=booking, by=by, reason=_("区民が予約を取り消し"))
        before = current.status
        current.status = Status.CANCELLED
        current.save()
        _event(current, kind=ConsultationEvent.Kind.CANCEL, from_status=before,
               note=_("区民が予約を取り消し"), booking=booking)
        _stat(current, kind=StatEvent.Kind.CANCELLED)
        _audit(current, action=AuditAction.UPDATE, portal_ref=portal_ref, source=source,
               fields=["status"])
    return current
