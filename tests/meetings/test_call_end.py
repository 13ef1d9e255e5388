"""A consultation whose call ended or that was closed is over: its booking is 終了, the rest
of its booth slot is free, and no page offers 「ビデオ通話に入る」 for it any more."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.consultations import services as consultations
from madoguchi.consultations.setup import load_consultation_setup
from madoguchi.meetings import services
from madoguchi.scheduling.models import Allocation, BookingStatus
from madoguchi.scheduling.selectors import find_slots
from madoguchi.scheduling.services import booking_finish
from tests.helpers import login
from tests.meetings.conftest import HOKEN, IKEJIRI, booked_consultation

pytestmark = pytest.mark.django_db

OUTCOME = {"result": "procedure", "summary": "要介護認定の申請方法を説明。",
           "satisfied": "satisfied", "duration_minutes": "20"}


@pytest.fixture
def at_booth(make_staff):
    """A consultation booked at 池尻's booth with the section's host."""
    load_consultation_setup()
    staff = SimpleNamespace(
        host=make_staff(Role.SECTION_STAFF, HOKEN, "hoken-host"),
        centre=make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-centre"))
    _resident, consultation = booked_consultation(staff, remote=False)
    return SimpleNamespace(staff=staff, consultation=consultation,
                           booking=consultation.booking)


def booth_free_at(world) -> bool:
    booking = world.booking
    slots = find_slots(section=booking.section, centre=booking.centre, booth=booking.booth,
                       staff=world.staff.host, start_from=booking.start, limit=1)
    return bool(slots) and slots[0].start == booking.start


def pages(client, world) -> dict[str, str]:
    board = reverse("scheduling:day_board", kwargs={"region": "setagaya",
                                                       "district": "ikejiri"})
    day = world.booking.start.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    detail = reverse("consultations:detail",
                     kwargs={"public_id": world.consultation.public_id})
    login(client, world.staff.host)
    html = {"agenda": client.get(reverse("scheduling:agenda")).content.decode(),
            "detail": client.get(detail).content.decode()}
    client.logout()
    login(client, world.staff.centre)
    html["board"] = client.get(f"{board}?date={day.isoformat()}").content.decode()
    client.logout()
    return html


def test_ending_the_call_frees_the_booth_and_leaves_the_agenda_and_board(at_booth, client):
    room_url = reverse("meetings:booking_room", kwargs={"public_id": at_booth.booking.public_id})
    before = pages(client, at_booth)
    assert room_url in before["agenda"] and room_url in before["detail"]
    assert "予約済み" in before["board"]
    assert not booth_free_at(at_booth)

    room = services.room_for_booking(booking=at_booth.booking)
    services.room_end(room=room, by=at_booth.staff.host)

    at_booth.booking.refresh_from_db()
    assert at_booth.booking.status == BookingStatus.FINISHED
    assert at_booth.booking.finished_at is not None
    assert booth_free_at(at_booth)  # the call ended before its slot: all of it is free
    after = pages(client, at_booth)
    assert room_url not in after["agenda"] and at_booth.booking.section.name not in (
        after["agenda"].split("<main", 1)[1].split("</main>", 1)[0])
    assert room_url not in after["detail"] and "ビデオ通話に入る" not in after["detail"]
    assert "ビデオ通話に入る" not in after["board"]
    assert ">終了</span>" in after["board"] and "予約済み</span>" not in after["board"]


def test_recording_the_outcome_closes_the_booking(at_booth):
    consultations.outcome_record(by=at_booth.staff.host, consultation=at_booth.consultation,
                                 data=OUTCOME, source="tests")
    at_booth.booking.refresh_from_db()
    assert at_booth.booking.status == BookingStatus.FINISHED
    assert booth_free_at(at_booth)


def test_a_call_ending_mid_slot_frees_only_the_rest(at_booth):
    booking = at_booth.booking
    ended = booking.start + dt.timedelta(minutes=10)
    booking_finish(booking=booking, at=ended)
    held = list(Allocation.objects.filter(booking=booking, active=True))
    assert held and all(a.start == booking.start and a.end == ended for a in held)
    # Finishing again, or cancelling the consultation afterwards, changes nothing.
    assert booking_finish(booking=booking).finished_at == ended
    consultations.consultation_cancel(by=at_booth.staff.centre,
                                      consultation=at_booth.consultation,
                                      reason="区民の都合", source="tests")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.FINISHED
    assert Allocation.objects.filter(booking=booking, active=True).count() == len(held)
