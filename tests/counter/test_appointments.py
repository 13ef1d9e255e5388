"""Booked appointments checking in at the reception (counter.appointments): a stand-in
source registered here, so that the queue's rule is tested without any booking context."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.counter import appointments, selectors, services
from madoguchi.counter.errors import CheckedIn, CounterError
from madoguchi.counter.models import Ticket, TicketSource, TicketStatus

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, day: dt.date | None = None) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day or timezone.localdate(),
                                                   dt.time(hour, minute)))


class Book:
    """A stand-in booking context: its appointments by reference."""

    def __init__(self):
        self.rows: dict[str, appointments.Appointment] = {}

    def add(self, reference: str, when: dt.datetime, service: str = "consultation"):
        self.rows[reference] = appointments.Appointment(
            reference=reference, at=when, service=service,
            label=f"{timezone.localtime(when):%H:%M} 相談のご予約")

    def day(self, office, on):
        return [a for a in self.rows.values() if timezone.localdate(a.at) == on]

    def find(self, office, reference):
        return self.rows.get(reference)


@pytest.fixture
def book():
    source = Book()
    appointments.register_source("stand-in", day=source.day, find=source.find)
    yield source
    appointments.unregister_source("stand-in")


def walk_in(office, when, code="consultation"):
    return services.ticket_issue(office=office, service=office.services.get(code=code),
                                 source=TicketSource.RECEPTION, now=when)


def test_a_checked_in_appointment_waits_at_its_booked_time(ikejiri, book):
    book.add("b1", at(10, 0))
    ticket = services.appointment_check_in(office=ikejiri, key="stand-in:b1", now=at(9, 40))
    assert ticket.source == TicketSource.APPOINTMENT and ticket.status == TicketStatus.WAITING
    assert ticket.service.code == "consultation" and ticket.label == "F001"
    assert ticket.queued_at == at(10, 0) and ticket.issued_at == at(9, 40)
    assert ticket.appointment_label == "10:00 相談のご予約"


def test_a_second_check_in_is_refused_with_the_first_number(ikejiri, book):
    book.add("b1", at(10, 0))
    first = services.appointment_check_in(office=ikejiri, key="stand-in:b1", now=at(9, 40))
    with pytest.raises(CheckedIn, match="すでに受付済みです（番号札 F001）") as refused:
        services.appointment_check_in(office=ikejiri, key="stand-in:b1", now=at(9, 45))
    assert refused.value.ticket.pk == first.pk and Ticket.objects.count() == 1


def test_another_days_or_an_unknown_booking_is_refused_in_japanese(ikejiri, book):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    book.add("later", at(10, 0, tomorrow))
    with pytest.raises(CounterError, match="のご予約です。受付できるのは、きょうのご予約だけです"):
        services.appointment_check_in(office=ikejiri, key="stand-in:later", now=at(9, 0))
    for key in ("stand-in:nothing", "nobody:b1", "", "stand-in:"):
        with pytest.raises(CounterError, match="この予約は見つかりません"):
            services.appointment_check_in(office=ikejiri, key=key, now=at(9, 0))
    book.add("odd", at(11, 0), service="no-such-service")
    with pytest.raises(CounterError, match="予約の方の受付をするサービスがありません"):
        services.appointment_check_in(office=ikejiri, key="stand-in:odd", now=at(9, 0))
    assert not Ticket.objects.exists()


def test_once_its_time_has_come_the_appointment_is_called_before_walk_ins(ikejiri, book,
                                                                        clerk):
    book.add("b1", at(10, 0))
    early = walk_in(ikejiri, at(9, 50))
    booked = services.appointment_check_in(office=ikejiri, key="stand-in:b1", now=at(9, 55))
    late = walk_in(ikejiri, at(9, 57))
    counter = ikejiri.counters.get(number=1)
    # at 9:58 its time has not come: the walk-in who came first goes first
    assert services.call_next(counter=counter, by=clerk, now=at(9, 58)).pk == early.pk
    # at 10:05 the appointment goes before the walk-in who waits since 9:57
    assert services.call_next(counter=counter, by=clerk, now=at(10, 5)).pk == booked.pk
    assert services.call_next(counter=counter, by=clerk, now=at(10, 20)).pk == late.pk


def test_the_estimate_puts_a_due_appointment_ahead(ikejiri, book):
    walk_in(ikejiri, at(9, 50))
    book.add("b1", at(9, 30))
    booked = services.appointment_check_in(office=ikejiri, key="stand-in:b1", now=at(9, 55))
    # both counters are free: the appointment is taken at once
    assert booked.estimate_seconds == 0
    queue = selectors.queue_order(Ticket.objects.filter(office=ikejiri), at(9, 56))
    assert queue[0].pk == booked.pk


def test_the_tablet_lists_todays_bookings_and_checks_one_in(ikejiri, clerk, book):
    book.add("b1", timezone.now() + dt.timedelta(hours=1))
    book.add("later", timezone.now() + dt.timedelta(days=1))
    _kiosk, key = services.kiosk_key_issue(office=ikejiri, by=clerk)
    tablet = Client()
    tablet.get(reverse("counter:reception_key", args=[key]))
    page = tablet.get(reverse("counter:reception")).content.decode()
    assert "ご予約の時刻を えらんでください" in page and 'value="stand-in:b1"' in page
    assert "stand-in:later" not in page
    response = tablet.post(reverse("counter:reception_check_in"), {"appointment": "stand-in:b1"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.token in response["Location"]
    shown = tablet.get(response["Location"]).content.decode()
    assert "ご予約の時刻" in shown and "F001" in shown
    again = tablet.post(reverse("counter:reception_check_in"), {"appointment": "stand-in:b1"})
    assert again.status_code == 409 and "すでに受付済みです" in again.content.decode()
    assert "受付済み（番号札 F001）" in tablet.get(reverse("counter:reception")).content.decode()
    assert Ticket.objects.count() == 1


def test_the_clerk_checks_a_booking_in_from_the_office_page(ikejiri, clerk, book):
    from tests.helpers import login

    book.add("b1", timezone.now() + dt.timedelta(minutes=30))
    client = login(Client(), clerk)
    page = client.get(reverse("counter:office", args=[ikejiri.code])).content.decode()
    assert "きょうのご予約" in page and 'value="stand-in:b1"' in page
    response = client.post(reverse("counter:check_in", args=[ikejiri.code]),
                           {"appointment": "stand-in:b1"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.issued_by == clerk
    again = client.post(reverse("counter:check_in", args=[ikejiri.code]),
                        {"appointment": "stand-in:b1"}, follow=True)
    assert "すでに受付済みです" in again.content.decode() and Ticket.objects.count() == 1
