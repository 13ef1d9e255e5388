"""在宅避難者: a household registers itself on the public page only during a declared
disaster, with consent; a resubmitted form is stored once; the district's staff see it."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.disaster.models import HomeEvacuee
from madoguchi.disaster.services import declaration_confirm, declaration_request
from madoguchi.organisation.models import District, Region
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _form(district, **extra):
    return {"submission": str(uuid.uuid4()), "district": district.pk, "name": "在宅 花子",
            "address": "世田谷区池尻一丁目1番1号", "phone": "０３ー１２３４ー５６７８",
            "people": "3", "needs": ["water", "medicine"], "note": "",
            "consent": "yes", **extra}


@pytest.fixture
def declared(make_staff):
    a, b = make_staff(Role.WARD_ADMIN), make_staff(Role.WARD_ADMIN)
    declaration_confirm(by=b, declaration=declaration_request(
        by=a, region=Region.objects.get(code="setagaya"), reason="地震"))
    return District.objects.get(code="ikejiri")


def test_registration_is_closed_outside_a_declared_disaster(make_staff):
    client = Client()
    page = client.get(reverse("disaster:home_register"))
    assert "災害モードではありません" in page.content.decode()
    ikejiri = District.objects.get(code="ikejiri")
    answer = client.post(reverse("disaster:home_register"), _form(ikejiri))
    assert answer.status_code == 422 and not HomeEvacuee.objects.exists()


def test_a_household_registers_once_and_the_district_sees_it(declared, make_staff):
    client = Client()
    page = client.get(reverse("disaster:home_register")).content.decode()
    assert "池尻" in page and "松原" not in page  # only the declared region's districts
    form = _form(declared)
    done = client.post(reverse("disaster:home_register"), form)
    assert done.status_code == 200 and "登録を受け付けました" in done.content.decode()
    again = client.post(reverse("disaster:home_register"), form)  # the form sent twice
    assert again.status_code == 200
    evacuee = HomeEvacuee.objects.get()
    assert (evacuee.phone, evacuee.people, evacuee.needs) == ("03-1234-5678", 3,
                                                              ["water", "medicine"])
    assert evacuee.consent_at is not None
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    listed = login(Client(), centre).get(reverse("disaster:home_list")).content.decode()
    assert "在宅 花子" in listed and "飲料水" in listed
    assert AuditEntry.objects.filter(actor=centre, record_type="disaster_home_evacuee",
                                     record_id=str(evacuee.pk)).exists()
    other = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center")
    assert "在宅 花子" not in login(Client(), other).get(
        reverse("disaster:home_list")).content.decode()


@pytest.mark.parametrize(("change", "message"), [
    ({"consent": ""}, "同意が必要です"),
    ({"name": ""}, "お名前を"),
    ({"phone": "1234"}, "電話番号は"),
    ({"people": "0"}, "1から30まで"),
    ({"needs": ["champagne"]}, "一覧から選んで"),
    ({"submission": "x"}, "ページを開き直して"),
])
def test_bad_input_is_refused_in_japanese_and_nothing_saved(declared, change, message):
    answer = Client().post(reverse("disaster:home_register"), _form(declared, **change))
    assert answer.status_code == 422 and message in answer.content.decode()
    assert not HomeEvacuee.objects.exists()


def test_a_district_outside_the_declared_region_is_refused(declared):
    matsubara = District.objects.get(code="matsubara")
    answer = Client().post(reverse("disaster:home_register"), _form(matsubara))
    assert answer.status_code == 422 and "お住まいの地区を選んで" in answer.content.decode()
    assert not HomeEvacuee.objects.exists()
