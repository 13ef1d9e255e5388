"""What a resident sees on the public front page, in a real browser."""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import INDEX, LOGIN

pytestmark = pytest.mark.browser


def test_front_page_shows_centres_closed_days_and_staff_entrance(live_setagaya, page):
    page.goto(live_setagaya + INDEX)
    assert page.title().startswith("お近くのまちづくりセンター")
    assert page.locator("h1").inner_text() == "お近くのまちづくりセンター"
    assert page.locator(".region").count() == 5
    assert page.locator(".region .card").count() == 28
    assert page.get_by_role("heading", name="池尻まちづくりセンター").is_visible()
    closed = page.locator(".closed-days")
    assert closed.get_by_role("heading", name="休業日").is_visible()
    for text in closed.locator("li .closed-days__date").all_inner_texts():
        assert re.search(r"(令和|平成)\S+年\d+月\d+日（[月火水木金土日]）", text), text

    page.get_by_role("link", name="職員の方はこちら").click()
    page.wait_for_url(live_setagaya + LOGIN)
    assert page.locator("h1").inner_text() == "職員ログイン"


def test_pages_load_without_console_errors_or_csp_violations(live_setagaya, page):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    for path in (INDEX, LOGIN):
        page.goto(live_setagaya + path)
        page.wait_for_load_state("networkidle")
    assert problems == []


def test_fonts_are_self_hosted_noto_sans_jp(live_setagaya, page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(live_setagaya + INDEX)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert all(url.startswith(live_setagaya) for url in requested), requested
    assert any(url.endswith(".woff2") for url in requested)
    assert page.evaluate("document.fonts.check('16px \"Noto Sans JP\"', '窓口')")
    body = page.evaluate(
        "() => { const s = getComputedStyle(document.body);"
        " return [s.fontFamily, s.fontSize, s.lineHeight]; }"
    )
    assert body[0].startswith('"Noto Sans JP"')
    assert body[1] == "16px"
    assert body[2] == "27.2px"  # 16px x 1.7
