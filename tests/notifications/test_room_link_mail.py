"""One-time links sent by e-mail: the host issues a link and ticks 「メールでも送る」; the
worker sends it once the request's transaction has committed (real SMTP, real worker).
The link appears in the mail only: never in a log line or in the task queue in clear."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from madoguchi.meetings.models import RoomAccess
from madoguchi.notifications.links import seal, unseal
from madoguchi.scheduling.models import ParticipantKind
from tests.helpers import login
from tests.meetings.conftest import build_world

from .conftest import TOKYO, free_port, run_worker
from .conftest import queued as queued_of

pytestmark = pytest.mark.django_db(transaction=True)
JOIN = re.compile(r"http://testserver/meet/join/[A-Za-z0-9_-]+/")


@pytest.fixture
def world(make_staff):
    world = build_world(make_staff)
    resident = world.consultation.resident
    resident.email = "yamada.hanako@example.jp"
    resident.save(update_fields=["email"])
    guest = world.booking.participants.get(kind=ParticipantKind.GUEST)
    guest.email = "soudan@agency.example"
    guest.save(update_fields=["email"])
    world.resident_participant = world.booking.participants.get(kind=ParticipantKind.RESIDENT)
    world.guest_participant = guest
    # The booking's own notices (composed by the worker from the addresses stored when it
    # runs) are not what these tests are about.
    DBTaskResult.objects.all().delete()
    return world


def issue(client, world, participant, *, mail: bool = True):
    data = {"participant": participant.pk}
    if mail:
        data["send_mail"] = "1"
    return client.post(reverse("meetings:link_create",
                               kwargs={"public_id": world.room.public_id}), data)


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_link_is_mailed_after_commit_in_japanese_with_the_wareki_date(
        client, world, smtp, caplog):
    caplog.set_level(logging.DEBUG, logger="madoguchi")
    caplog.set_level(logging.DEBUG, logger="django")
    login(client, world.staff.host)
    room_page = client.get(reverse("meetings:room", kwargs={"public_id": world.room.public_id}))
    assert room_page.content.decode().count('name="send_mail"') == 2  # both have an address

    response = issue(client, world, world.resident_participant)
    assert response.status_code == 200
    page = response.content.decode()
    [url] = set(JOIN.findall(page))
    assert "メールでお送りします" in page
    assert smtp.raw == []  # the request only queued it
    [queued] = queued_of("room_link")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in json.dumps(queued.args_kwargs)

    run_worker()
    [message] = smtp.to("yamada.hanako@example.jp")
    text = body(message)
    start = world.booking.start.astimezone(TOKYO)
    subject = str(message["Subject"]).strip()
    assert subject.startswith("【世田谷区】オンライン相談の参加用リンク 令和")
    assert url in text
    assert text.startswith("山田\u3000花子 様")
    assert f"{start:%H:%M}〜" in text and "令和" in text and f"（{start.year}年）" in text
    assert "あなた専用" in text and "同時に使えるのは1台の端末だけ" in text
    assert "有効期限" in text and "相談の終了時刻" in text
    assert "担当の職員が入室を許可すると、通話が始まります。" in text
    assert not list(message.iter_attachments())
    # The link opens the call for the resident.
    assert client.get(url.replace("http://testserver", "")).status_code == 200

    done = DBTaskResult.objects.get(pk=queued.pk)
    assert done.status == "SUCCESSFUL" and done.return_value == "sent"
    assert all(token not in record.getMessage() for record in caplog.records)
    assert all(url not in record.getMessage() for record in caplog.records)


def test_english_speakers_get_an_english_mail(client, world, smtp):
    resident = world.consultation.resident
    resident.preferred_language = "en"
    resident.save(update_fields=["preferred_language"])
    login(client, world.staff.host)
    [url] = set(JOIN.findall(issue(client, world, world.resident_participant)
                             .content.decode()))
    run_worker()
    [message] = smtp.to("yamada.hanako@example.jp")
    text = body(message)
    assert str(message["Subject"]).strip().startswith(
        "[Setagaya City] Your link to the online consultation")
    assert url in text and "for you only" in text and "(Japan time)" in text
    assert "令和" not in text


def test_a_link_issued_again_before_the_worker_ran_sends_only_the_new_one(client, world, smtp):
    login(client, world.staff.host)
    [first] = set(JOIN.findall(issue(client, world, world.guest_participant).content.decode()))
    [second] = set(JOIN.findall(issue(client, world, world.guest_participant).content.decode()))
    run_worker()
    [message] = smtp.to("soudan@agency.example")
    assert second in body(message) and first not in body(message)
    results = sorted(r.return_value for r in queued_of("room_link"))
    assert results == ["sent", "skipped: revoked or expired"]


def test_without_the_box_or_without_an_address_nothing_is_mailed(client, world, smtp):
    login(client, world.staff.host)
    assert issue(client, world, world.guest_participant, mail=False).status_code == 200
    world.guest_participant.email = ""
    world.guest_participant.save(update_fields=["email"])
    before = RoomAccess.objects.count()
    response = issue(client, world, world.guest_participant)
    assert response.status_code == 400
    assert "メールアドレスが登録されていないため" in response.content.decode()
    assert RoomAccess.objects.count() == before  # no link issued either
    run_worker()
    assert smtp.raw == []
    page = client.get(reverse("meetings:room", kwargs={"public_id": world.room.public_id}))
    assert page.content.decode().count('name="send_mail"') == 1  # the resident only


def test_a_mail_server_failure_keeps_neither_link_nor_address(client, world, settings, caplog):
    caplog.set_level(logging.DEBUG, logger="madoguchi")
    caplog.set_level(logging.DEBUG, logger="django")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    login(client, world.staff.host)
    [url] = set(JOIN.findall(issue(client, world, world.resident_participant)
                             .content.decode()))
    run_worker()
    [failed] = queued_of("room_link")
    assert failed.status == "FAILED"
    stored = json.dumps([failed.args_kwargs, failed.traceback, failed.exception_class_path],
                        ensure_ascii=False)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in stored and "yamada.hanako" not in stored
    assert all(token not in r.getMessage() and "yamada.hanako" not in r.getMessage()
               for r in caplog.records)


def test_sealing():
    sealed = seal("http://testserver/meet/join/abc/")
    assert "abc" not in sealed
    assert unseal(sealed) == "http://testserver/meet/join/abc/"
    assert unseal("not a sealed link") is None
