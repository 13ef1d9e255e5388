"""Partner staff on the consultation pages (issue 12, item 1): あんしんすこやかセンター池尻
books the consultations it took at 池尻's centre, moves and cancels only the bookings it
made, and reaches nothing of 松原's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.consultations import access, services
from madoguchi.scheduling.models import Participant
from tests.consultations.conftest import first_slot
from tests.helpers import login

pytestmark = pytest.mark.django_db


def free_slot(consultation):
    """A slot on another day than the resident's first meeting."""
    from madoguchi.scheduling.models import Booking

    first = Booking.objects.filter(participants__resident=consultation.resident).first()
    # The day in Tokyo: a first meeting at 8:30 is still the day before in UTC.
    day = timezone.localtime(first.start).date()
    return first_slot(consultation, start_from=day + dt.timedelta(days=1))


def page(client, name, consultation):
    return client.get(reverse(f"consultations:{name}",
                              kwargs={"public_id": consultation.public_id}))


@pytest.fixture
def taken_by_partner(booked, staff):
    """A consultation the partner took at 池尻 (after it joined the resident's meeting)."""
    anshin = staff["anshin"]
    Participant.objects.create(booking=booked.booking, kind="staff", user=anshin)
    consultation = services.consultation_intake(
        by=anshin, resident=booked.resident, source="t",
        data={"worry": "物忘れが増えた", "category": "elderly", "consent_online": True,
              "consent_share": True})
    return services.consultation_route(by=anshin, consultation=consultation,
                                       section=consultation.proposed_section, source="t")


def test_the_partner_books_and_moves_its_own_consultations_booking(taken_by_partner, staff):
    anshin = staff["anshin"]
    client = login(Client(), anshin)
    assert page(client, "book", taken_by_partner).status_code == 200
    slot = free_slot(taken_by_partner)
    booked = services.consultation_book(by=anshin, consultation=taken_by_partner,
                                        start=slot.start, source="t")
    assert booked.booking.centre.district.code == "ikejiri"
    assert {t.name for t in access.allowed_transitions(anshin, booked)} >= {"reschedule",
                                                                           "cancel"}
    assert page(client, "reschedule", booked).status_code == 200
    assert page(client, "cancel", booked).status_code == 200


def test_a_booking_the_centre_made_is_the_centres_to_move(taken_by_partner, staff):
    anshin = staff["anshin"]
    slot = free_slot(taken_by_partner)
    booked = services.consultation_book(by=staff["centre"], consultation=taken_by_partner,
                                        start=slot.start, source="t")
    names = {t.name for t in access.allowed_transitions(anshin, booked)}
    assert "reschedule" not in names and "cancel" not in names
    client = login(Client(), anshin)
    assert page(client, "detail", booked).status_code == 200  # it took the consultation
    assert page(client, "reschedule", booked).status_code == 403
    assert page(client, "cancel", booked).status_code == 403
    with pytest.raises(PermissionDenied):
        services.consultation_cancel(by=anshin, consultation=booked, reason="x", source="t")


def test_nothing_of_another_district(make_resident, intake, staff):
    resident = make_resident(by=staff["matsubara"], region="kitazawa", district="matsubara")
    consultation = intake(resident, by=staff["matsubara"])
    consultation = services.consultation_route(by=staff["matsubara"],
                                               consultation=consultation,
                                               section=consultation.proposed_section,
                                               source="t")
    booked = services.consultation_book(by=staff["matsubara"], consultation=consultation,
                                        start=first_slot(consultation).start, source="t")
    client = login(Client(), staff["anshin"])
    for name in ("detail", "route", "book", "reschedule", "cancel"):
        assert page(client, name, booked).status_code == 404, name
    assert client.get(f"/api/v1/bookings/{booked.booking.public_id}").status_code == 404
