"""The assisted application in a real browser: a 池尻 centre member of staff starts 児童手当
from the resident's page (prefilled from the record and household), fills in the rest,
scans two documents in, turns the large-type confirmation (axe-core clean) towards the
resident and confirms it with the keyboard only; the receipt shows the reference."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.applications.models import Application
from madoguchi.organisation.models import Section
from tests.applications.conftest import PNG
from tests.browser.pages import axe_violations, focused, horizontal_overflow
from tests.factories import ResidentFactory

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"


@pytest.fixture
def desk(live_setagaya, tmp_path):  # noqa: F811
    call_command("load_procedures", verbosity=0)
    staff = staff_upsert(username="assist-browser", display_name="池尻 職員",
                         password=PASSWORD, role=Role.DISTRICT_STAFF,
                         unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    common = {"by": staff, "family_name": "田中", "family_name_kana": "タナカ",
              "address": "世田谷区池尻三丁目7番", "postal_code": "154-0001",
              "household_code": "IKJ-9"}
    head = ResidentFactory(**common, given_name="一郎", given_name_kana="イチロウ",
                           birth_date="1987-09-14", relationship="head",
                           phone="03-1111-2222")
    ResidentFactory(**common, given_name="陽太", given_name_kana="ヨウタ",
                    birth_date="2020-06-18", relationship="child")
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG)
    return {"url": live_setagaya, "resident": head, "scan": scan}


def log_in(page, base: str) -> None:  # noqa: F811
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "assist-browser")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button--primary")
    page.wait_for_url(f"{base}/accounts/home/")


def test_assisted_application_with_keyboard_confirmation(desk, page):  # noqa: F811
    base, resident = desk["url"], desk["resident"]
    log_in(page, base)
    page.goto(base + reverse("people:detail", kwargs={"public_id": resident.public_id}))
    page.click("text=申請を作る")
    page.wait_for_url(base + reverse("assist:choose", kwargs={"public_id": resident.public_id}))
    page.fill("#procedure-filter", "児童手当")  # the filter box narrows the list at once
    assert page.is_hidden("button:has-text('課税')")
    page.click("button:has-text('児童手当の認定請求')")
    page.wait_for_selector("form.procedure-form")

    # Prefilled from the record and the household.
    assert page.input_value("#id_applicant-given") == "一郎"
    assert page.input_value("#id_applicant_birth_date") == "昭和62年9月14日"
    assert page.input_value("#id_children-0-child-given") == "陽太"
    assert page.input_value("#id_phone") == "03-1111-2222"

    page.check("input[name=pension][value=kokumin]")
    page.check("input[name=reason][value=move_in]")
    page.fill("#id_reason_date", "令和8年11月1日")
    page.check("input[name='children-0-child_lives_with_applicant'][value=yes]")
    for name in ("has_spouse", "has_separate_child", "has_older_child"):
        page.check(f"input[name={name}][value=no]")
    page.fill("#id_bank_name", "世田谷銀行")
    page.fill("#id_branch_name", "池尻支店")
    page.check("input[name=account_type][value=futsu]")
    page.fill("#id_account_number", "1234567")
    page.fill("#id_account_holder_kana", "タナカ イチロウ")
    page.check("input[name=confirm]")
    page.click("button[value=next]")
    page.wait_for_selector("h1:has-text('添付書類を読み取る')")

    for code in ("identity", "bank_account"):
        page.set_input_files(f"#file-{code}", str(desk["scan"]))
        page.click(f"section[aria-labelledby='att-{code}'] button[type=submit]"
                   ":not(.button--text)")
        page.wait_for_selector(f"#att-{code} .badge--success")
    page.click("text=区民の方と内容を確認する")
    page.wait_for_selector(".assist-large")

    count, report = axe_violations(page)
    assert count == 0, report
    assert page.inner_text("h1") == "申請する内容を確かめてください"
    size = page.evaluate("() => parseFloat(getComputedStyle("
                         "document.querySelector('.assist-large')).fontSize)")
    assert size >= 24  # large type for the resident
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"] // 2, "height": viewport["height"]})
    assert horizontal_overflow(page) <= 1  # as at 200% zoom: no sideways scrolling
    page.set_viewport_size(viewport)

    # Keyboard only: Tab to 「この内容で申請します」 and press Enter.
    for _ in range(80):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "submit-application":
            break
    state = focused(page)
    assert state["id"] == "submit-application" and state["focusVisible"]
    page.keyboard.press("Enter")
    page.wait_for_selector(".assist-receipt__reference")

    application = Application.objects.get(resident=resident)
    assert application.reference and application.confirmed_at is not None
    assert page.inner_text(".assist-receipt__reference") == application.reference
    assert application.section.code == "setagaya/kodomo-katei"
    assert application.section.name in page.inner_text(".assist-receipt")
    count, report = axe_violations(page)
    assert count == 0, report
