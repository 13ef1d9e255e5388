"""New events in the district (ADR 0060): a published event reaches the active news
subscribers of its district once, as an item of their daily digest (ADR 0054), with the
event's link and the subscription's own stop link; other districts' subscribers, pending
ones and a cancelled event's item are left out. Real SMTP, real worker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.news import services as news
from madoguchi.notifications import digest
from madoguchi.notifications.models import DigestItem
from madoguchi.organisation.models import District
from madoguchi.participation import messages, services

from .conftest import event_data, ikejiri, published, run_worker


def subscriber(email: str, district, language: str = "ja"):
    reader = news.subscribe(email=email, district=district, language=language,
                            origin="http://testserver/")
    news.confirm(token=news.confirm_token(reader))
    return reader


@pytest.mark.django_db(transaction=True)
def test_a_published_event_reaches_its_districts_subscribers_once_in_the_digest(
        setagaya, author, head, smtp, settings):
    settings.NOTIFICATIONS_PUBLIC_ORIGIN = "http://localhost:8000"
    subscriber("near@example.jp", ikejiri())
    subscriber("english@example.jp", ikejiri(), language="en")
    subscriber("far@example.jp", District.objects.get(code="taishido"))
    news.subscribe(email="pending@example.jp", district=ikejiri(), language="ja",
                   origin="http://testserver/")  # not confirmed: nothing
    run_worker()  # the confirmation mails
    draft = services.event_create(by=author, data=event_data(title="下書きの会"))
    assert not DigestItem.objects.filter(kind=messages.NEW_EVENT).exists()  # a draft: nothing
    event = published(author, head, title="夏休みスマホ教室")
    cancelled = published(author, head, title="中止になる会")
    services.event_move(by=author, event=cancelled, step="cancel")
    assert DigestItem.objects.filter(kind=messages.NEW_EVENT).count() == 4  # 2 events × 2

    assert digest.send_due() == 2
    assert digest.send_due() == 0  # once a day
    run_worker()
    [mail] = [m for m in smtp.to("near@example.jp") if "今日のお知らせ" in m["Subject"]]
    body = mail.get_body(("plain",)).get_content()
    assert "【池尻地区の新しいイベント】夏休みスマホ教室" in body
    assert f"http://localhost:8000/events/e/{event.public_id}/" in body
    assert "この地区のお知らせを止めるには：http://localhost:8000/" in body
    assert "中止になる会" not in body and draft.title not in body
    [english] = [m for m in smtp.to("english@example.jp")
                 if "夏休みスマホ教室" in m.get_body(("plain",)).get_content()]
    assert "New event in 池尻: 夏休みスマホ教室" in english.get_body(("plain",)).get_content()
    assert not [m for m in smtp.to("far@example.jp") if "夏休みスマホ教室" in
                m.get_body(("plain",)).get_content()]
    assert not smtp.to("pending@example.jp")[1:]  # only its confirmation

    # Once: nothing more is collected for the event later (a change is not a new event).
    services.event_update(by=author, event=event, data={"place": "池尻 2階"})
    assert digest.send_due(now=timezone.now() + dt.timedelta(days=1)) == 0
