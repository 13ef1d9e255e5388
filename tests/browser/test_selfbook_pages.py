"""Residents booking an online consultation themselves, in a real browser: the start page,
the booking page and the booking's page pass axe-core at 200% zoom without sideways
scrolling, and the whole booking is done with the keyboard alone."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.consultations.setup import load_consultation_setup
from madoguchi.organisation.models import Section
from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level
from madoguchi.selfbook.models import SectionSetting, SelfBooking
from tests.browser.pages import axe_violations, focused, horizontal_overflow
from tests.selfbook.conftest import make_identity, portal_session_key

pytestmark = pytest.mark.browser

ZOOMED = {"viewport": {"width": 640, "height": 800}, "device_scale_factor": 2}


@pytest.fixture
def ward(live_setagaya, make_staff):
    load_consultation_setup()
    for name in ("hoken-a", "hoken-b"):
        make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi", name)
    SectionSetting.objects.create(section=Section.objects.get(code="setagaya/hoken-fukushi"),
                                  enabled=True, level=Level.EMAIL)
    return live_setagaya


def logged_in_page(new_page, base: str, **options):
    key = portal_session_key(make_identity("hanako@example.jp"))
    page = new_page(**options)
    page.context.add_cookies([{"name": portal_session.COOKIE, "value": key, "url": base}])
    return page


def clean_at_200pct(page) -> None:
    assert horizontal_overflow(page) == 0
    count, report = axe_violations(page)
    assert count == 0, report


def tab_to(page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page)["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with the Tab key")


def test_a_resident_books_with_the_keyboard_at_200pct_and_every_page_is_axe_clean(
        ward, new_page):
    page = logged_in_page(new_page, ward, **ZOOMED)
    page.goto(f"{ward}/portal/consultation/")
    clean_at_200pct(page)
    # The district: first in the list is 池尻; the topic: 高齢者の介護・福祉 comes first.
    tab_to(page, "id_district")
    page.keyboard.press("ArrowDown")
    tab_to(page, "topic-elderly")
    page.keyboard.press("Space")
    tab_to(page, "to-slots")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/consultation/book/**")
    clean_at_200pct(page)
    assert page.locator("input[name=start]").first.is_checked()
    for field, value in (("id_family_name", "世田谷"), ("id_given_name", "花子"),
                         ("id_family_name_kana", "セタガヤ"), ("id_given_name_kana", "ハナコ"),
                         ("id_address", "世田谷区池尻二丁目1番"),
                         ("id_worry", "介護保険の申請について聞きたい。")):
        tab_to(page, field)
        page.keyboard.insert_text(value)
    tab_to(page, "id_birth_date")
    page.keyboard.type("1946-05-03")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    tab_to(page, "book")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/portal/consultation/mine/" in page.url, page.inner_text("main")
    assert SelfBooking.objects.count() == 1
    assert "予約済み" in page.inner_text("#status")
    clean_at_200pct(page)


def test_a_refused_booking_shows_its_errors_accessibly(ward, new_page):
    page = logged_in_page(new_page, ward, **ZOOMED)
    district = Section.objects.get(code="setagaya/ikejiri/machizukuri-center").district_id
    page.goto(f"{ward}/portal/consultation/book/?district={district}&topic=elderly&place=booth")
    page.click("#book")
    page.wait_for_selector("#error-summary")
    assert "氏を入力してください" in page.inner_text("#error-summary")
    clean_at_200pct(page)
    assert SelfBooking.objects.count() == 0
