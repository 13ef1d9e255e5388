"""The section's review: the inbox of its own sections only, one application with answers,
attachments, checklist and full history, and the transitions the workflow data allows."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.applications import selectors
from madoguchi.applications.models import Application
from madoguchi.audit.models import AuditEntry
from tests.applications.review_support import decided, move, receive_jido
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(catalogue, strong_identity, ikejiri, files_dir):
    return receive_jido(strong_identity, ikejiri)


def detail(client, application):
    return client.get(f"/review/{application.public_id}/")


def test_inbox_lists_the_sections_applications_with_columns(claim, kodomo_client):
    page = kodomo_client.get("/review/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("受付番号", "手続き", "申請者", "受付日", "処理期限", "経過", "状態",
                 claim.reference, "児童手当の認定請求", "池尻 花子", "令和8年", "受付"):
        assert text in html
    entry = AuditEntry.objects.filter(record_id=str(claim.public_id), action="list").get()
    assert entry.source == "review:inbox"
    # Filters: another procedure or a status it is not in hide it.
    assert claim.reference not in kodomo_client.get(
        "/review/?procedure=kazei-shomei").content.decode()
    assert claim.reference not in kodomo_client.get("/review/?status=checking").content.decode()
    assert claim.reference in kodomo_client.get(
        "/review/?status=received&procedure=jido-teate-nintei").content.decode()
    assert claim.reference not in kodomo_client.get("/review/?tab=done").content.decode()


def test_other_sections_and_centre_staff_see_nothing(claim, make_staff, centre_client):
    other = login(Client(), make_staff(Role.SECTION_STAFF, "kitazawa/kodomo-katei"))
    assert claim.reference not in other.get("/review/").content.decode()
    assert detail(other, claim).status_code == 404
    # Centre staff may see the application (they helped) but not review it.
    assert centre_client.get("/review/").status_code == 403
    assert detail(centre_client, claim).status_code == 403
    response = other.post(f"/review/{claim.public_id}/transition/",
                          {"transition": "start_check"})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == "received"


def test_detail_shows_answers_attachments_history_and_transitions(claim, kodomo_client):
    html = detail(kodomo_client, claim).content.decode()
    for text in ("世田谷銀行", "池尻ハイツ101", "イケジリ", "請求者が公務員でないこと",
                 "審査を始める", "受付番号", "本人確認書類", "請求者名義の口座がわかるもの"):
        assert text in html
    assert "補正を依頼する" not in html  # not allowed from "received"
    assert AuditEntry.objects.filter(record_id=str(claim.public_id), action="view",
                                     source="review:detail").exists()


def test_attachment_download_is_audited_and_named_without_personal_data(claim,
                                                                        kodomo_client):
    item = claim.attachments.get(code="bank_account")
    response = kodomo_client.get(f"/review/{claim.public_id}/attachments/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert claim.reference in disposition and "bank.pdf" not in disposition
    assert "池尻" not in disposition
    assert AuditEntry.objects.filter(record_id=str(claim.public_id), action="view",
                                     source="review:attachment",
                                     fields=["attachments"]).exists()
    assert kodomo_client.get(
        f"/review/{claim.public_id}/attachments/999999/").status_code == 404


def test_checklist_ticks_with_and_without_htmx(claim, kodomo_client, kodomo_staff):
    url = f"/review/{claim.public_id}/checklist/"
    response = kodomo_client.post(url, {"index": "1", "done": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#checklist")
    claim.refresh_from_db()
    assert claim.checklist["1"]["done"] is True
    assert claim.checklist["1"]["by"] == kodomo_staff.username
    # The page names the staff member, not their login id.
    kodomo_staff.display_name = "子ども 花子"
    kodomo_staff.save(update_fields=["display_name"])
    page = kodomo_client.get(f"/review/{claim.public_id}/").content.decode()
    assert "確認：子ども 花子" in page and f"確認：{kodomo_staff.username}" not in page
    fragment = kodomo_client.post(url, {"index": "1", "done": "0"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert 'id="checklist-list"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    claim.refresh_from_db()
    assert claim.checklist["1"]["done"] is False
    bad = kodomo_client.post(url, {"index": "99", "done": "1"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "チェック項目が見つかりません" in bad.content.decode()


def post_transition(client, application, name, note="", from_status=None, **extra):
    data = {"transition": name, "note": note, "from_status": from_status or application.status}
    if name == "decide" and not extra:
        extra = {"payment_start": "令和8年12月1日", "monthly_amount": "15,000"}
    return client.post(f"/review/{application.public_id}/transition/", {**data, **extra})


def test_every_staff_path_of_the_workflow(catalogue, strong_identity, ikejiri, files_dir,
                                          kodomo_client):
    first = receive_jido(strong_identity, ikejiri, key="jido-key-0001")
    assert post_transition(kodomo_client, first, "start_check").status_code == 302
    first.refresh_from_db()
    assert first.status == "checking"
    # A required note: the page comes back with the message in Japanese, nothing changes.
    refused = post_transition(kodomo_client, first, "request_correction", note="  ")
    assert refused.status_code == 400
    assert "「補正を依頼する」には理由・メッセージの入力が必要です。" in refused.content.decode()
    first.refresh_from_db()
    assert first.status == "checking"
    assert post_transition(kodomo_client, first, "request_correction",
                           note="口座の名義が読めません。").status_code == 302
    first.refresh_from_db()
    assert first.status == "correction_requested"
    move_resident(first, strong_identity)
    first.refresh_from_db()
    for name, status in (("start_check", "checking"), ("accept", "accepted"),
                         ("decide", "decided")):
        assert post_transition(kodomo_client, first, name).status_code == 302
        first.refresh_from_db()
        assert first.status == status
    # Rejection, from "checking" and from "accepted", needs its reason.
    second = receive_jido(strong_identity, ikejiri, key="jido-key-0002")
    post_transition(kodomo_client, second, "start_check")
    second.refresh_from_db()
    assert post_transition(kodomo_client, second, "reject").status_code == 400
    post_transition(kodomo_client, second, "reject", note="公務員の方は勤務先に請求してください。")
    second.refresh_from_db()
    assert second.status == "rejected"
    third = receive_jido(strong_identity, ikejiri, key="jido-key-0003")
    post_transition(kodomo_client, third, "start_check")
    third.refresh_from_db()
    post_transition(kodomo_client, third, "accept")
    third.refresh_from_db()
    post_transition(kodomo_client, third, "reject", note="児童が施設に入所しています。")
    third.refresh_from_db()
    assert third.status == "rejected"
    # A transition the workflow does not allow from here is refused with its reason.
    wrong = post_transition(kodomo_client, third, "accept")
    assert wrong.status_code == 400 and "はできません" in wrong.content.decode()


def move_resident(application, identity):
    from madoguchi.applications import services
    from tests.applications.conftest import resident_actor

    services.application_transition(actor=resident_actor(identity), application=application,
                                    name="resubmit", note="直しました。")


def test_a_stale_double_post_changes_nothing(claim, kodomo_client):
    post_transition(kodomo_client, claim, "start_check")
    again = post_transition(kodomo_client, claim, "start_check", from_status="received")
    assert again.status_code == 302
    assert claim.events.filter(transition="start_check").count() == 1
    page = kodomo_client.get(again["Location"]).content.decode()
    assert "すでに「審査中」に変わっています" in page


def test_the_resident_sees_correction_and_rejection_notes_but_not_internal_ones(
        claim, kodomo_staff):
    move(claim, kodomo_staff, "start_check", note="内部メモ：所得の確認が必要")
    move(claim, kodomo_staff, "request_correction", note="口座の写しをもう一度出してください。")
    public = selectors.history(Application.objects.get(pk=claim.pk), public_only=True)
    notes = [event.resident_note for event in public]
    assert "口座の写しをもう一度出してください。" in notes
    assert not any("内部メモ" in note for note in notes)
    staff_view = selectors.history(claim, public_only=False)
    assert any(event.note == "内部メモ：所得の確認が必要" for event in staff_view)


def test_rejection_reason_reaches_the_resident(claim, kodomo_staff):
    move(claim, kodomo_staff, "start_check")
    move(claim, kodomo_staff, "reject", note="請求者が公務員のため。")
    public = selectors.history(claim, public_only=True)
    assert public[-1].to_status == "rejected"
    assert public[-1].resident_note == "請求者が公務員のため。"


def test_decided_applications_offer_the_notice_form_not_a_bare_notify(claim, kodomo_staff,
                                                                      kodomo_client):
    decided(claim, kodomo_staff)
    html = detail(kodomo_client, claim).content.decode()
    assert "児童手当 認定通知書" in html and "通知書を作成する" in html
    assert 'value="notify"' not in html


def test_inbox_queries_do_not_grow_with_its_rows(catalogue, strong_identity, ikejiri,
                                                 files_dir, kodomo_client, kodomo_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = receive_jido(strong_identity, ikejiri, key="jido-key-0001")
    move(first, kodomo_staff, "start_check")
    kodomo_client.get("/review/")  # the session and the user's memberships warm up
    with CaptureQueriesContext(connection) as one:
        kodomo_client.get("/review/")
    for number in range(2, 6):
        application = receive_jido(strong_identity, ikejiri, key=f"jido-key-000{number}")
        move(application, kodomo_staff, "start_check", "request_correction", note="補正")
    with CaptureQueriesContext(connection) as five:
        page = kodomo_client.get("/review/")
    assert page.content.decode().count("申請者の対応待ち") == 4
    assert len(five) == len(one)
