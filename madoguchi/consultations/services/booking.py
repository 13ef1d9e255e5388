"""Writes of a consultation's booking: book, reschedule, cancel. Bookings are made by
``scheduling.services``; its ``SlotUnavailable`` and ``BookingRejected`` propagate unchanged
(the transaction is rolled back, nothing is saved) so that pages and the API can show the
message and the next free slot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import routing, workflow
from madoguchi.consultations.models import (
    Consultation,
    ConsultationEvent,
    StatEvent,
    Status,
)
from madoguchi.consultations.services._common import (
    CONSENT_MISSING,
    REASON_MAX,
    _audit,
    _event,
    _locked,
    _stat,
    missing_consents,
)
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import BookingStatus

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


# ── booking ────────────────────────────────────────────────────────────────────────────

def _check_bookable(consultation: Consultation) -> None:
    if missing_consents(consultation.resident):
        raise ValidationError(_(CONSENT_MISSING), code="consent")
    if not routing.is_online(centre=consultation.centre, kind=consultation.section.kind):
        raise ValidationError(routing.not_online_message(centre=consultation.centre,
                                                         section=consultation.section),
                              code="not_online")


def booking_title(consultation: Consultation) -> str:
    """A title without personal data: オンライン相談（保健福祉課）."""
    return _("オンライン相談（%(kind)s）") % {"kind": consultation.section.kind.name}


def consultation_book(*, by: User, consultation: Consultation, start: dt.datetime,
                      staff: User | None = None, other_users: Sequence[User] = (),
                      guests: Sequence[Any] = (), remote: bool = False,
                      idempotency_key: str | None = None, source: str) -> Consultation:
    """Book the video consultation: the resident (at the centre's booth unless
    ``remote``), a staff member of the section (``staff`` or the least-loaded free one)
    and any other participants. Raises ``scheduling.services.SlotUnavailable`` /
    ``BookingRejected`` (nothing saved) or ``ValidationError`` (consent, not online)."""
    if not can(by, Action.CONSULTATION_BOOK, consultation):
        raise PermissionDenied(_("この相談を予約する権限がありません。"))
    with transaction.atomic():
        current = _locked(consultation)
        if (idempotency_key and current.status == Status.BOOKED and current.booking_id
                and getattr(current.booking, "idempotency_key", None) == idempotency_key):
            return current  # the same form sent twice
        workflow.require(current, "book")
        _check_bookable(current)
        multi_party = bool(other_users) or bool(guests)
        booking = scheduling.booking_create(
            section=current.section, start=start, staff=staff, other_users=tuple(other_users),
            centre=current.centre, booth_required=not remote, resident=current.resident,
            guests=tuple(guests), title=booking_title(current), by=by,
            idempotency_key=idempotency_key)
        before = current.status
        current.booking = booking
        current.stage = routing.stage_for(current.section, multi_party=multi_party)
        current.status = Status.BOOKED
        current.save()
        _event(current, by=by, kind=ConsultationEvent.Kind.BOOK, from_status=before,
               booking=booking)
        _stat(current, kind=StatEvent.Kind.BOOKED, start=booking.start)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source,
               fields=["booking", "status", "stage"])
    return current


def consultation_reschedule(*, by: User, consultation: Consultation, start: dt.datetime,
                            reason: str, source: str) -> Consultation:
    if not can(by, Action.CONSULTATION_RESCHEDULE, consultation):
        raise PermissionDenied(_("この相談の予約を変更する権限がありません。"))
    reason = _required_reason(reason)
    with transaction.atomic():
        current = _locked(consultation)
        workflow.require(current, "reschedule")
        _check_bookable(current)
        booking = scheduling.booking_reschedule(booking=current.booking, start=start, by=by,
                                                reason=reason)
        before = current.status
        current.booking = booking
        current.save()
        _event(current, by=by, kind=ConsultationEvent.Kind.RESCHEDULE, from_status=before,
               note=reason, booking=booking)
        _stat(current, kind=StatEvent.Kind.RESCHEDULED, start=booking.start)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source,
               fields=["booking"])
    return current


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("理由を入力してください。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("理由は%(max)d文字以内で入力してください。")
                               % {"max": REASON_MAX}})
    return reason


def consultation_cancel(*, by: User, consultation: Consultation, reason: str,
                        source: str) -> Consultation:
    """Cancel the consultation (and its booking, whose participants are told)."""
    if not can(by, Action.CONSULTATION_CANCEL, consultation):
        raise PermissionDenied(_("この相談を取り消す権限がありません。"))
    reason = _required_reason(reason)
    with transaction.atomic():
        current = _locked(consultation)
        workflow.require(current, "cancel")
        booking = current.booking if current.booking_id else None
        if booking is not None and booking.status == BookingStatus.BOOKED:
                booking = scheduling.booking_cancel(booking=booking, by=by, reason=reason)
        before = current.status
        current.status = Status.CANCELLED
        current.save()
        _event(current, by=by, kind=ConsultationEvent.Kind.CANCEL, from_status=before,
               note=reason, booking=booking)
        _stat(current, kind=StatEvent.Kind.CANCELLED)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source, fields=["status"])
    return current
