"""Staff browse the organisation; only ward administrators reach the edit pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.core.models import CalendarException
from madoguchi.organisation.models import Booth, Section
from tests.conftest import ROLE_UNITS

from .conftest import logged_in

BROWSE = [
    reverse("organisation:overview"),
    reverse("organisation:district", args=["setagaya", "ikejiri"]),
    reverse("organisation:sections"),
    reverse("organisation:calendar"),
]


def edit_urls() -> list[str]:
    booth = Booth.objects.filter(centre__district__code="ikejiri").first()
    section = Section.objects.get(code="setagaya/ikejiri/anshin")
    exception = CalendarException.objects.create(date=dt.date(2030, 6, 3), kind="closed",
                                                 reason="設備点検")
    return [
        reverse("organisation:region_create"),
        reverse("organisation:region_edit", args=["setagaya"]),
        reverse("organisation:district_create"),
        reverse("organisation:district_edit", args=["setagaya", "ikejiri"]),
        reverse("organisation:centre_edit", args=["setagaya", "ikejiri"]),
        reverse("organisation:booth_create", args=["setagaya", "ikejiri"]),
        reverse("organisation:booth_edit", args=[booth.pk]),
        reverse("organisation:kind_create"),
        reverse("organisation:kind_edit", args=["anshin"]),
        reverse("organisation:section_create"),
        reverse("organisation:section_edit", args=[section.pk]),
        reverse("organisation:calendar_create"),
        reverse("organisation:calendar_edit", args=[exception.pk]),
        reverse("organisation:calendar_delete", args=[exception.pk]),
    ]


@pytest.mark.parametrize("role", list(Role.values))
def test_every_staff_role_browses_but_only_admins_edit(make_staff, role):
    client = logged_in(make_staff(role, ROLE_UNITS[role]), verified=True)
    for url in BROWSE:
        assert client.get(url).status_code == 200, url
    expected = 200 if role == Role.WARD_ADMIN else 403
    for url in edit_urls():
        assert client.get(url).status_code == expected, url
        if expected == 403:
            assert client.post(url, {"name": "x"}).status_code == 403, url


def test_anonymous_visitors_are_sent_to_login(client, setagaya):
    response = client.get(reverse("organisation:overview"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_overview_shows_regions_districts_hours_and_booths(staff_client,
                                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("organisation:overview"))
    page = response.content.decode()
    assert "世田谷地域（世田谷総合支所）" in page
    assert "24,201" in page  # 池尻's population
    assert "20,406" in page  # and its density
    assert "月〜金 8:30〜17:15" in page
    assert "相談ブース2" in page
    assert "令和4年9月1日" in page
    assert "地区を追加" not in page  # no edit links for non-administrators


def test_overview_queries_do_not_grow_with_the_number_of_districts(
        admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        assert admin_client.get(reverse("organisation:overview")).status_code == 200
    with django_assert_max_num_queries(14):
        assert admin_client.get(reverse("organisation:sections")).status_code == 200


def test_district_page_lists_the_four_parties_and_branch_sections(staff_client):
    page = staff_client.get(
        reverse("organisation:district", args=["kitazawa", "matsubara"])).content.decode()
    for name in ("松原まちづくりセンター", "あんしんすこやかセンター松原",
                 "社会福祉協議会 松原地区", "松原児童館", "北沢総合支所 保健福祉課", "相談ブース2"):
        assert name in page


def test_unknown_district_page_is_404(staff_client):
    url = reverse("organisation:district", args=["setagaya", "nowhere"])
    assert staff_client.get(url).status_code == 404


def test_sections_page_groups_by_tier(staff_client):
    page = staff_client.get(reverse("organisation:sections")).content.decode()
    for label in ("本庁（5件）", "総合支所（30件）", "地区の連携機関（84件）", "専門機関（5件）"):
        assert label in page


def test_calendar_page_shows_exceptions_in_wareki(staff_client):
    CalendarException.objects.create(date=dt.date(2099, 6, 3), kind="closed",
                                     reason="庁舎の電気設備点検")
    page = staff_client.get(reverse("organisation:calendar")).content.decode()
    assert "令和81年（2099年）6月3日（水）" in page
    assert "庁舎の電気設備点検" in page
