"""Writes of the portal: e-mail login links, logins by link or OpenID Connect.

The one-time link follows madoguchi/meetings: a random URL-safe token, of which only the
SHA-256 (``core.tokens.digest``) is stored, looked up by that hash.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.core.tokens import digest
from madoguchi.portal import messages, throttle
from madoguchi.portal.models import EmailLoginLink, Level, Method, PortalIdentity

logger = logging.getLogger("madoguchi.portal")

MAX_TOKEN = 200


class Throttled(Exception):
    """Too many login mails asked for from one address or one network address."""


class LinkRefused(Exception):
    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = str(message)


LINK_UNKNOWN = _("このリンクは使えません。メールに書かれたリンクを、途中で切れないように"
                 "そのまま開いてください。")
LINK_EXPIRED = _("このリンクの有効期限が切れています。もう一度メールアドレスを入力して、"
                 "新しいリンクを受け取ってください。")
LINK_USED = _("このリンクはすでに使われました。リンクは1回だけ使えます。もう一度"
              "メールアドレスを入力して、新しいリンクを受け取ってください。")


def normalise_email(raw: str) -> str:
    """An address as typed (full-width ＠ and letters from a Japanese keyboard too), in
    one canonical form; raises ValidationError when it is not an address."""
    value = unicodedata.normalize("NFKC", raw or "").strip().lower()
    validate_email(value)
    return value


# ── e-mail one-time links ──────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class Limits:
    per_address: int
    per_ip: int
    window: dt.timedelta


def limits() -> Limits:
    return Limits(per_address=settings.PORTAL_EMAIL_LIMIT_PER_ADDRESS,
                  per_ip=settings.PORTAL_EMAIL_LIMIT_PER_IP,
                  window=dt.timedelta(minutes=settings.PORTAL_EMAIL_LIMIT_WINDOW_MINUTES))


def email_link_request(*, email: str, ip: str, next_path: str, origin: str,
                       language: str) -> EmailLoginLink:
    """Record a login link for ``email`` and queue its mail (the task makes the token).
    Whether or not anyone has used the address before makes no difference. Raises
    Throttled past the limits per address and per network address."""
    limit = limits()
    by_ip = throttle.hit(scope="email-ip", value=ip or "-", limit=limit.per_ip,
                         window=limit.window)
    by_address = throttle.hit(scope="email-address", value=email, limit=limit.per_address,
                              window=limit.window)
    if not (by_ip and by_address):
        logger.info("login mail refused: over the limit (%s)",
                    "network address" if not by_ip else "address")
        raise Throttled
    with transaction.atomic():
        link = EmailLoginLink.objects.create(
            email=email, next_path=next_path,
            expires_at=timezone.now() + dt.timedelta(minutes=settings.PORTAL_EMAIL_LINK_MINUTES))
        messages.login_link_notice(link_id=link.pk, origin=origin, language=language)
    logger.info("login link %s queued", link.pk)
    return link


def email_link_find(*, token: str) -> EmailLoginLink:
    """The link a token opens; raises LinkRefused (unknown, used, expired)."""
    if not token or len(token) > MAX_TOKEN:
        raise LinkRefused("unknown", LINK_UNKNOWN)
    link = EmailLoginLink.objects.filter(token_hash=digest(token)).first()
    if link is None:
        raise LinkRefused("unknown", LINK_UNKNOWN)
    _usable(link)
    return link


def _usable(link: EmailLoginLink) -> None:
    if link.used_at is not None:
        raise LinkRefused("used", LINK_USED)
    if timezone.now() >= link.expires_at:
        raise LinkRefused("expired", LINK_EXPIRED)


def email_link_get(*, link_id: int) -> EmailLoginLink:
    """An opened link, if it can still be used; raises LinkRefused."""
    link = EmailLoginLink.objects.filter(pk=link_id).first()
    if link is None:
        raise LinkRefused("unknown", LINK_UNKNOWN)
    _usable(link)
    return link


def email_link_use(*, link_id: int) -> tuple[PortalIdentity, str]:
    """Spend the link (once: a conditional UPDATE, so two tabs cannot both win) and log
    in as the identity of its address, made on first use. Every other unused link to
    the same address is spent with it. Returns the identity and the page to go to."""
    now = timezone.now()
    with transaction.atomic():
        link = email_link_get(link_id=link_id)
        spent = (EmailLoginLink.objects
                 .filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now)
                 .exclude(token_hash="").update(used_at=now))
        if not spent:
            raise LinkRefused("used", LINK_USED)
        EmailLoginLink.objects.filter(email=link.email, used_at__isnull=True).update(used_at=now)
        identity, created = PortalIdentity.objects.get_or_create(
            method=Method.EMAIL, email=link.email, defaults={"level": Level.EMAIL})
        identity.last_login_at = now
        identity.save(update_fields=["last_login_at"])
    logger.info("resident login by e-mail link %s (identity %s%s)", link.pk,
                identity.public_id, ", new" if created else "")
    return identity, link.next_path


# ── OpenID Connect ─────────────────────────────────────────────────────────────────────

def oidc_login(*, issuer: str, subject: str, level: Level, email: str = "",
               display_name: str = "", birth_date=None) -> PortalIdentity:
    """The identity of (issuer, subject), made on first login; the name, birth date and
    verified address the provider gave are kept up to date."""
    now = timezone.now()
    with transaction.atomic():
        identity, created = PortalIdentity.objects.select_for_update().get_or_create(
            method=Method.OIDC, issuer=issuer, subject=subject,
            defaults={"level": level, "email": email, "display_name": display_name,
                      "birth_date": birth_date})
        identity.last_login_at = now
        if Level(level).rank > Level(identity.level).rank:
            identity.level = level
        identity.email = email or identity.email
        identity.display_name = display_name or identity.display_name
        identity.birth_date = birth_date or identity.birth_date
        identity.save()
    logger.info("resident login by OpenID Connect (identity %s%s)", identity.public_id,
                ", new" if created else "")
    return identity

