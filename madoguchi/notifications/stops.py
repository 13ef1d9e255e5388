"""Stop links of residents' mail (ADR 0054): one click stops the daily digest (every
notice that is not a confirmation or a reminder) to an address.

The link is a signed token naming the address's ``Mailbox`` id and the scope, never the
address: a forwarded or logged link tells nothing about the person. The link also goes in
the List-Unsubscribe header (RFC 2369) with List-Unsubscribe-Post (RFC 8058), so the mail
program offers its own button.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.notifications.models import DIGEST, Mailbox, MailStop

SALT = "madoguchi.notifications.stop"


class StopRefused(Exception):  # noqa: N818 (a refusal with a message for the person)
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normal(address: str) -> str:
    return (address or "").strip().lower()


def mailbox_for(address: str, *, language: str = "ja") -> Mailbox:
    return Mailbox.objects.get_or_create(address=normal(address),
                                         defaults={"language": language})[0]


def token(mailbox: Mailbox, scope: str = DIGEST) -> str:
    return signing.dumps({"m": mailbox.pk, "s": scope}, salt=SALT)


def stop_url(address: str, *, scope: str = DIGEST, language: str = "ja") -> str:
    path = reverse("notifications:stop",
                   kwargs={"token": token(mailbox_for(address, language=language), scope)})
    return settings.NOTIFICATIONS_PUBLIC_ORIGIN.rstrip("/") + path


def headers(url: str) -> tuple[tuple[str, str], ...]:
    return (("List-Unsubscribe", f"<{url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))


def stopped(address: str, scope: str = DIGEST) -> bool:
    return MailStop.objects.filter(mailbox__address=normal(address), scope=scope).exists()


def stop(*, token: str) -> MailStop:
    """Stop what the token names; again is harmless. Raises StopRefused (Japanese)."""
    try:
        value = signing.loads(token, salt=SALT)
        mailbox = Mailbox.objects.get(pk=int(value["m"]))
        scope = str(value["s"])
    except (signing.BadSignature, Mailbox.DoesNotExist, KeyError, TypeError, ValueError):
        raise StopRefused(_("このリンクは正しくないか、古くなっています。"
                            "メールに書かれたリンクをそのまま開いてください。")) from None
    found, created = MailStop.objects.get_or_create(mailbox=mailbox, scope=scope)
    if created and scope == DIGEST:
        mailbox.items.filter(send__isnull=True).delete()  # the waiting notices go too
    return found
