"""Check-in with the pass (ADR 0060): the confirmation page and mail carry a QR of a URL
with an unguessable token and no personal data; staff scan it (or type it) on the event's
check-in page, the registration is marked attended once and audited; another event's pass,
a cancelled registration and an unknown pass are refused with a clear Japanese message."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from madoguchi.audit.models import AuditEntry
from madoguchi.participation import checkin, services
from madoguchi.participation.models import Registration
from tests.helpers import login

from .conftest import LINK, enrol, published, run_worker

PASS = re.compile(r"/events/pass/([A-Za-z0-9_-]{32})/")


def scan(client, event, text: str):
    return client.post(reverse("participation:checkin", kwargs={"event": event.public_id}),
                       {"scanned": text})


@pytest.mark.django_db(transaction=True)
def test_the_pass_on_the_page_and_in_the_mail_checks_the_registrant_in_once(
        setagaya, author, head, client, smtp, settings):
    settings.NOTIFICATIONS_PUBLIC_ORIGIN = "http://localhost:8000"
    event = published(author, head)
    done = client.post(reverse("events:event", kwargs={"event": event.public_id}), {
        "name": "世田谷 花子", "email": "hanako@mail.example.jp", "phone": "", "people": "2",
        "needs": ""})
    html = done.content.decode()
    assert "<svg" in html and "受付用のQRコード" in html  # the QR, with its title
    page_token = PASS.search(html).group(1)
    run_worker()
    [mail] = smtp.to("hanako@mail.example.jp")
    body = mail.get_body(("plain",)).get_content()
    url = re.search(r"http://localhost:8000/events/pass/[A-Za-z0-9_-]{32}/", body).group(0)
    assert PASS.search(url).group(1) == page_token  # the same pass in the page and the mail
    registration = Registration.objects.get()
    for personal in ("hanako", "世田谷", str(registration.public_id)):
        assert personal not in url
    # The random token may hold any digit: the id is not one of the URL's path segments.
    assert str(registration.pk) not in url.split("/")
    pass_page = client.get(PASS.search(url).group(0))
    assert pass_page.status_code == 200 and "<svg" in pass_page.content.decode()
    assert "世田谷 花子" not in pass_page.content.decode()

    login(client, author)
    checkin_page = client.get(reverse("participation:checkin",
                                      kwargs={"event": event.public_id}))
    assert 'name="scanned"' in checkin_page.content.decode()
    first = scan(client, event, url)  # what the QR scanner types: the whole URL
    assert first.status_code == 200
    assert "世田谷 花子 様（2人）の出席を記録しました" in first.content.decode()
    registration.refresh_from_db()
    attended = registration.attended_at
    assert attended is not None
    again = scan(client, event, page_token)  # the token alone; a second scan
    assert again.status_code == 200 and "受付済みです" in again.content.decode()
    registration.refresh_from_db()
    assert registration.attended_at == attended  # idempotent
    entries = AuditEntry.objects.filter(record_id=str(registration.public_id))
    assert entries.filter(source="participation:attendance", action="update").count() == 1
    assert entries.filter(source="participation:checkin", action="view").count() == 1


@pytest.mark.django_db
def test_another_events_pass_a_cancelled_one_and_nonsense_are_refused_in_japanese(
        setagaya, author, head, client):
    event = published(author, head)
    other = published(author, head, title="防災塾")
    [mine, leaving] = enrol(event, 2, prefix="mine")
    [theirs] = enrol(other, 1, prefix="theirs")
    login(client, author)

    wrong = scan(client, event, checkin.pass_url(checkin.issue(theirs.registration)))
    assert wrong.status_code == 409
    assert "この受付票は別のイベント「防災塾」のものです" in wrong.content.decode()

    token = checkin.issue(leaving.registration)
    services.cancel(registration=leaving.registration, link_base=LINK)
    cancelled = scan(client, event, token)
    assert cancelled.status_code == 409
    assert "この申込は取り消されています" in cancelled.content.decode()
    assert "取り消されています" in client.get(
        reverse("events:pass", kwargs={"token": token})).content.decode()

    unknown = scan(client, event, "x" * 32)
    assert unknown.status_code == 409 and "この受付票は見つかりません" in unknown.content.decode()
    empty = scan(client, event, "こんにちは")
    assert empty.status_code == 409 and "受付票のQRコードを読み取るか" in empty.content.decode()
    assert client.get(reverse("events:pass", kwargs={"token": "x" * 32})).status_code == 404
    assert not Registration.objects.filter(attended_at__isnull=False).exists()
    # A pass never shown (never issued) opens nothing either.
    assert checkin.by_token(checkin.pass_token(mine.registration)) is None


@pytest.mark.django_db
def test_the_check_in_page_is_for_the_events_staff_only(
        setagaya, author, head, client, make_staff):
    from madoguchi.accounts.models import Role

    event = published(author, head)
    stranger = make_staff(Role.DISTRICT_STAFF, "setagaya/taishido/machizukuri-center",
                          "taishido-staff")
    login(client, stranger)
    response = client.get(reverse("participation:checkin", kwargs={"event": event.public_id}))
    assert response.status_code in (403, 404)
