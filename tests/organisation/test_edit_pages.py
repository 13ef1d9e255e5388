"""Ward administrators edit the organisation; invalid input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from madoguchi.core.models import CalendarException
from madoguchi.organisation.models import Booth, District, DistrictCentre, Section

IKEJIRI_EDIT = reverse("organisation:district_edit", args=["setagaya", "ikejiri"])
IKEJIRI_CENTRE = reverse("organisation:centre_edit", args=["setagaya", "ikejiri"])


def district_form(**changes) -> dict:
    data = {"name": "池尻", "name_kana": "いけじり", "name_en": "Ikejiri", "households": "14521",
            "population": "24201", "area_km2": "1.186", "figures_as_of": "2022-09-01",
            "sort_order": "1"}
    return {**data, **changes}


def centre_form(**changes) -> dict:
    data = {"name": "池尻まちづくりセンター", "postal_code": "", "address": "", "phone": "",
            "opens_at": "08:30", "closes_at": "17:15", "open_weekdays": ["0", "1", "2", "3", "4"],
            "online_model_centre": "on"}
    return {**data, **changes}


def ikejiri() -> District:
    return District.objects.select_related("centre").get(region__code="setagaya",
                                                          code="ikejiri")


def test_edit_form_is_prefilled(admin_client):
    page = admin_client.get(IKEJIRI_EDIT).content.decode()
    assert 'value="24201"' in page
    assert 'value="2022-09-01"' in page
    assert "setagaya/ikejiri" in page  # the code is shown, not editable


def test_admin_updates_population_and_the_api_shows_it(admin_client, api):
    response = admin_client.post(IKEJIRI_EDIT, district_form(population="24500",
                                                             figures_as_of="2023-04-01"))
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:district",
                                           args=["setagaya", "ikejiri"])
    row = api.get("/api/v1/districts/setagaya/ikejiri").json()
    assert row["population"] == 24500
    assert row["density"] == round(24500 / 1.186)
    assert row["figures_as_of"] == "2023-04-01"
    assert sum(r["population"] for r in api.get("/api/v1/districts").json()) == 917070 + 299


@pytest.mark.parametrize(("changes", "message"), [
    ({"area_km2": "0"}, "面積は0より大きい値を入力してください。"),
    ({"area_km2": "-1.2"}, "面積は0より大きい値を入力してください。"),
    ({"households": "30000", "population": "20000"}, "世帯数が人口を上回っています。"),
    ({"households": "-1"}, "0以上の整数で入力してください。"),
    ({"figures_as_of": "2999-01-01"}, "基準日に未来の日付は指定できません。"),
    ({"name": ""}, "このフィールドは必須です。"),
])
def test_invalid_district_input_shows_why_and_saves_nothing(admin_client, changes, message):
    response = admin_client.post(IKEJIRI_EDIT, district_form(**{"population": "99999", **changes}))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "保存されていません" in page
    assert 'aria-invalid="true"' in page
    district = ikejiri()
    assert (district.population, district.area_km2) == (24201, Decimal("1.186"))


def test_all_problems_are_shown_at_once(admin_client):
    page = admin_client.post(IKEJIRI_CENTRE, centre_form(
        opens_at="17:00", closes_at="08:30", phone="abc", open_weekdays=[])).content.decode()
    assert "閉所時刻は開所時刻より後にしてください。" in page
    assert "電話番号は半角数字とハイフンで入力してください" in page
    assert "開所曜日を1つ以上選んでください。" in page
    assert 'aria-describedby="id_closes_at_error"' in page


def test_admin_creates_a_district_with_its_centre_booth_and_section(admin_client, api):
    response = admin_client.post(reverse("organisation:district_create"), {
        **district_form(name="新町", name_kana="しんまち", name_en="Shinmachi",
                        households="1000", population="2000", area_km2="0.5"),
        "region": District.objects.get(code="ikejiri").region_id, "code": "shinmachi",
    })
    assert response.status_code == 302
    district = District.objects.get(region__code="setagaya", code="shinmachi")
    assert district.centre.name == "新町まちづくりセンター"
    assert list(district.centre.booths.values_list("name", flat=True)) == ["相談ブース1"]
    assert Section.objects.get(code="setagaya/shinmachi/machizukuri-center").district == district
    assert len(api.get("/api/v1/districts").json()) == 29


def test_district_code_already_in_the_region_is_refused(admin_client):
    before = (District.objects.count(), DistrictCentre.objects.count(), Section.objects.count())
    response = admin_client.post(reverse("organisation:district_create"), {
        **district_form(name="池尻2"),
        "region": District.objects.get(code="ikejiri").region_id, "code": "ikejiri",
    })
    assert response.status_code == 200
    assert "地域「世田谷」には地区コード「ikejiri」が既にあります。" in response.content.decode()
    assert (District.objects.count(), DistrictCentre.objects.count(),
            Section.objects.count()) == before


def test_centre_hours_weekdays_and_model_flag(admin_client):
    response = admin_client.post(IKEJIRI_CENTRE, centre_form(
        opens_at="09:00", closes_at="19:00", open_weekdays=["0", "2", "4", "5"],
        online_model_centre="", address="世田谷区池尻（テスト）", postal_code="154-0001"))
    assert response.status_code == 302
    centre = ikejiri().centre
    assert (centre.opens_at, centre.closes_at) == (dt.time(9), dt.time(19))
    assert centre.weekdays == {0, 2, 4, 5}
    assert centre.online_model_centre is False


def test_booths_are_added_and_names_stay_unique(admin_client):
    url = reverse("organisation:booth_create", args=["setagaya", "ikejiri"])
    response = admin_client.post(url, {"name": "相談ブース2", "is_active": "on"})
    assert response.status_code == 200
    assert "「池尻まちづくりセンター」には「相談ブース2」という名前のブースが既にあります。" in (
        response.content.decode())
    assert admin_client.post(url, {"name": "相談ブース3", "hearing_loop": "on"}).status_code == 302
    booth = Booth.objects.get(centre__district__code="ikejiri", name="相談ブース3")
    assert booth.hearing_loop and not booth.is_active


def test_section_must_fit_its_kinds_tier(admin_client):
    url = reverse("organisation:section_create")
    anshin = Section.objects.get(code="setagaya/ikejiri/anshin").kind
    page = admin_client.post(url, {"kind": anshin.pk, "name": "あんしん新"}).content.decode()
    assert "地区を指定してください。" in page
    kazei = Section.objects.get(code="kazei")
    page = admin_client.post(url, {"kind": kazei.kind_id, "name": "課税課分室",
                                   "region": kazei.pk and ikejiri().region_id}).content.decode()
    assert "地域を指定できません。" in page
    assert Section.objects.count() == 152


def test_section_gets_its_default_code(admin_client, api):
    kind = Section.objects.get(code="setagaya/ikejiri/anshin").kind
    response = admin_client.post(reverse("organisation:section_create"), {
        "kind": kind.pk, "name": "あんしんすこやかセンター池尻分室", "district": ikejiri().pk,
        "is_active": "on"})
    assert response.status_code == 200  # the code setagaya/ikejiri/anshin is taken
    assert "課・機関コード「setagaya/ikejiri/anshin」は既に使われています。" in (
        response.content.decode())
    response = admin_client.post(reverse("organisation:section_create"), {
        "kind": kind.pk, "code": "setagaya/ikejiri/anshin-bunshitsu", "is_active": "on",
        "name": "あんしんすこやかセンター池尻分室", "district": ikejiri().pk})
    assert response.status_code == 302
    rows = api.get("/api/v1/sections", {"district": "setagaya/ikejiri", "kind": "anshin"}).json()
    assert {row["region"] for row in rows} == {"setagaya"}
    assert len(rows) == 2


def test_section_edit_keeps_tier_rules(admin_client):
    section = Section.objects.get(code="setagaya/hoken-fukushi")
    url = reverse("organisation:section_edit", args=[section.pk])
    page = admin_client.post(url, {"name": section.name, "region": "",
                                   "is_active": "on"}).content.decode()
    assert "地域を指定してください。" in page
    response = admin_client.post(url, {"name": section.name, "region": section.region_id,
                                       "phone": "03-5432-2887", "is_active": "on"})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.phone == "03-5432-2887"


def test_kind_tier_cannot_change_while_sections_use_it(admin_client):
    url = reverse("organisation:kind_edit", args=["port"])
    page = admin_client.post(url, {"name": "ぽーと", "tier": "head",
                                   "sort_order": "16"}).content.decode()
    assert "課・機関が登録されている種別の階層は変更できません。" in page


def test_calendar_exceptions(admin_client):
    url = reverse("organisation:calendar_create")
    # 2030-02-11 (Mon) is 建国記念の日: already closed.
    page = admin_client.post(url, {"date": "2030-02-11", "kind": "closed",
                                   "reason": "点検"}).content.decode()
    assert "令和12年2月11日はもともと休業日です（建国記念の日）。" in page
    page = admin_client.post(url, {"date": "2030-06-03", "kind": "open",
                                   "reason": "臨時"}).content.decode()
    assert "もともと開庁日です。" in page
    assert admin_client.post(url, {"date": "2030-06-03", "kind": "closed",
                                   "reason": "電気設備点検"}).status_code == 302
    page = admin_client.post(url, {"date": "2030-06-03", "kind": "closed",
                                   "reason": "重複"}).content.decode()
    assert "令和12年6月3日には既に例外が登録されています。" in page
    assert admin_client.post(url, {"date": "2030-06-02", "kind": "open",
                                   "reason": "選挙の期日前投票に合わせた開庁"}).status_code == 302
    assert CalendarException.objects.count() == 2
    exception = CalendarException.objects.get(date=dt.date(2030, 6, 3))
    delete = reverse("organisation:calendar_delete", args=[exception.pk])
    assert "電気設備点検" in admin_client.get(delete).content.decode()
    assert admin_client.post(delete).status_code == 302
    assert CalendarException.objects.count() == 1
