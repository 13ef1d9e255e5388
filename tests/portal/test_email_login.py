"""The e-mail one-time link, from the form to the resident's inbox (a real SMTP server,
the real task worker) and back: once, for a short time, hashed at rest, the same answer
for every address, limited per address and per network address."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.portal.models import EmailLoginLink, Level, Method, PortalIdentity, Throttle
from tests.portal.conftest import local, mail_link, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "hanako@example.jp"


def ask(client, email=ADDRESS, *, next_path="", **extra):
    return client.post("/portal/login/email/", {"email": email, "next": next_path}, **extra)


def open_link(client, link: str):
    """Open the mailed link, then press 「ログインする」; returns the two answers."""
    opened = client.get(local(link))
    return opened, client.post("/portal/login/email/confirm/")


def test_resident_logs_in_with_the_mailed_link(client, smtp):
    response = ask(client, "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")  # typed in full width
    assert response.status_code == 302 and response["Location"] == "/portal/login/email/sent/"
    sent_page = client.get(response["Location"]).content.decode()
    assert ADDRESS in sent_page and "30分間・1回だけ" in sent_page
    assert smtp.raw == []  # the request only queued the mail

    run_worker()
    [mail] = smtp.to(ADDRESS)
    assert mail["Subject"].strip() == "【世田谷区】マイページに入るためのリンク"
    link = mail_link(smtp, ADDRESS)
    assert urlsplit(link).netloc == "testserver"

    opened = client.get(local(link))
    # The token leaves the address bar at once: the next page's address is clean.
    assert opened.status_code == 302 and opened["Location"] == "/portal/login/email/confirm/"
    confirm = client.get("/portal/login/email/confirm/")
    assert "ha****@example.jp" in confirm.content.decode()
    assert not PortalIdentity.objects.exists()  # opening alone logs nobody in

    done = client.post("/portal/login/email/confirm/")
    assert done.status_code == 302 and done["Location"] == "/portal/"
    identity = PortalIdentity.objects.get()
    assert (identity.method, identity.level, identity.email) == (Method.EMAIL, Level.EMAIL,
                                                                 ADDRESS)
    assert identity.last_login_at is not None
    home = client.get("/portal/").content.decode()
    assert ADDRESS in home and "わたしの申請" in home


def test_link_works_once(client, smtp):
    ask(client)
    run_worker()
    link = mail_link(smtp, ADDRESS)
    assert open_link(client, link)[1].status_code == 302
    client.post("/portal/logout/")
    opened, refused = open_link(Client(), link)
    assert opened["Location"] == "/portal/login/email/confirm/"
    assert refused.status_code == 410
    assert "すでに使われました" in refused.content.decode()


def test_link_can_be_opened_in_another_browser(client, smtp):
    """Asked for on a computer, opened on the phone that reads the mail."""
    ask(client)
    run_worker()
    phone = Client()
    assert open_link(phone, mail_link(smtp, ADDRESS))[1]["Location"] == "/portal/"
    assert phone.get("/portal/").status_code == 200
    assert client.get("/portal/").status_code == 302


def test_expired_link_is_refused(client, smtp):
    ask(client)
    run_worker()
    link = mail_link(smtp, ADDRESS)
    # 31 minutes later:
    EmailLoginLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    opened, refused = open_link(client, link)
    assert refused.status_code == 410 and "有効期限が切れています" in refused.content.decode()
    assert not PortalIdentity.objects.exists()


def test_unknown_or_mangled_token_is_refused_without_saying_more(client):
    client.get("/portal/login/email/not-a-real-token/")
    page = client.get("/portal/login/email/confirm/")
    assert page.status_code == 410 and "このリンクは使えません" in page.content.decode()


def test_using_one_link_spends_the_others_to_that_address(client, smtp):
    ask(client)
    ask(client)
    run_worker()
    first, second = (m.get_body(preferencelist=("plain",)).get_content()
                     for m in smtp.to(ADDRESS))
    assert first != second
    second_link = mail_link(smtp, ADDRESS)
    assert open_link(client, second_link)[1].status_code == 302
    assert EmailLoginLink.objects.filter(used_at__isnull=True).count() == 0


def test_token_is_stored_nowhere_but_as_a_hash(client, smtp):
    ask(client)
    run_worker()
    token = urlsplit(mail_link(smtp, ADDRESS)).path.rstrip("/").rsplit("/", 1)[1]
    link = EmailLoginLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for task in DBTaskResult.objects.all():
        assert token not in str(task.args_kwargs) and token not in str(task.return_value)
        assert ADDRESS not in str(task.args_kwargs)


def test_every_address_gets_the_same_answer(client, smtp):
    """No account enumeration: a known address and a new one are answered alike."""
    PortalIdentity.objects.create(method=Method.EMAIL, level=Level.EMAIL, email=ADDRESS)
    known, unknown = ask(client), ask(Client(), "new.resident@example.jp")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    run_worker()
    assert smtp.to(ADDRESS) and smtp.to("new.resident@example.jp")


def test_bad_address_is_explained_next_to_the_field(client, smtp):
    response = ask(client, "hanako.example.jp")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_email_error"' in body and "@（アットマーク）" in body
    assert 'value="hanako.example.jp"' in body  # what was typed is kept
    assert not EmailLoginLink.objects.exists()


def test_limit_per_address(client, smtp, settings):
    settings.PORTAL_EMAIL_LIMIT_PER_ADDRESS = 2
    assert [ask(Client(REMOTE_ADDR=f"192.0.2.{n}")).status_code for n in range(3)] == [302,
                                                                                       302, 429]
    refused = ask(client)
    assert "しばらく受け付けを止めています" in refused.content.decode()
    assert EmailLoginLink.objects.count() == 2
    assert ask(client, "other@example.jp").status_code == 302  # others are not affected
    for row in Throttle.objects.all():
        assert ADDRESS not in row.key and "127.0.0.1" not in row.key


def test_limit_per_network_address(client, smtp, settings):
    settings.PORTAL_EMAIL_LIMIT_PER_IP = 3
    answers = [ask(client, f"resident{n}@example.jp").status_code for n in range(4)]
    assert answers == [302, 302, 302, 429]
    assert ask(Client(REMOTE_ADDR="192.0.2.7"), "resident9@example.jp").status_code == 302


def test_english_page_sends_an_english_mail(client, smtp):
    ask(client, HTTP_ACCEPT_LANGUAGE="en")
    run_worker()
    [mail] = smtp.to(ADDRESS)
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert mail["Subject"].strip() == "Setagaya City: your link to sign in to My Page"
    assert body.startswith("You (or someone who typed your address) asked to sign in")
    assert "マイページに入るためのリンク" in body  # the Japanese text follows


def test_comes_back_to_the_page_the_resident_was_on(client, smtp):
    ask(client, next_path="/portal/?from=procedure")
    run_worker()
    assert open_link(client, mail_link(smtp, ADDRESS))[1]["Location"] == "/portal/?from=procedure"


def test_next_pointing_elsewhere_is_dropped(client, smtp):
    ask(client, next_path="https://evil.example/")
    run_worker()
    assert open_link(client, mail_link(smtp, ADDRESS))[1]["Location"] == "/portal/"


def test_neither_address_nor_token_reaches_the_logs(client, smtp, caplog):
    with caplog.at_level(logging.DEBUG):
        ask(client)
        run_worker()
        link = mail_link(smtp, ADDRESS)
        open_link(client, link)
        client.get(local(link))  # once more: refused
        client.get("/portal/login/email/confirm/")
    token = urlsplit(link).path.rstrip("/").rsplit("/", 1)[1]
    assert caplog.records
    for record in caplog.records:
        if record.name.startswith("mail.log"):
            continue  # the test's SMTP server (the resident's mailbox), not madoguchi
        message = record.getMessage()
        assert token not in message and ADDRESS not in message and "hanako" not in message
