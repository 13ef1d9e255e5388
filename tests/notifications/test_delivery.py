"""Booking e-mails travel through the task queue and a real SMTP server (aiosmtpd).

Nothing is sent until the database worker runs; what arrives carries an .ics that a
calendar program would read: Asia/Tokyo times, METHOD, one UID per booking chain and a
SEQUENCE that rises with every change.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from madoguchi.scheduling import messages as services

from .conftest import TOKYO, cancel, make_booking, queued, reschedule, run_worker, tokyo

pytestmark = pytest.mark.django_db(transaction=True)

GUEST = {"name": "山本 ケアマネ", "email": "care@facility.example", "organisation": "池尻ケア"}


def ics_of(message) -> tuple[Calendar, str]:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    part = parts[0]
    return Calendar.from_ical(part.get_content()), part.get_param("method")


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def booking(people):
    return make_booking(section=people["hoken"], start=tokyo(3, 10), by=people["centre_staff"],
                        staff=[people["section_staff"]], remote_users=[people["section_staff"]],
                        residents=[people["hanako"], people["taro"]], guests=[GUEST])


def test_invitations_arrive_with_an_ics_in_tokyo_time(smtp, people, booking):
    services.booking_notice(booking_id=booking.pk, change="created")
    assert smtp.raw == [] and mail.outbox == []  # queued, not sent

    run_worker()

    # 保健福祉課 staff, 花子 and the guest have addresses; 太郎 has none.
    assert sorted(r for rcpt in smtp.rcpt for r in rcpt) == sorted([
        "hoken-staff@city.setagaya.example", "hanako@example.jp", "care@facility.example"])
    [message] = smtp.to("hanako@example.jp")
    assert "オンライン相談のご案内" in message["Subject"]
    assert message["From"] == "madoguchi@city.setagaya.example"
    body = body_of(message)
    day = timezone.localdate() + dt.timedelta(days=3)
    assert f"{day.month}月{day.day}日（" in body and "10:00〜10:30" in body
    assert "令和" in body
    assert "池尻まちづくりセンター" in body and "相談ブース1" in body
    assert "保健福祉課" in body
    assert "お持ちいただくもの" in body
    assert "電話" in body
    assert "English:" not in body
    # Nobody else's name in the resident's mail.
    for other in ("太郎", "保健 一郎", "山本"):
        assert other not in body

    cal, method = ics_of(message)
    assert method == "REQUEST" and str(cal["METHOD"]) == "REQUEST"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    [event] = cal.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start == booking.start and start.utcoffset() == dt.timedelta(hours=9)
    assert start.tzinfo.key == "Asia/Tokyo" and event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert (start.hour, start.minute) == (10, 0)
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=30)
    assert str(event["UID"]) == f"booking-{booking.public_id}@city.setagaya.example"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["ORGANIZER"]) == "mailto:madoguchi@city.setagaya.example"
    assert [str(a) for a in [event["ATTENDEE"]]] == ["mailto:hanako@example.jp"]
    assert "花子" not in cal.to_ical().decode() and "太郎" not in cal.to_ical().decode()
    assert "保健福祉課" in str(event["SUMMARY"])

    # The remote staff member is told to join online; the resident where to go.
    [staff_message] = smtp.to("hoken-staff@city.setagaya.example")
    assert "オンライン" in body_of(staff_message)
    assert "お持ちいただくもの" not in body_of(staff_message)


def test_english_speakers_get_an_english_line(smtp, people):
    booking = make_booking(section=people["hoken"], start=tokyo(4, 14), by=people["centre_staff"],
                           residents=[people["emily"]])
    services.booking_notice(booking_id=booking.pk, change="created")
    run_worker()
    [message] = smtp.to("emily@example.com")
    body = body_of(message)
    assert "English: Your online consultation with Setagaya City is booked for" in body
    assert "14:00–14:30 (Japan time)" in body
    assert "オンライン相談のご予約を承りました" in body  # Japanese first, always


def test_remote_resident_is_told_to_join_from_home(smtp, people):
    booking = make_booking(section=people["kazei"], start=tokyo(5, 9), by=people["centre_staff"],
                           centre_code=None, residents=[people["hanako"]])
    services.booking_notice(booking_id=booking.pk, change="created")
    run_worker()
    [message] = smtp.to("hanako@example.jp")
    assert "オンライン（ご自宅など）" in body_of(message)
    cal, _ = ics_of(message)
    assert str(cal.walk("VEVENT")[0]["LOCATION"]) == "オンライン（ご自宅など）"


def test_change_and_cancellation_notices(smtp, people, booking):
    services.booking_notice(booking_id=booking.pk, change="created")
    run_worker()
    invitation_uid = str(ics_of(smtp.to("hanako@example.jp")[0])[0].walk("VEVENT")[0]["UID"])

    moved = reschedule(booking, start=tokyo(6, 15, 30), by=people["centre_staff"],
                       reason="担当者の都合")
    services.booking_notice(booking_id=moved.pk, change="rescheduled")
    # The old booking's own cancellation is covered by the change notice.
    services.booking_notice(booking_id=booking.pk, change="cancelled")
    run_worker()

    first, change = smtp.to("hanako@example.jp")
    assert "日時変更" in change["Subject"]
    body = body_of(change)
    assert "変更前の日時" in body and "10:00〜10:30" in body
    assert "新しい日時" in body and "15:30〜16:00" in body
    assert "担当者の都合" in body
    cal, method = ics_of(change)
    event = cal.walk("VEVENT")[0]
    assert method == "REQUEST"
    assert str(event["UID"]) == invitation_uid  # the same calendar event, moved
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == moved.start
    assert event.decoded("DTSTART").tzinfo.key == "Asia/Tokyo"
    assert len(smtp.raw) == 6  # 3 invitations + 3 change notices, no cancellation

    cancel(moved, by=people["centre_staff"], reason="ご本人の体調不良のため")
    services.booking_notice(booking_id=moved.pk, change="cancelled")
    run_worker()
    notice = smtp.to("hanako@example.jp")[-1]
    assert "取消し" in notice["Subject"]
    assert "ご本人の体調不良のため" in body_of(notice)
    cal, method = ics_of(notice)
    event = cal.walk("VEVENT")[0]
    assert method == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == invitation_uid
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert len(smtp.to("care@facility.example")) == 3


def reminders():
    return queued("booking_reminder")


def make_due(result: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=result.pk).update(
        run_after=timezone.now() - dt.timedelta(seconds=1))


def test_reminder_is_due_one_day_before_and_sent_then(smtp, people, booking):
    services.booking_notice(booking_id=booking.pk, change="created")
    [reminder] = reminders()
    assert reminder.run_after == booking.start - dt.timedelta(days=1)
    assert timezone.localtime(reminder.run_after, TOKYO).hour == 10
    run_worker()
    reminder.refresh_from_db()
    assert reminder.status == "READY"  # not yet due: the worker leaves it
    assert not [m for m in smtp.messages if "明日" in m["Subject"]]

    make_due(reminder)
    run_worker()
    reminder.refresh_from_db()
    assert reminder.status == "SUCCESSFUL" and reminder.return_value == "sent 3"
    sent = [m for m in smtp.messages if "明日のオンライン相談" in m["Subject"]]
    assert {str(m["To"]) for m in sent} == {
        "hoken-staff@city.setagaya.example", "hanako@example.jp", "care@facility.example"}


def test_reminder_is_not_sent_for_a_cancelled_booking(smtp, people, booking):
    services.booking_notice(booking_id=booking.pk, change="created")
    cancel(booking, by=people["centre_staff"], reason="取り下げ")
    services.booking_notice(booking_id=booking.pk, change="cancelled")
    [reminder] = reminders()  # a cancellation schedules no reminder of its own
    make_due(reminder)
    run_worker()
    reminder.refresh_from_db()
    assert reminder.status == "SUCCESSFUL" and reminder.return_value == "skipped: cancelled"
    assert not [m for m in smtp.messages if "明日" in m["Subject"]]
    assert len(smtp.to("hanako@example.jp")) == 2  # invitation and cancellation


def test_reminder_is_not_sent_for_a_moved_booking(smtp, people, booking):
    services.booking_notice(booking_id=booking.pk, change="created")
    moved = reschedule(booking, start=tokyo(8, 11), by=people["centre_staff"], reason="変更")
    services.booking_notice(booking_id=moved.pk, change="rescheduled")
    old, new = reminders().order_by("run_after")
    assert new.run_after == moved.start - dt.timedelta(days=1)
    make_due(old)
    run_worker()
    old.refresh_from_db()
    assert old.return_value == "skipped: cancelled"
    assert not [m for m in smtp.messages if "明日" in m["Subject"]]


def test_no_reminder_when_the_booking_is_less_than_a_day_away(people):
    booking = make_booking(section=people["hoken"], start=timezone.now() + dt.timedelta(hours=3),
                           by=people["centre_staff"], residents=[people["hanako"]])
    services.booking_notice(booking_id=booking.pk, change="created")
    assert not reminders().exists()
    assert DBTaskResult.objects.count() == 1  # the invitation


def test_file_backend_by_default_writes_the_outbox(settings, tmp_path, people, booking):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    services.booking_notice(booking_id=booking.pk, change="created")
    assert list(tmp_path.iterdir()) == []
    run_worker()
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    assert written.count("Content-Type: text/calendar") == 3


def test_a_failed_delivery_keeps_no_address_in_the_task_result(settings, people, booking):
    from .conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    services.booking_notice(booking_id=booking.pk, change="created")
    run_worker()
    # One notice for the booking: each of its three letters was tried, none went out.
    failed = DBTaskResult.objects.filter(status="FAILED")
    assert failed.count() == 1
    assert "3 of 3 letters failed" in failed.get().traceback
    for result in failed:
        stored = f"{result.exception_class_path} {result.traceback}"
        assert "DeliveryFailed" in stored and "ConnectionRefusedError" in stored
        assert "@" not in stored.replace("@task", "")


def test_logs_name_ids_only(smtp, people, booking, caplog):
    caplog.set_level("DEBUG")
    services.booking_notice(booking_id=booking.pk, change="created")
    run_worker()
    assert len(smtp.raw) == 3
    # The application's and the task worker's records (not the test SMTP server's).
    text = "\n".join(r.getMessage() for r in caplog.records
                     if r.name.startswith(("madoguchi", "django_tasks", "django.")))
    assert f"booking {booking.pk}" in text
    for secret in ("@", "花子", "池尻　", "山本", "保健 一郎"):
        assert secret not in text
