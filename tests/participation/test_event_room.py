"""An event's place may be a room of the community context, booked through community's
seam for the ward's own use (issue 15 item 1 and "an event whose room is already booked"):
the same no-double-booking as every room booking, a clear Japanese message, nothing
half-saved; the room moves with the event's time and is freed when it is cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from madoguchi.community.models import Room, RoomBooking, VenueKind
from madoguchi.community.services import room_book
from madoguchi.participation import services
from madoguchi.participation.models import Event
from madoguchi.scheduling.models import Allocation
from tests.helpers import login

from .conftest import event_data, ikejiri, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(setagaya) -> Room:
    return Room.objects.create(district=ikejiri(), venue_kind=VenueKind.CENTRE,
                               venue_name="池尻まちづくりセンター", name="活動フロア",
                               capacity=30, residents_may_book=True)


def _held(room: Room):
    return Allocation.objects.filter(resource__kind="room", resource__owner_id=room.pk,
                                     active=True)


def _live(room: Room) -> list[tuple[dt.date, str]]:
    return list(RoomBooking.objects.filter(room=room, cancelled_at__isnull=True)
                .order_by("date", "daypart").values_list("date", "daypart"))


def test_an_event_in_a_room_books_each_session_and_the_pages_name_the_room(
        author, head, room, client):
    event = published(author, head, room=room, place="", repeat="weekly", repeat_count=3,
                      starts_at=dt.time(10), ends_at=dt.time(12))
    days = list(event.occurrences.values_list("planned", flat=True))
    assert _live(room) == [(day, "morning") for day in days]
    assert _held(room).count() == 3
    assert event.place_name == "池尻まちづくりセンター 活動フロア"
    page = client.get(reverse("events:event", kwargs={"event": event.public_id}))
    assert "池尻まちづくりセンター 活動フロア" in page.content.decode()
    login(client, author)
    staff = client.get(reverse("participation:event", kwargs={"event": event.public_id}))
    assert "貸室の予約" in staff.content.decode()


def test_a_room_already_booked_is_refused_in_japanese_and_nothing_is_saved(
        author, room, make_staff):
    data = event_data(room=room, place="", starts_at=dt.time(13, 30), ends_at=dt.time(15))
    clerk = make_staff("district_staff", "setagaya/ikejiri/machizukuri-center", "clerk")
    room_book(room=room, day=data["first_date"], daypart="afternoon", by=clerk,
              purpose="会議", attendees=5)
    with pytest.raises(services.ParticipationError) as refused:
        services.event_create(by=author, data=data)
    assert "すでに予約されています" in refused.value.messages[0]
    assert not Event.objects.filter(title=data["title"]).exists()
    assert _live(room) == [(data["first_date"], "afternoon")]


def test_a_room_too_small_or_a_time_outside_the_dayparts_is_refused(author, room):
    with pytest.raises(services.ParticipationError) as small:
        services.event_create(by=author, data=event_data(room=room, place="", capacity=31))
    assert "定員は30人" in small.value.messages[0]
    with pytest.raises(services.ParticipationError) as early:
        services.event_create(by=author, data=event_data(
            room=room, place="", starts_at=dt.time(7), ends_at=dt.time(8, 30)))
    assert "利用区分" in early.value.messages[0]
    with pytest.raises(services.ParticipationError) as both:
        services.event_create(by=author, data=event_data(room=room))
    assert "どちらか一方" in both.value.messages[0]
    assert not Event.objects.exists() and not RoomBooking.objects.exists()


def test_changing_the_time_moves_the_room_and_a_taken_time_changes_nothing(
        author, head, room, make_staff):
    event = published(author, head, room=room, place="")
    day = event.first_date
    services.event_update(by=author, event=event,
                          data={"starts_at": dt.time(18, 30), "ends_at": dt.time(20)})
    assert _live(room) == [(day, "evening")]
    clerk = make_staff("district_staff", "setagaya/ikejiri/machizukuri-center", "clerk")
    room_book(room=room, day=day, daypart="afternoon", by=clerk, purpose="会議", attendees=5)
    with pytest.raises(services.ParticipationError) as taken:
        services.event_update(by=author, event=event,
                              data={"starts_at": dt.time(14), "ends_at": dt.time(16)})
    assert "すでに予約されています" in taken.value.messages[0]
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (dt.time(18, 30), dt.time(20))
    assert _live(room) == [(day, "afternoon"), (day, "evening")]
    # Back to free text: the room is freed.
    services.event_update(by=author, event=event, data={"room": None, "place": "区民会館"})
    assert _live(room) == [(day, "afternoon")]


def test_cancelling_the_event_frees_the_room(author, head, room):
    event = published(author, head, room=room, place="")
    assert len(_live(room)) == 1
    services.event_move(by=author, event=event, step="cancel")
    assert _live(room) == []
    assert not _held(room).exists()
    assert event.room_bookings.count() == 0


def test_the_staff_form_takes_a_room_and_shows_the_refusal(author, room, client, make_staff):
    data = event_data(room=room, place="", starts_at=dt.time(9, 30), ends_at=dt.time(11))
    clerk = make_staff("district_staff", "setagaya/ikejiri/machizukuri-center", "clerk")
    room_book(room=room, day=data["first_date"], daypart="morning", by=clerk,
              purpose="会議", attendees=5)
    login(client, author)
    form = {key: (value.pk if hasattr(value, "pk") else value) for key, value in data.items()}
    form.update(repeat="none", repeat_count=1, on_closed="skip", mode="first_come", fee=0,
                registration_deadline=data["registration_deadline"].strftime("%Y-%m-%dT%H:%M"),
                first_date=data["first_date"].isoformat(), starts_at="09:30", ends_at="11:00",
                sign_language="on")
    response = client.post(reverse("participation:create"), form)
    assert response.status_code == 400
    assert "すでに予約されています" in response.content.decode()
    assert not Event.objects.exists()
