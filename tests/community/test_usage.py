"""A room's usage report (occupancy by month and daypart, from the scheduling core's
bookings; CSV) and the staff's page recording a cancellation or a no-show with its reason
(append-only history, shown in the report)."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from madoguchi.community import selectors, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import BookingEventKind, RoomBooking, RoomBookingEvent
from madoguchi.core.appendonly import AppendOnlyError
from madoguchi.scheduling.models import Allocation
from tests.community.conftest import plain_weekday
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _book(clerk, room, day, part="evening", group=None):
    return services.room_book(room=room, day=day, daypart=part, by=clerk, purpose="会議",
                              attendees=10, group=group)


def test_the_report_counts_open_held_cancelled_and_no_show_per_month_and_daypart(
        clerk, school_room, group, django_assert_max_num_queries):
    day = plain_weekday()
    held = _book(clerk, school_room, day, group=group)
    later = plain_weekday(after_days=(day - timezone.localdate()).days + 1)
    gone = _book(clerk, school_room, later, group=group)
    services.room_cancel(room_booking=gone, by=clerk, reason="団体の都合")
    services.room_cancel(room_booking=held, by=clerk, reason="誰も来なかった", no_show=True,
                         today=day)
    with django_assert_max_num_queries(6):
        usage = selectors.usage_report(room=school_room, year=day.year)
    cells = dict(usage.months)[day.month]
    morning, _afternoon, evening = cells
    # A school room opens weekday evenings only: weekday mornings are never open.
    assert evening.open >= 1 and evening.held == 1 and evening.no_show == 1
    assert evening.occupancy == round(100 / evening.open)
    if later.year == day.year:
        assert dict(usage.months)[later.month][2].cancelled == 1
    assert morning.held == 0
    kinds = {(e.room_booking_id, e.kind) for e in usage.history}
    assert (held.pk, BookingEventKind.NO_SHOW) in kinds
    assert sum(t.held for t in usage.totals) == 1  # the cancelled one is not held


def test_the_page_and_the_csv_for_the_rooms_staff_only(client, clerk, other_clerk,
                                                       school_room, group):
    day = plain_weekday()
    _book(clerk, school_room, day, group=group)
    login(client, other_clerk)  # another district's centre
    assert client.get(f"/community/staff/rooms/{school_room.pk}/usage/").status_code == 404
    login(client, clerk)
    page = client.get(f"/community/staff/rooms/{school_room.pk}/usage/?year={day.year}")
    assert page.status_code == 200
    assert "利用状況" in page.content.decode()
    response = client.get(f"/community/staff/rooms/{school_room.pk}/usage.csv?year={day.year}")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["年", "月", "区分"] and len(rows) == 1 + 12 * 3
    evening = next(r for r in rows[1:] if r[1] == str(day.month) and r[2] == "夜間")
    assert evening[4] == "1"  # held


def test_recording_a_cancellation_and_a_no_show_on_the_page(client, clerk, other_clerk,
                                                            school_room, group, monkeypatch):
    day = plain_weekday()
    booking = _book(clerk, school_room, day, group=group)
    # A booking of another centre's room, a malformed or a missing id: 404, nothing recorded.
    login(client, other_clerk)
    for posted in ({"booking": booking.public_id}, {"booking": "not-a-uuid"}, {}):
        response = client.post("/community/staff/rooms/bookings/", {
            **posted, "kind": "cancelled", "reason": "団体の都合で中止"})
        assert response.status_code == 404
    assert not RoomBookingEvent.objects.exists()
    login(client, clerk)
    page = client.get("/community/staff/rooms/bookings/").content.decode()
    assert str(booking.public_id) in page
    # A no-show before the day is refused with its message; nothing is recorded.
    response = client.post("/community/staff/rooms/bookings/", {
        "booking": booking.public_id, "kind": "no_show", "reason": "来なかった"})
    assert response.status_code == 422
    assert "前には無断不使用を記録できません" in response.content.decode()
    assert not RoomBookingEvent.objects.exists()
    # No reason: refused.
    response = client.post("/community/staff/rooms/bookings/", {
        "booking": booking.public_id, "kind": "cancelled", "reason": ""})
    assert response.status_code == 422 and not RoomBookingEvent.objects.exists()
    response = client.post("/community/staff/rooms/bookings/", {
        "booking": booking.public_id, "kind": "cancelled", "reason": "団体の都合で中止"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
    assert not Allocation.objects.filter(booking=booking.booking, active=True).exists()
    event = RoomBookingEvent.objects.get()
    assert (event.kind, event.reason, event.by_id) == ("cancelled", "団体の都合で中止",
                                                       clerk.pk)
    report = client.get(f"/community/staff/rooms/{school_room.pk}/usage/?year={day.year}")
    assert "団体の都合で中止" in report.content.decode()


def test_a_no_show_is_recorded_once_and_the_history_cannot_be_changed(clerk, school_room,
                                                                      group):
    day = plain_weekday()
    booking = _book(clerk, school_room, day, group=group)
    services.room_cancel(room_booking=booking, by=clerk, reason="来なかった", no_show=True,
                         today=day)
    with pytest.raises(CommunityError) as twice:
        services.room_cancel(room_booking=booking, by=clerk, reason="再度", no_show=True,
                             today=day)
    assert twice.value.code == "duplicate"
    with pytest.raises(CommunityError) as cancel:
        services.room_cancel(room_booking=booking, by=clerk, reason="取消", today=day)
    assert cancel.value.code == "no_show"
    event = RoomBookingEvent.objects.get()
    event.reason = "書き換え"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        RoomBookingEvent.objects.all().delete()
    assert RoomBooking.objects.get(pk=booking.pk).no_show
