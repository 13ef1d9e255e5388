"""The 安否確認 phone page in a real browser: axe-core clean at 200% zoom; 50 statuses
recorded with the network cut queue on the device (IndexedDB) and arrive exactly once when
it returns; a replay of the same entries adds nothing; the page, once it says it is kept on
the phone, reopens without network from the Service Worker's copy and still records (run on
both databases: on PostgreSQL the reload was once cut before the copy was stored, ADR 0047)."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.disaster.models import SafetyRecord, Supporter
from madoguchi.disaster.services import (
    declaration_confirm,
    declaration_request,
    registry_register,
)
from madoguchi.disaster.services.safety import campaign_open
from madoguchi.organisation.models import District
from tests.browser.pages import axe_violations, horizontal_overflow
from tests.factories import ResidentFactory
from tests.helpers import login

pytestmark = pytest.mark.browser

STATUSES = ["safe_home", "evacuated", "needs_help", "not_reached"]


@pytest.fixture
def phone(live_setagaya, new_page, make_staff):
    ikejiri = District.objects.get(code="ikejiri")
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    supporter = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin")
    Supporter.objects.create(name="民生 一子", kind="minsei", district=ikejiri,
                             phone="03-0000-0001", user=supporter)
    for _ in range(3):
        registry_register(by=centre, resident=ResidentFactory(by=centre, phone="03-1234-5678"),
                          sex="female", reasons=["elderly_alone"], source="test")
    a, b = make_staff(Role.WARD_ADMIN), make_staff(Role.WARD_ADMIN)
    declaration_confirm(by=b, declaration=declaration_request(by=a, region=None,
                                                               reason="地震"))
    campaign = campaign_open(by=centre, district=ikejiri)
    client = login(Client(), supporter)
    # 200% zoom of a 1280px window: a 640 CSS px viewport at twice the pixel density.
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_setagaya}])
    url = f"{live_setagaya}/disaster/staff/campaigns/{campaign.pk}/phone/"
    page.goto(url)
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.ready")
    return page, campaign, url


def _record(page, n: int) -> None:
    page.select_option("#phone-person", index=1 + n % 3)
    page.check(f"#phone-status-{STATUSES[n % 4]}")
    page.fill("#phone-note", f"メモ{n}")
    page.get_by_role("button", name="記録する").click()
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.queued"
                           " !== undefined && document.getElementById('phone-note').value"
                           " === ''")


def test_the_form_is_axe_clean_at_200pct_and_says_what_is_missing(phone):
    page, _campaign, _url = phone
    assert horizontal_overflow(page) == 0
    count, report = axe_violations(page)
    assert count == 0, report
    page.get_by_role("button", name="記録する").click()
    assert page.locator("#phone-error").inner_text() == "対象の方を選んでください。"
    count, report = axe_violations(page)
    assert count == 0, report


def test_fifty_statuses_recorded_offline_arrive_exactly_once(phone):
    page, campaign, url = phone
    page.context.set_offline(True)
    for n in range(50):
        _record(page, n)
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.queued"
                           " === '50'")
    assert "未送信の記録：50件" in page.locator("#phone-queue").inner_text()
    assert SafetyRecord.objects.filter(campaign=campaign).count() == 0

    page.context.set_offline(False)
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.queued"
                           " === '0'", timeout=40_000)
    records = SafetyRecord.objects.filter(campaign=campaign)
    assert records.count() == 50
    assert len(set(records.values_list("client_id", flat=True))) == 50
    assert sorted(records.values_list("note", flat=True)) == sorted(
        f"メモ{n}" for n in range(50))

    # A phone that lost the answer sends the same batch again: nothing is added.
    replay = [{"client_id": str(r.client_id), "entry": r.entry_id, "status": r.status,
               "recorded_at": r.recorded_at.isoformat()} for r in records]
    answer = page.evaluate(
        """async (records) => {
            const root = document.getElementById('safety-phone');
            const response = await fetch(root.dataset.endpoint, {method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': root.dataset.csrf},
                body: JSON.stringify({records})});
            return (await response.json()).results.map((r) => r.result);
        }""", replay)
    assert answer == ["duplicate"] * 50
    assert SafetyRecord.objects.filter(campaign=campaign).count() == 50
    page.goto(url)
    assert "確認済み 3人／3人" in page.inner_text("main")


def test_a_refused_entry_shows_its_message_and_the_rest_arrive(phone, make_staff):
    page, campaign, _url = phone
    page.context.set_offline(True)
    for n in range(3):
        _record(page, n)
    campaign.closed_at = campaign.opened_at  # the campaign closes meanwhile
    campaign.save(update_fields=["closed_at"])
    page.context.set_offline(False)
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.queued"
                           " === '0'", timeout=40_000)
    refused = page.locator("#phone-refused li")
    assert refused.count() == 3
    assert "この安否確認は終了しています。" in refused.first.inner_text()
    assert not SafetyRecord.objects.filter(campaign=campaign).exists()


@pytest.mark.per_database
def test_the_page_reopens_without_network_once_it_says_it_is_kept(phone):
    page, campaign, url = phone
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.offline")
    assert page.locator("#phone-offline").inner_text() == (
        "この画面は端末に保存されました。電波がない所でも開けます。")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.ready")
    assert "地区の安否の記録" in page.inner_text("h1")
    _record(page, 0)
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.queued"
                           " === '1'")
    page.context.set_offline(False)
    page.wait_for_function("() => document.getElementById('safety-phone').dataset.queued"
                           " === '0'", timeout=40_000)
    assert SafetyRecord.objects.filter(campaign=campaign).count() == 1
