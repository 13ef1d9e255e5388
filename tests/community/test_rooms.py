"""Rooms as data and booked through scheduling (issue 16 item 3): opening slots of school
rooms, closed days, school events, who may book, purposes, capacity; each refusal in
Japanese with nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from madoguchi.community import selectors, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import OpeningSlot, RoomBooking, RoomClosure
from madoguchi.core.dates import holiday_name
from madoguchi.core.models import CalendarException
from madoguchi.scheduling import kinds
from madoguchi.scheduling.models import Allocation, Booking, Resource
from tests.community.conftest import make_group, plain_weekday, saturday

pytestmark = pytest.mark.django_db


def nothing_saved() -> bool:
    return not RoomBooking.objects.exists() and not Booking.objects.exists()


def refused(code: str, **kwargs) -> str:
    with pytest.raises(CommunityError) as caught:
        services.room_book(**kwargs)
    assert caught.value.code == code
    assert nothing_saved()
    return caught.value.message


def test_rooms_and_items_are_kinds_registered_with_scheduling():
    assert kinds.get("room").owner == "community.Room"
    assert kinds.get("equipment").owner == "community.Item"
    assert not kinds.get("room").needs_section


def test_a_group_books_a_school_room_on_a_weekday_evening(clerk, school_room, group):
    day = plain_weekday()
    booked = services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                                purpose="会議", attendees=30, group=group)
    assert booked.exempt and booked.fee_yen == 0  # 町会・自治会 are exempt here
    allocation = Allocation.objects.get(booking=booked.booking)
    assert allocation.resource == Resource.objects.get(kind="room", owner_id=school_room.pk)
    assert booked.booking.section is None and booked.booking.is_active
    local = allocation.start.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert (local.hour, local.minute) == (18, 0)


def test_the_same_room_and_daypart_cannot_be_booked_twice(clerk, school_room, group):
    day = plain_weekday()
    services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                       purpose="会議", attendees=10, group=group)
    other = make_group(group.districts.first(), group.centre, name="池尻二丁目町会",
                       email="ni@example.jp")
    with pytest.raises(CommunityError) as caught:
        services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                           purpose="会議", attendees=10, group=other)
    assert caught.value.code == "taken" and "すでに予約されています" in caught.value.message
    assert RoomBooking.objects.count() == 1 and Booking.objects.count() == 1


def test_school_rooms_are_not_open_on_weekday_mornings(clerk, school_room, group):
    message = refused("hours", room=school_room, day=plain_weekday(), daypart="morning",
                      by=clerk, purpose="会議", attendees=10, group=group)
    assert "利用時間外" in message and "平日 18:00〜21:30" in message


def test_school_rooms_are_open_on_holidays_from_nine(clerk, school_room, group):
    booked = services.room_book(room=school_room, day=saturday(), daypart="morning",
                                by=clerk, purpose="練習", attendees=10, group=group)
    assert booked.pk


def test_ward_editable_opening_slots_replace_the_default(clerk, school_room, group):
    OpeningSlot.objects.create(room=school_room, day_type="weekday",
                               start=dt.time(9), end=dt.time(21, 30))
    assert services.room_book(room=school_room, day=plain_weekday(), daypart="morning",
                              by=clerk, purpose="会議", attendees=5, group=group).pk


def test_a_school_event_closes_the_room(clerk, school_room, group):
    day = plain_weekday()
    services.closure_add(room=school_room, day=day, reason="学校行事（合唱コンクール）", by=clerk)
    message = refused("closed", room=school_room, day=day, daypart="evening", by=clerk,
                      purpose="会議", attendees=10, group=group)
    assert "学校行事（合唱コンクール）のため" in message


def test_an_exception_is_refused_on_a_day_with_bookings(clerk, school_room, group):
    day = plain_weekday()
    services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                       purpose="会議", attendees=10, group=group)
    with pytest.raises(CommunityError) as caught:
        services.closure_add(room=school_room, day=day, reason="学校行事", by=clerk)
    assert "予約があります" in caught.value.message
    assert not RoomClosure.objects.exists()


def test_the_wards_closed_days_close_rooms(clerk, school_room, group):
    day = plain_weekday()
    CalendarException.objects.create(date=day, kind="closed", reason="庁舎点検")
    assert "庁舎点検" in refused("closed", room=school_room, day=day, daypart="evening",
                                by=clerk, purpose="会議", attendees=10, group=group)


def test_year_end_closes_rooms(clerk, school_room, group):
    today = dt.date.today()
    day = dt.date(today.year + 1, 12, 30)
    assert "年末年始" in refused("closed", room=school_room, day=day, daypart="evening",
                              by=clerk, purpose="会議", attendees=10, group=group)


def test_only_registered_groups_may_book_a_school_room(clerk, school_room, pending_group):
    day = plain_weekday()
    assert "登録団体だけ" in refused("group_required", room=school_room, day=day,
                                   daypart="evening", by=clerk, purpose="会議",
                                   attendees=10)
    assert "承認されていない" in refused("group_not_approved", room=school_room, day=day,
                                     daypart="evening", by=clerk, purpose="会議",
                                     attendees=10, group=pending_group)


def test_residents_may_book_a_centre_room(clerk, centre_room):
    booked = services.room_book(room=centre_room, day=plain_weekday(), daypart="morning",
                                by=clerk, purpose="地域の打ち合わせ", attendees=4)
    assert booked.group is None and booked.fee_yen == 0


def test_over_capacity_is_refused(clerk, school_room, group):
    message = refused("capacity", room=school_room, day=plain_weekday(), daypart="evening",
                      by=clerk, purpose="会議", attendees=41, group=group)
    assert "定員は40人" in message and "41人" in message


def test_commercial_use_and_other_purposes_are_refused(clerk, school_room, group):
    day = plain_weekday()
    assert "営利" in refused("commercial", room=school_room, day=day, daypart="evening",
                           by=clerk, purpose="化粧品の販売会", attendees=10, group=group)
    assert "営利" in refused("commercial", room=school_room, day=day, daypart="evening",
                           by=clerk, purpose="会議", attendees=10, group=group,
                           commercial=True)
    assert "認められる目的: 会議、学習会、練習" in refused(
        "purpose", room=school_room, day=day, daypart="evening", by=clerk,
        purpose="宴会", attendees=10, group=group)


def test_past_days_are_refused(clerk, school_room, group):
    refused("past", room=school_room, day=dt.date.today() - dt.timedelta(days=3),
            daypart="evening", by=clerk, purpose="会議", attendees=10, group=group)


def test_staff_of_another_district_may_not_book(other_clerk, school_room, group):
    with pytest.raises(PermissionDenied):
        services.room_book(room=school_room, day=plain_weekday(), daypart="evening",
                           by=other_clerk, purpose="会議", attendees=10, group=group)
    assert nothing_saved()


def test_cancelling_frees_the_slot_and_a_no_show_is_recorded(clerk, school_room, group):
    day = plain_weekday()
    first = services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                               purpose="会議", attendees=10, group=group)
    services.room_cancel(room_booking=first, by=clerk, reason="団体の都合")
    assert not Allocation.objects.filter(booking=first.booking, active=True).exists()
    second = services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                                purpose="会議", attendees=10, group=group)
    services.room_cancel(room_booking=second, by=clerk, reason="来なかった", no_show=True,
                         today=day)
    second.refresh_from_db()
    assert second.no_show and second.cancelled_at is None


def test_the_month_shows_booked_closed_outside_and_free_in_three_queries(
        clerk, school_room, centre_room, group, django_assert_num_queries):
    """The availability page's selector: each daypart's state from the bookings, the
    room's own exception, the ward's closed day and the opening slots (a ward-edited row
    for the centre room), in three queries whatever the month."""
    day = plain_weekday()
    other = next(d for n in (1, -1, 2, -2, 3, -3, 4, -4) if (
        d := day + dt.timedelta(days=n)).month == day.month and d.weekday() < 5
        and not holiday_name(d))
    services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                       purpose="会議", attendees=10, group=group)
    services.closure_add(room=school_room, day=other, reason="学校行事", by=clerk)
    CalendarException.objects.create(date=other, kind="closed", reason="庁舎点検")
    OpeningSlot.objects.create(room=centre_room, day_type="weekday",
                               start=dt.time(13), end=dt.time(17))
    rooms = selectors.district_rooms(school_room.district)
    with django_assert_num_queries(3):
        months = {entry.room.pk: {d: [c.state for c in cells] for d, _l, cells in entry.rows}
                  for entry in selectors.availability(rooms=rooms, year=day.year,
                                                      month=day.month)}
    assert months[school_room.pk][day] == ["not_open", "not_open", "booked"]
    assert months[centre_room.pk][day] == ["not_open", "free", "not_open"]
    assert months[school_room.pk][other] == ["closed"] * 3  # the ward's day comes first
    assert months[centre_room.pk][other] == ["closed"] * 3
