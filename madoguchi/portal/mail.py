"""The login-link mail: Japanese, or English first when the resident used the English
page (the Japanese text follows, as in the ward's other mails)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from madoguchi.core.dates import wareki
from madoguchi.portal.models import EmailLoginLink

SUBJECT = "【世田谷区】マイページに入るためのリンク"
SUBJECT_EN = "Setagaya City: your link to sign in to My Page"


def compose_login_mail(*, link: EmailLoginLink, token: str, origin: str,
                       language: str) -> EmailMessage:
    english = language == "en"
    with translation.override("ja"):
        path = reverse("portal:email_open", kwargs={"token": token})
        until = timezone.localtime(link.expires_at)
        body = render_to_string("portal/mail/login_link.txt", {
            "url": origin.rstrip("/") + path,
            "minutes": settings.PORTAL_EMAIL_LINK_MINUTES,
            "until": f"{wareki(until, weekday=True)} {until:%H:%M}",
            "until_en": f"{until:%H:%M} (Japan time) on {until:%-d %b %Y}",
            "english": english,
        })
    return EmailMessage(subject=SUBJECT_EN if english else SUBJECT, body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[link.email],
                        headers={"Auto-Submitted": "auto-generated"})
