"""The reminder before a session (ADR 0060): the daily job mails each confirmed registrant
once per session with the .ics, the check-in pass and a new cancel link; a second run sends
nothing more; the waitlisted and the cancelled get nothing. Real SMTP, real worker."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from icalendar import Calendar

from madoguchi.participation import services
from madoguchi.participation.models import Registration
from madoguchi.participation.reminders import remind_due

from .conftest import LINK, TOKYO, enrol, published, run_worker

CANCEL = re.compile(r"http://testserver/events/cancel/[A-Za-z0-9_-]+/")
PASS = re.compile(r"http://localhost:8000(/events/pass/[A-Za-z0-9_-]{32}/)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.NOTIFICATIONS_PUBLIC_ORIGIN = "http://localhost:8000"
    settings.PARTICIPATION_CANCEL_BASE = LINK
    settings.PARTICIPATION_REMIND_DAYS = 1


def clear(smtp) -> None:
    with smtp.lock:
        smtp.raw.clear()
        smtp.rcpt.clear()


def day_before(event, number: int = 1) -> dt.datetime:
    """10:00 in Tokyo the day before the event's session ``number``."""
    start = event.occurrences.get(number=number).start.astimezone(TOKYO)
    return dt.datetime.combine(start.date() - dt.timedelta(days=1), dt.time(10), TOKYO)


@pytest.mark.django_db(transaction=True)
def test_the_day_before_each_session_a_confirmed_registrant_is_reminded_once(
        setagaya, author, head, smtp):
    event = published(author, head, capacity=2, repeat="weekly", repeat_count=2,
                      online_url="https://meet.example.jp/smartphone")
    enrol(event, 1, prefix="r")  # confirmed
    [leaving] = enrol(event, 1, prefix="x")  # confirmed, then cancelled
    enrol(event, 1, prefix="w")  # waitlisted, then moved up
    services.cancel(registration=leaving.registration, link_base=LINK)  # w moves up
    extra = enrol(event, 1, prefix="late")[0]  # waitlisted: the event is full again
    assert Registration.objects.get(pk=extra.registration.pk).status == "waitlisted"
    run_worker()
    clear(smtp)

    # Two days before: nothing is due yet.
    assert remind_due(now=day_before(event) - dt.timedelta(days=1)) == 0
    assert remind_due(now=day_before(event)) == 2
    assert remind_due(now=day_before(event)) == 0  # a second run the same day
    assert remind_due(now=day_before(event), days=0) == 0  # reminders off
    run_worker()
    assert sorted(str(m["To"]) for m in smtp.messages) == ["r0@mail.example.jp",
                                                           "w0@mail.example.jp"]
    [mail] = smtp.to("r0@mail.example.jp")
    assert "「はじめてのスマートフォン教室」が近づきました：令和" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "https://meet.example.jp/smartphone" in body  # the online link, with the place
    assert PASS.search(body) and "/mail/stop/" in body
    [ics] = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(Calendar.from_ical(ics.get_content()).walk("VEVENT")) == 2
    # The reminder's cancel link works (it replaces the earlier one).
    link = CANCEL.search(body).group(0)
    assert "取り消しますか" in Client().get(link).content.decode()

    # The next week's session: its own reminder, once.
    clear(smtp)
    assert remind_due(now=day_before(event, 2)) == 2
    assert remind_due(now=day_before(event, 2)) == 0
    run_worker()
    assert len(smtp.messages) == 2


@pytest.mark.django_db(transaction=True)
def test_a_registration_cancelled_after_the_job_gets_no_reminder(setagaya, author, head, smtp):
    event = published(author, head)
    [one] = enrol(event, 1, prefix="gone")
    run_worker()
    clear(smtp)
    assert remind_due(now=day_before(event)) == 1
    services.cancel(registration=one.registration, link_base=LINK)  # before the worker runs
    run_worker()
    assert smtp.messages == []


@pytest.mark.django_db
def test_the_command_runs_and_schedules_the_daily_chain(setagaya, author, head):
    published(author, head)
    out = StringIO()
    call_command("participation_remind", stdout=out)
    call_command("participation_remind", "--schedule", stdout=out)
    call_command("participation_remind", "--schedule", stdout=out)
    assert out.getvalue().split("\n")[:3] == ["reminders 0", "scheduled", "already scheduled"]
