"""The hand-off export: CSV (UTF-8 with BOM, fixed columns then the answers flattened,
formulas neutralised) and JSON (answers nested), for the user's own sections only, every
exported application audited; the page and ``manage.py export_applications``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from tests.applications.review_support import decided, receive_jido
from tests.helpers import login

pytestmark = pytest.mark.django_db

SECTION = "setagaya/kodomo-katei"


@pytest.fixture
def claims(catalogue, strong_identity, ikejiri, files_dir, kodomo_staff):
    first = decided(receive_jido(strong_identity, ikejiri, key="jido-key-0001"), kodomo_staff)
    second = receive_jido(
        strong_identity, ikejiri, key="jido-key-0002", bank_name="=HYPERLINK(\"x\")",
        children=[{"child": {"family": "池尻", "given": n, "family_kana": "いけじり",
                             "given_kana": "いちろう"},
                   "child_birth_date": "2026-11-01", "child_relationship": "child",
                   "child_lives_with_applicant": "yes"} for n in ("一郎", "二郎")])
    return first, second


def rows_of(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_fixed_columns_then_flattened_answers(claims, kodomo_staff):
    out = io.StringIO()
    call_command("export_applications", user=kodomo_staff.username, section=SECTION,
                 procedure="jido-teate-nintei", format="csv", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    header = next(csv.reader(io.StringIO(text[1:])))
    assert header[:5] == ["受付番号", "申請ID", "手続きコード", "手続きの版", "担当課コード"]
    assert header[14:18] == ["決定日時", "決定の理由", "decision.payment_start",
                             "decision.monthly_amount"]
    assert header[18:22] == ["applicant.family", "applicant.given", "applicant.family_kana",
                             "applicant.given_kana"]
    assert "children.2.child.given" in header and "children.3.child.given" not in header
    first, second = rows_of(text)
    assert first["受付番号"] == claims[0].reference and first["状態コード"] == "decided"
    assert first["受付日（和暦）"].startswith("令和")
    assert first["has_spouse"] == "false" and first["children.2.child.given"] == ""
    assert second["children.2.child.given"] == "二郎"
    assert second["bank_name"] == "'=HYPERLINK(\"x\")"  # shown, never run
    assert first["連絡先メールアドレス"] == "hanako@example.jp"
    # The decision's data, as stored: 支給開始月 and 月額 of the 認定.
    assert first["decision.payment_start"] == "2026-12-01"
    assert first["decision.monthly_amount"] == "15000"
    assert first["決定日時"].startswith("20") and first["決定の理由"] == ""
    assert second["decision.payment_start"] == "" and second["決定日時"] == ""
    exported = AuditEntry.objects.filter(action="export", source="manage:export_applications")
    assert {e.record_id for e in exported} == {str(c.public_id) for c in claims}


def test_json_nests_the_answers_and_filters(claims, kodomo_staff):
    out = io.StringIO()
    call_command("export_applications", user=kodomo_staff.username, section=SECTION,
                 procedure="jido-teate-nintei", format="json", status=["decided"],
                 stdout=out, stderr=io.StringIO())
    document = json.loads(out.getvalue())
    assert document["format"] == "madoguchi.applications.export/1"
    assert document["count"] == 1
    [item] = document["applications"]
    assert item["reference"] == claims[0].reference
    assert item["answers"]["children"][0]["child"]["given"] == "一郎"
    assert item["answers"]["has_spouse"] is False
    assert item["decision"]["status"] == "decided"
    assert item["decision"]["data"] == {"payment_start": "2026-12-01", "monthly_amount": 15000}
    out = io.StringIO()
    call_command("export_applications", user=kodomo_staff.username, section=SECTION,
                 procedure="jido-teate-nintei", format="json",
                 received_from=claims[0].submitted_at.date().replace(year=2020),
                 received_to=claims[0].submitted_at.date().replace(year=2021),
                 stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["count"] == 0


def test_only_the_users_own_sections(claims, make_staff):
    other = make_staff(Role.SECTION_STAFF, "kitazawa/kodomo-katei", username="kitazawa")
    with pytest.raises(CommandError, match="あなたの課の申請だけ"):
        call_command("export_applications", user=other.username, section=SECTION,
                     procedure="jido-teate-nintei", stdout=io.StringIO())
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_export_page(claims, kodomo_client, centre_client, make_staff):
    page = kodomo_client.get("/review/export/")
    assert page.status_code == 200 and "児童手当の認定請求" in page.content.decode()
    response = kodomo_client.post("/review/export/", {
        "section": SECTION, "procedure": "jido-teate-nintei", "format": "csv",
        "received_from": "", "received_to": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "jido-teate-nintei" in disposition
    text = b"".join(response.streaming_content).decode("utf-8")
    assert len(rows_of(text)) == 2
    assert AuditEntry.objects.filter(action="export", source="review:export").count() == 2
    wrong = kodomo_client.post("/review/export/", {
        "section": SECTION, "procedure": "jido-teate-nintei", "format": "json",
        "received_from": "2026-12-01", "received_to": "2026-11-01"})
    assert wrong.status_code == 400
    assert "受付日の終わりは、始めより後の日にしてください。" in wrong.content.decode()
    assert centre_client.get("/review/export/").status_code == 403
    other = login(Client(), make_staff(Role.SECTION_STAFF, "kitazawa/kodomo-katei"))
    refused = other.post("/review/export/", {"section": SECTION,
                                             "procedure": "jido-teate-nintei", "format": "csv"})
    assert refused.status_code == 400  # not one of their sections: not even offered
