"""Mail that people read (issue 15 item 5, ADR 0054): notices that are not confirmations or
reminders reach a registrant as at most one digest a day, also when the daily task runs
twice; every mail to a resident carries a stop link (body and List-Unsubscribe), and the
link stops the digest in one click. Real SMTP (aiosmtpd), real worker."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.accounts.models import Role
from madoguchi.news import messages as news_messages
from madoguchi.news import services as news
from madoguchi.notifications import digest, notify
from madoguchi.notifications.models import DigestSend, MailStop
from madoguchi.notifications.tasks import send_digests
from madoguchi.participation import messages, services
from madoguchi.participation.models import Event, Mode

from .conftest import IKEJIRI, LINK, enrol, ikejiri, published, run_worker

STOP = re.compile(r"http://localhost:8000(/mail/stop/[^\s/]+/)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NOTIFICATIONS_PUBLIC_ORIGIN = "http://localhost:8000"


def move(author, event, **data) -> Event:
    return services.event_update(by=author, event=Event.objects.get(pk=event.pk), data=data)


@pytest.mark.django_db(transaction=True)
def test_two_notices_on_one_day_give_one_digest_even_when_the_task_runs_twice(
        setagaya, author, head, smtp):
    event = published(author, head)
    enrol(event, 1, prefix="digest")
    move(author, event, starts_at=dt.time(13), ends_at=dt.time(15))
    move(author, event, place="池尻まちづくりセンター 1階 ホール")
    run_worker()
    address = "digest0@mail.example.jp"
    [confirmation] = smtp.to(address)  # the confirmation is immediate; the notices wait
    assert "参加確定" in confirmation["Subject"]

    send_digests.enqueue(chain=False)
    send_digests.enqueue(chain=False)  # a second run (a retry) the same day
    run_worker()
    assert digest.send_due() == 0  # and a third, by hand
    run_worker()
    digests = [m for m in smtp.to(address) if "今日のお知らせ" in m["Subject"]]
    assert len(digests) == 1 and DigestSend.objects.count() == 1
    body = digests[0].get_body(("plain",)).get_content()
    assert body.count("日時または会場が変わりました") == 2
    assert "13:00〜15:00" in body and "1階 ホール" in body
    assert STOP.search(body).group(0) in str(digests[0]["List-Unsubscribe"])

    # A notice after today's digest waits for tomorrow's.
    move(author, event, place="池尻まちづくりセンター 3階")
    assert digest.send_due() == 0
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert digest.send_due(now=tomorrow) == 1
    run_worker()
    assert len([m for m in smtp.to(address) if "今日のお知らせ" in m["Subject"]]) == 2
    # The address is kept while it may be needed, then forgotten.
    assert digest.forget_idle() == 0
    assert digest.forget_idle(now=timezone.now() + dt.timedelta(days=200)) == 1


@pytest.mark.django_db(transaction=True)
def test_every_mail_to_a_resident_carries_a_stop_link(setagaya, author, head, make_staff, smtp):
    event = published(author, head, capacity=1)
    [first, second] = enrol(event, 2, prefix="seat")  # registered: confirmed and waitlisted
    services.cancel(registration=first.registration, link_base=LINK)  # promoted
    lottery = published(author, head, mode=Mode.LOTTERY, title="抽選の講座",
                        draw_at=timezone.now() + dt.timedelta(days=8))
    enrol(lottery, 1, prefix="lot")
    Event.objects.filter(pk=lottery.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(hours=1))
    services.draw(event=Event.objects.get(pk=lottery.pk), link_base=LINK)  # drawn
    messages.changed(registration_id=second.registration.pk, address="seat1@mail.example.jp")
    messages.reminder(registration_id=second.registration.pk,  # the day before a session
                      occurrence_id=event.occurrences.get().pk, link_base=LINK)
    # A change notice queued as a mail of its own before this version still has its link.
    notify.notify(messages.CHANGED, about={"registration": second.registration.pk})
    district = ikejiri()
    reader = news.subscribe(email="reader@example.jp", district=district, language="ja",
                            origin="http://testserver/")  # news_confirm
    run_worker()
    news.confirm(token=news.confirm_token(reader))
    writer = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "news-writer")
    approver = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "news-approver")
    post = news.post_save(by=writer, district=district, ward_wide=False, data=news.PostInput(
        title="夏まつり", body="8月1日に開きます。", body_easy="", title_en="", body_en=""))
    news.post_submit(post=post, by=writer)
    news.post_publish(post=post, by=approver, origin="http://testserver/")  # a digest item
    # A newsletter queued as a mail of its own before this version still has its link.
    notify.notify(news_messages.LETTER, about={"post": post.pk, "origin": "http://testserver/"})
    digest.send_due()  # notifications_digest
    run_worker()

    sent = {row.args_kwargs["kwargs"]["kind"] for row in DBTaskResult.objects.filter(
        task_path="madoguchi.notifications.tasks.deliver", status="SUCCESSFUL")
        if str(row.return_value).startswith("sent")}
    assert sent == set(notify.resident_kinds())
    assert len(smtp.messages) >= len(sent)
    [reader_digest] = [m for m in smtp.to("reader@example.jp") if "今日のお知らせ" in m["Subject"]]
    assert "夏まつり" in reader_digest.get_body(("plain",)).get_content()
    for mail in smtp.messages:
        header = str(mail["List-Unsubscribe"])
        link = re.search(r"<(http://[^>]+)>", header).group(1)
        assert link in mail.get_body(("plain",)).get_content(), mail["Subject"]
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "@" not in link.split("/stop/")[-1]  # no address in the link


@pytest.mark.django_db
def test_the_stop_link_stops_the_digest_and_a_bad_one_is_refused_in_japanese(
        setagaya, author, head):
    event = published(author, head)
    [one] = enrol(event, 1, prefix="stop")
    address = "stop0@mail.example.jp"
    path = STOP.search(notify.render(digest.KIND, notify.Letter(
        recipient=notify.Recipient(address=address), context={"lines": ["x"],
                                                               "day": timezone.localdate()})
    ).body).group(1)
    assert address not in path
    public = Client(enforce_csrf_checks=True)
    page = public.get(path)
    assert page.status_code == 200 and "停止する" in page.content.decode()
    assert not MailStop.objects.exists()  # opening the link stops nothing
    # One click: the button, or the mail program's RFC 8058 POST without a CSRF token.
    done = public.post(path, "List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "停止しました" in done.content.decode()
    assert public.post(path).status_code == 200  # again is harmless
    assert not digest.collect(messages.CHANGED, address=address,
                              about={"registration": one.registration.pk})
    assert digest.send_due() == 0

    bad = public.post(path[:-3] + "xx/")
    assert bad.status_code == 400
    assert "このリンクは正しくないか、古くなっています" in bad.content.decode()
