"""A resident reads the district's news and subscribes, keyboard only at 200% zoom, in
headless Chromium: the list, a post (和暦 date, やさしい日本語) and the subscription's answer
are axe-clean and do not scroll sideways."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.news.models import Subscriber
from madoguchi.organisation.models import District
from tests.browser import conftest as browser
from tests.browser.pages import assert_clean as clean
from tests.browser.pages import tab_to

from .conftest import IKEJIRI, published

pytestmark = pytest.mark.browser

asgi_server = browser.asgi_server
live_url = browser.live_url
live_setagaya = browser.live_setagaya
new_page = browser.new_page


@pytest.fixture(scope="module")
def chromium():
    with browser.launched_chromium() as instance:
        yield instance


def test_a_resident_reads_the_district_news_and_subscribes_by_keyboard(
        live_setagaya, new_page, make_staff):
    author = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "browser-author")
    approver = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "browser-approver")
    ikejiri = District.objects.get(region__code="setagaya", code="ikejiri")
    published(author, approver, ikejiri, origin=live_setagaya)
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page.goto(f"{live_setagaya}/news/d/setagaya/ikejiri/")
    clean(page)
    tab_to(page, lambda now: now["text"].startswith("夏まつりのお知らせ"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/news/p/**")
    clean(page)
    assert "令和" in page.inner_text("article")
    assert "やさしい日本語" in page.inner_text("article")

    page.goto(f"{live_setagaya}/news/d/setagaya/ikejiri/")
    tab_to(page, lambda now: now["tag"] == "input" and now["type"] == "email")
    page.keyboard.type("hanako@example.jp")
    page.keyboard.press("Enter")
    page.wait_for_url("**/news/subscribe/")
    clean(page)
    assert "確認のメールを送りました" in page.inner_text("main")
    assert Subscriber.objects.filter(email="hanako@example.jp",
                                     district=ikejiri).exists()
