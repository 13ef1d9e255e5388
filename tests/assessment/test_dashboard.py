"""District profile and ward dashboard (issue 14 items 5-6): counts from the registry per
1,000 residents, small cells suppressed outside the owning unit, a bounded number of
queries whatever the number of districts, CSV and Excel exports, figures the centre enters
with clear messages for bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from madoguchi.accounts.models import Role
from madoguchi.assessment import figures, selectors, services, tasks
from madoguchi.assessment.models import EnteredFigure, FigureRefresh
from madoguchi.consultations.models import StatEvent
from madoguchi.organisation.models import District, Region
from tests.helpers import login

TOKYO = ZoneInfo("Asia/Tokyo")
YEAR = 2025


def events(district: District, n: int, *, kind: str = "intake", month: int = 5,
           waiting: int | None = None) -> None:
    StatEvent.objects.bulk_create([
        StatEvent(at=dt.datetime(YEAR if month >= 4 else YEAR + 1, month, 10, 10, tzinfo=TOKYO),
                  kind=kind, centre=district.centre, district=district, category="elderly",
                  urgency="normal", waiting_days=waiting)
        for _ in range(n)])


@pytest.fixture
def data(setagaya):
    found = {d.code: d for d in District.objects.select_related("centre")}
    events(found["ikejiri"], 7)
    events(found["ikejiri"], 2, kind="booked", waiting=4)
    events(found["taishido"], 3)
    events(found["umegaoka"], 3, month=1)  # January of the fiscal year: 2026
    return found


def test_fiscal_year_in_wareki_and_its_months():
    assert figures.fiscal_year_label(2019) == "令和元年度"
    assert figures.fiscal_year_label(2025) == "令和7年度"
    assert figures.fiscal_year_of(dt.date(2026, 3, 31)) == 2025
    start, end = figures.period(2025, 1)
    assert (start.date(), end.date()) == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    start, end = figures.period(2025)
    assert (start.date(), end.date()) == (dt.date(2025, 4, 1), dt.date(2026, 4, 1))


def test_dashboard_per_thousand_and_suppression(data, make_staff):
    admin = make_staff(Role.WARD_ADMIN)
    board = selectors.dashboard(user=admin, fiscal_year=YEAR)
    rows = {row.district.code: row for row in board.rows}
    assert len(rows) == 28
    ikejiri = data["ikejiri"]
    assert rows["ikejiri"].cells["consultations"].count == 7
    assert rows["ikejiri"].cells["consultations"].per_thousand == round(
        7000 / ikejiri.population, 2)
    # 2 of 7 consultations booked online: the share is shown, its small count is not
    assert rows["ikejiri"].cells["online_share"].count is None
    assert rows["taishido"].cells["consultations"].count is None  # 3 < 5, head office
    assert rows["kyodo"].cells["consultations"].count == 0  # nothing is not suppressed
    branch = make_staff(Role.SECTION_MANAGER, "setagaya/hoken-fukushi")
    own = {row.district.code: row for row in
           selectors.dashboard(user=branch, fiscal_year=YEAR).rows}
    assert own["taishido"].cells["consultations"].count == 3  # its own region
    assert own["ikejiri"].cells["waiting_days"].per_thousand == 4.0
    assert own["umegaoka"].cells["consultations"].count is None  # another region


def test_month_and_region_filters(data, make_staff):
    admin = make_staff(Role.WARD_ADMIN)
    january = selectors.dashboard(user=admin, fiscal_year=YEAR, month=1,
                                  region=Region.objects.get(code="kitazawa"))
    assert {row.district.code for row in january.rows} == {
        "umegaoka", "daizawa", "shindaita", "kitazawa", "matsubara", "matsuzawa"}
    branch = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi")
    may = {row.district.code: row.cells["consultations"].count for row in
           selectors.dashboard(user=branch, fiscal_year=YEAR, month=5).rows}
    assert may["ikejiri"] == 7 and may["umegaoka"] == 0


def test_query_count_does_not_grow_with_the_districts(data, make_staff):
    admin = make_staff(Role.WARD_ADMIN)
    counts = []
    for region in (Region.objects.get(code="karasuyama"), None):  # 3 districts, then 28
        admin = type(admin).objects.get(pk=admin.pk)  # memberships loaded afresh
        with CaptureQueriesContext(connection) as captured:
            board = selectors.dashboard(user=admin, fiscal_year=YEAR, region=region)
        assert board.rows
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_dashboard_page_and_exports(data, make_staff):
    client = login(Client(), make_staff(Role.WARD_ADMIN))
    page = client.get(reverse("assessment:dashboard"), {"year": YEAR})
    text = page.content.decode()
    assert page.status_code == 200 and "令和7年度" in text and "5未満" in text
    bad = client.get(reverse("assessment:dashboard"), {"year": "来年"})
    assert "年度は数字で入力してください。" in bad.content.decode()
    exported = client.get(reverse("assessment:dashboard_export", args=["csv"]), {"year": YEAR})
    assert exported.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["地域", "地区", "人口"] and len(table) == 29
    taishido = next(line for line in table if line[1] == "太子堂")
    assert taishido[3] == "5未満"
    workbook = client.get(reverse("assessment:dashboard_export", args=["xlsx"]),
                          {"year": YEAR})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.title == "令和7年度" and sheet.max_row == 29
    assert client.get(reverse("assessment:dashboard_export", args=["pdf"])).status_code == 404
    series = client.get(reverse("assessment:dashboard_district", args=["setagaya", "ikejiri"]),
                        {"year": YEAR})
    assert series.status_code == 200 and "5月" in series.content.decode()


def test_centre_staff_may_not_export(data, make_staff):
    client = login(Client(), make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"))
    response = client.get(reverse("assessment:dashboard_export", args=["csv"]))
    assert response.status_code == 403
    assert "権限" in response.content.decode()


def test_another_registered_figure_joins_the_dashboard(data, make_staff):
    def troubles(district_ids, fiscal_year, month=None):
        return {data["ikejiri"].pk: {"open": 6, "resolved": 4}}

    figures.register("example.open", "未解決の困りごと", troubles)
    try:
        board = selectors.dashboard(user=make_staff(Role.WARD_ADMIN), fiscal_year=YEAR)
    finally:
        figures.unregister("example.open")
    assert ("example.open", "未解決の困りごと（千人あたり）") in board.columns
    row = next(row for row in board.rows if row.district.code == "ikejiri")
    assert row.cells["example.open"].count == 10


def test_profile_shows_this_and_last_year(data, make_staff):
    staff = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    own = selectors.profile(user=staff, district=data["ikejiri"], fiscal_year=YEAR)
    totals = {block.code: block for block in own.blocks}
    assert totals["consultations.total"].total == 7
    assert totals["consultations.total"].total_before == 0
    category = totals["consultations.category"]
    assert category.rows == [("高齢者の介護・福祉", 7, 0)]
    other = selectors.profile(user=staff, district=data["taishido"], fiscal_year=YEAR)
    assert {b.code: b for b in other.blocks}["consultations.total"].total is None
    client = login(Client(), staff)
    page = client.get(reverse("assessment:profile", args=["setagaya", "ikejiri"]),
                      {"year": YEAR})
    assert page.status_code == 200 and "令和7年度" in page.content.decode()


@pytest.mark.parametrize(("value", "code", "message"), [
    ("-1", "groups", "0以上の数値で入力してください。"),
    ("たくさん", "groups", "数値で入力してください。"),
    ("2.5", "groups", "件数は整数で入力してください。"),
    ("120", "aging_rate", "高齢化率は0から100までの値で入力してください。"),
    ("", "groups", "値を入力してください。"),
    ("3", "", "項目を選んでください。"),
])
def test_bad_figures_are_refused_in_japanese(data, make_staff, value, code, message):
    client = login(Client(), make_staff(Role.DISTRICT_STAFF,
                                        "setagaya/ikejiri/machizukuri-center"))
    response = client.post(reverse("assessment:figure_enter", args=["setagaya", "ikejiri"]),
                           {"fiscal_year": YEAR, "code": code, "value": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EnteredFigure.objects.exists()


def test_centre_enters_its_figures_only(data, make_staff):
    staff = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    client = login(Client(), staff)
    url = reverse("assessment:figure_enter", args=["setagaya", "ikejiri"])
    response = client.post(url, {"fiscal_year": YEAR, "code": "aging_rate", "value": "21.4",
                                 "note": "住民基本台帳"})
    assert response.status_code == 302
    client.post(url, {"fiscal_year": YEAR, "code": "aging_rate", "value": "21.6"})
    figure = EnteredFigure.objects.get()
    assert str(figure.value) == "21.6" and figure.entered_by == staff
    profile = selectors.profile(user=staff, district=data["ikejiri"], fiscal_year=YEAR)
    assert ("高齢化率（％）", figure.value, None, "") in profile.entered
    other = client.post(reverse("assessment:figure_enter", args=["setagaya", "taishido"]),
                        {"fiscal_year": YEAR, "code": "groups", "value": "3"})
    assert other.status_code == 403
    assert EnteredFigure.objects.count() == 1


def test_time_series_month_by_month_agrees_with_each_month_alone(data, make_staff):
    events(data["ikejiri"], 6, month=1)  # January 2026, the fiscal year's tenth month
    ids = [data["ikejiri"].pk]
    months = figures.collect_months(ids, YEAR, codes=["consultations.total"])
    for month in figures.FISCAL_MONTHS:
        alone = figures.collect(ids, YEAR, month, codes=["consultations.total"])
        assert months[month]["consultations.total"] == alone["consultations.total"], month
    assert months[5]["consultations.total"] == {data["ikejiri"].pk: {"total": 7}}
    assert months[1]["consultations.total"] == {data["ikejiri"].pk: {"total": 6}}
    series = selectors.district_series(user=make_staff(Role.WARD_ADMIN),
                                       district=data["ikejiri"], fiscal_year=YEAR)
    assert [p.cells["consultations"].count for p in series] == [
        0, 7, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0]


def test_precomputed_figures_agree_with_counting_and_the_page_says_as_of_when(
        data, make_staff):
    """ADR 0051: the worker's tallies give the same cells as counting (every month, every
    district, suppression applied after), in fewer queries whatever the number of
    districts; the page states the time of the tallies; what happens after shows at the
    next refresh."""
    admin = make_staff(Role.WARD_ADMIN)
    branch = make_staff(Role.SECTION_MANAGER, "setagaya/hoken-fukushi")
    events(data["ikejiri"], 6, month=1)
    counted = {(user.pk, month): selectors.dashboard(user=user, fiscal_year=YEAR, month=month)
               for user in (admin, branch) for month in (None, 1, 5)}
    series = selectors.district_series(user=admin, district=data["ikejiri"], fiscal_year=YEAR)
    with CaptureQueriesContext(connection) as live:
        selectors.dashboard(user=admin, fiscal_year=YEAR)
    assert selectors.figures_as_of(YEAR) is None
    refresh = services.figures_refresh(YEAR)
    assert refresh.refreshed_at and refresh.seconds >= 0
    for (user_pk, month), board in counted.items():
        user = admin if user_pk == admin.pk else branch
        tallied = selectors.dashboard(user=user, fiscal_year=YEAR, month=month)
        assert tallied.as_of == refresh.refreshed_at and board.as_of is None
        assert [(r.district.pk, r.cells) for r in tallied.rows] == [
            (r.district.pk, r.cells) for r in board.rows], (user_pk, month)
    again = selectors.district_series(user=admin, district=data["ikejiri"], fiscal_year=YEAR)
    assert [p.cells for p in again] == [p.cells for p in series]
    counts = []
    for region in (Region.objects.get(code="karasuyama"), None):
        with CaptureQueriesContext(connection) as captured:
            selectors.dashboard(user=type(admin).objects.get(pk=admin.pk), fiscal_year=YEAR,
                                region=region)
        counts.append(len(captured))
    assert counts[0] == counts[1] < len(live)
    # New events are counted at the next refresh; until then the page says as of when.
    events(data["ikejiri"], 5)
    client = login(Client(), admin)
    page = client.get(reverse("assessment:dashboard"), {"year": YEAR}).content.decode()
    local = timezone.localtime(refresh.refreshed_at).strftime("%Y-%m-%d %H:%M")
    assert f"数値は {local} 時点の集計です" in page
    stale = {r.district.code: r for r in selectors.dashboard(user=admin, fiscal_year=YEAR).rows}
    assert stale["ikejiri"].cells["consultations"].count == 13  # 7 in May + 6 in January
    services.figures_refresh(YEAR)
    fresh = {r.district.code: r for r in selectors.dashboard(user=admin, fiscal_year=YEAR).rows}
    assert fresh["ikejiri"].cells["consultations"].count == 18
    series_page = client.get(reverse("assessment:dashboard_district",
                                     args=["setagaya", "ikejiri"]), {"year": YEAR})
    assert "時点の集計です" in series_page.content.decode()
    counted_page = client.get(reverse("assessment:dashboard"), {"year": YEAR - 1})
    assert "このページを開いた時点の集計です" in counted_page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_refreshes_this_year_and_the_last_every_hour(setagaya):
    assert tasks.schedule_refresh(at=timezone.now()) is True
    assert tasks.schedule_refresh(at=timezone.now()) is False  # one is already waiting
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    results = DBTaskResult.objects.filter(task_path=tasks.refresh_figures.module_path)
    assert results.filter(status="SUCCESSFUL").count() == 1
    waiting = results.get(status="READY")  # the next full hour
    assert timezone.localtime(waiting.run_after).minute == 0
    assert waiting.run_after > timezone.now()
    current = figures.fiscal_year_of(timezone.localdate())
    assert set(FigureRefresh.objects.values_list("fiscal_year", flat=True)) == {
        current - 1, current}


def test_the_pages_queries_do_not_grow_with_the_districts(data, make_staff):
    """The whole request (session, policy, figures, region filter, template), counted and
    precomputed: the same number of queries for 3 districts as for 28, and the region
    filter is offered and checked from the district rows (ADR 0062)."""
    client = login(Client(), make_staff(Role.WARD_ADMIN))
    url = reverse("assessment:dashboard")

    def queries(params: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url, params)
        assert page.status_code == 200 and "<tbody>" in page.content.decode()
        return len(captured)

    for _state in ("counted", "precomputed"):
        counts = {queries({"year": YEAR, "region": "karasuyama"}), queries({"year": YEAR}),
                  queries({"year": YEAR, "month": 5}),
                  queries({"year": YEAR, "region": "kitazawa", "month": 1})}
        assert len(counts) == 1, counts
        services.figures_refresh(YEAR)
    page = client.get(url, {"year": YEAR, "region": "karasuyama"}).content.decode()
    assert page.count('<th scope="row">') == 3 and 'value="karasuyama" selected' in page
    refused = client.get(url, {"year": YEAR, "region": "nowhere"}).content.decode()
    assert "正しく選択してください。" in refused
    series_url = reverse("assessment:dashboard_district", args=["setagaya", "ikejiri"])
    with CaptureQueriesContext(connection) as series:
        assert client.get(series_url, {"year": YEAR}).status_code == 200
    with CaptureQueriesContext(connection) as board:
        client.get(url, {"year": YEAR})
    assert len(series) == len(board)  # one query for the district instead of its rows
