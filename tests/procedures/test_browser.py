"""The residents' pages and the form as residents see it, in a real browser: axe-core,
keyboard, 200% zoom, and conditional fields shown and hidden as the resident answers."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.organisation.models import Section
from tests.browser.pages import axe_violations, focused, horizontal_overflow

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"
LOCALES = {"ja": "ja-JP", "en": "en-US"}


@pytest.fixture
def live_catalogue(live_setagaya):
    call_command("load_procedures", verbosity=0)
    return live_setagaya


def log_in(page, base: str) -> None:
    staff_upsert(username="procedures-browser", display_name="池尻 職員", password=PASSWORD,
                 role=Role.DISTRICT_STAFF,
                 unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "procedures-browser")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{base}/accounts/home/")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", ["/procedures/", "/procedures/?channel=online",
                                  "/procedures/jido-teate-nintei/", "/procedures/kazei-shomei/"])
def test_residents_pages_have_no_axe_violations(live_catalogue, new_page, path, lang):
    page = new_page(locale=LOCALES[lang])
    page.goto(live_catalogue + path)
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == lang
    count, report = axe_violations(page)
    assert count == 0, report


@pytest.mark.parametrize("code", ["jido-teate-nintei", "kaigo-nintei", "hoiku-riyo"])
def test_the_form_residents_fill_in_has_no_axe_violations_even_with_errors(
        live_catalogue, page, code):
    log_in(page, live_catalogue)
    page.goto(f"{live_catalogue}/catalogue/{code}/v1/preview/")
    count, report = axe_violations(page)
    assert count == 0, report
    page.click("button.button--large")  # submit everything empty
    page.wait_for_selector("#error-summary")
    assert "まだ送信されていません" in page.inner_text("#error-summary")
    count, report = axe_violations(page)
    assert count == 0, report


def test_errors_are_next_to_their_fields_and_linked_from_the_summary(live_catalogue, page):
    log_in(page, live_catalogue)
    page.goto(f"{live_catalogue}/catalogue/kazei-shomei/v1/preview/")
    page.fill("#id_person_birth_date", "平成32年4月1日")
    page.fill("#id_copies", "２")
    page.click("button.button--large")
    page.wait_for_selector("#error-summary")
    error = page.inner_text("#id_person_birth_date_error")
    assert error == ("平成は31年4月30日までです。令和2年4月1日のことでしたら、「令和2年4月1日」と"
                     "入力してください。")
    assert page.get_attribute("#id_person_birth_date", "aria-invalid") == "true"
    assert "id_person_birth_date_error" in page.get_attribute("#id_person_birth_date",
                                                              "aria-describedby")
    assert page.input_value("#id_copies") == "２"  # what was typed is kept
    page.click("#error-summary a[href='#id_person_birth_date']")
    page.wait_for_function("() => location.hash === '#id_person_birth_date'")


def test_conditional_fields_appear_when_they_apply(live_catalogue, page):
    log_in(page, live_catalogue)
    page.goto(f"{live_catalogue}/catalogue/kazei-shomei/v1/preview/")
    other = page.locator("#id_purpose_other")
    proxy_name = page.locator("#id_requester_name-family")
    assert not other.is_visible() and not proxy_name.is_visible()
    page.select_option("#id_purpose", "other")
    assert other.is_visible()
    page.check("input[name=requester][value=proxy]")
    assert proxy_name.is_visible()
    page.check("input[name=requester][value=self]")
    assert not proxy_name.is_visible()


def test_rows_of_a_group_are_added_by_keyboard(live_catalogue, page):
    log_in(page, live_catalogue)
    page.goto(f"{live_catalogue}/catalogue/jido-teate-nintei/v1/preview/")
    page.fill("#id_children-0-child-family", "世田谷")
    add = page.locator("button[name=_add][value=children]")
    add.focus()
    assert focused(page)["outlineWidth"] >= 2
    page.keyboard.press("Enter")
    page.wait_for_selector("#id_children-1-child-family")
    assert page.input_value("#id_children-0-child-family") == "世田谷"
    assert page.locator("#error-summary").count() == 0


def test_residents_list_is_usable_by_keyboard(live_catalogue, page):
    page.goto(f"{live_catalogue}/procedures/")
    seen = []
    for _ in range(20):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(now)
        assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
        # A procedure's own page (the life-events link near the top is not one).
        if now["href"] and now["href"].startswith("/procedures/") and now["href"] not in (
                "/procedures/", "/procedures/life-events/"):
            break
    assert any(item["type"] == "radio" for item in seen)
    assert seen[-1]["href"].startswith("/procedures/"), seen[-1]
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_catalogue}{seen[-1]['href']}")
    assert page.locator("h1").is_visible()


@pytest.mark.parametrize("path", ["/procedures/", "/procedures/hoiku-riyo/"])
def test_residents_pages_reflow_at_200_percent(live_catalogue, new_page, path):
    page = new_page(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page.goto(live_catalogue + path)
    assert horizontal_overflow(page) == 0


def test_the_form_reflows_at_200_percent(live_catalogue, new_page):
    page = new_page(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    log_in(page, live_catalogue)
    page.goto(f"{live_catalogue}/catalogue/jido-teate-nintei/v1/preview/")
    assert horizontal_overflow(page) == 0
