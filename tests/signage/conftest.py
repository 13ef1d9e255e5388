"""Signage fixtures: screens at 池尻 and 北沢, and the staff who write and approve (a
district item: the centre head of its district, ADR 0058)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.organisation.models import DistrictCentre, Region
from madoguchi.signage import services
from madoguchi.signage.models import Screen

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
TAISHIDO = "setagaya/taishido/machizukuri-center"
SETAGAYA_BRANCH = "setagaya/hoken-fukushi"
KITAZAWA_BRANCH = "kitazawa/hoken-fukushi"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.FILES_DIR = tmp_path / "files"
    settings.CLAMD_ADDRESS = ""


@pytest.fixture
def ikejiri(setagaya):
    return DistrictCentre.objects.select_related("district").get(
        district__code="ikejiri", district__region__code="setagaya")


@pytest.fixture
def umegaoka(setagaya):
    return DistrictCentre.objects.select_related("district").get(
        district__code="umegaoka", district__region__code="kitazawa")


@pytest.fixture
def region(setagaya):
    return Region.objects.get(code="setagaya")


@pytest.fixture
def screen(ikejiri):
    return Screen.objects.create(centre=ikejiri, name="池尻 入口")


@pytest.fixture
def far_screen(umegaoka):
    return Screen.objects.create(centre=umegaoka, name="梅丘 ロビー")


@pytest.fixture
def author(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI)


@pytest.fixture
def colleague(make_staff):
    """Another member of the author's centre: district staff, not its head."""
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI)


@pytest.fixture
def head(make_staff):
    """池尻's centre head (所長)."""
    return make_staff(Role.CENTRE_HEAD, IKEJIRI)


@pytest.fixture
def other_head(make_staff):
    """The head of another district's centre (太子堂, same region)."""
    return make_staff(Role.CENTRE_HEAD, TAISHIDO)


@pytest.fixture
def branch(make_staff):
    return make_staff(Role.SECTION_STAFF, SETAGAYA_BRANCH)


@pytest.fixture
def branch2(make_staff):
    return make_staff(Role.SECTION_MANAGER, SETAGAYA_BRANCH)


@pytest.fixture
def admin(make_staff):
    return make_staff(Role.WARD_ADMIN)


def notice(**overrides) -> services.ItemInput:
    now = timezone.now()
    data = {"kind": "notice", "title": "防災訓練のお知らせ", "body": "3月1日 10時から",
            "starts_at": now - dt.timedelta(hours=1), "ends_at": now + dt.timedelta(days=7)}
    data.update(overrides)
    return services.ItemInput(**data)


def png_bytes(size=(64, 48)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 2) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for number in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=24)
        pdf.cell(text=f"page {number + 1}")
    return bytes(pdf.output())


def upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def approved(item, by):
    return services.item_approve(by=by, item=item)
