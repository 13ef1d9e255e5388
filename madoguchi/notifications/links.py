"""The e-mail that carries a participant's one-time link to a video consultation.

The link is a credential: the room keeps only its hash, and no log line, task argument or
task result may hold it in clear. The request that issues it seals it (Fernet, with a key
derived from SECRET_KEY) into the mail task's arguments; the worker opens it only to
compose the message. Japanese, or English for a participant whose language is English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from madoguchi.core.crypto import derived
from madoguchi.core.dates import wareki
from madoguchi.notifications.ical import TOKYO
from madoguchi.notifications.mail import (
    contact_line,
    contact_phone,
    section_label,
    when,
    when_en,
)

if TYPE_CHECKING:
    from madoguchi.meetings.models import RoomAccess
    from madoguchi.notifications.mail import Recipient

_KEY_SALT = "madoguchi.notifications.room-link"


def _fernet() -> Fernet:
    return derived(_KEY_SALT)


def seal(url: str) -> str:
    return _fernet().encrypt(url.encode()).decode("ascii")


def unseal(sealed: str) -> str | None:
    """The link, or None when it cannot be opened (e.g. SECRET_KEY changed)."""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None


def compose_room_link(*, link: RoomAccess, recipient: Recipient, url: str) -> EmailMessage:
    booking = link.room.booking
    start = timezone.localtime(booking.start, TOKYO)
    expires = timezone.localtime(link.expires_at, TOKYO)
    context = {
        "recipient": recipient, "url": url, "section_label": section_label(booking.section),
        "when": when(booking.start, booking.end), "when_en": when_en(booking.start, booking.end),
        "expires": f"{wareki(expires, weekday=True)} {expires:%H:%M}",
        "expires_en": f"{expires:%H:%M} on {expires:%a %-d %b %Y} (Japan time)",
        "contact": contact_line(booking), "contact_phone": contact_phone(booking)[1],
    }
    if recipient.english:
        body = render_to_string("notifications/mail/room_link_en.txt", context)
        subject = f"[Setagaya City] Your link to the online consultation on {start:%-d %b %Y}"
    else:
        body = render_to_string("notifications/mail/room_link.txt", context)
        subject = (f"【世田谷区】オンライン相談の参加用リンク {wareki(start, weekday=True)} "
                   f"{start:%H:%M}")
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[recipient.email], headers={"Auto-Submitted": "auto-generated"})
