"""Fees beyond a flat fee per daypart (issue 16 item 3): a room's flat and hourly fee, and
its reductions per group kind (100 % an exemption), computed in one place
(``community.fees``), kept on the booking and shown on the group's request and in the
approval queue."""

from __future__ import annotations

import pytest

from madoguchi.community import fees, services
from madoguchi.community.models import (
    BookingRequest,
    FeeReduction,
    GroupKind,
    LotteryRun,
    RequestStatus,
)
from madoguchi.community.services import requests as requests_svc
from tests.community.conftest import make_group, plain_weekday
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(centre_room):
    centre_room.fee_yen, centre_room.hourly_fee_yen = 200, 300
    centre_room.save()
    FeeReduction.objects.create(room=centre_room, group_kind=GroupKind.NPO, percent=50)
    FeeReduction.objects.create(room=centre_room, group_kind=GroupKind.CHONAIKAI, percent=100)
    return centre_room


def test_flat_plus_hourly_for_the_daypart_less_the_kind_s_reduction(hall):
    # 夜間 18:00–21:30 is 3.5 hours: 200 + 300 × 3.5 = 1,250 yen.
    assert fees.fee_for(room=hall, daypart="evening", group_kind=None) == fees.Fee(1250, 0, 1250)
    assert fees.fee_for(room=hall, daypart="morning", group_kind=GroupKind.CIRCLE).yen == 1100
    half = fees.fee_for(room=hall, daypart="evening", group_kind=GroupKind.NPO)
    assert half.yen == 625 and half.text() == "625円（50%減額、1,250円）"
    free = fees.fee_for(room=hall, daypart="afternoon", group_kind=GroupKind.CHONAIKAI)
    assert free.exempt and free.yen == 0 and free.text() == "免除（1,400円）"


def test_the_booking_keeps_the_fee_computed_when_it_was_made(clerk, hall, ikejiri, centre):
    npo = make_group(ikejiri, centre, name="池尻まちづくりNPO", kind=GroupKind.NPO,
                     email="npo@example.jp")
    booked = services.room_book(room=hall, day=plain_weekday(), daypart="evening", by=clerk,
                                purpose="会議", attendees=8, group=npo)
    assert (booked.fee_yen, booked.fee_full_yen, booked.fee_percent, booked.exempt) == (
        625, 1250, 50, False)
    FeeReduction.objects.filter(room=hall).delete()  # a later change of the rules
    assert fees.of_booking(booked).text() == "625円（50%減額、1,250円）"


def test_the_group_page_and_the_approval_queue_show_the_fee(client, clerk, hall, group,
                                                            ikejiri, centre):
    day = plain_weekday()
    LotteryRun.objects.create(month=day.replace(day=1), seed="s", inputs_digest="-",
                              requests_count=0, run_by=clerk)
    won = requests_svc.first_come(group=group, room=hall, day=day, daypart="evening",
                                  purpose="会議", attendees=8, by=clerk)
    assert won.status == RequestStatus.WON
    npo = make_group(ikejiri, centre, name="池尻まちづくりNPO", kind=GroupKind.NPO,
                     email="npo@example.jp")
    BookingRequest.objects.create(group=npo, room=hall, date=day, daypart="morning",
                                  purpose="会議", attendees=5)  # waits for the draw
    login(client, clerk)
    [row] = client.get("/api/v1/community/approvals").json()
    assert row["fee_yen"] == 0 and row["fee_text"] == "免除（1,250円）"
    for contact, shown in ((group.contacts.get(), "使用料: 免除（1,250円）"),
                           (npo.contacts.get(), "使用料: 550円（50%減額、1,100円）")):
        session = client.session
        session["community_group_contact"] = contact.pk
        session.save()
        assert shown in client.get("/community/group/").content.decode()
