"""Delivery: the newsletter (double opt-in, one-click unsubscribe, bounces) through a real
SMTP server, the LINE outbox against the local stand-in, and the LINE webhook."""

from __future__ import annotations

import re
import time

import pytest
from django.core import signing
from django.test import Client

from madoguchi.news import inbox, services, tasks
from madoguchi.news.models import (
    DeliveryStatus,
    InboxMessage,
    OutboxMessage,
    Subscriber,
    SubscriberStatus,
)
from madoguchi.notifications import digest
from tests.helpers import login

from .conftest import published, run_worker
from .line_standin import signed, webhook_body


def link_in(message, path: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"http://testserver(/news/{path}/[^\s]+/)", body).group(1)


@pytest.mark.django_db(transaction=True)
def test_double_opt_in_newsletter_one_click_unsubscribe_and_bounce(
        author, approver, ikejiri, smtp):
    public = Client(enforce_csrf_checks=True)
    for _ in range(2):  # subscribing twice is harmless: one subscription
        page = Client().post("/news/subscribe/", {"email": "hanako@example.jp",
                                                  "district": ikejiri.pk})
        assert "確認のメールを送りました" in page.content.decode()
    Client().post("/news/subscribe/", {"email": "gone@bounce.example",
                                       "district": ikejiri.pk})
    assert Subscriber.objects.filter(email="hanako@example.jp").count() == 1
    run_worker()
    [mail] = smtp.to("hanako@example.jp")  # asked twice, one confirmation mail
    confirm = link_in(mail, "confirm")
    assert Client().post(confirm).status_code == 200
    hanako = Subscriber.objects.get(email="hanako@example.jp")
    assert hanako.status == SubscriberStatus.ACTIVE
    # The bouncing address never confirmed (its mail was refused); make it active to see
    # what a later refusal does.
    Subscriber.objects.filter(email="gone@bounce.example").update(
        status=SubscriberStatus.ACTIVE)

    post = published(author, approver, ikejiri)
    digest.send_due()  # the post is a notice in the day's digest (ADR 0054)
    run_worker()
    [letter] = [m for m in smtp.to("hanako@example.jp") if "今日のお知らせ" in m["Subject"]]
    assert "夏まつり" in letter.get_body(preferencelist=("plain",)).get_content()
    unsubscribe = link_in(letter, "unsubscribe")  # this subscription's own link
    assert "/mail/stop/" in str(letter["List-Unsubscribe"])  # the digest's, one click
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    gone = Subscriber.objects.get(email="gone@bounce.example")
    assert gone.status == SubscriberStatus.BOUNCED and gone.bounce_post_id == post.pk

    staff = login(Client(), approver)
    page = staff.get("/news/staff/delivery/").content.decode()
    assert "gone@bounce.example" in page and "不達" in page

    # RFC 8058: the mail program posts without a CSRF token.
    answer = public.post(unsubscribe, "List-Unsubscribe=One-Click",
                         content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200
    hanako.refresh_from_db()
    assert hanako.status == SubscriberStatus.UNSUBSCRIBED


@pytest.mark.django_db
def test_stale_and_forged_confirmation_links_are_refused(ikejiri, monkeypatch):
    subscriber = services.subscribe(email="taro@example.jp", district=ikejiri,
                                    language="ja", origin="http://testserver/")
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 4 * 86400)
    token = services.confirm_token(subscriber)
    monkeypatch.setattr(signing.time, "time", real)
    page = Client().post(f"/news/confirm/{token}/")
    assert page.status_code == 400 and "有効期限が切れています" in page.content.decode()
    forged = Client().post("/news/confirm/abc:def/")
    assert forged.status_code == 400 and "リンクが正しくありません" in forged.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


@pytest.mark.django_db
def test_outbox_delivers_each_message_once_through_failures_and_timeouts(line_api, settings):
    line_api.failure_rate, line_api.delay_rate, line_api.delay_seconds = 0.3, 0.2, 0.6
    settings.NEWS_LINE_TIMEOUT_SECONDS = 0.3  # shorter than the delay: the answer is lost
    settings.NEWS_LINE_MAX_ATTEMPTS = 50
    services.outbox_enqueue_many([("push", f"U{n:032x}", f"お知らせ {n}") for n in range(60)])
    for _ in range(60):
        tasks.send_due(threads=6)
        if not OutboxMessage.objects.filter(status=DeliveryStatus.QUEUED).exists():
            break
        time.sleep(0.05)
    keys = {str(k) for k in OutboxMessage.objects.values_list("retry_key", flat=True)}
    assert OutboxMessage.objects.filter(status=DeliveryStatus.DELIVERED).count() == 60
    assert set(line_api.accepted) == keys and set(line_api.accepted.values()) == {1}
    assert len(line_api.sent) == 60  # nothing sent twice
    assert line_api.failed > 0 and line_api.conflicts > 0  # retries met LINE's 409


@pytest.mark.django_db(transaction=True)
def test_a_published_ward_post_is_broadcast_by_the_worker(line_api, make_staff):
    from madoguchi.accounts.models import Role

    from .conftest import HOKEN

    writer = make_staff(Role.SECTION_STAFF, HOKEN, "ward-writer")
    manager = make_staff(Role.SECTION_MANAGER, HOKEN, "ward-manager")
    post = published(writer, manager, None, title="年末年始の窓口", send_mail=False)
    run_worker()
    [sent] = line_api.sent
    assert sent["kind"] == "broadcast" and "年末年始の窓口" in sent["body"]["messages"][0]["text"]
    [row] = post.outbox.all()
    assert row.status == DeliveryStatus.DELIVERED and row.request_id


