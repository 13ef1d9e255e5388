"""Decisions carry their data: 要介護認定's care level and validity period are asked with
「認定する」, checked (care level in the list, end after start, required), stored, printed
on the notice and exported. And a notice by post is 「通知書の郵送準備中」 to the resident
until the print queue marks it printed and posted."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.applications import services
from madoguchi.applications.models import Decision, Delivery
from madoguchi.applications.services import notices
from tests.applications.conftest import portal_client, staff_actor
from tests.applications.review_support import decided, move, receive_jido, receive_kaigo
from tests.applications.test_notices import stored_text
from tests.helpers import login

pytestmark = pytest.mark.django_db

GOOD = {"care_level": "care2", "valid_from": "令和8年12月1日", "valid_to": "令和9年11月30日"}


@pytest.fixture
def section_staff(make_staff):
    return make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi", username="hf-reviewer")


@pytest.fixture
def at_board(catalogue, centre_staff, resident, files_dir, section_staff):
    """A 要介護認定 application before the review board (審査会)."""
    return move(receive_kaigo(centre_staff, resident), section_staff, "start_check", "accept",
                "start_assessment", "to_board")


def decide(application, user, data):
    return services.application_transition(actor=staff_actor(user), application=application,
                                           name="decide", decision=data)


@pytest.mark.parametrize("data, path, message", [
    ({}, "care_level", "要介護状態区分"),
    ({**GOOD, "care_level": "care9"}, "care_level", ""),
    ({**GOOD, "valid_to": "令和8年11月30日"}, "valid_to", "「有効期間の開始日」より後の日"),
    ({**GOOD, "valid_to": "令和8年12月1日"}, "valid_to", "「有効期間の開始日」より後の日"),
    ({**GOOD, "valid_from": "きのう"}, "valid_from", ""),
])
def test_bad_decision_data_is_refused_and_nothing_changes(at_board, section_staff, data, path,
                                                          message):
    with pytest.raises(services.AnswersInvalid) as error:
        decide(at_board, section_staff, data)
    assert path in error.value.errors
    assert message in " ".join(error.value.errors[path])
    at_board.refresh_from_db()
    assert at_board.status == "board_review" and not Decision.objects.exists()
    assert not at_board.events.filter(transition="decide").exists()


def test_the_decision_is_stored_printed_and_exported(at_board, section_staff):
    decided_app = decide(at_board, section_staff, GOOD)
    decision = Decision.objects.get()
    assert decision.data == {"care_level": "care2", "valid_from": "2026-12-01",
                             "valid_to": "2027-11-30"}
    assert decision.status == "decided" and decision.actor == section_staff
    assert decision.event.transition == "decide"
    notice = notices.notice_create(actor=staff_actor(section_staff), application=decided_app,
                                   delivery=Delivery.POST)
    text = stored_text(notice)
    for expected in ("要介護状態区分", "要介護2", "有効期間の開始日", "令和8年12月1日",
                     "有効期間の終了日", "令和9年11月30日"):
        assert expected in text
    out = io.StringIO()
    call_command("export_applications", user=section_staff.username,
                 section="setagaya/hoken-fukushi", procedure="kaigo-nintei", format="json",
                 stdout=out, stderr=io.StringIO())
    [item] = json.loads(out.getvalue())["applications"]
    assert item["status"] == "notified"
    assert item["decision"]["data"]["care_level"] == "care2"
    assert item["decision"]["data"]["valid_to"] == "2027-11-30"


def test_a_refusal_records_its_reasons_as_the_decision(at_board, section_staff):
    move(at_board, section_staff, "reject", note="日常生活に介助を要する状態ではありません。")
    decision = Decision.objects.get()
    assert decision.status == "rejected" and decision.data == {}
    assert decision.reasons == "日常生活に介助を要する状態ではありません。"


def test_the_review_page_asks_for_the_data_and_shows_its_errors(at_board, section_staff):
    client = login(Client(), section_staff)
    url = f"/review/{at_board.public_id}/"
    page = client.get(url).content.decode()
    assert 'name="care_level"' in page and 'name="valid_to"' in page and "要介護5" in page
    refused = client.post(url + "transition/", {
        "transition": "decide", "from_status": "board_review", "care_level": "care2",
        "valid_from": "令和8年12月1日", "valid_to": "令和8年4月1日"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "「有効期間の開始日」より後の日にしてください" in body
    assert 'value="令和8年12月1日"' in body  # what was typed stays
    at_board.refresh_from_db()
    assert at_board.status == "board_review"
    assert client.post(url + "transition/", {"transition": "decide",
                                             "from_status": "board_review", **GOOD}
                       ).status_code == 302
    shown = client.get(url).content.decode()
    assert 'id="decision"' in shown and "要介護2" in shown and "令和9年11月30日" in shown


# ── 5a: a posted notice is not "posted" until it is ───────────────────────────────────


def test_a_notice_by_post_is_being_prepared_until_marked_posted(catalogue, strong_identity,
                                                                ikejiri, files_dir,
                                                                kodomo_staff, kodomo_client):
    claim = decided(receive_jido(strong_identity, ikejiri), kodomo_staff)
    notice = notices.notice_create(actor=staff_actor(kodomo_staff), application=claim,
                                   delivery=Delivery.POST)
    posted_label = "結果をお知らせしました"  # the 通知済み status's words
    resident = portal_client(strong_identity)
    mine = f"/portal/applications/{claim.public_id}/"
    for path in (mine, "/portal/applications/"):
        page = resident.get(path).content.decode()
        assert "通知書の郵送準備中" in page, path
        assert posted_label not in page, path
    api = resident.get(f"/api/v1/applications/{claim.public_id}").json()  # says the same
    assert api["resident_status_text"] == "通知書の郵送準備中"
    assert api["history"][-1]["status_text"] == "通知書の郵送準備中"
    assert kodomo_client.post(f"/review/print-queue/{notice.public_id}/printed/"
                              ).status_code == 302
    page = resident.get(mine).content.decode()
    assert posted_label in page and "通知書の郵送準備中" in page  # the history keeps the step
    assert "を郵送しました。" in page
    status = page.split('id="status"', 1)[1].split("</dd>", 1)[0]
    assert posted_label in status and "郵送準備中" not in status


def test_a_notice_by_email_is_not_waiting_for_the_post(catalogue, strong_identity, ikejiri,
                                                       files_dir, kodomo_staff):
    claim = decided(receive_jido(strong_identity, ikejiri), kodomo_staff)
    notices.notice_create(actor=staff_actor(kodomo_staff), application=claim,
                          delivery=Delivery.EMAIL, origin="http://testserver")
    claim.refresh_from_db()
    assert not claim.awaiting_post
    assert claim.resident_status_text == "結果をお知らせしました"
