"""One-time codes that let the centre link an application to a resident's portal identity
with the resident present (ADR 0027): the portal shows the code, the clerk types it.

Eight digits, valid ``CODE_MINUTES``, usable once; only a keyed digest (HMAC with the
secret key) is stored, so a copy of the table cannot be searched for codes. Only an
identity whose provider verified a name and a birth date (a My Number Card login) gets one.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from madoguchi.portal.models import Level, LinkCode, PortalIdentity

CODE_MINUTES = 10
DIGITS = 8


class CodeRefused(Exception):
    """The code is unknown, used or expired."""


def _digest(code: str) -> str:
    return salted_hmac("madoguchi.portal.link-code", code).hexdigest()


def normalise(code: str) -> str:
    """What the clerk typed, without spaces or hyphens, full-width digits folded."""
    import unicodedata

    text = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in text if ch.isdigit())


def can_link(identity: PortalIdentity) -> bool:
    return (identity.level == Level.STRONG and identity.birth_date is not None
            and bool(identity.display_name))


def issue(*, identity: PortalIdentity) -> tuple[str, dt.datetime]:
    """A fresh code for ``identity`` (its earlier unused codes are spent); returns the code
    and when it expires."""
    if not can_link(identity):
        raise CodeRefused("identity not verified")
    now = timezone.now()
    with transaction.atomic():
        LinkCode.objects.filter(identity=identity, used_at__isnull=True).update(used_at=now)
        while True:
            code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
            if not LinkCode.objects.filter(code_hash=_digest(code)).exists():
                break
        expires = now + dt.timedelta(minutes=CODE_MINUTES)
        LinkCode.objects.create(identity=identity, code_hash=_digest(code), expires_at=expires)
    return code, expires


def take(*, code: str) -> PortalIdentity:
    """The identity a code was shown to; the code is spent (a conditional UPDATE, once).
    Call inside the transaction of the link it is used for. Raises CodeRefused."""
    code = normalise(code)
    if len(code) != DIGITS:
        raise CodeRefused("malformed")
    now = timezone.now()
    row = LinkCode.objects.select_related("identity").filter(code_hash=_digest(code)).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise CodeRefused("unknown, used or expired")
    if not LinkCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        raise CodeRefused("used")
    return row.identity


def display(code: str) -> str:
    """``1234 5678``: easier to read out and type."""
    return f"{code[:4]} {code[4:]}"