@pytest.mark.django_db
def test_a_refused_message_is_shown_failed_and_can_be_sent_again(line_api, make_staff,
                                                                 settings):
    from madoguchi.accounts.models import Role

    admin = make_staff(Role.WARD_ADMIN, None, "news-admin")
    settings.NEWS_LINE_CHANNEL_TOKEN = "wrong-token"
    message = services.outbox_enqueue(kind="broadcast", target="", text="テスト")
    tasks.send_due()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED and message.last_error == "HTTP 401"
    staff = login(Client(), admin)
    assert "送信できませんでした" in staff.get("/news/staff/delivery/").content.decode()
    settings.NEWS_LINE_CHANNEL_TOKEN = "test-token"
    staff.post(f"/news/staff/delivery/{message.pk}/retry")
    tasks.send_due()
    message.refresh_from_db()
    assert message.status == DeliveryStatus.DELIVERED
    assert line_api.accepted[str(message.retry_key)] == 1


@pytest.mark.django_db
def test_webhook_stores_valid_texts_and_hands_them_over(line_api, caplog):
    seen = []
    inbox.register_handler("test", lambda incoming: seen.append(incoming.text) or True)
    try:
        body = webhook_body("公園のベンチが壊れています")
        client = Client(enforce_csrf_checks=True)
        for _ in range(2):  # LINE may redeliver: stored once
            answer = client.post("/news/line/webhook", body, content_type="application/json",
                                 headers={"X-Line-Signature": signed(body)})
            assert answer.status_code == 200
        [message] = InboxMessage.objects.all()
        assert message.text == "公園のベンチが壊れています" and message.handled_by == ["test"]
        assert seen == ["公園のベンチが壊れています"]

        forged = webhook_body("偽のメッセージ", event_id="01HEVENT0000000000000000002")
        refused = client.post("/news/line/webhook", forged, content_type="application/json",
                              headers={"X-Line-Signature": signed(forged, "other")})
        assert refused.status_code == 403
        assert InboxMessage.objects.count() == 1
        assert "invalid signature" in caplog.text and "偽のメッセージ" not in caplog.text
    finally:
        inbox.unregister_handler("test")


@pytest.mark.django_db
def test_a_district_post_is_narrowcast_to_the_districts_audience(line_api, author, approver,
                                                                 ikejiri):
    from madoguchi.news.models import LineAudience

    LineAudience.objects.create(district=ikejiri, audience_group_id=4242)
    post = published(author, approver, ikejiri, send_mail=False)
    tasks.send_due()
    [sent] = line_api.sent
    assert sent["kind"] == "narrowcast"
    assert sent["body"]["recipient"] == {"type": "audience", "audienceGroupId": 4242}
    assert f"/news/p/{post.public_id}/" in sent["body"]["messages"][0]["text"]
    assert post.outbox.get().status == DeliveryStatus.DELIVERED


@pytest.mark.django_db
def test_a_posts_image_goes_to_line_as_an_image_message_with_a_small_preview(
        line_api, author, approver, ikejiri):
    import io
    from urllib.parse import urlsplit

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from madoguchi.news.models import LineAudience

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (0, 23, 193)).save(buffer, "JPEG")
    LineAudience.objects.create(district=ikejiri, audience_group_id=4242)
    post = services.post_save(
        by=author, district=ikejiri, ward_wide=False,
        data=services.PostInput(title="花壇ができました", body="駅前に花壇ができました。",
                                image_alt="駅前の花壇の写真", send_mail=False),
        image=SimpleUploadedFile("flowers.jpg", buffer.getvalue(), "image/jpeg"))
    services.post_submit(post=post, by=author)
    services.post_publish(post=post, by=approver, origin="https://madoguchi.example/")
    tasks.send_due()

    [sent] = line_api.sent  # the stand-in accepted one request: the text, then the image
    text, image = sent["body"]["messages"]
    assert text["type"] == "text" and image["type"] == "image"
    original = image["originalContentUrl"]
    assert original == f"https://madoguchi.example/news/p/{post.public_id}/image"
    assert image["previewImageUrl"] == original + "?preview=1"
    assert post.outbox.get().status == DeliveryStatus.DELIVERED

    public = Client()
    full = public.get(urlsplit(original).path)
    preview = public.get(urlsplit(original).path, {"preview": "1"})
    assert full.status_code == preview.status_code == 200
    assert preview["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(preview.content)).size == (240, 180)
    assert len(preview.content) < len(b"".join(full.streaming_content))


@pytest.mark.django_db
def test_without_https_the_image_is_not_sent_to_line(line_api, author, approver, ikejiri):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from madoguchi.news.models import LineAudience

    from .test_posts import png

    LineAudience.objects.create(district=ikejiri, audience_group_id=4242)
    post = services.post_save(
        by=author, district=ikejiri, ward_wide=False,
        data=services.PostInput(title="花壇", body="花壇です。", image_alt="花壇の写真",
                                send_mail=False),
        image=SimpleUploadedFile("flowers.png", png(), "image/png"))
    services.post_submit(post=post, by=author)
    services.post_publish(post=post, by=approver, origin="http://localhost:8000/")
    tasks.send_due()
    [sent] = line_api.sent
    assert [m["type"] for m in sent["body"]["messages"]] == ["text"]
