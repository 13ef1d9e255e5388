"""Which items a screen plays and when: targets, validity, weekdays and dayparts (Tokyo
time), and what the player's schedule carries."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from madoguchi.signage import selectors, services
from madoguchi.signage.models import Item, Status

from .conftest import notice

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def _item(**fields) -> Item:
    base = {"kind": "notice", "title": "t", "body": "b", "status": Status.APPROVED,
            "starts_at": dt.datetime(2027, 3, 1, 0, 0, tzinfo=TOKYO),
            "ends_at": dt.datetime(2027, 3, 31, 0, 0, tzinfo=TOKYO)}
    base.update(fields)
    return Item(**base)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=TOKYO)  # 2027-03-01 is a Monday


def test_validity_period_is_half_open():
    item = _item()
    assert not selectors.playable(item, at(1, 0) - dt.timedelta(seconds=1))
    assert selectors.playable(item, at(1, 0))
    assert selectors.playable(item, at(30, 23, 59))
    assert not selectors.playable(item, at(31, 0))


def test_weekdays_are_taken_in_tokyo_time():
    item = _item(weekdays="5,6")  # Saturday, Sunday
    assert not selectors.playable(item, at(5, 23, 59))  # Friday
    assert selectors.playable(item, at(6, 0, 30))  # Saturday 00:30 (Friday 15:30 UTC)
    assert selectors.playable(item, at(7, 12))
    assert not selectors.playable(item, at(8, 0))


def test_dayparts_including_the_one_over_midnight():
    morning = _item(dayparts="morning")
    assert selectors.playable(morning, at(2, 6))
    assert not selectors.playable(morning, at(2, 12))
    night = _item(dayparts="night,afternoon")
    assert selectors.playable(night, at(2, 23))
    assert selectors.playable(night, at(3, 5, 59))
    assert selectors.playable(night, at(3, 13))
    assert not selectors.playable(night, at(3, 9))


def test_only_approved_items_play():
    for status in (Status.PENDING, Status.REFUSED, Status.WITHDRAWN):
        assert not selectors.playable(_item(status=status), at(2, 10))


def test_a_screen_gets_its_targets_only(author, head, branch, branch2, admin, screen,
                                        far_screen, ikejiri, region):
    def make(by, approver, **targets):
        item = services.item_create(by=by, data=notice(title=str(targets), **targets))
        return services.item_approve(by=approver, item=item)

    own_centre = make(author, head, centres=[ikejiri])
    own_screen = make(author, head, screens=[screen])
    own_region = make(branch, branch2, regions=[region])
    ward = make(branch, branch2, ward_wide=True)
    pending = services.item_create(by=author, data=notice(centres=[ikejiri]))
    mine = {i.pk for i in selectors.items_for_screen(screen)}
    assert mine == {own_centre.pk, own_screen.pk, own_region.pk, ward.pk}
    assert pending.pk not in mine
    assert {i.pk for i in selectors.items_for_screen(far_screen)} == {ward.pk}


def test_a_withdrawn_or_past_item_leaves_the_schedule(author, head, screen, ikejiri):
    item = services.item_approve(by=head, item=services.item_create(
        by=author, data=notice(centres=[ikejiri])))
    assert [e["id"] for e in selectors.schedule(screen)["items"]] == [str(item.public_id)]
    later = item.ends_at + dt.timedelta(seconds=1)
    assert selectors.schedule(screen, later)["items"] == []
    services.item_withdraw(by=author, item=item)
    assert selectors.schedule(screen)["items"] == []


def test_items_starting_within_a_day_are_sent_ahead_with_their_period(author, head,
                                                                     screen, ikejiri):
    soon = timezone.now() + dt.timedelta(hours=3)
    item = services.item_approve(by=head, item=services.item_create(
        by=author, data=notice(centres=[ikejiri], starts_at=soon,
                               ends_at=soon + dt.timedelta(hours=2), dayparts=["morning"],
                               weekdays=[0, 2])))
    entry = selectors.schedule(screen)["items"][0]
    assert entry["id"] == str(item.public_id)
    assert entry["starts"] == soon.isoformat()
    assert entry["weekdays"] == [0, 2] and entry["dayparts"] == [["06:00", "12:00"]]
    assert selectors.playing_now(screen, timezone.now()) == []


def test_a_notice_carries_its_qr_code(author, head, screen, ikejiri):
    services.item_approve(by=head, item=services.item_create(by=author, data=notice(
        centres=[ikejiri], qr_url="https://www.city.setagaya.lg.jp/", large=True)))
    entry = selectors.schedule(screen)["items"][0]
    assert entry["notice"]["large"] is True
    assert entry["notice"]["qr"].startswith("data:image/svg+xml")


def test_widgets_read_participation_counter_and_the_centre(author, head, screen,
                                                          ikejiri):
    from madoguchi.counter.catalogue import load_defaults

    load_defaults()
    for kind in ("events", "waits", "hours"):
        services.item_approve(by=head, item=services.item_create(
            by=author, data=notice(kind=kind, title=kind, body="", centres=[ikejiri])))
    widgets = {e["kind"]: e["widget"] for e in selectors.schedule(screen)["items"]}
    assert widgets["events"] == {"events": []}
    assert widgets["waits"]["waits"] and all(w["waiting"] == 0 for w in widgets["waits"]["waits"])
    assert widgets["hours"]["hours"]["opens"] == ikejiri.opens_at.strftime("%H:%M")
