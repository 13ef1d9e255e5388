"""Bookable kinds are registered by the apps that own them; scheduling books any of them
through one ``Resource`` table (kind + owner key), and the guarantee against double
booking holds for every kind alike."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import DistrictCentre
from madoguchi.scheduling import kinds, services
from madoguchi.scheduling.errors import BookingRejected
from madoguchi.scheduling.models import Allocation, Booking, Resource
from madoguchi.scheduling.services._common import _is_overlap
from tests.scheduling.conftest import at, open_day

pytestmark = pytest.mark.django_db

# What a later app (community rooms) would register in its AppConfig.ready(); a centre
# stands in for the room model here.
ROOM = kinds.BookableKind(code="test-room", label=_("集会室"),
                          owner="organisation.DistrictCentre", hours=kinds.WHOLE_DAY,
                          describe=lambda centre: f"{centre.name}の集会室")


@pytest.fixture
def room_kind():
    kinds.register(ROOM)
    yield ROOM
    kinds._KINDS.pop(ROOM.code, None)


def test_the_consultation_context_registers_booths_and_people():
    booth, person = kinds.get("booth"), kinds.get("person")
    assert booth.owner_model()._meta.label == "organisation.Booth"
    assert person.owner_model()._meta.label == "accounts.User"
    assert booth.hours == kinds.WHOLE_DAY and person.hours == kinds.STANDARD_HOURS
    assert booth.needs_section and person.needs_section
    with pytest.raises(LookupError):
        kinds.get("no-such-kind")


def test_a_code_cannot_be_taken_twice(room_kind):
    assert kinds.register(room_kind) is room_kind  # the same kind again: no change
    with pytest.raises(ImproperlyConfigured):
        kinds.register(kinds.BookableKind(code=room_kind.code, label=_("別物"),
                                          owner="organisation.Booth", hours={}))


def test_a_resource_is_its_kind_and_owner_key_and_is_named_by_its_kind(
        room_kind, ikejiri, caseworkers):
    room = services.resource_for(room_kind.code, ikejiri)
    assert (room.kind, room.owner_id) == ("test-room", ikejiri.pk)
    assert services.resource_for(room_kind.code, ikejiri) == room  # one row per owner
    assert str(room) == f"{ikejiri.name}の集会室"
    person = services.resource_for_user(caseworkers[0])
    assert (person.kind, person.owner_id) == ("person", caseworkers[0].pk)
    assert str(person) == caseworkers[0].display_name
    with pytest.raises(LookupError):
        services.resource_for("no-such-kind", ikejiri)


def test_a_booking_without_a_section_is_refused_by_the_kinds_that_need_one(
        ikejiri, caseworkers, booker, schedule):
    with pytest.raises(BookingRejected) as refused:
        services.booking_create(section=None, centre=ikejiri, staff=caseworkers[0],
                                start=at(open_day(), 10), title="相談", by=booker)
    assert refused.value.code == "section"
    assert not Booking.objects.exists()


def test_a_kinds_own_rule_refuses_a_named_resource(book_args, caseworkers):
    caseworkers[1].is_active = False
    caseworkers[1].save(update_fields=["is_active"])
    with pytest.raises(BookingRejected) as refused:
        services.booking_create(**book_args, other_users=[caseworkers[1]])
    assert refused.value.code == "resource"
    assert caseworkers[1].display_name in refused.value.message


@pytest.fixture
def book_args(ikejiri, hoken, caseworkers, booker, schedule):
    return {"section": hoken, "centre": ikejiri, "staff": caseworkers[0],
            "start": at(open_day(), 10), "title": "相談", "by": booker}


def test_no_kind_is_double_booked_on_postgresql(room_kind, book_args):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only (SQLite serialises "
                    "writers instead)")
    booking = services.booking_create(**book_args)
    room = services.resource_for(room_kind.code, DistrictCentre.objects.first())
    Allocation.objects.create(booking=booking, resource=room, start=booking.start,
                              end=booking.end)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Allocation.objects.create(booking=booking, resource=room, start=booking.start,
                                  end=booking.end)
    assert _is_overlap(caught.value)
    assert Resource.objects.filter(kind="test-room").count() == 1


def test_guests_join_a_booking_without_a_section_and_never_a_consultation(
        room_kind, ikejiri, booker, book_args):
    held = services.resource_book(kind=room_kind.code, owner=ikejiri,
                                  start=at(open_day(), 10), end=at(open_day(), 12),
                                  title="イベント", by=booker)
    guest = services.guest_add(booking=held, guest=services.Guest(name="申込番号 3"))
    assert (guest.kind, guest.name, guest.remote) == ("guest", "申込番号 3", True)
    consultation = services.booking_create(**book_args)
    with pytest.raises(BookingRejected) as refused:
        services.guest_add(booking=consultation, guest=services.Guest(name="外部"))
    assert refused.value.code == "section"
    services.resource_release(booking=held, by=booker, reason="中止")
    with pytest.raises(BookingRejected) as refused:
        services.guest_add(booking=held, guest=services.Guest(name="申込番号 4"))
    assert refused.value.code == "cancelled"
