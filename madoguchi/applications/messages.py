"""The mail that brings a resident the link to their decision notice (Japanese; ADR 0030).

The worker makes the link's token itself and stores only its digest, so the token is in
no table (not the task queue's either) and in no log: only in the mail. The digest, the
expiry and the mail are one effect under the task's idempotency key (ADR 0025): a run that
died before its commit left no digest, and a second run of a finished one sends nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from madoguchi.applications.models import Delivery, Notice
from madoguchi.core.dates import wareki
from madoguchi.core.tokens import digest
from madoguchi.notifications.notify import About, Letter, Recipient, Skip, notify, register

NOTICE_LINK = "notice_link"
TOKEN_BYTES = 32
LINK_DAYS = 14


def _notice_link_letters(about: About, secret: str | None) -> Iterator[Letter]:
    notice_id = int(about["notice"])
    notice = (Notice.objects.select_related("application__version__procedure",
                                            "application__section")
              .filter(pk=notice_id, delivery=Delivery.EMAIL).first())
    if notice is None or not notice.application.contact_email:
        raise Skip("gone or no address")
    application = notice.application
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = timezone.now() + dt.timedelta(days=LINK_DAYS)
    until = timezone.localtime(expires)
    path = reverse("notices:link", kwargs={"token": token})

    def claim() -> int:
        return (Notice.objects.filter(pk=notice_id, link_hash="")
                .update(link_hash=digest(token), link_expires_at=expires))

    def done() -> int:
        return Notice.objects.filter(pk=notice_id).update(sent_at=timezone.now())

    yield Letter(recipient=Recipient(address=application.contact_email), context={
        "url": str(about.get("origin") or "").rstrip("/") + path,
        "title": notice.title,
        "procedure": application.version.display_name,
        "reference": application.reference,
        "until": f"{wareki(until, weekday=True)} {until:%H:%M}",
        "section": application.section.name,
        "phone": application.section.phone,
    }, claim=claim, done=done)


def register_kinds() -> None:
    """ApplicationsConfig.ready."""
    register(NOTICE_LINK, _notice_link_letters)


def notice_link_notice(*, notice_id: int, origin: str) -> None:
    """Mail the resident the link to notice ``notice_id`` once the transaction commits."""
    notify(NOTICE_LINK, about={"notice": notice_id, "origin": origin})
