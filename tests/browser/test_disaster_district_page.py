"""The district's disaster page (its shelters and coming 防災塾, ADR 0061) passes axe-core
at 200% zoom without horizontal scrolling."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.disaster.demo import load_demo_shelters
from madoguchi.organisation.models import District, Section
from tests.browser.pages import axe_violations, horizontal_overflow
from tests.participation.conftest import IKEJIRI, kind, published

pytestmark = pytest.mark.browser


def _staff(name: str, role: str = Role.DISTRICT_STAFF):
    return staff_upsert(username=name, display_name=name, password="x-Passw0rd-x",
                        role=role, unit=Section.objects.get(code=IKEJIRI))


def test_the_district_disaster_page_is_axe_clean_at_200pct(live_setagaya, new_page):
    load_demo_shelters(districts=District.objects.filter(code="ikejiri"))
    published(_staff("juku-author"), _staff("juku-head", Role.CENTRE_HEAD), kind=kind("bosai-juku"),
              title="池尻の防災塾（起震車体験）")
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
    page.goto(live_setagaya + "/disaster/districts/setagaya/ikejiri/")
    assert "池尻の防災塾（起震車体験）" in page.inner_text("main")
    assert horizontal_overflow(page) == 0
    count, report = axe_violations(page)
    assert count == 0, report
