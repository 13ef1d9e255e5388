"""Issue 3 end to end in a real browser: a 池尻 centre clerk takes a consultation, routes it
to 世田谷 保健福祉課 and books the first free slot; the section's caseworker finds it in the
inbox and records the outcome; the clerk then sees the result but not the internal note."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.consultations.models import Consultation, Status
from madoguchi.organisation.models import Section
from madoguchi.scheduling.models import Booking
from tests.factories import ResidentFactory

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"
INTERNAL_NOTE = "課内メモ：次回は家族同席"


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("職員ID").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/accounts/home/")


@pytest.fixture
def ward(live_setagaya):
    call_command("load_consultation_setup", verbosity=0)
    clerk = staff_upsert(username="ikejiri-clerk", display_name="池尻 窓口", password=PASSWORD,
                         role=Role.DISTRICT_STAFF,
                         unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    staff_upsert(username="hf-caseworker", display_name="保健 福祉", password=PASSWORD,
                 role=Role.SECTION_STAFF, unit=Section.objects.get(code="setagaya/hoken-fukushi"),
                 email="hf-caseworker@city.setagaya.example")
    resident = ResidentFactory(by=clerk, elderly=True)
    return {"url": live_setagaya, "resident": resident}


def test_intake_route_book_and_outcome(ward, new_page):
    base, resident = ward["url"], ward["resident"]

    clerk = new_page()
    sign_in(clerk, base, "ikejiri-clerk")
    clerk.goto(f"{base}/residents/{resident.public_id}/")
    clerk.get_by_role("link", name="相談を受け付ける").click()
    clerk.get_by_label("分類").select_option(label="高齢者の介護・福祉")
    clerk.get_by_label("相談の内容").fill("介護保険の申請のしかたを知りたい。")
    clerk.get_by_label("オンライン相談の実施に同意を得た").check()
    clerk.get_by_label("相談記録を所管課・関係機関と共有することに同意を得た").check()
    clerk.get_by_role("button", name="受け付ける").click()
    clerk.get_by_text("相談を受け付けました").wait_for()
    assert "世田谷総合支所 保健福祉課" in clerk.locator("main").inner_text()  # the proposal

    clerk.get_by_role("link", name="回付先を決める").click()
    clerk.get_by_role("button", name="回付する").click()
    clerk.get_by_role("link", name="日時を予約する").click()
    first_slot = clerk.locator("input[type=radio]").first
    first_slot.check()
    clerk.get_by_role("button", name="予約する").click()
    clerk.get_by_role("heading", name="相談の記録").wait_for()

    consultation = Consultation.objects.get(resident=resident)
    assert consultation.status == Status.BOOKED
    booking = Booking.objects.get()
    assert consultation.booking_id == booking.pk and booking.booth is not None
    assert "予約済み" in clerk.locator("main").inner_text()
    # The invitation goes out through the task queue, not inside the request.
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert str(consultation.public_id) in clerk.url  # URLs carry ids, never the worry
    assert "介護" not in unquote(clerk.url) and resident.family_name not in unquote(clerk.url)

    caseworker = new_page()
    sign_in(caseworker, base, "hf-caseworker")
    caseworker.goto(f"{base}/consultations/")
    caseworker.get_by_role("link", name=resident.full_name).click()
    caseworker.get_by_role("link", name="対応結果を記録する").click()
    caseworker.get_by_label("対応結果").select_option(label="説明した")
    caseworker.get_by_label("相談時間（分）").fill("30")
    caseworker.get_by_label("対応の記録（所管課内）").fill(INTERNAL_NOTE)
    caseworker.get_by_role("button", name="記録する").click()
    caseworker.get_by_role("heading", name="相談の記録").wait_for()
    consultation.refresh_from_db()
    assert consultation.status == Status.COMPLETED
    assert INTERNAL_NOTE in caseworker.locator("main").inner_text()

    clerk.reload()
    text = clerk.locator("main").inner_text()
    assert "説明した" in text and "対応済み" in text
    assert INTERNAL_NOTE not in text
