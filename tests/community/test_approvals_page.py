"""The staff's approval page: the approving staff see the won requests of their rooms with
the fee, approve with conditions (kept on the booking), and a second approval comes back
with the service's Japanese message and nothing changed; other centres' staff see none and
cannot approve. The room desk's title is the page's name only."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.community import services
from madoguchi.community.models import BookingRequest, RequestStatus
from tests.community.conftest import plain_weekday
from tests.helpers import login

pytestmark = pytest.mark.django_db

URL = "/community/staff/rooms/approvals/"


@pytest.fixture
def won(clerk, group, school_room):
    booked = services.room_book(room=school_room, day=plain_weekday(), daypart="evening",
                                by=clerk, purpose="会議", attendees=12, group=group)
    return BookingRequest.objects.create(
        group=group, room=school_room, date=booked.date, daypart="evening", purpose="会議",
        attendees=12, status=RequestStatus.WON, room_booking=booked)


def test_the_approving_staff_approve_with_conditions(clerk, won):
    staff = login(Client(), clerk)
    page = staff.get(URL).content.decode()
    assert "承認待ちの申込 1件" in page and won.group.name in page and "会議（12人）" in page
    assert "円" in page or "免除" in page
    response = staff.post(URL, {"request": str(won.public_id),
                                "conditions": "終了後は机を元に戻すこと"}, follow=True)
    assert response.status_code == 200
    assert f"{won.group.name} の申込" in response.content.decode()
    assert "承認待ちの申込はありません。" in response.content.decode()
    won.refresh_from_db()
    won.room_booking.refresh_from_db()
    assert won.status == RequestStatus.APPROVED
    assert won.room_booking.conditions == "終了後は机を元に戻すこと"

    again = staff.post(URL, {"request": str(won.public_id)})
    assert again.status_code == 422
    assert "この申込は承認できる状態ではありません" in again.content.decode()
    won.room_booking.refresh_from_db()
    assert won.room_booking.conditions == "終了後は机を元に戻すこと"


def test_conditions_too_long_are_refused_and_nothing_changes(clerk, won):
    response = login(Client(), clerk).post(URL, {"request": str(won.public_id),
                                                 "conditions": "あ" * 301})
    assert response.status_code == 422
    assert "承認の条件（任意）" in response.content.decode()
    won.refresh_from_db()
    assert won.status == RequestStatus.WON


def test_another_centres_staff_see_none_and_cannot_approve(other_clerk, won):
    other = login(Client(), other_clerk)
    assert "承認待ちの申込はありません。" in other.get(URL).content.decode()
    assert other.post(URL, {"request": str(won.public_id)}).status_code == 404
    assert other.post(URL, {"request": "not-a-uuid"}).status_code == 404
    won.refresh_from_db()
    assert won.status == RequestStatus.WON


def test_the_room_desk_links_to_the_approvals(clerk):
    page = login(Client(), clerk).get("/community/staff/rooms/").content.decode()
    assert "<title>部屋の予約（職員）" in page
    assert URL in page
