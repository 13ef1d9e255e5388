"""Registration: the public page without login, capacity and waitlist, the move up on
cancellation with its mail (real SMTP, real worker), the cancel link, staff at the counter,
attendance, bad input refused with nothing half-saved, audit and erasure."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from madoguchi.audit.models import AuditEntry
from madoguchi.notifications import digest
from madoguchi.participation import services
from madoguchi.participation.models import Event, Registration, RegStatus
from tests.helpers import login

from .conftest import LINK, TOKYO, enrol, published, run_worker

CANCEL = re.compile(r"http://testserver/events/cancel/[A-Za-z0-9_-]+/")


def page(event) -> str:
    return reverse("events:event", kwargs={"event": event.public_id})


def form(**overrides) -> dict:
    return {"name": "世田谷 花子", "email": "hanako@mail.example.jp", "phone": "", "people": "1",
            "needs": "", **overrides}


@pytest.mark.django_db(transaction=True)
def test_register_on_the_public_page_get_the_mail_with_ics_and_cancel_by_its_link(
        setagaya, author, head, client, smtp):
    event = published(author, head, capacity=1, repeat="weekly", repeat_count=2)
    response = client.post(page(event), form(needs="車いすで参加します"))
    assert response.status_code == 200
    assert "参加が確定しました" in response.content.decode()
    waiting = client.post(page(event), form(name="世田谷 次郎", email="jiro@mail.example.jp"))
    assert "キャンセル待ち" in waiting.content.decode()
    assert not smtp.messages  # nothing leaves in the request
    run_worker()
    [mail] = smtp.to("hanako@mail.example.jp")
    assert "参加確定" in mail["Subject"] and "はじめてのスマートフォン教室" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "令和" in body and "車いす" not in body  # needs stay out of the mail
    [ics] = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    vevents = Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert len(vevents) == 2 and str(vevents[0]["summary"]) == event.title
    [jiro_mail] = smtp.to("jiro@mail.example.jp")
    assert "キャンセル待ち" in jiro_mail["Subject"]
    assert not list(jiro_mail.iter_attachments())

    link = CANCEL.search(body).group(0)
    assert "取り消しますか" in client.get(link).content.decode()
    done = client.post(link)
    assert "取り消しました" in done.content.decode()
    assert client.get(link).status_code == 404  # used up
    run_worker()
    [promoted] = [m for m in smtp.to("jiro@mail.example.jp") if "確定" in m["Subject"]]
    assert "キャンセル待ちから参加が確定しました" in promoted["Subject"]
    assert CANCEL.search(promoted.get_body(("plain",)).get_content())
    assert [p.get_content_type() for p in promoted.iter_attachments()] == ["text/calendar"]
    event.refresh_from_db()
    assert event.confirmed_people == 1
    statuses = dict(event.registrations.values_list("name", "status"))
    assert statuses == {"世田谷 花子": "cancelled", "世田谷 次郎": "confirmed"}


@pytest.mark.django_db(transaction=True)
def test_a_registrant_on_the_english_page_gets_the_mail_in_english(
        setagaya, author, head, client, smtp):
    event = published(author, head, capacity=1)
    client.cookies["django_language"] = "en"
    assert client.post(page(event), form(email="amy@mail.example.jp")).status_code == 200
    client.cookies["django_language"] = "ja"
    client.post(page(event), form(name="世田谷 次郎", email="jiro@mail.example.jp"))
    assert dict(event.registrations.values_list("email", "language")) == {
        "amy@mail.example.jp": "en", "jiro@mail.example.jp": "ja"}
    run_worker()
    [english] = smtp.to("amy@mail.example.jp")
    body = english.get_body(("plain",)).get_content()
    assert "[Setagaya City] Registration received (place confirmed)" in english["Subject"]
    assert "Your place is confirmed" in body and "Date and time" in body
    assert "令和" not in body and CANCEL.search(body)
    [japanese] = smtp.to("jiro@mail.example.jp")
    assert "キャンセル待ち" in japanese["Subject"]
    assert "令和" in japanese.get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_the_waitlist_moves_up_in_order_of_arrival_while_the_next_group_fits(
        setagaya, author, head):
    event = published(author, head, capacity=3)
    [first] = enrol(event, 1, people=3, prefix="a")
    waiting = enrol(event, 3, people=2, prefix="w")  # w0 (2), w1 (2), w2 (2)
    assert {r.registration.status for r in waiting} == {RegStatus.WAITLISTED}
    services.cancel(registration=first.registration, link_base=LINK)
    found = dict(Registration.objects.filter(event=event).values_list("email", "status"))
    assert found["w0@mail.example.jp"] == "confirmed"
    assert found["w1@mail.example.jp"] == "waitlisted"  # 1 place left, a group of 2 waits
    assert Event.objects.get(pk=event.pk).confirmed_people == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    (form(email="hanako@example"), "メールを届けられません"),
    (form(email="hanako@localhost.invalid"), "メールを届けられません"),
    (form(email="not an address"), "メールアドレスの形が正しくありません"),
    (form(email="", phone=""), "メールアドレスか電話番号を入れてください"),
    (form(phone="123"), "電話番号の形が正しくありません"),
    (form(people="0"), "人数は1人以上にしてください"),
    (form(people="11"), "人数は10人までです"),
    (form(name=""), "このフィールドは必須です"),
])
def test_bad_input_is_refused_in_japanese(setagaya, author, head, client, data, message):
    event = published(author, head)
    response = client.post(page(event), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_refusals_after_the_deadline_twice_and_more_people_than_places_left(
        setagaya, author, head, client):
    event = published(author, head, capacity=3)
    client.post(page(event), form())
    twice = client.post(page(event), form(email="HANAKO@mail.example.jp"))
    assert "同じ連絡先で既に申し込まれています" in twice.content.decode()
    too_many = client.post(page(event), form(email="taro@mail.example.jp", people="3"))
    assert "残りの席は2人分です" in too_many.content.decode()
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(services.ParticipationError, match="締切を過ぎています"):
        enrol(Event.objects.get(pk=event.pk), 1, prefix="late")
    late = client.post(page(event), form(email="late@mail.example.jp"))
    assert "申込の受付は終わりました" in late.content.decode() or late.status_code == 400
    event.refresh_from_db()
    assert event.registrations.count() == 1 and event.confirmed_people == 1
    assert event.next_position == 2  # nothing half-saved: no position used by a refusal


@pytest.mark.django_db
def test_staff_register_by_phone_take_attendance_and_every_read_is_audited(
        setagaya, author, head, client):
    event = published(author, head)
    login(client, author)
    url = reverse("participation:registrations", kwargs={"event": event.public_id})
    response = client.post(url, {**form(email="", phone="0354321111"), "channel": "phone"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.channel == "phone" and registration.phone == "03-5432-1111"
    assert registration.entered_by == author
    listing = client.get(url)
    assert "世田谷 花子" in listing.content.decode()
    entries = AuditEntry.objects.filter(record_id=str(registration.public_id))
    assert set(entries.values_list("action", flat=True)) == {"create", "list"}
    client.post(reverse("participation:attend", kwargs={
        "event": event.public_id, "registration": registration.public_id}), {"present": "1"})
    registration.refresh_from_db()
    assert registration.attended_at is not None


@pytest.mark.django_db
def test_a_public_registration_is_audited_without_an_account(setagaya, author, head, client):
    event = published(author, head)
    client.post(page(event), form())
    registration = Registration.objects.get()
    entry = AuditEntry.objects.get(record_id=str(registration.public_id))
    assert entry.actor is None and entry.portal_ref == f"registration:{registration.public_id}"
    assert entry.fields == ["name", "email", "phone", "people", "needs"]


@pytest.mark.django_db
def test_personal_data_is_erased_after_the_retention_period(setagaya, author, head):
    event = published(author, head, first_date=timezone.localdate() + dt.timedelta(days=1))
    [done] = enrol(event, 1)
    later = timezone.now() + dt.timedelta(days=40)
    assert services.erase_expired(days=90, now=later) == 0
    much_later = timezone.now() + dt.timedelta(days=100)
    assert services.erase_expired(days=90, now=much_later) == 1
    row = Registration.objects.get(pk=done.registration.pk)
    assert (row.name, row.email, row.phone, row.needs) == ("", "", "", "")
    assert row.people == 1 and row.erased_at is not None
    assert AuditEntry.objects.filter(source="participation:erase",
                                     record_id=str(row.public_id)).exists()


@pytest.mark.django_db(transaction=True)
def test_moving_a_published_event_tells_every_live_registrant(
        setagaya, author, head, client, smtp):
    event = published(author, head, capacity=1)
    enrol(event, 2, prefix="moved")  # one confirmed, one waitlisted
    login(client, author)
    edit = reverse("participation:edit", kwargs={"event": event.public_id})
    page = client.get(edit)
    assert "申込者全員にメールでお知らせします" in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for flag in ("sign_language", "wheelchair", "childcare", "hearing_loop",
                 "district_residents_only"):
        if not data.get(flag):
            data.pop(flag, None)
    data["starts_at"], data["ends_at"] = "13:00", "15:00"
    data["registration_deadline"] = timezone.localtime(
        event.registration_deadline).strftime("%Y-%m-%dT%H:%M")
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert event.occurrences.get().start.astimezone(TOKYO).hour == 13
    digest.send_due()  # the change is a notice: in the day's digest (ADR 0054)
    run_worker()
    changed = [m for m in smtp.messages if "今日のお知らせ" in m["Subject"]]
    assert sorted(str(m["To"]) for m in changed) == ["moved0@mail.example.jp",
                                                     "moved1@mail.example.jp"]
    body = changed[0].get_body(("plain",)).get_content()
    assert "日時または会場が変わりました" in body and "13:00〜15:00" in body
    # Capacity cannot go under the people confirmed: refused, nothing saved.
    response = client.post(edit, {**data, "capacity": "0"})
    assert response.status_code == 400
    assert Event.objects.get(pk=event.pk).capacity == 1
