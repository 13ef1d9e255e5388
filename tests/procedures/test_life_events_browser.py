"""Life events in a real browser: axe-core (ja and en, with and without a district),
the district chosen by keyboard, and reflow at 200 % zoom."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.pages import axe_violations, focused, horizontal_overflow
from tests.procedures.test_browser import LOCALES, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_catalogue(live_setagaya):
    call_command("load_procedures", verbosity=0)
    return live_setagaya


def choose_district(page, base: str, code: str) -> None:
    page.goto(f"{base}/procedures/life-events/{code}/")
    page.select_option("#id_district", "setagaya/ikejiri")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#offices-title")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", ["/procedures/life-events/", "/procedures/life-events/tennyu/",
                                  "/procedures/life-events/shussei/"])
def test_life_event_pages_have_no_axe_violations(live_catalogue, new_page, path, lang):
    page = new_page(locale=LOCALES[lang])
    page.goto(live_catalogue + path)
    assert page.get_attribute("html", "lang") == lang
    count, report = axe_violations(page)
    assert count == 0, report


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_offices_of_a_district_have_no_axe_violations(live_catalogue, new_page, lang):
    page = new_page(locale=LOCALES[lang])
    choose_district(page, live_catalogue, "kaigo")
    centre = {"ja": "池尻まちづくりセンター", "en": "Ikejiri District Centre"}[lang]
    assert centre in page.inner_text("main")
    count, report = axe_violations(page)
    assert count == 0, report


def test_a_district_is_chosen_by_keyboard(live_catalogue, page):
    page.goto(f"{live_catalogue}/procedures/life-events/tennyu/")
    page.focus("#id_district")
    page.select_option("#id_district", "setagaya/ikejiri")
    page.keyboard.press("Tab")
    now = focused(page)
    assert now["tag"] == "button" and now["outlineWidth"] >= 2, now
    page.keyboard.press("Enter")
    page.wait_for_selector("#offices-title")
    assert "池尻まちづくりセンター" in page.inner_text("#offices-title + ul")


@pytest.mark.parametrize("path", ["/procedures/life-events/", "/procedures/life-events/tennyu/"])
def test_life_event_pages_reflow_at_200_percent(live_catalogue, new_page, path):
    page = new_page(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page.goto(live_catalogue + path)
    assert horizontal_overflow(page) == 0


def test_the_staff_page_has_no_axe_violations(live_catalogue, page):
    log_in(page, live_catalogue)
    page.goto(f"{live_catalogue}/catalogue/life-events/")
    count, report = axe_violations(page)
    assert count == 0, report
