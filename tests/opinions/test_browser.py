"""In headless Chromium: a resident sends an opinion on the public form (axe-clean, also
with its error summary, at 200% zoom); a clerk enters a postcard opinion, the result is
published, and the public result shows the ward's answer without the sender's name."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.opinions import services
from madoguchi.opinions.models import Consultation, Opinion
from madoguchi.organisation.models import Section
from tests.browser import conftest as browser
from tests.browser.pages import axe_violations, horizontal_overflow

from .conftest import consultation_data

pytestmark = pytest.mark.browser

asgi_server = browser.asgi_server
live_url = browser.live_url
live_setagaya = browser.live_setagaya
new_page = browser.new_page
PASSWORD = "browser-test-password-1"


@pytest.fixture(scope="module")
def chromium():
    with browser.launched_chromium() as instance:
        yield instance


def clean(page) -> None:
    page.wait_for_load_state("networkidle")
    count, report = axe_violations(page)
    assert count == 0, report
    assert horizontal_overflow(page) <= 0


def test_public_comment_from_a_postcard_to_the_published_result(live_setagaya, new_page):
    base = live_setagaya
    clerk = staff_upsert(username="pubcom-clerk", display_name="池尻 職員", password=PASSWORD,
                         role=Role.DISTRICT_STAFF,
                         unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    consultation = services.consultation_open(
        by=clerk, consultation=services.consultation_create(by=clerk,
                                                            data=consultation_data()))
    public = f"{base}/pubcom/c/{consultation.public_id}/"

    # A resident at 200% zoom: the form, its error summary, then a sent opinion.
    resident = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    resident.goto(public)
    clean(resident)
    resident.get_by_role("button", name="意見を送る").click()
    resident.wait_for_selector("#error-summary")
    clean(resident)
    resident.get_by_label("ご意見").fill("講座を夜にも開いてください。")
    resident.get_by_label("個人情報の取扱いについて確認しました").check()
    resident.get_by_role("button", name="意見を送る").click()
    resident.wait_for_selector("text=受付番号は 1 です")
    clean(resident)

    # The clerk types a postcard.
    page = new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("職員ID").fill("pubcom-clerk")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/accounts/home/")
    page.goto(f"{base}/opinions/{consultation.public_id}/opinions/new/")
    page.get_by_label("提出方法").select_option("postcard")
    page.get_by_label("受付日").fill(timezone.localdate().isoformat())
    page.get_by_label("ご意見").fill("池尻 はる子です。防災訓練を土曜にも開いてください。")
    page.get_by_label("お名前（任意）").fill("池尻 はる子")
    page.get_by_role("button", name="受け付ける").click()
    page.wait_for_selector("text=項目を追加する")
    postcard = Opinion.objects.get(channel="postcard")
    assert postcard.name == "池尻 はる子" and postcard.entered_by == clerk

    # Sorting and answers (the staff's pages are tested in test_sorting_and_result).
    other = consultation.categories.get(name="区民参加")
    for opinion, answer in ((postcard, "土曜の防災訓練を池尻 はる子さんの地区で試行します。"),
                            (Opinion.objects.get(channel="web"), "夜の講座を増やします。")):
        item = services.item_add(by=clerk, opinion=opinion, text=opinion.text, category=other)
        group = services.items_group(by=clerk, consultation=consultation, items=[item])
        services.group_answer(by=clerk, group=group, summary=group.summary, answer=answer)
    today = timezone.localdate()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_on=today - dt.timedelta(days=20), ends_on=today - dt.timedelta(days=1))
    page.goto(f"{base}/opinions/{consultation.public_id}/")
    page.get_by_role("button", name="意見の概要と区の考え方を公表する").click()
    page.wait_for_url(f"**/pubcom/c/{consultation.public_id}/result/")

    resident.goto(f"{public}result/")
    clean(resident)
    text = resident.locator("main").inner_text()
    assert "土曜の防災訓練を〔氏名〕さんの地区で試行します。" in text
    assert "夜の講座を増やします。" in text and "はがき 1" in text
    assert "はる子" not in text
