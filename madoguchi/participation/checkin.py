"""The check-in pass (受付票, issue 15 item 2, ADR 0060): a confirmed registration's mail
and page carry a QR code of ``/events/pass/<token>/``; staff at the event scan it (or type
the URL or the token) on the event's check-in page and the registration is marked attended.

The token is an HMAC of the registration's public id under the site's secret key, so the
worker can write it into any later mail (promotion, lottery result, reminder) without the
secret travelling; the database keeps only its digest (``core.tokens``). The URL names no
person and no registration: it opens nothing without the digest stored on the row.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.tokens import digest
from madoguchi.participation import services
from madoguchi.participation.models import Event, Registration, RegStatus

SALT = "madoguchi.participation.checkin"
TOKEN_CHARS = 32
# The token at the end of what the scanner typed: the pass's URL or the token alone.
_TOKEN_AT_END = re.compile(rf"(?:^|/)([A-Za-z0-9_-]{{{TOKEN_CHARS}}})/?$")


def pass_token(registration: Registration) -> str:
    """The registration's pass token (the same every time; stored as its digest)."""
    mac = salted_hmac(SALT, str(registration.public_id), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac[:24]).decode()


def issue(registration: Registration) -> str:
    """The pass token, its digest stored on the registration if it is not yet (rows made
    before ADR 0060 get theirs with their next mail)."""
    token = pass_token(registration)
    stored = digest(token)
    if registration.checkin_digest != stored:
        Registration.objects.filter(pk=registration.pk).update(checkin_digest=stored)
        registration.checkin_digest = stored
    return token


def pass_url(token: str, *, origin: str | None = None) -> str:
    origin = (origin or settings.NOTIFICATIONS_PUBLIC_ORIGIN).rstrip("/")
    return origin + reverse("events:pass", kwargs={"token": token})


def qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff",
                                                   title=_("受付用のQRコード"))


def token_from(text: str) -> str:
    """The token in what was scanned or typed (a URL or the token), or ""."""
    found = _TOKEN_AT_END.search((text or "").strip()[:300])
    return found.group(1) if found else ""


def by_token(token: str) -> Registration | None:
    if not token:
        return None
    return (Registration.objects.select_related("event")
            .filter(checkin_digest=digest(token), erased_at__isnull=True).first())


@dataclass(frozen=True)
class CheckedIn:
    registration: Registration
    already: bool


def check_in(*, by, event: Event, scanned: str) -> CheckedIn:
    """Mark the pass's registration attended at ``event``; a second scan changes nothing
    and says so. Raises ParticipationError (Japanese) for an unknown pass, another event's
    pass, a cancelled registration or one not confirmed."""
    with transaction.atomic():
        token = token_from(scanned)
        if not token:
            raise services.ParticipationError(
                _("受付票のQRコードを読み取るか、受付票のURLを入力してください。"))
        found = by_token(token)
        if found is None:
            raise services.ParticipationError(
                _("この受付票は見つかりません。読み取り直すか、名簿で確認してください。"))
        registration = Registration.objects.select_for_update().get(pk=found.pk)
        if registration.event_id != event.pk:
            raise services.ParticipationError(
                _("この受付票は別のイベント「%(title)s」のものです。")
                % {"title": found.event.title})
        if registration.status == RegStatus.CANCELLED:
            raise services.ParticipationError(_("この申込は取り消されています。"))
        if registration.status != RegStatus.CONFIRMED:
            raise services.ParticipationError(
                _("この申込は参加確定ではありません（%(status)s）。")
                % {"status": registration.get_status_display()})
        if registration.attended_at is not None:
            audit.record(actor=by, action=AuditAction.VIEW,
                         record_type="participation.registration",
                         record_id=registration.public_id, source="participation:checkin",
                         fields=["name", "people"])
            return CheckedIn(registration, already=True)
        registration = services.mark_attended(by=by, registration=registration, present=True)
        return CheckedIn(registration, already=False)
