"""四者連携 end to end: a 児童館 worker records a trouble, the centre shares it at the
four-party meeting, the minutes create an action item, the branch answers an escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.collaboration.models import (
    ActionItem,
    EscalationStatus,
    Meeting,
    Status,
    TroubleRecord,
)
from madoguchi.organisation.models import District, Section

pytestmark = pytest.mark.browser

PASSWORD = "browser-test-password-1"


@pytest.fixture
def ward(live_setagaya):
    from tests.collaboration.conftest import ensure_defaults

    ensure_defaults()
    people = {}
    for username, role, unit in (
            ("jidokan-b", Role.PARTNER_STAFF, "setagaya/ikejiri/jidokan"),
            ("centre-b", Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"),
            ("branch-b", Role.SECTION_STAFF, "setagaya/hoken-fukushi")):
        people[username] = staff_upsert(username=username, display_name=username,
                                        password=PASSWORD, role=role,
                                        unit=Section.objects.get(code=unit))
    meeting = Meeting.objects.create(
        district=District.objects.get(code="ikejiri"), mode="in_person", place="会議室",
        starts_at=timezone.now() + dt.timedelta(days=2))
    return {"url": live_setagaya, "meeting": meeting, **people}


def log_in(new_page, base: str, username: str):
    page = new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("職員ID").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/accounts/home/")
    return page


def test_record_share_minutes_action_and_escalation(ward, new_page):
    base = ward["url"]
    # 1. The 児童館 worker records a trouble and marks it for the meeting.
    worker = log_in(new_page, base, "jidokan-b")
    worker.get_by_role("link", name="四者連携").first.click()
    worker.get_by_role("link", name="新しく記録する").click()
    worker.locator("#id_title").fill("夕方に一人で待つ子どもたち")
    worker.locator("#id_noticed").fill("児童館の閉館後も外で待つ小学生がいる。")
    worker.locator("#id_theme").select_option(label="子ども・子育て")
    worker.locator("#id_share").check()
    worker.get_by_role("button", name="記録する").click()
    worker.wait_for_url(f"{base}/collaboration/records/*/")
    assert "記録しました。" in worker.locator("main").inner_text()
    record = TroubleRecord.objects.get()
    assert record.share and record.party.code == "setagaya/ikejiri/jidokan"

    # 2. The centre opens the meeting: the record is on the agenda; it is held.
    centre = log_in(new_page, base, "centre-b")
    centre.goto(f"{base}/collaboration/meetings/{ward['meeting'].pk}/")
    agenda = centre.locator("ol.agenda")
    assert "夕方に一人で待つ子どもたち" in agenda.inner_text()
    centre.get_by_role("button", name="開催済みにする（議題の記録を共有済みにする）").click()
    centre.wait_for_load_state()
    record.refresh_from_db()
    assert record.status == Status.SHARED

    # 3. Minutes, and a decision that lands in the 児童館 worker's task list.
    centre.locator("#id_minutes").fill("1. 放課後の居場所について協議した。")
    centre.get_by_role("button", name="議事録を保存する").click()
    centre.wait_for_load_state()
    centre.locator("#id_task").fill("学童クラブの空きを確認する")
    centre.locator("#id_party").select_option(
        label=str(Section.objects.get(code="setagaya/ikejiri/jidokan")))
    centre.locator("#id_person").select_option(label="jidokan-b")
    centre.locator("#id_due_date").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    centre.get_by_role("button", name="決定事項を追加する").click()
    centre.wait_for_load_state()
    assert ActionItem.objects.get().person == ward["jidokan-b"]
    worker.goto(f"{base}/collaboration/tasks/")
    assert "学童クラブの空きを確認する" in worker.locator("main").inner_text()

    # 4. The centre escalates the record to 保健福祉課; the branch answers.
    centre.goto(f"{base}/collaboration/records/{record.public_id}/")
    centre.locator("#id_to_section").select_option(
        label=str(Section.objects.get(code="setagaya/hoken-fukushi")))
    centre.locator("#id_title").fill("放課後の居場所の支援")
    centre.locator("#id_body").fill("地区だけでは解決が難しいため相談します。")
    centre.get_by_role("button", name="上申する").click()
    centre.wait_for_url(f"{base}/collaboration/escalations/*/")
    branch = log_in(new_page, base, "branch-b")
    branch.get_by_role("link", name="上申").first.click()
    branch.get_by_role("link", name="放課後の居場所の支援").click()
    branch.locator("#id_body").fill("子ども家庭支援課と連携して対応します。")
    branch.get_by_role("button", name="送信する").click()
    branch.wait_for_load_state()
    assert "子ども家庭支援課と連携して対応します。" in branch.locator("main").inner_text()
    record.refresh_from_db()
    assert record.status == Status.ESCALATED
    assert record.escalations.get().status == EscalationStatus.ANSWERED
