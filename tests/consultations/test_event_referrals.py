"""A consultation points to an event (a resident referred to a smartphone class, issue
15 item 6) through core's reference registry: consultations imports nothing of
participation; the addition is audited; the event's staff page counts the referrals and
shows no personal data (ADR 0061)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from madoguchi.audit.models import Action, AuditEntry
from madoguchi.consultations.models import ConsultationReference
from madoguchi.consultations.services.references import consultation_reference_add
from madoguchi.participation.referable import KIND
from tests.helpers import login
from tests.participation.conftest import IKEJIRI, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_staff):
    return published(make_staff("district_staff", IKEJIRI, "class-author"),
                     make_staff("centre_head", IKEJIRI, "class-head"))


def test_staff_refer_a_resident_to_an_event_on_the_consultation_page(
        routed, staff, event, client):
    user = staff["centre"]
    login(client, user)
    url = reverse("consultations:detail", kwargs={"public_id": routed.public_id})
    page = client.get(url).content.decode()
    assert "紹介先を追加する" in page and event.title in page  # the choice is offered
    response = client.post(reverse("consultations:reference_add",
                                   kwargs={"public_id": routed.public_id}),
                           {"reference": f"{KIND}:{event.public_id}"})
    assert response.status_code == 302
    ref = ConsultationReference.objects.get(consultation=routed)
    assert (ref.kind, ref.key, ref.added_by) == (KIND, str(event.public_id), user)
    page = client.get(url).content.decode()
    assert reverse("participation:event", kwargs={"event": event.public_id}) in page
    entry = AuditEntry.objects.filter(source="consultations:reference_add").get()
    assert entry.fields == ["references"] and entry.actor == user
    assert entry.resident_ref == str(routed.resident.public_id)
    # The event's page counts it, with no personal data.
    login(client, event.created_by)
    detail = client.get(reverse("participation:event", kwargs={"event": event.public_id}))
    text = detail.content.decode()
    assert "相談：1件" in text
    assert routed.resident.family_name not in text


def test_an_unknown_or_repeated_reference_is_refused_in_japanese(routed, staff, event):
    user = staff["centre"]
    for value in ("", "participation.event:not-a-uuid", "nothing:1",
                  "participation.event:00000000-0000-0000-0000-000000000000"):
        with pytest.raises(ValidationError) as refused:
            consultation_reference_add(consultation=routed, value=value, by=user,
                                       source="tests")
        assert "一覧から選んでください" in refused.value.messages[0]
    value = f"{KIND}:{event.public_id}"
    consultation_reference_add(consultation=routed, value=value, by=user, source="tests")
    with pytest.raises(ValidationError) as twice:
        consultation_reference_add(consultation=routed, value=value, by=user, source="tests")
    assert "すでに追加されています" in twice.value.messages[0]
    assert ConsultationReference.objects.count() == 1


def test_staff_who_may_not_add_to_the_record_are_refused(routed, staff, event, make_staff):
    outsider = make_staff("district_staff", "kitazawa/matsubara/machizukuri-center", "far")
    with pytest.raises(PermissionDenied):
        consultation_reference_add(consultation=routed, value=f"{KIND}:{event.public_id}",
                                   by=outsider, source="tests")
    assert not ConsultationReference.objects.exists()


def test_a_reference_added_by_mistake_is_removed_and_audited_only_from_its_record(
        routed, intake, resident, staff, event, client):
    user, value = staff["centre"], f"{KIND}:{event.public_id}"
    mine = consultation_reference_add(consultation=routed, value=value, by=user,
                                      source="tests")
    other = consultation_reference_add(consultation=intake(resident), value=value, by=user,
                                       source="tests")
    url = reverse("consultations:reference_remove", kwargs={"public_id": routed.public_id})
    login(client, staff["matsubara"])  # another unit's staff: not told the record exists
    assert client.post(url, {"reference_id": mine.pk}).status_code == 404
    login(client, user)
    page = client.get(reverse("consultations:detail",
                              kwargs={"public_id": routed.public_id})).content.decode()
    assert f'aria-label="{mine.target.label}を外す"' in page  # each button names its item
    refused = client.post(url, {"reference_id": other.pk}, follow=True)  # another record's
    assert "外す参照が見つかりません" in refused.content.decode()
    assert ConsultationReference.objects.count() == 2
    removals = AuditEntry.objects.filter(source="consultations:reference_remove",
                                         action=Action.UPDATE)
    assert not removals.exists()
    assert client.post(url, {"reference_id": mine.pk}).status_code == 302
    assert list(ConsultationReference.objects.all()) == [other]
    entry = removals.get()
    assert entry.fields == ["references"] and entry.actor == user
    assert entry.resident_ref == str(routed.resident.public_id)
