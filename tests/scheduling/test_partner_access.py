"""Partner staff (issue 12, item 1): あんしんすこやかセンター池尻 acts only in 池尻, and only
on bookings it takes part in or its unit made — by the API and by the rules the pages use."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.organisation.models import DistrictCentre, Section
from madoguchi.scheduling import permissions, services
from madoguchi.scheduling.models import Allocation
from tests.helpers import login
from tests.scheduling.conftest import at, open_day

pytestmark = pytest.mark.django_db


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


@pytest.fixture
def matsubara(setagaya) -> DistrictCentre:
    return DistrictCentre.objects.select_related("district__region").get(
        district__region__code="kitazawa", district__code="matsubara")


@pytest.fixture
def anshin(make_staff):
    return make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin", "anshin-ikejiri")


@pytest.fixture
def matsubara_booking(make_staff, matsubara, schedule):
    kitazawa = Section.objects.get(code="kitazawa/hoken-fukushi")
    caseworker = make_staff(Role.SECTION_STAFF, kitazawa.code, "kitazawa-hoken")
    desk = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center",
                      "matsubara-desk")
    return services.booking_create(section=kitazawa, centre=matsubara, staff=caseworker,
                                   start=at(open_day(), 10), title="松原の相談",
                                   guests=[{"name": "松原 花子"}], by=desk)


def test_a_partner_does_not_see_or_cancel_another_districts_booking(anshin,
                                                                     matsubara_booking):
    client = login(Client(), anshin)
    path = f"/api/v1/bookings/{matsubara_booking.public_id}"
    response = client.get(path)
    assert response.status_code == 404
    assert "松原" not in response.content.decode()
    assert post(client, f"{path}/cancel", {"reason": "probe"}).status_code == 404
    matsubara_booking.refresh_from_db()
    assert matsubara_booking.status == "booked"
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=matsubara_booking, by=anshin, reason="probe")
    with pytest.raises(PermissionDenied):
        services.booking_reschedule(booking=matsubara_booking, by=anshin, reason="probe",
                                    start=at(open_day(), 11))


def test_a_partner_books_only_at_its_own_districts_centre(anshin, caseworkers, schedule,
                                                          matsubara):
    client = login(Client(), anshin)
    day = open_day()
    elsewhere = post(client, "/api/v1/bookings", {
        "section": "kitazawa/hoken-fukushi", "centre": "kitazawa/matsubara",
        "start": at(day, 10).isoformat()})
    assert elsewhere.status_code == 403
    assert not Allocation.objects.filter(
        active=True, resource__kind="booth",
        resource__owner_id__in=matsubara.booths.values("pk")).exists()
    home = post(client, "/api/v1/bookings", {
        "section": "setagaya/hoken-fukushi", "centre": "setagaya/ikejiri",
        "staff": caseworkers[0].username, "start": at(day, 10).isoformat()})
    assert home.status_code == 201
    # Its own booking it sees and cancels.
    path = f"/api/v1/bookings/{home.json()['public_id']}"
    assert client.get(path).status_code == 200
    assert post(client, f"{path}/cancel", {"reason": "日程の変更"}).status_code == 200


def test_a_partner_acts_on_bookings_of_its_unit_or_that_it_takes_part_in(
        anshin, make_staff, caseworkers, booker, ikejiri, hoken, schedule):
    colleague = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin", "anshin-2")
    day = open_day()
    by_colleague = services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                           start=at(day, 10), title="同じ機関", by=colleague)
    with_partner = services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[1],
                                           start=at(day, 10), title="参加", by=booker,
                                           other_users=[anshin])
    centre_only = services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                          start=at(day, 11), title="センターの予約", by=booker)
    assert permissions.may_view(anshin, by_colleague)
    assert permissions.may_cancel(anshin, by_colleague)
    assert permissions.may_view(anshin, with_partner)
    assert permissions.may_cancel(anshin, with_partner)
    # The same district's centre booked it without the partner: not theirs.
    assert not permissions.may_view(anshin, centre_only)
    assert not permissions.may_cancel(anshin, centre_only)
    # A remote meeting without a centre: only one the partner takes part in.
    assert permissions.may_book(anshin, section=hoken, centre=None, takes_part=True)
    assert not permissions.may_book(anshin, section=hoken, centre=None)


def test_a_ward_wide_partner_books_no_centre(make_staff, hoken, ikejiri):
    port = make_staff(Role.PARTNER_STAFF, "port", "port-1")
    assert not permissions.may_book(port, section=hoken, centre=ikejiri)


def test_the_booking_api_audits_what_it_shows_and_changes(make_staff, matsubara_booking):
    from madoguchi.audit.models import AuditEntry

    desk = matsubara_booking.created_by
    client = login(Client(), desk)
    path = f"/api/v1/bookings/{matsubara_booking.public_id}"
    assert client.get(path).status_code == 200
    assert post(client, f"{path}/cancel", {"reason": "区民の都合"}).status_code == 200
    rows = AuditEntry.objects.filter(actor=desk, record_type="booking").order_by("pk")
    assert [(e.action, e.source, e.record_id) for e in rows] == [
        ("view", "api:booking_detail", str(matsubara_booking.pk)),
        ("update", "api:booking_cancel", str(matsubara_booking.pk))]
    assert "cancel_reason" in rows.last().fields
