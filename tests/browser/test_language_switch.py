"""The language switch in the header turns the page into English and back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.pages import INDEX, LOGIN

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", [INDEX, LOGIN])
def test_language_switch_changes_the_page_to_english_and_back(live_setagaya, page, path):
    page.goto(live_setagaya + path)
    assert page.get_attribute("html", "lang") == "ja"

    page.get_by_role("button", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.url == live_setagaya + path, "the switch stays on the same page"
    switch_back = page.get_by_role("button", name="日本語")
    assert switch_back.get_attribute("lang") == "ja"

    # The choice is remembered for the next page.
    page.goto(live_setagaya + (LOGIN if path == INDEX else INDEX))
    assert page.get_attribute("html", "lang") == "en"

    page.get_by_role("button", name="日本語").click()
    page.wait_for_function("() => document.documentElement.lang === 'ja'")
    assert page.get_by_role("button", name="English").is_visible()


def test_language_switch_works_by_keyboard(live_url, page):
    page.goto(live_url + LOGIN)
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('name')") == "language":
            break
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.documentElement.lang === 'en'")


def test_english_pages_are_written_in_english(live_setagaya, new_page):
    """Declaring lang="en" is only honest when the text is English."""
    from django.conf import settings

    catalogue = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"
    if not catalogue.exists():
        pytest.xfail(f"no English message catalogue yet ({catalogue}): pages in English "
                     "still show the Japanese text")
    page = new_page(locale="en-US")
    for path in (INDEX, LOGIN):
        page.goto(live_setagaya + path)
        heading = page.locator("h1").inner_text()
        assert heading.isascii(), f"{path}: h1 is not English: {heading}"
        assert page.locator(".skip-link").inner_text().isascii()
