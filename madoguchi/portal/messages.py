"""The login-link mail (ADR 0030): Japanese, or English first when the resident used the
English page (the Japanese text follows, as in the ward's other mails).

The worker makes the link's token itself and stores only its hash, so the token exists in
no table (not the task queue's either) and in no log: only in the mail. The hash and the
mail are one effect under the task's idempotency key (core.effects, ADR 0025).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from madoguchi.core.dates import wareki
from madoguchi.core.tokens import digest
from madoguchi.notifications.notify import About, Letter, Recipient, Skip, notify, register
from madoguchi.portal.models import EmailLoginLink

LOGIN_LINK = "login_link"
TOKEN_BYTES = 32


def _login_link_letters(about: About, secret: str | None) -> Iterator[Letter]:
    link_id = int(about["link"])
    link = EmailLoginLink.objects.filter(pk=link_id).first()
    if link is None or link.used_at is not None or timezone.now() >= link.expires_at:
        raise Skip("gone, used or expired")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    until = timezone.localtime(link.expires_at)
    path = reverse("portal:email_open", kwargs={"token": token})

    def claim() -> int:
        return (EmailLoginLink.objects.filter(pk=link_id, token_hash="")
                .update(token_hash=digest(token)))

    def done() -> int:
        return EmailLoginLink.objects.filter(pk=link_id).update(sent_at=timezone.now())

    language = "en" if about.get("language") == "en" else "ja"
    yield Letter(recipient=Recipient(address=link.email, language=language), context={
        "url": str(about["origin"]).rstrip("/") + path,
        "minutes": settings.PORTAL_EMAIL_LINK_MINUTES,
        "until": f"{wareki(until, weekday=True)} {until:%H:%M}",
        "until_en": f"{until:%H:%M} (Japan time) on {until:%-d %b %Y}",
    }, claim=claim, done=done)


def register_kinds() -> None:
    """PortalConfig.ready."""
    register(LOGIN_LINK, _login_link_letters)


def login_link_notice(*, link_id: int, origin: str, language: str) -> None:
    """Mail the login link ``link_id`` once the transaction commits."""
    notify(LOGIN_LINK, about={"link": link_id, "origin": origin, "language": language})
