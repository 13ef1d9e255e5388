"""40 concurrent first-come requests for one free slot make exactly one booking, each in
its own thread and connection (40, not the bench's 100, so that the suite stays within
PostgreSQL's 100 connections beside its live servers). The guarantee is scheduling's
exclusion constraint on PostgreSQL, the serialised write transaction on SQLite."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection

from madoguchi.accounts.models import Role
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import BookingRequest, LotteryRun, RoomBooking
from madoguchi.community.services import requests as svc
from madoguchi.scheduling.models import Booking
from tests.community.conftest import make_group
from tests.community.test_lottery import target_month, weekdays_of
from tests.scheduling.test_concurrency import overlapping_active_allocations, race

ATTEMPTS = 40


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_come_requests_for_one_slot_make_one_booking(
        make_staff, school_room, ikejiri, centre):
    if connection.vendor != "postgresql":
        pytest.skip("run on PostgreSQL (the exclusion constraint decides the race)")
    admin = make_staff(Role.WARD_ADMIN)
    clerk = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    groups = [make_group(ikejiri, centre, name=f"団体{n}", email=f"g{n}@example.jp")
              for n in range(ATTEMPTS)]
    LotteryRun.objects.create(month=target_month(), seed="x", inputs_digest="-",
                              requests_count=0, run_by=admin)
    day = weekdays_of(target_month(), 1)[0]
    queue = iter(groups)
    lock = threading.Lock()

    def attempt() -> str:
        with lock:
            group = next(queue)
        try:
            svc.first_come(group=group, room=school_room, day=day, daypart="evening",
                           purpose="会議", attendees=10, by=clerk)
        except CommunityError as error:
            return error.code
        return "booked"

    outcomes = race(attempt, ATTEMPTS)
    assert outcomes == Counter({"booked": 1, "taken": ATTEMPTS - 1})
    assert RoomBooking.objects.count() == 1 and Booking.objects.count() == 1
    assert BookingRequest.objects.count() == 1
    assert overlapping_active_allocations() == 0
    assert RoomBooking.objects.get().date == day and isinstance(day, dt.date)
