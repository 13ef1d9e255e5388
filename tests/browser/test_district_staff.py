"""A 池尻 district-centre member of staff logs in and sees only 池尻's residents."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.organisation.models import Section
from madoguchi.people.models import Resident
from tests.factories import ResidentFactory

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"


@pytest.fixture
def ward(live_setagaya):
    ikejiri = staff_upsert(
        username="ikejiri-browser", display_name="池尻 職員", password=PASSWORD,
        role=Role.DISTRICT_STAFF,
        unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    matsubara = staff_upsert(
        username="matsubara-browser", display_name="松原 職員", password=PASSWORD,
        role=Role.DISTRICT_STAFF,
        unit=Section.objects.get(code="kitazawa/matsubara/machizukuri-center"))
    mine = [ResidentFactory(by=ikejiri, given_name="一郎", given_name_kana="イチロウ"),
            ResidentFactory(by=ikejiri, given_name="花子", given_name_kana="ハナコ",
                            elderly=True)]
    theirs = ResidentFactory(by=matsubara, given_name="次郎", given_name_kana="ジロウ",
                             matsubara=True)
    return {"url": live_setagaya, "mine": mine, "theirs": theirs}


def test_ikejiri_staff_sees_only_ikejiri_residents(ward, page):
    base = ward["url"]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("職員ID").fill("ikejiri-browser")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/accounts/home/")
    assert "池尻まちづくりセンター" in page.locator("main").inner_text()

    page.get_by_role("link", name="区民を探す").first.click()
    page.wait_for_url(f"{base}/residents/")
    page.get_by_role("searchbox").or_(page.locator("input[name=q]")).first.fill("せた")
    page.get_by_role("button", name="検索").click()
    results = page.locator("#search-results table tbody")
    results.locator("tr").first.wait_for()

    text = results.inner_text()
    assert "世田　一郎" in text and "世田　花子" in text
    assert "次郎" not in text and "松原" not in text
    assert results.locator("tr").count() == 2
    assert "せた" not in page.url and "%E3" not in page.url  # the name never enters the URL

    # Opening another district's resident directly shows "not found", not the record.
    response = page.goto(f"{base}/residents/{ward['theirs'].public_id}/")
    assert response.status == 404
    assert "次郎" not in page.content()
    assert Resident.objects.count() == 3
