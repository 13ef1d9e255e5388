"""An elderly resident registers for a smartphone class with the keyboard only, at 200%
zoom, in headless Chromium: every page on the way is axe-clean and does not scroll
sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.accounts.models import Role
from madoguchi.participation.models import Registration
from tests.browser import conftest as browser
from tests.browser.pages import axe_violations, focused, horizontal_overflow

from .conftest import IKEJIRI, open_weeks_ahead, published

pytestmark = pytest.mark.browser

asgi_server = browser.asgi_server
live_url = browser.live_url
live_setagaya = browser.live_setagaya
new_page = browser.new_page


@pytest.fixture(scope="module")
def chromium():
    with browser.launched_chromium() as instance:
        yield instance


def tab_to(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
            return now
    raise AssertionError("not reached by Tab")


def clean(page) -> None:
    page.wait_for_load_state("networkidle")
    count, report = axe_violations(page)
    assert count == 0, report
    assert horizontal_overflow(page) <= 0


def test_an_elderly_resident_registers_for_a_smartphone_class_by_keyboard_at_200_percent(
        live_setagaya, new_page, make_staff):
    author = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "browser-author")
    head = make_staff(Role.CENTRE_HEAD, IKEJIRI, "browser-head")
    day = open_weeks_ahead(days=10, weeks=4)
    event = published(author, head, first_date=day, repeat="weekly", repeat_count=4)
    # 200% zoom of a 1280 px window: a 640 CSS px viewport at twice the pixel density.
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page.goto(f"{live_setagaya}/events/district/setagaya/ikejiri/?month={day:%Y-%m}")
    clean(page)
    tab_to(page, lambda now: now["text"].startswith("はじめてのスマートフォン教室"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/events/e/{event.public_id}/")
    clean(page)
    assert "スマホの つかいかたを ならいます" in page.content()

    tab_to(page, lambda now: now["id"] == "id_name")
    page.keyboard.type("世田谷 ハル")
    page.keyboard.press("Tab")
    page.keyboard.type("haru@mail.example.jp")
    assert focused(page)["id"] == "id_email"
    tab_to(page, lambda now: now["id"] == "id_needs", limit=4)
    page.keyboard.type("耳が遠いので前の席をお願いします")
    button = tab_to(page, lambda now: now["type"] == "submit", limit=3)
    assert button["text"] == "申し込む"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=参加が確定しました")
    clean(page)
    registration = Registration.objects.get()
    assert (registration.name, registration.people, registration.status) == (
        "世田谷 ハル", 1, "confirmed")
    assert registration.needs == "耳が遠いので前の席をお願いします"
    # The check-in pass (ADR 0060): its QR on the page, and the pass page by keyboard.
    assert page.locator("figure.pass-qr svg").count() == 1
    tab_to(page, lambda now: now["text"] == "受付票を開く")
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/pass/**")
    clean(page)
    assert page.locator("figure.pass-qr svg").count() == 1


def test_a_refusal_is_announced_and_reachable_by_keyboard(live_setagaya, new_page, make_staff):
    author = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "browser-author2")
    head = make_staff(Role.CENTRE_HEAD, IKEJIRI, "browser-head2")
    event = published(author, head)
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page.goto(f"{live_setagaya}/events/e/{event.public_id}/")
    page.fill("#id_name", "世田谷 ハル")
    page.fill("#id_email", "haru@example")
    page.locator("button[type=submit].button--primary").press("Enter")
    page.wait_for_selector("#error-summary")
    assert "このメールアドレスにはメールを届けられません" in page.inner_text("#error-summary")
    clean(page)
    assert not Registration.objects.exists()


def test_the_month_view_is_axe_clean_and_reflows_at_200_percent(live_setagaya, new_page,
                                                                 make_staff):
    author = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "browser-author3")
    head = make_staff(Role.CENTRE_HEAD, IKEJIRI, "browser-head3")
    published(author, head, first_date=dt.date(2026, 12, 22), repeat="weekly", repeat_count=3)
    for width, scale in ((1280, 1), (640, 2)):
        page = new_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
        page.goto(f"{live_setagaya}/events/?view=month&month=2026-12")
        clean(page)
        assert "令和8年12月" in page.inner_text("h2")
        # 12/29 falls in 年末年始: the grid shows the session as off.
        assert page.locator(".month .skipped").count() == 1
