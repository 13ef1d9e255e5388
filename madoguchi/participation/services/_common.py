"""What the participation services share: the refusal, the live states of a registration,
its cancel secret and its audit entry."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.core.exceptions import ValidationError

from madoguchi.audit import services as audit
from madoguchi.core.tokens import digest
from madoguchi.participation.models import Registration, RegStatus


class ParticipationError(ValidationError):
    """A refusal with a message for the person (Japanese first)."""


_LIVE = (RegStatus.APPLIED, RegStatus.CONFIRMED, RegStatus.WAITLISTED)


def _secret(registration: Registration) -> str:
    secret = secrets.token_urlsafe(24)
    registration.cancel_digest = digest(secret)
    return secret


def _audit(by, registration: Registration, action: str, source: str,
           fields: Sequence[str] = ()) -> None:
    # A resident on the public page has no account: the entry names the registration.
    audit.record(actor=by, action=action, record_type="participation.registration",
                 record_id=registration.public_id, source=source, fields=fields,
                 portal_ref="" if by else f"registration:{registration.public_id}")
