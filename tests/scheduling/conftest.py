"""Scheduling fixtures: the 池尻 centre (two booths), 保健福祉課 (世田谷) and its staff,
and dates relative to today (open weekdays, the next holiday, the next 年末年始)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jpholiday
import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.core.dates import is_open_day
from madoguchi.organisation.models import DistrictCentre, Section
from madoguchi.scheduling.models import SectionSchedule
from tests.browser.conftest import asgi_server, live_url  # noqa: F401

TOKYO = ZoneInfo("Asia/Tokyo")
HOKEN = "setagaya/hoken-fukushi"
IKEJIRI_DESK = "setagaya/ikejiri/machizukuri-center"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def open_day(after: dt.date | None = None, *, weekday: int | None = None) -> dt.date:
    """The first open weekday (no holiday) at least two weeks after ``after`` (today)."""
    day = (after or timezone.localdate()) + dt.timedelta(days=14)
    while not is_open_day(day) or (weekday is not None and day.weekday() != weekday):
        day += dt.timedelta(days=1)
    return day


def next_weekday_holiday() -> tuple[dt.date, str]:
    """The next national holiday on a Monday–Friday, at least a week away."""
    day = timezone.localdate() + dt.timedelta(days=7)
    while True:
        name = jpholiday.is_holiday_name(day)
        if name and day.weekday() < 5 and not (day.month == 1 and day.day <= 3):
            return day, name
        day += dt.timedelta(days=1)


def next_year_end() -> dt.date:
    """The next 12/29 at least a week away."""
    today = timezone.localdate()
    year = today.year if today <= dt.date(today.year, 12, 21) else today.year + 1
    return dt.date(year, 12, 29)


@pytest.fixture
def ikejiri(setagaya) -> DistrictCentre:
    return DistrictCentre.objects.select_related("district__region").get(
        district__region__code="setagaya", district__code="ikejiri")


@pytest.fixture
def hoken(setagaya) -> Section:
    return Section.objects.get(code=HOKEN)


@pytest.fixture
def booker(make_staff):
    """District staff at 池尻 who books for the resident at the counter."""
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI_DESK, "ikejiri-desk")


@pytest.fixture
def caseworkers(make_staff):
    """Two caseworkers of 保健福祉課 (standard hours, Mon–Fri 8:30–17:15)."""
    return [make_staff(Role.SECTION_STAFF, HOKEN, f"hoken-{i}") for i in (1, 2)]


@pytest.fixture
def schedule(hoken) -> SectionSchedule:
    """保健福祉課's settings with no minimum notice (tests book days ahead anyway)."""
    row, _ = SectionSchedule.objects.update_or_create(
        section=hoken, defaults={"duration_minutes": 30, "buffer_minutes": 0,
                                 "min_notice_minutes": 0})
    return row
