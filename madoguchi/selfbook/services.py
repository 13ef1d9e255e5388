"""Writes of the residents' booking pages (ADR 0049): book, move and cancel a consultation
the resident books themself, and the sections' setting.

The consultation, its consents and its booking are made by ``consultations.services``
(the same core as the centre's intake: consents, online services, the workflow,
scheduling's slot checks and race). Here: who may book with the section (the login's
identity level), that a booking moved or cancelled is the login's own, one booking per
submission (the identity's row is locked, the submission key is unique), and the
confirmation with the one-time room link and the link to manage the booking, mailed after
commit through the notifier.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, has_role_for
from madoguchi.accounts.services import self_service_actor
from madoguchi.consultations import services as consultations
from madoguchi.core.tokens import digest
from madoguchi.meetings import services as meetings
from madoguchi.people import services as people
from madoguchi.portal.models import Level as PortalLevel
from madoguchi.portal.models import PortalIdentity
from madoguchi.scheduling.models import BookingStatus
from madoguchi.selfbook import messages
from madoguchi.selfbook.models import Level, SectionSetting, SelfBooking
from madoguchi.selfbook.selectors import Offer

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.organisation.models import Section

TOKEN_BYTES = 32
KEY_MAX = 64


@dataclass(frozen=True)
class Booked:
    booking: SelfBooking
    repeated: bool  # the same submission sent again: nothing new was made


def parse_start(value: Any) -> dt.datetime:
    """A slot's start as the page sent it (ISO 8601 with its offset)."""
    try:
        start = dt.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        start = None
    if start is None or timezone.is_naive(start):
        raise ValidationError({"start": _("予約する日時を一覧から選んでください。")})
    return start


def _key(value: Any) -> str:
    key = str(value or "").strip()
    if not key or len(key) > KEY_MAX or not key.isalnum():
        raise ValidationError(_("画面を読み込み直してから、もう一度お申し込みください。"))
    return key


def check_level(*, offer: Offer, level: str) -> None:
    if not PortalLevel(level).satisfies(offer.level):
        raise PermissionDenied(_("この相談の予約には、マイナンバーカードでのログインが必要です。"))


def book(*, identity: PortalIdentity, level: str, offer: Offer, data: Mapping[str, Any],
         origin: str, source: str) -> Booked:
    """Book ``offer`` for the logged-in resident from the booking form's ``data`` (their
    details, topic description, consent, ``place`` home/booth, ``start``,
    ``idempotency_key``). Validation first (Japanese messages per field), then one
    transaction; a ValidationError, BookingRejected or SlotUnavailable leaves nothing."""
    check_level(offer=offer, level=level)
    key = _key(data.get("idempotency_key"))
    district = offer.district
    resident_data = dict(data) | {"district": f"{district.region.code}/{district.code}"}
    errors: dict[str, Any] = {}
    try:
        cleaned = people.clean_self_resident(resident_data)
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned = {}
    try:
        consultations.clean_self_request({**data, "category": offer.topic})
    except ValidationError as error:
        errors.update(error.message_dict)
    email = cleaned.get("email") or identity.email
    if not email and "email" not in errors:
        errors["email"] = [_("予約の確認をお送りするメールアドレスを入力してください。")]
    try:
        start = parse_start(data.get("start"))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    remote = data.get("place") != "booth"
    portal_ref = str(identity.public_id)
    try:
        with transaction.atomic():
            PortalIdentity.objects.select_for_update().filter(pk=identity.pk).first()
            existing = SelfBooking.objects.filter(identity=identity, idempotency_key=key).first()
            if existing is not None:
                return Booked(existing, repeated=True)
            consultation = consultations.consultation_self_book(
                resident_data={k: v for k, v in cleaned.items() if k != "email"},
                request={**data, "category": offer.topic},
                section=offer.section, centre=offer.centre, start=start, remote=remote,
                portal_ref=portal_ref,
                idempotency_key="selfbook-" + digest(f"{portal_ref}:{key}")[:60],
                source=source)
            row = SelfBooking.objects.create(identity=identity, consultation=consultation,
                                             email=email, idempotency_key=key)
            _confirm(row, origin=origin, change="created")
    except IntegrityError:
        existing = SelfBooking.objects.filter(identity=identity, idempotency_key=key).first()
        if existing is None:
            raise
        return Booked(existing, repeated=True)
    return Booked(row, repeated=False)


def _confirm(row: SelfBooking, *, origin: str, change: str) -> None:
    """New links (the earlier ones stop working) and the confirmation, mailed after commit:
    the room link for a booking from home, the link to manage the booking."""
    booking = row.consultation.booking
    if booking is None:  # a booked consultation has its booking (the workflow)
        raise ValueError("a confirmation needs the consultation's booking")
    manage = secrets.token_urlsafe(TOKEN_BYTES)
    row.manage_digest = digest(manage)
    row.save(update_fields=["manage_digest"])
    links = {"manage": origin.rstrip("/") + reverse("selfbook:manage", kwargs={"token": manage})}
    if booking.booth_id is None:
        _access, token = meetings.access_issue_for_resident(booking=booking,
                                                            by=self_service_actor())
        links["room"] = origin.rstrip("/") + reverse("meetings:join", kwargs={"token": token})
    messages.confirmation_notice(row_id=row.pk, change=change, secret=json.dumps(links),
                                 lang=_language())


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "ja"


def _own_open(row: SelfBooking) -> None:
    booking = row.consultation.booking
    if booking is None or booking.status != BookingStatus.BOOKED:
        raise ValidationError(_("この予約はすでに取り消されたか、終わっています。"))


def move(*, row: SelfBooking, start_value: Any, origin: str, source: str) -> SelfBooking:
    """Move the resident's own booking (``row`` comes from their login or manage link)."""
    start = parse_start(start_value)
    _own_open(row)
    with transaction.atomic():
        consultations.consultation_self_reschedule(
            consultation=row.consultation, start=start,
            portal_ref=str(row.identity.public_id), source=source)
        row.consultation.refresh_from_db()
        _confirm(row, origin=origin, change="rescheduled")
    return row


def cancel(*, row: SelfBooking, source: str) -> SelfBooking:
    """Cancel the resident's own booking; the links stop working. A second cancel of
    the same booking changes nothing."""
    with transaction.atomic():
        before = row.consultation.status
        done = consultations.consultation_self_cancel(consultation=row.consultation,
                                                      portal_ref=str(row.identity.public_id),
                                                      source=source)
        if done.status != before:
            messages.confirmation_notice(row_id=row.pk, change="cancelled", secret=None,
                                         lang=_language())
    row.refresh_from_db()
    row.consultation.refresh_from_db()
    return row


def setting_save(*, by: User, section: Section, enabled: bool, level: str) -> SectionSetting:
    """Whether ``section`` takes self-bookings, at which identity level (the ward's
    administrators of the routing table decide, as for online services)."""
    if not has_role_for(by, Action.ROUTING_EDIT):
        raise PermissionDenied(_("オンライン予約の設定を変える権限がありません。"))
    if level not in Level.values:
        raise ValidationError({"level": _("本人確認の方法を一覧から選んでください。")})
    setting, _created = SectionSetting.objects.update_or_create(
        section=section, defaults={"enabled": bool(enabled), "level": level})
    return setting
