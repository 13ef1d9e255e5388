"""The residents' guidance page and the staff header search in a real browser: axe-core
clean in Japanese and English, usable by keyboard alone, reflowing at 200 % and 400 % zoom,
and working with JavaScript switched off."""

from __future__ import annotations

import re

import pytest

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.guidance.models import Feedback
from madoguchi.organisation.models import Section
from tests.browser import conftest as browser
from tests.browser.pages import axe_violations, focused, horizontal_overflow
from tests.guidance import engine_world

pytestmark = pytest.mark.browser

# The browser fixtures (server, pages) and the small knowledge base.
asgi_server = browser.asgi_server
live_url = browser.live_url
live_setagaya = browser.live_setagaya
new_page = browser.new_page
small_kb = engine_world.small_kb

GUIDE = "/guide/"
LOCALES = {"ja": "ja-JP", "en": "en-US"}
QUESTION = "会社を辞めたので国保に入りたい"
PASSWORD = "browser-test-password-1"


# The buttons in either language (the English catalogue translates them).
SEARCH = re.compile(r"^(さがす|Search)$")
NOT_HELPFUL = re.compile(r"^(役に立たなかった|Not helpful)$")


@pytest.fixture(scope="module")
def chromium():
    """Chromium for this module only: it is closed (with Playwright's event loop) before
    the next module's tests, which may run async code of their own."""
    with browser.launched_chromium() as launched:
        yield launched


@pytest.fixture
def site(live_setagaya, small_kb):
    return live_setagaya


def ask(page, question: str = QUESTION, district: str = "setagaya/ikejiri") -> None:
    page.fill("#id_q", question)
    page.select_option("#id_district", district)
    page.get_by_role("button", name=SEARCH).click()
    page.wait_for_selector("#guide-results")


def show_everything(page) -> None:
    """Open every answer and every やさしい日本語 text, so that axe sees all of them."""
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("state", ["empty", "results", "furigana", "problem", "thanks"])
def test_guide_page_has_no_axe_violations(site, new_page, lang, state):
    page = new_page(locale=LOCALES[lang])
    page.goto(site + GUIDE)
    if state == "results":
        ask(page)
        show_everything(page)
    elif state == "furigana":
        ask(page)
        page.locator(".guide-furigana").click()
        page.wait_for_selector(".guide--furigana ruby")
        show_everything(page)
    elif state == "problem":
        page.fill("#id_q", "😀😭")
        page.get_by_role("button", name=SEARCH).click()
        page.wait_for_selector("#guide-problem")
    elif state == "thanks":
        ask(page)
        page.locator(".guide-feedback").first.get_by_role("button", name=NOT_HELPFUL).click()
        page.wait_for_selector(".guide-feedback--done")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == lang
    count, report = axe_violations(page)
    assert count == 0, report


def test_the_whole_page_works_by_keyboard_alone(site, new_page):
    page = new_page()
    page.goto(site + GUIDE)
    page.keyboard.press("Tab")
    assert "skip-link" in focused(page)["cls"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_q"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_district"
    page.keyboard.press("ArrowDown")  # the first district, 池尻
    page.keyboard.press("Tab")
    now = focused(page)
    assert now["text"] == "さがす" and now["outlineWidth"] >= 2, now
    page.keyboard.press("Enter")
    page.wait_for_selector("#guide-results")
    # Focus moves to the results so that the answer is read next.
    page.wait_for_function("() => document.activeElement.id === 'guide-sections-title'")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        now = focused(page)
        seen.append(now)
        assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
        if now["text"] == "役に立った":
            break
    assert any(item["tag"] == "summary" for item in seen)
    page.keyboard.press("Enter")
    page.wait_for_selector(".guide-feedback--done")
    # The thanks take the focus (after htmx settles) and are announced as a status.
    page.wait_for_function(
        "() => document.activeElement.classList.contains('guide-feedback--done')")
    assert Feedback.objects.get().helpful is True


def test_furigana_toggle_by_keyboard_keeps_focus_on_the_toggle(site, new_page):
    page = new_page()
    page.goto(site + GUIDE)
    ask(page)
    toggle = page.locator(".guide-furigana")
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".guide--furigana")
    page.wait_for_function(
        "() => document.activeElement.classList.contains('guide-furigana')")
    assert page.locator(".guide-furigana").get_attribute("aria-pressed") == "true"
    assert page.locator(".guide-faq__answer ruby rt").count() > 0


@pytest.mark.parametrize(("width", "scale"), [(640, 2), (320, 1)],
                         ids=["200pct-zoom", "400pct-zoom"])
def test_results_with_furigana_reflow_without_horizontal_scrolling(site, new_page, width,
                                                                    scale):
    page = new_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    page.goto(site + GUIDE)
    assert horizontal_overflow(page) <= 0
    ask(page)
    page.locator(".guide-furigana").click()
    page.wait_for_selector(".guide--furigana ruby")
    show_everything(page)
    assert horizontal_overflow(page) <= 0
    # Text is large: answers at 18 px or more.
    size = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.guide-faq__answer')).fontSize)")
    assert size >= 18


def test_everything_works_without_javascript(site, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(site + GUIDE)
    ask(page)
    assert page.locator(".guide-card").count() >= 1
    assert "オンラインで相談できます" in page.locator(".guide-online").first.inner_text()
    page.locator(".guide-furigana").click()
    page.wait_for_selector(".guide--furigana ruby")
    page.locator(".guide-feedback").first.get_by_role("button", name=NOT_HELPFUL).click()
    page.wait_for_selector(".guide-feedback--done")
    assert page.locator(".guide--furigana ruby").count() > 0, "furigana is remembered"
    assert page.url == site + "/guide/feedback/"
    assert QUESTION not in page.url and Feedback.objects.get().helpful is False


def test_staff_find_who_handles_what_from_the_header(site, new_page):
    staff_upsert(username="ikejiri-clerk", display_name="池尻 窓口", password=PASSWORD,
                 role=Role.DISTRICT_STAFF,
                 unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    page = new_page()
    page.goto(site + "/accounts/login/")
    page.get_by_label("職員ID").fill("ikejiri-clerk")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(site + "/accounts/home/")
    count, report = axe_violations(page)
    assert count == 0, report
    box = page.get_by_role("search", name="担当課の検索").get_by_role("textbox")
    box.focus()
    page.keyboard.type("介護保険を使いたい")
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/guidance/")
    first = page.locator("#staff-guide-results tbody tr").first
    assert "保健福祉課" in first.inner_text()
    assert "介護保険" not in page.url
    count, report = axe_violations(page)
    assert count == 0, report
