"""GET /api/v1/procedures and /api/v1/procedures/{code}: the published catalogue."""

from __future__ import annotations

import pytest

from madoguchi.procedures import services
from madoguchi.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def test_list_of_published_procedures(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/procedures")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert len(rows) == 12
    kazei = rows["kazei-shomei"]
    assert kazei["name"] == "課税（非課税）証明書の交付申請"
    assert kazei["section"] == "kazei"
    assert kazei["section_name"] == "課税課"
    assert kazei["channels"] == ["counter", "assisted", "online"]
    assert kazei["identity"] == "strong"
    assert kazei["version"] == 1
    assert kazei["fees"][0]["amount"] == 300
    attachments = {a["code"]: a for a in kazei["required_attachments"]}
    assert attachments["identity"]["required"] is True
    assert attachments["power_of_attorney"]["when"] == {"field": "requester", "equals": "proxy"}
    assert attachments["power_of_attorney"]["when_text"] == \
        "「申請する方」で「代理人（委任状が必要です）」を選んだ場合"
    assert rows["tennyu-todoke"]["channels"] == ["counter"]
    # Optional attachments are not "required attachments".
    pregnancy = {a["code"] for a in rows["ninshin-todoke"]["required_attachments"]}
    assert "pregnancy_proof" not in pregnancy


def test_filters(client, catalogue):
    by_section = client.get("/api/v1/procedures", {"section": "kokuho-nenkin"}).json()
    assert {row["code"] for row in by_section} == {"kokuho-kanyu", "nenkin-menjo",
                                                   "kogaku-ryoyohi"}
    online = {row["code"] for row in client.get("/api/v1/procedures",
                                                {"channel": "online"}).json()}
    assert "tennyu-todoke" not in online and "seikatsu-hogo" not in online
    assert "jumin-hyo" in online
    both = client.get("/api/v1/procedures", {"section": "kumin-madoguchi",
                                             "channel": "counter"}).json()
    assert {row["code"] for row in both} == {"jumin-hyo", "tennyu-todoke"}


def test_unknown_filters_are_400_in_japanese(client, catalogue):
    response = client.get("/api/v1/procedures", {"section": "nope"})
    assert response.status_code == 400
    assert response.json()["detail"] == "種別コード「nope」は存在しません。"
    response = client.get("/api/v1/procedures", {"channel": "fax"})
    assert response.status_code == 400
    assert "counter, assisted, online" in response.json()["detail"]


def test_detail_is_the_published_definition_without_internal_notes(client, catalogue):
    response = client.get("/api/v1/procedures/jido-teate-nintei")
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == "jido-teate-nintei"
    assert data["who_may_apply"]
    fields = {f["name"]: f for s in data["form"] for f in s["fields"]}
    assert fields["children"]["type"] == "group"
    assert {f["name"] for f in fields["children"]["fields"]} >= {"child", "child_birth_date"}
    assert fields["account_number"]["options"] == {"length": 7}
    assert fields["pension"]["choices"][0] == {"value": "kokumin", "label": "国民年金",
                                               "label_en": "National pension"}
    assert data["workflow"]["initial"] == "received"
    assert {s["code"] for s in data["workflow"]["statuses"]} >= {"received", "notified"}
    text = response.content.decode()
    for internal in ("checklist", "staff_note", "notices", "令和6年10月の制度改正"):
        assert internal not in text


def test_detail_of_unknown_or_unpublished_procedure_is_404(client, catalogue, admin):
    assert client.get("/api/v1/procedures/no-such").status_code == 404
    definition = Procedure.objects.get(code="kazei-shomei").current.definition()
    services.draft_save(by=admin, definition={**definition, "code": "draft-only"},
                        create=True)
    response = client.get("/api/v1/procedures/draft-only")
    assert response.status_code == 404
    assert response.json()["detail"] == "手続きコード「draft-only」の公開中の手続きはありません。"
    assert "draft-only" not in {r["code"] for r in client.get("/api/v1/procedures").json()}


def test_a_new_version_is_served_once_published(client, catalogue, admin):
    version = Procedure.objects.get(code="kazei-shomei").current
    definition = {**version.definition(), "processing_days": 2}
    services.draft_save(by=admin, definition=definition)
    assert client.get("/api/v1/procedures/kazei-shomei").json()["processing_days"] == 0
    services.draft_publish(by=admin, code="kazei-shomei")
    data = client.get("/api/v1/procedures/kazei-shomei").json()
    assert (data["version"], data["processing_days"]) == (2, 2)
