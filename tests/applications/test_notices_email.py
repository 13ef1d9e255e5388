"""A notice delivered by e-mail, through a real SMTP server and the real task worker: the
task makes the link's token and stores only its digest; opening the link shows what the
notice is (a mail scanner opening it marks nothing), the button downloads it and records
when the resident opened it; the link ends after 14 days."""

from __future__ import annotations

import datetime as dt
import logging
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.applications.models import Delivery, Notice
from madoguchi.applications.services import notices
from madoguchi.audit.models import AuditEntry
from madoguchi.core.tokens import digest
from tests.applications.conftest import staff_actor
from tests.applications.review_support import decided, receive_jido
from tests.notifications.conftest import Inbox, run_worker, smtp  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "hanako@example.jp"


def link_in(inbox) -> str:
    body = inbox.to(ADDRESS)[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/notice/\S+/", body).group(0)


def test_the_mailed_link_shows_then_downloads_the_notice(
        catalogue, strong_identity, ikejiri, files_dir, kodomo_staff,
        smtp, caplog):  # noqa: F811 (smtp: the fixture)
    caplog.set_level(logging.DEBUG)
    claim = decided(receive_jido(strong_identity, ikejiri), kodomo_staff)
    notice = notices.notice_create(actor=staff_actor(kodomo_staff, "review:notice_create"),
                                   application=claim, delivery=Delivery.EMAIL,
                                   origin="http://testserver")
    assert smtp.raw == []  # only queued
    run_worker()
    [mail] = smtp.to(ADDRESS)
    assert mail["Subject"].strip() == "【世田谷区】通知書をお届けします"
    link = link_in(smtp)
    token = urlsplit(link).path.split("/")[2]
    notice.refresh_from_db()
    assert notice.link_hash == digest(token) and notice.sent_at is not None
    assert notice.link_expires_at - notice.sent_at > dt.timedelta(days=13, hours=23)
    for task in DBTaskResult.objects.all():
        assert token not in str(task.args_kwargs) and token not in str(task.return_value)
        assert ADDRESS not in str(task.args_kwargs)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("madoguchi")]
    assert ours and not any(token in message for message in ours)

    browser = Client()
    for _ in range(2):  # a mail scanner, then the resident: neither opens it yet
        shown = browser.get(urlsplit(link).path)
        assert shown.status_code == 200
        assert "児童手当 認定通知書" in shown.content.decode()
        assert shown["Referrer-Policy"] == "same-origin"  # the token goes to no one else
    notice.refresh_from_db()
    assert notice.opened_at is None

    download = browser.post(urlsplit(link).path)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    notice.refresh_from_db()
    assert notice.opened_at is not None
    entry = AuditEntry.objects.filter(source="notices:link").get()
    assert entry.portal_ref == f"notice-link:{notice.public_id}"

    assert browser.get("/notice/not-a-real-token/").status_code == 404
    Notice.objects.filter(pk=notice.pk).update(
        link_expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = browser.post(urlsplit(link).path)
    assert expired.status_code == 410 and "有効期限" in expired.content.decode()


def test_email_needs_an_address(catalogue, strong_identity, ikejiri, files_dir, kodomo_staff):
    from django.core.exceptions import ValidationError

    strong_identity.email = ""
    strong_identity.save()
    claim = decided(receive_jido(strong_identity, ikejiri, email=""), kodomo_staff)
    assert claim.contact_email == ""
    with pytest.raises(ValidationError) as error:
        notices.notice_create(actor=staff_actor(kodomo_staff), application=claim,
                              delivery=Delivery.EMAIL)
    assert "郵送を選んでください" in error.value.messages[0]
