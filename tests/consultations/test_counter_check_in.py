"""Booked consultations at the counter's reception: consultations' appointment source
(counter.appointments) lists the day's bookings at a centre's booths without personal data
and checks one in into the counter's consultation queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.counter import appointments, selectors
from madoguchi.counter import services as counter_services
from madoguchi.counter.catalogue import load_defaults
from madoguchi.counter.errors import CheckedIn, CounterError
from madoguchi.counter.models import Office, TicketSource
from madoguchi.scheduling.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(setagaya):
    load_defaults()
    return Office.objects.get(code="setagaya-ikejiri")


def move_to(booking, start: dt.datetime) -> Booking:
    """The test's booking taken to ``start`` (the slot search only offers later days)."""
    Booking.objects.filter(pk=booking.pk).update(start=start,
                                                 end=start + dt.timedelta(minutes=30))
    booking.refresh_from_db()
    return booking


def later_today() -> dt.datetime:
    """A time later on the ward's today, whatever the hour the test runs at."""
    now = timezone.localtime()
    return min(now + dt.timedelta(minutes=20), now.replace(hour=23, minute=59, second=0))


def test_todays_booking_is_listed_without_personal_data_and_checks_in(booked, office,
                                                                      resident):
    start = later_today()
    booking = move_to(booked.booking, start)
    rows = selectors.appointments_today(office)
    assert [r["appointment"].reference for r in rows] == [str(booking.public_id)]
    label = rows[0]["appointment"].label
    assert f"{timezone.localtime(start):%H:%M}" in label and "保健福祉課" in label
    assert resident.family_name not in label and "介護" not in label
    key = rows[0]["appointment"].key
    ticket = counter_services.appointment_check_in(office=office, key=key)
    assert ticket.source == TicketSource.APPOINTMENT and ticket.service.code == "consultation"
    assert ticket.appointment_at == booking.start
    with pytest.raises(CheckedIn):
        counter_services.appointment_check_in(office=office, key=key)
    assert selectors.appointments_today(office)[0]["ticket"] == ticket


def test_a_booking_of_another_day_or_centre_or_cancelled_does_not_check_in(booked, office,
                                                                         setagaya):
    key = f"consultation:{booked.booking.public_id}"
    move_to(booked.booking, timezone.now() + dt.timedelta(days=2))  # another day, at any hour
    with pytest.raises(CounterError, match="受付できるのは、きょうのご予約だけです"):
        counter_services.appointment_check_in(office=office, key=key)
    assert selectors.appointments_today(office) == []
    move_to(booked.booking, later_today())
    other = Office.objects.get(code="setagaya-taishido")
    assert appointments.for_day(other, timezone.localdate()) == []
    with pytest.raises(CounterError, match="この予約は見つかりません"):
        counter_services.appointment_check_in(office=other, key=key)
    Booking.objects.filter(pk=booked.booking.pk).update(status="cancelled")
    with pytest.raises(CounterError, match="この予約は見つかりません"):
        counter_services.appointment_check_in(office=office, key=key)
    kumin = Office.objects.get(code="setagaya-kumin")
    assert appointments.for_day(kumin, timezone.localdate()) == []
