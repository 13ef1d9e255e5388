"""The public organisation API: regions, districts and sections, with Japanese errors."""

from __future__ import annotations

import pytest

from madoguchi.organisation.models import Section


def test_districts_add_up_to_the_ward(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = api.get("/api/v1/districts")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 28
    assert sum(row["population"] for row in rows) == 917070
    assert sum(row["households"] for row in rows) == 492271
    assert round(sum(row["area_km2"] for row in rows), 3) == 58.049
    assert len({row["key"] for row in rows}) == 28
    assert [row["code"] for row in rows[:2]] == ["ikejiri", "taishido"]


def test_district_fields_and_density(api):
    ikejiri = api.get("/api/v1/districts/setagaya/ikejiri").json()
    assert ikejiri["region"] == "setagaya"
    assert ikejiri["key"] == "setagaya/ikejiri"
    assert ikejiri["name"] == "池尻"
    assert (ikejiri["households"], ikejiri["population"]) == (14521, 24201)
    assert ikejiri["area_km2"] == 1.186
    assert ikejiri["density"] == round(24201 / 1.186) == 20406
    assert ikejiri["figures_as_of"] == "2022-09-01"
    assert ikejiri["centre"]["online_model_centre"] is True
    assert ikejiri["centre"]["opens_at"] == "08:30"
    assert ikejiri["centre"]["open_weekdays"] == [0, 1, 2, 3, 4]


def test_district_code_shared_with_a_region_resolves_by_region(api):
    rows = api.get("/api/v1/districts", {"region": "kitazawa"}).json()
    assert [row["code"] for row in rows] == ["umegaoka", "daizawa", "shindaita", "kitazawa",
                                              "matsubara", "matsuzawa"]
    assert api.get("/api/v1/districts/kitazawa/kitazawa").json()["name"] == "北沢"


def test_unknown_codes_are_answered_in_japanese(api):
    response = api.get("/api/v1/districts/setagaya/xxx")
    assert response.status_code == 404
    assert response.json() == {"detail": "地区コード「xxx」は存在しません。",
                               "code": "not_found", "errors": {}}
    response = api.get("/api/v1/districts/nowhere/ikejiri")
    assert response.status_code == 404
    assert "地域コード「nowhere」" in response.json()["detail"]
    response = api.get("/api/v1/districts", {"region": "nowhere"})
    assert response.status_code == 400
    assert response.json()["detail"] == "地域コード「nowhere」は存在しません。"


def test_regions_with_totals(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = api.get("/api/v1/regions").json()
    assert [row["code"] for row in rows] == ["setagaya", "kitazawa", "tamagawa", "kinuta",
                                             "karasuyama"]
    assert rows[0]["branch_office_name"] == "世田谷総合支所"
    assert rows[0]["population"] == 252667
    assert sum(row["population"] for row in rows) == 917070


def test_all_sections_in_bounded_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = api.get("/api/v1/sections").json()
    assert len(rows) == 152
    kazei = next(row for row in rows if row["code"] == "kazei")
    assert kazei == {"code": "kazei", "kind": "kazei", "kind_name": "課税課", "tier": "head",
                     "name": "課税課", "office": "本庁", "phone": "", "region": None,
                     "district": None, "district_key": None}


@pytest.mark.parametrize(("params", "count"), [
    ({"tier": "branch"}, 30),
    ({"tier": "partner"}, 84),
    ({"tier": "specialist"}, 5),
    ({"kind": "hoken-fukushi"}, 5),
    ({"kind": "anshin", "region": "kinuta"}, 5),
    ({"region": "setagaya", "tier": "branch"}, 6),
    ({"region": "karasuyama"}, 6 + 3 * 4),
    ({"district": "setagaya/ikejiri"}, 4),
])
def test_section_filters(api, params, count):
    response = api.get("/api/v1/sections", params)
    assert response.status_code == 200
    assert len(response.json()) == count


def test_section_filter_by_region_and_kind_names_the_serving_section(api):
    rows = api.get("/api/v1/sections", {"kind": "hoken-fukushi", "region": "tamagawa"}).json()
    assert [(row["code"], row["name"], row["region"]) for row in rows] == [
        ("tamagawa/hoken-fukushi", "玉川総合支所 保健福祉課", "tamagawa")]
    partner = api.get("/api/v1/sections", {"kind": "jidokan",
                                           "district": "kitazawa/kitazawa"}).json()
    assert partner[0]["district_key"] == "kitazawa/kitazawa"


@pytest.mark.parametrize(("params", "bad"), [
    ({"kind": "zeimu"}, "種別コード「zeimu」"),
    ({"region": "shibuya"}, "地域コード「shibuya」"),
    ({"tier": "national"}, "階層「national」"),
    ({"district": "setagaya/nowhere"}, "地区「setagaya/nowhere」"),
])
def test_bad_section_filters_give_400_in_japanese(api, params, bad):
    response = api.get("/api/v1/sections", params)
    assert response.status_code == 400
    assert bad in response.json()["detail"]
    assert "存在しません" in response.json()["detail"]


def test_inactive_sections_are_not_listed(api):
    Section.objects.filter(code="port").update(is_active=False)
    codes = {row["code"] for row in api.get("/api/v1/sections").json()}
    assert "port" not in codes
    assert len(codes) == 151


def test_api_needs_no_login_and_says_so(api):
    schema = api.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/regions", "/api/v1/districts", "/api/v1/sections"):
        assert "認証は不要" in schema["paths"][path]["get"]["description"]
