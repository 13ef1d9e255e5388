"""Disaster mode: two ward administrators switch it on, audited, reversible; the banner."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.disaster.models import Declaration
from madoguchi.disaster.selectors import in_disaster
from madoguchi.disaster.services import (
    declaration_confirm,
    declaration_end,
    declaration_request,
)
from madoguchi.organisation.models import Region
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(make_staff):
    return make_staff(Role.WARD_ADMIN), make_staff(Role.WARD_ADMIN)


def test_one_person_alone_cannot_switch_it_on(admins):
    a, _ = admins
    request = declaration_request(by=a, region=None, reason="首都直下地震")
    with pytest.raises(ValidationError) as caught:
        declaration_confirm(by=a, declaration=request)
    assert "一人では開始できません" in caught.value.messages[0]
    assert not in_disaster()
    request.refresh_from_db()
    assert request.confirmed_at is None


def test_only_ward_administrators_switch(admins, make_staff):
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    with pytest.raises(PermissionDenied):
        declaration_request(by=centre, region=None, reason="地震")
    request = declaration_request(by=admins[0], region=None, reason="地震")
    with pytest.raises(PermissionDenied):
        declaration_confirm(by=centre, declaration=request)


def test_a_region_is_switched_on_by_two_and_off_again_all_audited(admins):
    a, b = admins
    setagaya, kitazawa = Region.objects.get(code="setagaya"), Region.objects.get(code="kitazawa")
    with pytest.raises(ValidationError):
        declaration_request(by=a, region=setagaya, reason="  ")
    request = declaration_request(by=a, region=setagaya, reason="豪雨")
    with pytest.raises(ValidationError) as caught:
        declaration_request(by=b, region=setagaya, reason="豪雨")
    assert "すでに災害モードの申請または宣言があります" in caught.value.messages[0]
    declaration_confirm(by=b, declaration=request)
    assert in_disaster(region_id=setagaya.pk) and not in_disaster(region_id=kitazawa.pk)
    declaration_end(by=a, declaration=request)
    assert not in_disaster(region_id=setagaya.pk)
    assert list(AuditEntry.objects.filter(record_type="disaster_declaration")
                .order_by("pk").values_list("actor", "fields")) == [
        (a.pk, ["region", "reason", "requested_by"]), (b.pk, ["confirmed_by"]),
        (a.pk, ["ended_by"])]


def test_the_resident_pages_show_the_banner_while_on(admins):
    a, b = admins
    index = reverse("core:index")
    assert "災害モード" not in Client().get(index).content.decode()
    first, second = login(Client(), a), login(Client(), b)
    first.post(reverse("disaster:mode"), {"region": "", "reason": "首都直下地震"})
    pending = Declaration.objects.get()
    refused = first.post(reverse("disaster:mode_confirm", args=[pending.pk]), follow=True)
    assert "一人では開始できません" in refused.content.decode()
    second.post(reverse("disaster:mode_confirm", args=[pending.pk]))
    page = Client().get(index).content.decode()
    assert "災害モード：世田谷区全域（首都直下地震）" in page
    assert reverse("disaster:open_shelters") in page
    second.post(reverse("disaster:mode_end", args=[pending.pk]))
    assert "災害モード" not in Client().get(index).content.decode()
