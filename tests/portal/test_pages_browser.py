"""The residents' pages in headless Chromium: axe-core clean in Japanese and English,
usable by keyboard, no horizontal scrolling at 200 % zoom, and the strong login through the
real OpenID Connect provider in the browser."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.db import connection
from django.utils import timezone

from madoguchi.core.tokens import digest
from madoguchi.portal.models import EmailLoginLink
from tests.browser.conftest import _database_url, run_asgi_server
from tests.browser.pages import axe_violations, focused, horizontal_overflow

pytestmark = pytest.mark.browser

LOCALES = {"ja": "ja-JP", "en": "en-US"}


def _env(values: dict) -> dict[str, str]:
    def text(value):
        if isinstance(value, list):
            return ",".join(value)
        return str(value).lower() if isinstance(value, bool) else str(value)

    return {name: text(value) for name, value in values.items()}


@pytest.fixture(scope="module")
def portal_server(django_db_setup, django_db_blocker, provider, tmp_path_factory):
    """madoguchi's ASGI server configured for the test provider."""
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    log = tmp_path_factory.mktemp("portal") / "server.log"
    with run_asgi_server(database_url, log, **_env(provider.portal_settings())) as url:
        provider.allow_redirect(f"{url}/portal/login/card/callback/")
        yield url


@pytest.fixture
def live(portal_server, transactional_db):
    return portal_server


def open_link(page, base: str, email: str = "hanako@example.jp") -> None:
    """Open a fresh login link (as if from the mail) in the browser."""
    token = secrets.token_urlsafe(32)
    EmailLoginLink.objects.create(email=email, token_hash=digest(token),
                                  expires_at=timezone.now() + dt.timedelta(minutes=30))
    page.goto(f"{base}/portal/login/email/{token}/")


def log_in(page, base: str) -> None:
    open_link(page, base)
    page.click("button.button--primary")
    page.wait_for_url(f"{base}/portal/")


def show(page, base: str, which: str) -> None:
    paths = {"login": "/portal/login/", "email": "/portal/login/email/",
             "sent": "/portal/login/email/sent/", "card": "/portal/login/card/"}
    if which in paths:
        page.goto(base + paths[which])
    elif which == "email-error":
        page.goto(base + paths["email"])
        page.fill("#id_email", "hanako.example.jp")
        page.click("button.button--primary")
        page.wait_for_selector("#id_email_error")
    elif which == "confirm":
        open_link(page, base)
    elif which == "refused":
        page.goto(base + "/portal/login/email/no-such-token/")
    elif which == "home":
        log_in(page, base)
    page.wait_for_load_state("networkidle")


PAGES = ["login", "email", "email-error", "sent", "confirm", "refused", "card", "home"]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("which", PAGES)
def test_page_has_no_axe_violations(live, new_page, which, lang):
    page = new_page(locale=LOCALES[lang])
    show(page, live, which)
    assert page.get_attribute("html", "lang") == lang
    count, report = axe_violations(page)
    assert count == 0, report


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_unavailable_strong_login_has_no_axe_violations(live_url, new_page, lang):
    """The server of tests/browser runs without a provider: the page says so."""
    page = new_page(locale=LOCALES[lang])
    page.goto(live_url + "/portal/login/card/")
    assert page.locator("#card-unavailable").is_visible()
    count, report = axe_violations(page)
    assert count == 0, report


@pytest.mark.parametrize("which", ["login", "email-error", "sent", "card", "home"])
def test_page_reflows_at_200_percent_zoom(live, new_page, which):
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    show(page, live, which)
    assert horizontal_overflow(page) <= 0
    page.evaluate("document.documentElement.style.zoom = '2'")  # and with CSS zoom
    page.wait_for_timeout(50)
    assert horizontal_overflow(page) <= 0


def _tab_to(page, predicate, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
        if predicate(now):
            return now
    raise AssertionError("not reached by Tab")


def test_email_login_by_keyboard_only(live, page):
    page.goto(live + "/portal/login/")
    _tab_to(page, lambda el: el["href"] == "/portal/login/email/")
    page.keyboard.press("Enter")
    page.wait_for_url(live + "/portal/login/email/")
    _tab_to(page, lambda el: el["id"] == "id_email")
    page.keyboard.type("hanako@example.jp")
    page.keyboard.press("Enter")
    page.wait_for_url(live + "/portal/login/email/sent/")
    assert "hanako@example.jp" in page.inner_text("main")

    open_link(page, live)
    _tab_to(page, lambda el: el["tag"] == "button" and "button--primary" in el["cls"])
    page.keyboard.press("Enter")
    page.wait_for_url(live + "/portal/")
    _tab_to(page, lambda el: el["tag"] == "button" and el["text"] in ("ログアウト", "Log out"))
    page.keyboard.press("Enter")
    page.wait_for_url(live + "/portal/login/")


def test_strong_login_in_the_browser(live, page):
    page.goto(live + "/portal/")
    page.wait_for_url(live + "/portal/login/?next=%2Fportal%2F")
    page.click("a[href^='/portal/login/card/']")
    page.click("button.button--primary")  # はじめる: off to the provider
    page.wait_for_selector("#id_username")
    assert not page.url.startswith(live)
    page.fill("#id_username", "hanako")
    page.fill("#id_password", "provider-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(live + "/portal/")
    assert "世田谷 花子" in page.inner_text(".portal-bar")
    assert "マイナンバーカード（本人確認済み）" in page.inner_text("main")
