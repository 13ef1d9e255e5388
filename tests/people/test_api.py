"""The residents API behaves like the pages: same policy, validation and audit."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from madoguchi.audit.models import AuditEntry
from madoguchi.people.models import Resident
from tests.people.conftest import resident_data
from tests.people.helpers import login
from tests.people.test_pages import form_post

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/residents/search"
CREATE = "/api/v1/residents"


def detail_url(resident) -> str:
    return f"/api/v1/residents/{resident.public_id}"


def api_data(region="setagaya", district="ikejiri", **overrides):
    data = resident_data(**overrides)
    return {**data, "region": region, "district": district}


def test_unauthenticated_gets_401_in_japanese(client, residents):
    for response in (client.post(SEARCH, {"q": "山田"}, content_type="application/json"),
                     client.get(detail_url(residents["taro"])),
                     client.post(CREATE, api_data(), content_type="application/json")):
        assert response.status_code == 401
        assert response.json() == {"detail": "ログインが必要です。",
                                   "code": "not_logged_in", "errors": {}}


def test_search_returns_visible_matches_and_audits(client, residents, ikejiri_staff):
    login(client, ikejiri_staff)
    before = AuditEntry.objects.count()
    response = client.post(SEARCH, {"q": "ﾔﾏﾀﾞ"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert {(r["family_name"], r["given_name"]) for r in body["results"]} == {
        ("山田", "太郎"), ("山田", "花子")}
    assert body["more"] is False
    assert body["results"][0]["district"]["region"] == "setagaya"
    assert response.wsgi_request.META.get("QUERY_STRING", "") == ""
    entries = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.source) for e in entries] == [("list", "api:residents.search")] * 2


def test_detail_is_audited_and_hides_other_districts(client, residents, ikejiri_staff):
    login(client, ikejiri_staff)
    response = client.get(detail_url(residents["taro"]))
    assert response.status_code == 200
    assert response.json()["phone"] == "03-0000-1234"
    assert response["Cache-Control"] == "no-store"  # no copy of resident data in any cache
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.source, entry.resident_ref) == (
        "view", "api:residents.detail", str(residents["taro"].public_id))
    before = AuditEntry.objects.count()
    for url in (detail_url(residents["matsubara_yamada"]), f"/api/v1/residents/{uuid.uuid4()}"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "区民が見つかりません。",
                                   "code": "not_found", "errors": {}}
    # Nothing was shown: each refusal is on the trail as denied, without a resident.
    refused = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.source, e.resident_ref) for e in refused] == [
        ("denied", "api:resident_detail", "")] * 2


def test_roles_without_access_get_403(client, residents, staff_by_role):
    login(client, staff_by_role["auditor"])
    assert client.post(SEARCH, {"q": "山田"}, content_type="application/json").status_code == 403
    response = client.get(detail_url(residents["taro"]))
    assert response.status_code == 403
    assert response.json() == {"detail": "この操作を行う権限がありません。",
                               "code": "forbidden", "errors": {}}
    login(client, staff_by_role["section_staff"])
    assert client.get(detail_url(residents["taro"])).status_code == 404
    assert client.post(CREATE, api_data(), content_type="application/json").status_code == 403


def test_create_validates_in_japanese(client, ikejiri_staff):
    login(client, ikejiri_staff)
    response = client.post(CREATE, api_data(family_name_kana="Yamada"),
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "フリガナはカタカナかひらがなで入力してください。"
    response = client.post(CREATE, api_data(region="setagaya", district="atlantis"),
                           content_type="application/json")
    assert response.json()["errors"]["district"] == [
        "地区コード「setagaya/atlantis」は存在しません。"]
    assert not Resident.objects.exists() and not AuditEntry.objects.exists()


def test_notes_have_a_limit_in_japanese(client, ikejiri_staff):
    # The probe stored 1,000,000 characters (issue 12 item 6).
    login(client, ikejiri_staff)
    response = client.post(CREATE, api_data(notes="あ" * 2001), content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert response.json()["errors"] == {"notes": ["2000文字以内で入力してください。"]}
    assert not Resident.objects.exists()
    page = client.get("/residents/new/")
    assert page.status_code == 200 and 'maxlength="2000"' in page.content.decode()
    # The page (no browser limit on a scripted post) gets the service's sentence.
    refused = client.post("/residents/new/", {**form_post(), "notes": "あ" * 2001})
    assert refused.status_code == 200 and not Resident.objects.exists()
    assert "配慮事項・メモは2000文字以内で入力してください。" in refused.content.decode()
    created = client.post(CREATE, api_data(notes="あ" * 2000), content_type="application/json")
    assert created.status_code == 201


def test_create_and_duplicate(client, ikejiri_staff):
    login(client, ikejiri_staff)
    response = client.post(CREATE, api_data(), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["district"] == {"region": "setagaya", "district": "ikejiri", "name": "池尻"}
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.source, entry.resident_ref) == (
        "create", "api:residents.create", body["public_id"])
    response = client.post(CREATE, api_data(), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "同じフリガナと生年月日の区民がすでに登録されています。"
    assert Resident.objects.count() == 1


def test_create_in_another_district_is_403(client, ikejiri_staff):
    login(client, ikejiri_staff)
    response = client.post(CREATE, api_data(region="kitazawa", district="matsubara"),
                           content_type="application/json")
    assert response.status_code == 403
    assert "担当地区" in response.json()["detail"]


def test_post_without_csrf_token_is_refused(residents, ikejiri_staff):
    client = Client(enforce_csrf_checks=True)
    login(client, ikejiri_staff)
    response = client.post(SEARCH, {"q": "山田"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # With the token (cookie + header) it goes through.
    client.get("/residents/")
    token = client.cookies["csrftoken"].value
    response = client.post(SEARCH, {"q": "山田"}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
