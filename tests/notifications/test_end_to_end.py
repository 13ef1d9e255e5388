"""From the booking API and services to the participants' inboxes (real SMTP, real worker).

The request that books only enqueues; the worker sends. Moving and cancelling through the
scheduling services tell everyone, with the same calendar event UID each time.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from madoguchi.core.dates import next_open_day
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import Booking
from tests.helpers import login

from .conftest import TOKYO, centre, queued, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def open_day_at(hour: int, *, after_days: int = 3, skip: int = 0) -> dt.datetime:
    day = next_open_day(timezone.localdate() + dt.timedelta(days=after_days))
    for _ in range(skip):
        day = next_open_day(day + dt.timedelta(days=1))
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def event_of(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    cal = Calendar.from_ical(part.get_content())
    return cal, cal.walk("VEVENT")[0]


def test_booking_over_http_sends_nothing_in_the_request(client, smtp, people):
    start = open_day_at(10)
    login(client, people["centre_staff"])
    response = client.post("/api/v1/bookings", {
        "section": "setagaya/hoken-fukushi", "centre": "setagaya/ikejiri",
        "start": start.isoformat(), "staff": "hoken-staff",
        "guests": [{"name": "山本", "email": "care@facility.example", "remote": True}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    booking = Booking.objects.get(public_id=response.json()["public_id"])

    assert smtp.raw == []  # the request only queued the mail
    [notice] = queued("booking_invitation")  # one for the booking: a letter per address
    assert notice.status == "READY"
    [reminder] = queued("booking_reminder")
    assert reminder.run_after == booking.start - dt.timedelta(days=1)

    run_worker()
    assert sorted(r for rcpt in smtp.rcpt for r in rcpt) == [
        "care@facility.example", "hoken-staff@city.setagaya.example"]
    cal, event = event_of(smtp.to("care@facility.example")[0])
    assert str(cal["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == start
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert str(event["UID"]) == f"booking-{booking.public_id}@city.setagaya.example"


def test_services_create_move_and_cancel_tell_everyone(smtp, people):
    by = people["centre_staff"]
    booking = scheduling.booking_create(
        section=people["hoken"], start=open_day_at(10), staff=people["section_staff"],
        centre=centre("ikejiri"), resident=people["hanako"], title="オンライン相談", by=by)
    run_worker()
    assert {str(m["To"]) for m in smtp.messages} == {
        "hoken-staff@city.setagaya.example", "hanako@example.jp"}
    uid = str(event_of(smtp.to("hanako@example.jp")[0])[1]["UID"])

    moved = scheduling.booking_reschedule(booking=booking, start=open_day_at(14, skip=1),
                                          by=by, reason="担当者の研修のため")
    run_worker()
    change = smtp.to("hanako@example.jp")[-1]
    assert "日時変更" in change["Subject"]
    _, event = event_of(change)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == moved.start
    assert "担当者の研修のため" in change.get_body(("plain",)).get_content()

    scheduling.booking_cancel(booking=moved, by=by, reason="ご本人の都合")
    run_worker()
    notice = smtp.to("hanako@example.jp")[-1]
    cal, event = event_of(notice)
    assert str(cal["METHOD"]) == "CANCEL" and str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 2
    assert len(smtp.to("hanako@example.jp")) == 3
    assert len(smtp.to("hoken-staff@city.setagaya.example")) == 3

    # Both reminders (original and moved booking) are skipped when they come due.
    reminders = queued("booking_reminder")
    assert reminders.count() == 2
    reminders.update(run_after=timezone.now() - dt.timedelta(seconds=1))
    run_worker()
    assert sorted(r.return_value for r in reminders.all()) == ["skipped: cancelled"] * 2
    assert len(smtp.raw) == 6

