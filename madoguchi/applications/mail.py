"""The mail that brings a resident the link to their decision notice (Japanese)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from madoguchi.applications.models import Notice
from madoguchi.core.dates import wareki

SUBJECT = "【世田谷区】通知書をお届けします"


def compose_notice_mail(*, notice: Notice, token: str, origin: str) -> EmailMessage:
    application = notice.application
    with translation.override("ja"):
        path = reverse("notices:link", kwargs={"token": token})
        until = timezone.localtime(notice.link_expires_at)
        body = render_to_string("applications/mail/notice_link.txt", {
            "url": (origin or "").rstrip("/") + path,
            "title": notice.title,
            "procedure": application.version.display_name,
            "reference": application.reference,
            "until": f"{wareki(until, weekday=True)} {until:%H:%M}",
            "section": application.section.name,
            "phone": application.section.phone,
        })
    return EmailMessage(subject=SUBJECT, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[application.contact_email],
                        headers={"Auto-Submitted": "auto-generated"})
