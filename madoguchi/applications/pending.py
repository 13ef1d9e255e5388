"""Input posted to a draft after the resident's portal login timed out ("nothing lost").

``keep`` seals the posted fields (Fernet, key derived from SECRET_KEY with its own salt)
into a ``PendingInput`` row that expires after ``PENDING_SECONDS``, keyed by the digest of
a random token; the token goes back in a short-lived cookie (never in a URL). ``take``
returns the fields for a draft, once, only to the browser holding the cookie and only
for that draft; the caller has already checked that the draft belongs to the resident
who logged in.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from madoguchi.applications.models import PendingInput
from madoguchi.core.crypto import derived
from madoguchi.core.tokens import digest

COOKIE = "madoguchi_pending"
PENDING_SECONDS = 3600
MAX_FIELDS = 2000
_KEY_SALT = "madoguchi.applications.pending-input"
_SKIPPED = frozenset({"csrfmiddlewaretoken", "idempotency_key"})


def _fernet() -> Fernet:
    return derived(_KEY_SALT)


def keep(*, public_id: uuid.UUID, data: QueryDict) -> str:
    """Seal ``data`` (the posted form, without its files) for the draft ``public_id``;
    returns the token for the cookie."""
    fields = {key: data.getlist(key) for key in list(data.keys())[:MAX_FIELDS]
              if key not in _SKIPPED}
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    PendingInput.objects.filter(expires_at__lt=now).delete()
    PendingInput.objects.create(
        token_hash=digest(token), application_public_id=public_id,
        sealed=_fernet().encrypt(json.dumps(fields, ensure_ascii=False).encode()).decode(),
        expires_at=now + dt.timedelta(seconds=PENDING_SECONDS))
    return token


def take(*, token: str | None, public_id: uuid.UUID) -> QueryDict | None:
    """The posted fields kept for the draft ``public_id`` under ``token`` (then forgotten),
    or None (no such token, expired, another draft, or unreadable)."""
    if not token:
        return None
    row = PendingInput.objects.filter(token_hash=digest(token),
                                      application_public_id=public_id).first()
    if row is None:
        return None
    row.delete()
    if row.expires_at < timezone.now():
        return None
    try:
        fields = json.loads(_fernet().decrypt(row.sealed.encode("ascii")))
    except (InvalidToken, ValueError):
        return None
    data = QueryDict(mutable=True)
    for key, values in fields.items():
        data.setlist(key, [str(v) for v in values])
    return data


def set_cookie(response, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=PENDING_SECONDS, path="/portal/applications/",
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE, path="/portal/applications/", samesite="Lax")
