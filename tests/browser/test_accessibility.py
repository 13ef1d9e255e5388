"""Resident-facing pages pass axe-core, work by keyboard and reflow at 200% and 400% zoom."""

from __future__ import annotations

import pytest

from tests.browser.pages import (
    INDEX,
    LOGIN,
    axe_violations,
    focused,
    horizontal_overflow,
    show_login_error,
)

pytestmark = pytest.mark.browser

LOCALES = {"ja": "ja-JP", "en": "en-US"}


def _open(page, base_url: str, which: str) -> None:
    if which == "login-error":
        show_login_error(page, base_url)
    else:
        paths = {"index": INDEX, "login": LOGIN, "not-found": "/no-such-page/"}
        page.goto(base_url + paths[which])
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("which", ["index", "login", "login-error", "not-found"])
def test_page_has_no_axe_violations(live_setagaya, new_page, which, lang):
    page = new_page(locale=LOCALES[lang])
    _open(page, live_setagaya, which)
    assert page.get_attribute("html", "lang") == lang
    count, report = axe_violations(page)
    assert count == 0, report


def test_index_is_usable_by_keyboard(live_setagaya, page):
    page.goto(live_setagaya + INDEX)
    page.keyboard.press("Tab")
    first = focused(page)
    assert "skip-link" in first["cls"], first
    assert first["href"] == "#main"
    assert page.locator(".skip-link").is_visible()
    assert first["outlineStyle"] != "none" and first["outlineWidth"] >= 2, first

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    after_skip = focused(page)
    assert after_skip["href"] == "#region-setagaya", after_skip
    assert after_skip["outlineStyle"] != "none" and after_skip["outlineWidth"] >= 2

    # The region links take the keyboard user to the region's centres.
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#region-setagaya'")
    assert page.locator("#region-setagaya h2").is_visible()

    # Every link and button on the page shows a focus ring when reached by Tab.
    page.goto(live_setagaya + INDEX)
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "body" or (seen and now == seen[0]):
            break
        seen.append(now)
        assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
    assert any(item["href"] == LOGIN for item in seen), "the staff link is reachable by Tab"


def test_login_is_usable_by_keyboard_in_order(live_url, page):
    page.goto(live_url + LOGIN)
    order = []
    for _ in range(10):
        page.keyboard.press("Tab")
        now = focused(page)
        order.append(now)
        assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
        if now["type"] == "submit" and "button--primary" in now["cls"]:
            break
    assert "skip-link" in order[0]["cls"], order[0]
    ids = [item["id"] for item in order]
    assert "id_username" in ids and "id_password" in ids, ids
    assert ids.index("id_username") < ids.index("id_password") == len(ids) - 2
    assert order[-1]["text"] in {"ログイン", "Log in", "Sign in"}

    # The whole login can be done from the keyboard: type, Tab, type, Enter.
    page.focus("#id_username")
    page.keyboard.type("no-such-staff")
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password-1")
    page.keyboard.press("Enter")
    page.wait_for_selector("#login-error")
    assert page.get_attribute("#id_username", "aria-invalid") == "true"


def test_skip_link_is_hidden_until_focused(live_url, page):
    page.goto(live_url + LOGIN)
    box = page.locator(".skip-link").bounding_box()
    assert box is None or box["y"] + box["height"] <= 0
    page.keyboard.press("Tab")
    # It slides in (unless the user prefers reduced motion): wait for it to arrive.
    page.wait_for_function(
        "() => document.querySelector('.skip-link').getBoundingClientRect().top >= 0", timeout=2000
    )
    box = page.locator(".skip-link").bounding_box()
    assert box["height"] >= 24


@pytest.mark.parametrize("which", ["index", "login", "login-error"])
@pytest.mark.parametrize(
    ("width", "scale"),
    [(640, 2), (320, 1)],
    ids=["200pct-zoom", "400pct-zoom"],
)
def test_page_reflows_without_horizontal_scrolling(live_setagaya, new_page, which, width,
                                                   scale):
    # 200% zoom of a 1280px window is a 640 CSS px viewport; 400% (WCAG 1.4.10) is 320.
    page = new_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    _open(page, live_setagaya, which)
    assert horizontal_overflow(page) <= 0


def test_page_reflows_with_css_zoom(live_setagaya, new_page):
    page = new_page(viewport={"width": 1280, "height": 800})
    for path in (INDEX, LOGIN):
        page.goto(live_setagaya + path)
        page.evaluate("document.documentElement.style.zoom = '2'")
        page.wait_for_timeout(50)
        assert horizontal_overflow(page) <= 0, path


def test_buttons_and_inputs_are_large_enough_to_use(live_url, page):
    page.goto(live_url + LOGIN)
    submit = page.locator("button[type=submit].button--primary").bounding_box()
    assert submit["height"] >= 56 and submit["width"] >= 136
    for field in ("#id_username", "#id_password"):
        assert page.locator(field).bounding_box()["height"] >= 48


def test_axe_really_checks_the_page(live_url, page):
    """Guards the tests above: axe must find a planted violation (CSP must not block it)."""
    page.goto(live_url + LOGIN)
    page.evaluate(
        "() => { const img = document.createElement('img');"
        " img.src = '/static/madoguchi/favicon.svg'; document.querySelector('main').append(img); }"
    )
    count, report = axe_violations(page)
    assert count >= 1 and "image-alt" in report
