"""Community pages in a real browser: a centre clerk lends a wheelchair with the keyboard
only (and is told when it is already out); the public rooms and equipment pages are
axe-clean."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.community.models import (
    Group,
    GroupKind,
    GroupStatus,
    Item,
    ItemKind,
    Room,
    VenueKind,
)
from madoguchi.organisation.models import District, DistrictCentre, Section
from tests.browser.pages import axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"


@pytest.fixture
def counter(live_setagaya):
    clerk = staff_upsert(
        username="ikejiri-counter", display_name="池尻 窓口", password=PASSWORD,
        role=Role.DISTRICT_STAFF,
        unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    district = District.objects.get(region__code="setagaya", code="ikejiri")
    centre = DistrictCentre.objects.get(district=district)
    kind = ItemKind.objects.create(code="wheelchair", name="車いす", lending_days=14)
    Item.objects.create(kind=kind, centre=centre, label="1号")
    Room.objects.create(district=district, venue_kind=VenueKind.SCHOOL, venue_name="池尻中学校",
                        name="多目的室", capacity=40)
    return {"url": live_setagaya, "clerk": clerk, "district": district}


def tab_to(page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} not reached with Tab")


def lend_with_keyboard(page) -> None:
    tab_to(page, "id_item")
    page.keyboard.press("ArrowDown")  # the first item after 選んでください
    tab_to(page, "id_borrower_name")
    page.keyboard.type("世田谷 花子")
    tab_to(page, "id_borrower_phone")
    page.keyboard.type("03-5432-1111")
    tab_to(page, "id_id_checked")
    page.keyboard.press("Space")
    tab_to(page, "id_borrower_name")  # back up and send the form with Enter
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_a_centre_clerk_lends_a_wheelchair_with_the_keyboard_only(counter, page):
    base = counter["url"]
    page.goto(f"{base}/accounts/login/")
    tab_to(page, "id_username")
    page.keyboard.type("ikejiri-counter")
    tab_to(page, "id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/accounts/home/")
    page.goto(f"{base}/community/staff/counter/")

    lend_with_keyboard(page)
    main = page.locator("main").inner_text()
    assert "「車いす 1号」を貸し出しました" in main
    due = dt.date.today() + dt.timedelta(days=14)
    assert f"{due.month}月{due.day}日" in main and "世田谷 花子" in main

    lend_with_keyboard(page)  # the same wheelchair again
    summary = page.locator("#error-summary")
    assert "すでに貸出中" in summary.inner_text()
    assert summary.get_attribute("role") == "alert"  # read out by screen readers


def test_public_room_and_equipment_pages_are_axe_clean(counter, page):
    base = counter["url"]
    district = counter["district"].pk
    for path in (f"/community/rooms/?district={district}",
                 f"/community/equipment/?district={district}",
                 "/community/", "/community/groups/apply/"):
        page.goto(base + path)
        count, report = axe_violations(page)
        assert count == 0, f"{path}: {report}"


def test_the_groups_public_profile_pages_are_axe_clean(counter, page):
    """Issue 16: a group's public profile, shown only because the group agreed."""
    district = counter["district"]
    group = Group.objects.create(
        name="池尻子ども食堂", kind=GroupKind.NPO,
        centre=DistrictCentre.objects.get(district=district), members_count=25,
        activity="毎月第2土曜日に子ども食堂を開いています。", status=GroupStatus.APPROVED,
        public_profile=True)
    group.districts.set([district])
    base = counter["url"]
    for path in (f"/community/groups/?district={district.pk}",
                 f"/community/groups/{group.public_id}/"):
        page.goto(base + path)
        assert "池尻子ども食堂" in page.locator("main").inner_text()
        count, report = axe_violations(page)
        assert count == 0, f"{path}: {report}"
