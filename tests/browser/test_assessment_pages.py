"""The public district assessment page and the open-data catalogue pass axe-core in
Japanese and English (issue 14): charts as labelled images with tables, a chart without
data, the catalogue's table of datasets."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.browser.pages import axe_violations

pytestmark = pytest.mark.browser

LOCALES = {"ja": "ja-JP", "en": "en-US"}


@pytest.fixture
def published(live_setagaya):
    from madoguchi.accounts.models import Role
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.assessment import selectors
    from madoguchi.assessment.models import Assessment, Status
    from madoguchi.assessment.services import open_data_publish
    from madoguchi.consultations.models import StatEvent
    from madoguchi.organisation.models import District, Section

    district = District.objects.select_related("centre").get(code="ikejiri")
    StatEvent.objects.bulk_create([
        StatEvent(at=dt.datetime(2025, 6, 1, 10, tzinfo=ZoneInfo("Asia/Tokyo")),
                  kind="intake", centre=district.centre, district=district,
                  category="elderly" if n % 2 else "children", urgency="normal")
        for n in range(14)])
    staff = staff_upsert(username="centre-a11y", display_name="centre", password="x" * 20,
                         role=Role.DISTRICT_STAFF,
                         unit=Section.objects.get(code="setagaya/ikejiri/machizukuri-center"))
    Assessment.objects.create(
        district=district, fiscal_year=2025, status=Status.PUBLISHED,
        situation="高齢の単身世帯が増えています。", issues="見守りの担い手が不足しています。",
        resources="町会・自治会", actions="見守り講座", easy_summary="みんなで 見守ります。",
        figures=selectors.assessment_figures(district=district, fiscal_year=2025),
        created_by=staff, updated_at=timezone.now(), published_at=timezone.now())
    open_data_publish()
    return live_setagaya


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", ["/opendata/",
                                  "/districts/setagaya/ikejiri/assessment/2025/"])
def test_no_axe_violations(published, new_page, path, lang):
    page = new_page(locale=LOCALES[lang])
    page.goto(published + path)
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == lang
    if "assessment" in path:
        assert page.locator("svg[role=img]").count() >= 1
        page.locator("details summary").first.click()  # the data table, opened
    count, report = axe_violations(page)
    assert count == 0, report
