"""The 避難行動要支援者名簿: required items, consent to share, who sees what, audited reads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.audit.models import Action as AuditAction
from madoguchi.audit.models import AuditEntry
from madoguchi.disaster.models import RegistryEntry, Supporter
from madoguchi.disaster.selectors import registry as selectors
from madoguchi.disaster.selectors.registry import SHARE_PURPOSE
from madoguchi.disaster.services import declaration_confirm, declaration_end, declaration_request
from madoguchi.disaster.services import registry as services
from madoguchi.organisation.models import District
from madoguchi.people import services as people
from madoguchi.people.models import Consent
from tests.factories import ResidentFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_staff, setagaya):
    ikejiri = District.objects.get(code="ikejiri")
    matsubara = District.objects.get(code="matsubara")
    near = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin")
    far = make_staff(Role.PARTNER_STAFF, "kitazawa/matsubara/anshin")
    Supporter.objects.create(name="民生 一子", kind="minsei", district=ikejiri,
                             phone="03-0000-0001", user=near)
    Supporter.objects.create(name="町会 二郎", kind="chokai", district=matsubara,
                             phone="03-0000-0002", user=far)
    return {
        "centre": make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"),
        "branch": make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi"),
        "other_centre": make_staff(Role.DISTRICT_STAFF,
                                   "kitazawa/matsubara/machizukuri-center"),
        "supporter": near, "far_supporter": far,
    }


@pytest.fixture
def entry(staff):
    resident = ResidentFactory(by=staff["centre"], elderly=True, phone="03-1234-5678")
    return services.registry_register(by=staff["centre"], resident=resident, sex="female",
                                      reasons=["elderly_alone", "care_level"],
                                      source="test")


def _sees(user, entry) -> bool:
    return entry.pk in {e.pk for e in selectors.registry_list(user=user, source="test")}


@pytest.mark.parametrize("data, field, message", [
    ({"sex": "female", "reasons": []}, "reasons",
     "避難支援等を必要とする事由を1つ以上選んでください。"),
    ({"sex": "female", "reasons": ["rich"]}, "reasons",
     "避難支援等を必要とする事由を一覧から選んでください。"),
    ({"sex": "female", "reasons": ["other"]}, "reason_note",
     "「その他」を選んだときは、事由の詳細を入力してください。"),
    ({"sex": "", "reasons": ["infant"]}, "sex",
     "性別を選んでください（記載がない場合は「記載なし」）。"),
])
def test_an_entry_without_a_valid_reason_is_refused_and_nothing_saved(staff, data, field,
                                                                      message):
    resident = ResidentFactory(by=staff["centre"], phone="03-1234-5678")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.registry_register(by=staff["centre"], resident=resident, source="test",
                                   **data)
    assert caught.value.message_dict[field] == [message]
    assert not RegistryEntry.objects.exists() and AuditEntry.objects.count() == before


def test_registering_is_audited_and_only_once(staff, entry):
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, record_type="disaster_registry",
                                     resident_ref=str(entry.resident.public_id)).count() == 1
    with pytest.raises(ValidationError) as caught:
        services.registry_register(by=staff["branch"], resident=entry.resident, sex="female",
                                   reasons=["disability"], source="test")
    assert caught.value.messages == ["この方はすでに名簿に登録されています。"]


def test_centre_and_branch_office_see_the_entry_other_districts_do_not(staff, entry):
    assert _sees(staff["centre"], entry) and _sees(staff["branch"], entry)
    assert not _sees(staff["other_centre"], entry)
    with pytest.raises(Http404):
        selectors.registry_entry(user=staff["other_centre"], pk=entry.pk, source="test")
    assert AuditEntry.objects.filter(actor=staff["other_centre"], action=AuditAction.DENIED,
                                     record_id=str(entry.pk)).exists()


def test_supporters_see_only_consenting_people_of_their_district(staff, entry):
    supporter, far = staff["supporter"], staff["far_supporter"]
    assert not _sees(supporter, entry)
    consent = services.registry_consent(by=staff["centre"], entry=entry, method="written",
                                        source="test")
    assert (consent.purpose, consent.resident_id) == (SHARE_PURPOSE, entry.resident_id)
    assert _sees(supporter, entry) and not _sees(far, entry)
    viewed = selectors.registry_entry(user=supporter, pk=entry.pk, source="test")
    assert AuditEntry.objects.filter(actor=supporter, action=AuditAction.VIEW,
                                     resident_ref=str(viewed.resident.public_id)).exists()
    people.consent_withdraw(by=staff["centre"], consent=consent, source="test")
    assert not _sees(supporter, entry)


def test_a_declared_disaster_lifts_the_no_consent_restriction(staff, entry, make_staff):
    supporter = staff["supporter"]
    assert not _sees(supporter, entry)
    a, b = make_staff(Role.WARD_ADMIN), make_staff(Role.WARD_ADMIN)
    declaration = declaration_request(by=a, region=entry.resident.district.region,
                                      reason="震度6強")
    assert not _sees(supporter, entry)  # asked for, not yet confirmed
    declaration_confirm(by=b, declaration=declaration)
    assert _sees(supporter, entry) and not _sees(staff["far_supporter"], entry)
    declaration_end(by=a, declaration=declaration)
    assert not _sees(supporter, entry)
    ward = declaration_request(by=b, region=None, reason="首都直下地震")
    declaration_confirm(by=a, declaration=ward)  # the whole ward
    assert _sees(supporter, entry) and not _sees(staff["far_supporter"], entry)


def test_every_list_read_is_audited(staff, entry):
    selectors.registry_list(user=staff["branch"], source="test")
    assert AuditEntry.objects.filter(actor=staff["branch"], action=AuditAction.LIST,
                                     resident_ref=str(entry.resident.public_id)).exists()


def test_register_page_answers_bad_input_in_japanese(staff):
    resident = ResidentFactory(by=staff["centre"], phone="03-1234-5678")
    client = login(Client(), staff["centre"])
    url = reverse("disaster:registry_register", args=[resident.public_id])
    response = client.post(url, {"sex": "male"})
    assert response.status_code == 422
    assert "避難支援等を必要とする事由を1つ以上選んでください。" in response.content.decode()
    assert not RegistryEntry.objects.exists()
    response = client.post(url, {"sex": "male", "reasons": ["disability"]})
    entry = RegistryEntry.objects.get()
    assert response.status_code == 302 and entry.reasons == ["disability"]
    page = client.get(reverse("disaster:registry_entry", args=[entry.pk])).content.decode()
    assert "障害者手帳を持っている" in page and "同意なし（災害時のみ提供）" in page
    client.post(reverse("disaster:registry_consent", args=[entry.pk]), {"method": "oral"})
    assert Consent.objects.filter(resident=resident, purpose=SHARE_PURPOSE).exists()
