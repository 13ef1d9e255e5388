"""Fixtures of the community tests: 池尻's centre, a school room and a centre room, groups,
a centre clerk, and items to lend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.community.models import (
    FeeReduction,
    Group,
    GroupContact,
    GroupKind,
    GroupStatus,
    Item,
    ItemKind,
    Room,
    VenueKind,
)
from madoguchi.core.dates import holiday_name, is_year_end_closing
from madoguchi.organisation.models import District, DistrictCentre
from tests.notifications.conftest import smtp  # noqa: F401 - the real SMTP server fixture

CLERK_UNIT = "setagaya/ikejiri/machizukuri-center"


def plain_weekday(after_days: int = 14) -> dt.date:
    """A weekday at least ``after_days`` ahead that is no holiday and not 年末年始."""
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while day.weekday() >= 5 or holiday_name(day) or is_year_end_closing(day):
        day += dt.timedelta(days=1)
    return day


def saturday(after_days: int = 14) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while day.weekday() != 5 or is_year_end_closing(day):
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def ikejiri(setagaya) -> District:
    return District.objects.get(region__code="setagaya", code="ikejiri")


@pytest.fixture
def centre(ikejiri) -> DistrictCentre:
    return DistrictCentre.objects.get(district=ikejiri)


@pytest.fixture
def clerk(make_staff):
    return make_staff(Role.DISTRICT_STAFF, CLERK_UNIT)


@pytest.fixture
def other_clerk(make_staff):
    return make_staff(Role.DISTRICT_STAFF, "setagaya/taishido/machizukuri-center")


@pytest.fixture
def school_room(ikejiri) -> Room:
    room = Room.objects.create(district=ikejiri, venue_kind=VenueKind.SCHOOL,
                               venue_name="池尻中学校", name="多目的室", capacity=40,
                               equipment="机・椅子・ホワイトボード",
                               purposes="会議、学習会、練習", fee_yen=500)
    FeeReduction.objects.create(room=room, group_kind=GroupKind.CHONAIKAI, percent=100)
    return room


@pytest.fixture
def centre_room(ikejiri) -> Room:
    return Room.objects.create(district=ikejiri, venue_kind=VenueKind.CENTRE,
                               venue_name="池尻まちづくりセンター", name="活動フロア",
                               capacity=20, residents_may_book=True)


def make_group(district, centre, *, name="池尻町会", status=GroupStatus.APPROVED,
               kind=GroupKind.CHONAIKAI, email="rep@example.jp") -> Group:
    group = Group.objects.create(name=name, kind=kind, centre=centre, members_count=120,
                                 activity="防災訓練と夏祭り", status=status)
    group.districts.set([district])
    GroupContact.objects.create(group=group, name="世田谷 太郎", email=email,
                                phone="03-1234-5678")
    return group


@pytest.fixture
def group(ikejiri, centre) -> Group:
    return make_group(ikejiri, centre)


@pytest.fixture
def pending_group(ikejiri, centre) -> Group:
    return make_group(ikejiri, centre, name="池尻将棋クラブ", status=GroupStatus.PENDING,
                      kind=GroupKind.CIRCLE, email="shogi@example.jp")


@pytest.fixture
def wheelchairs(centre) -> list[Item]:
    kind = ItemKind.objects.create(code="wheelchair", name="車いす", lending_days=14,
                                   deposit_yen=0)
    return [Item.objects.create(kind=kind, centre=centre, label=f"車いす{n}")
            for n in (1, 2)]


@pytest.fixture
def shears(centre) -> Item:
    kind = ItemKind.objects.create(code="shears", name="高枝切ばさみ", lending_days=3,
                                   deposit_yen=1000)
    return Item.objects.create(kind=kind, centre=centre, label="はさみ1")
