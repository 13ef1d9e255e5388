"""個別避難計画: 1 to 3 supporters, destination, means, medical needs audited, yearly review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.disaster.demo import load_demo_shelters
from madoguchi.disaster.models import EvacuationPlan, PlanSupporter
from madoguchi.disaster.selectors.plans import plan_of, plans_due
from madoguchi.disaster.services import plan_save, registry_register
from madoguchi.organisation.models import District
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

ONE = [{"name": "隣人 三郎", "relation": "近所", "phone": "03-0000-0003"}]


@pytest.fixture
def centre(make_staff):
    return make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")


@pytest.fixture
def entry(centre):
    resident = ResidentFactory(by=centre, elderly=True, phone="03-1234-5678")
    return registry_register(by=centre, resident=resident, sex="male",
                             reasons=["care_level"], source="test")


def _save(centre, entry, **changes):
    data = {"destination": "relative", "destination_note": "長男宅（横浜市）",
            "means": "wheelchair", "review_due": timezone.localdate() + dt.timedelta(days=300),
            "supporters": ONE, "medical_needs": ["oxygen", "medicines"],
            "medical_note": "酸素ボンベ2本", "source": "test"}
    data.update(changes)
    return plan_save(by=centre, entry=entry, **data)


def test_a_plan_with_supporters_is_saved_and_its_reads_audited(centre, entry):
    shelter = load_demo_shelters(districts=District.objects.filter(code="ikejiri"))[2]
    plan = _save(centre, entry, destination="welfare", shelter=shelter,
                 supporters=ONE + [{"name": "民生 一子", "phone": "03-0000-0001"}])
    assert [s.name for s in plan.supporters.all()] == ["隣人 三郎", "民生 一子"]
    ref = str(entry.resident.public_id)
    written = AuditEntry.objects.get(record_type="disaster_plan", action="create")
    assert written.resident_ref == ref and "medical_needs" in written.fields
    read = plan_of(user=centre, entry=entry, source="test")
    assert read.medical_needs == ["oxygen", "medicines"]
    assert AuditEntry.objects.filter(record_type="disaster_plan", action="view",
                                     resident_ref=ref).exists()


@pytest.mark.parametrize("changes, field, message", [
    ({"supporters": []}, "supporters",
     "支援者を1人以上登録してください。支援者のいない計画は保存できません。"),
    ({"supporters": ONE * 4}, "supporters", "支援者は3人まで登録できます。"),
    ({"supporters": [{"name": "名前だけ"}]}, "supporter_1",
     "支援者1の氏名と電話番号を両方入力してください。"),
    ({"destination": "welfare"}, "shelter", "避難先の避難所を一覧から選んでください。"),
    ({"means": "helicopter"}, "means", "避難の方法を一覧から選んでください。"),
    ({"review_due": dt.date(2000, 1, 1)}, "review_due",
     "次回の見直し日は、明日から1年以内の日付を入力してください。"),
])
def test_bad_plans_are_refused_and_nothing_is_saved(centre, entry, changes, field, message):
    _save(centre, entry)
    before = list(PlanSupporter.objects.values_list("name", flat=True))
    with pytest.raises(ValidationError) as caught:
        _save(centre, entry, medical_note="変更", **changes)
    assert caught.value.message_dict[field] == [message]
    assert EvacuationPlan.objects.get().medical_note == "酸素ボンベ2本"
    assert list(PlanSupporter.objects.values_list("name", flat=True)) == before


def test_plans_due_for_their_yearly_review(centre, entry):
    plan = _save(centre, entry)
    assert list(plans_due(on=plan.review_due - dt.timedelta(days=1))) == []
    assert list(plans_due(on=plan.review_due)) == [plan]


def test_the_printed_plan_is_a_pdf_for_the_person_and_supporters_and_is_audited(centre,
                                                                                 entry):
    import io

    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    from tests.helpers import login

    client = login(Client(), centre)
    url = reverse("disaster:plan_pdf", args=[entry.pk])
    assert client.get(url).status_code == 404  # no plan yet
    _save(centre, entry, supporters=ONE + [{"name": "民生 一子", "phone": "03-0000-0001",
                                            "relation": "民生委員"}])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for expected in ("個別避難計画", "隣人 三郎", "民生 一子", "03-0000-0001", "車いす",
                     "在宅酸素", "長男宅"):
        assert expected in text, expected
    assert AuditEntry.objects.filter(record_type="disaster_plan", action="export",
                                     resident_ref=str(entry.resident.public_id)).exists()
