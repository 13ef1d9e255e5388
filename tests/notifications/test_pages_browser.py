"""The booking pages in headless Chromium: axe-core finds nothing, and they reflow at 200%."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.organisation.models import Section
from madoguchi.people import services as people_services
from tests.browser import conftest as browser
from tests.browser.pages import axe_violations

from .conftest import HOKEN, IKEJIRI, make_booking, tokyo

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"

# The browser package's fixtures: the ASGI server on the test database and Chromium.
asgi_server = browser.asgi_server
live_url = browser.live_url
live_setagaya = browser.live_setagaya
new_page = browser.new_page


@pytest.fixture(scope="module")
def chromium():
    """Chromium for this module, closed after it. (The browser package's package-scoped
    fixture, bound to a name in a test module, is kept to the end of the session, and its
    running Playwright then stops later packages from starting their own.)"""
    with browser.launched_chromium() as launched:
        yield launched


@pytest.fixture
def ward(live_setagaya):
    centre = staff_upsert(username="ikejiri-board", display_name="池尻 職員", password=PASSWORD,
                          role=Role.DISTRICT_STAFF, unit=Section.objects.get(code=IKEJIRI))
    section = staff_upsert(username="hoken-board", display_name="保健 職員", password=PASSWORD,
                           role=Role.SECTION_STAFF, unit=Section.objects.get(code=HOKEN))
    resident = people_services.resident_create(by=centre, source="tests", data={
        "family_name": "池尻", "given_name": "花子", "family_name_kana": "イケジリ",
        "given_name_kana": "ハナコ", "birth_date": "1950-04-01", "address": "世田谷区池尻",
        "region": "setagaya", "district": "ikejiri"})
    for hour in (0, 1):
        make_booking(section=Section.objects.get(code=HOKEN), start=tokyo(hour, 10), by=centre,
                     staff=[section], remote_users=[section], residents=[resident],
                     guests=[{"name": "山本 ケアマネ", "organisation": "池尻ケア"}])
    return {"url": live_setagaya}


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("職員ID").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/accounts/home/")


@pytest.mark.parametrize(("username", "link", "heading"), [
    ("ikejiri-board", "センターの予定", "池尻まちづくりセンターの予定"),
    ("hoken-board", "課の予定", "保健福祉課の予定"),
    ("hoken-board", "わたしの予定", "わたしの予定"),
])
def test_booking_pages_pass_axe_and_reflow(ward, new_page, username, link, heading):
    page = new_page()
    log_in(page, ward["url"], username)
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name=link).click()
    page.wait_for_load_state("networkidle")
    assert heading in page.locator("h1").inner_text()
    assert page.locator("table caption").count() >= 1
    count, report = axe_violations(page)
    assert count == 0, report
    page.evaluate("document.documentElement.style.zoom = '2'")
    page.wait_for_timeout(50)
    overflow = page.evaluate("() => document.documentElement.scrollWidth"
                             " - document.documentElement.clientWidth")
    assert overflow <= 0
