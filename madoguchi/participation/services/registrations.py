"""Registrations with capacity and waitlist: registering, the personal cancel link, moving
the waitlist up, attendance."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.tokens import digest
from madoguchi.participation import messages, online, reminders
from madoguchi.participation.models import (
    Channel,
    Event,
    Mode,
    Registration,
    RegStatus,
    Status,
)
from madoguchi.participation.services._common import (
    _LIVE,
    ParticipationError,
    _audit,
    _secret,
)

MAX_PEOPLE = 10
LANGUAGES = ("ja", "en")


def contact_key(email: str, phone: str) -> str:
    return (email or "").strip().lower() or (phone or "").replace("-", "")


@dataclass(frozen=True)
class Registered:
    registration: Registration
    cancel_secret: str


def register(*, event: Event, name: str, email: str, phone: str, people: int, needs: str,
             channel: str = Channel.WEB, by=None, link_base: str,
             online_choice: bool = False, language: str = "ja") -> Registered:
    """Register ``people`` people for ``event``: confirmed while places are left (first
    come), waitlisted after; applied until the draw for a lottery. ``link_base`` is the
    cancel page's URL without the secret; ``language`` that of the registrant's mails
    (``ja`` or ``en``). Raises ParticipationError, with nothing saved."""
    if not 1 <= people <= MAX_PEOPLE:
        raise ParticipationError(_("人数は1人から%(n)d人までです。") % {"n": MAX_PEOPLE})
    if language not in LANGUAGES:
        raise ParticipationError(_("メールの言語は日本語か英語を選んでください。"))
    key = contact_key(email, phone)
    if not key:
        raise ParticipationError(_("メールアドレスか電話番号を入れてください。"))
    try:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.status != Status.PUBLISHED:
                raise ParticipationError(_("このイベントは申込を受け付けていません。"))
            if timezone.now() > locked.registration_deadline:
                raise ParticipationError(_("申込の締切を過ぎています。"))
            if locked.registrations.filter(contact_key=key, status__in=_LIVE).exists():
                raise ParticipationError(
                    _("同じ連絡先で既に申し込まれています。人数の変更は取り消してから申し込み直してください。"))
            if locked.mode == Mode.LOTTERY:
                status = RegStatus.APPLIED
            elif locked.places_left >= people:
                status = RegStatus.CONFIRMED
            elif locked.places_left > 0:
                raise ParticipationError(
                    _("残りの席は%(left)d人分です。人数を減らして申し込んでください。")
                    % {"left": locked.places_left})
            else:
                status = RegStatus.WAITLISTED
            registration = Registration(
                event=locked, position=locked.next_position, name=name.strip(),
                email=email.strip(), phone=phone.strip(), contact_key=key, people=people,
                needs=needs.strip(), channel=channel, status=status, entered_by=by,
                online=online.takes_part_online(locked, online_choice), language=language)
            secret = _secret(registration)
            registration.save()
            locked.next_position += 1
            if status == RegStatus.CONFIRMED:
                locked.confirmed_people += people
            locked.save(update_fields=["next_position", "confirmed_people"])
            _audit(by, registration, AuditAction.CREATE, "participation:register",
                   ["name", "email", "phone", "people", "needs"])
            if registration.email:
                messages.registered(registration_id=registration.pk,
                                    cancel_url=f"{link_base}{secret}/",
                                    room_url=reminders.confirmation_link(registration))
    except IntegrityError:
        raise ParticipationError(_("同じ連絡先で既に申し込まれています。")) from None
    return Registered(registration, secret)


def registration_by_secret(secret: str) -> Registration | None:
    if not secret or len(secret) > 100:
        return None
    return (Registration.objects.select_related("event")
            .filter(cancel_digest=digest(secret), erased_at__isnull=True).first())


@transaction.atomic
def cancel(*, registration: Registration, by=None, link_base: str) -> Registration:
    """Cancel a registration (by its personal link, or staff); the places it held go to
    the waitlist in order of arrival, each promoted registrant mailed."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegStatus.CANCELLED:
        raise ParticipationError(_("この申込は既に取り消されています。"))
    held = registration.status == RegStatus.CONFIRMED
    registration.status = RegStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancel_digest = ""
    registration.save(update_fields=["status", "cancelled_at", "cancel_digest"])
    _audit(by, registration, AuditAction.UPDATE, "participation:cancel", ["status"])
    online.withdraw(registration, by=by)  # its video-room links stop working (ADR 0064)
    if held:
        event.confirmed_people -= registration.people
        _promote(event, link_base=link_base)
        event.save(update_fields=["confirmed_people"])
    return registration


def _promote(event: Event, *, link_base: str) -> None:
    """Move waitlisted registrations up, first come first, while the next one fits (the
    event row is locked by the caller)."""
    waiting = (event.registrations.select_for_update()
               .filter(status=RegStatus.WAITLISTED)
               .order_by("draw_rank", "position"))
    for registration in waiting:
        if registration.people > event.capacity - event.confirmed_people:
            break
        registration.status = RegStatus.CONFIRMED
        secret = _secret(registration)
        registration.save(update_fields=["status", "cancel_digest"])
        event.confirmed_people += registration.people
        if registration.email:
            messages.promoted(registration_id=registration.pk, cancel_url=f"{link_base}{secret}/",
                              room_url=reminders.confirmation_link(registration))


@transaction.atomic
def mark_attended(*, by, registration: Registration, present: bool) -> Registration:
    registration.attended_at = timezone.now() if present else None
    registration.save(update_fields=["attended_at"])
    _audit(by, registration, AuditAction.UPDATE, "participation:attendance", ["attended_at"])
    return registration
