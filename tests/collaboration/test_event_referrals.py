"""A trouble record points to an event (issue 15 item 6) through core's reference
registry: collaboration is beside participation in the layers and imports nothing of it;
the addition is audited; the event's staff page counts the referrals (ADR 0061)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.audit.models import Action, AuditEntry
from madoguchi.collaboration.models import RecordReference
from madoguchi.collaboration.services.references import record_reference_add
from madoguchi.participation.referable import KIND
from tests.helpers import login
from tests.participation.conftest import published

pytestmark = pytest.mark.django_db


def test_a_party_refers_to_an_event_on_the_record_page_and_the_event_counts_it(
        four, make_record, client):
    event = published(four["centre"], four["head"], title="地域の体操講座")
    record = make_record()
    login(client, four["jidokan"])
    url = reverse("collaboration:record", kwargs={"public_id": record.public_id})
    assert "地域の体操講座" in client.get(url).content.decode()
    response = client.post(reverse("collaboration:record_reference",
                                   kwargs={"public_id": record.public_id}),
                           {"reference": f"{KIND}:{event.public_id}"})
    assert response.status_code == 302
    assert RecordReference.objects.filter(record=record, key=str(event.public_id)).exists()
    page = client.get(url).content.decode()
    assert reverse("participation:event", kwargs={"event": event.public_id}) in page
    entry = AuditEntry.objects.get(source="collaboration:record_reference")
    assert entry.fields == ["references"] and entry.actor == four["jidokan"]
    # A bad value: a Japanese message, nothing saved.
    client.post(reverse("collaboration:record_reference",
                        kwargs={"public_id": record.public_id}), {"reference": "x:y"})
    assert RecordReference.objects.count() == 1
    login(client, four["centre"])
    text = client.get(reverse("participation:event",
                              kwargs={"event": event.public_id})).content.decode()
    assert "困りごとの記録：1件" in text and "相談：0件" in text
    assert record.title not in text


def test_a_party_outside_the_district_cannot_add(four, make_record, client):
    event = published(four["centre"], four["head"])
    record = make_record()
    login(client, four["other"])
    response = client.post(reverse("collaboration:record_reference",
                                   kwargs={"public_id": record.public_id}),
                           {"reference": f"{KIND}:{event.public_id}"})
    assert response.status_code in (403, 404)
    assert not RecordReference.objects.exists()


def test_a_reference_added_by_mistake_is_removed_and_audited_only_from_its_record(
        four, make_record, client):
    event = published(four["centre"], four["head"])
    record, elsewhere = make_record(), make_record()
    value, by = f"{KIND}:{event.public_id}", four["jidokan"]
    mine = record_reference_add(record=record, value=value, by=by, source="tests")
    other = record_reference_add(record=elsewhere, value=value, by=by, source="tests")
    url = reverse("collaboration:record_reference_remove",
                  kwargs={"public_id": record.public_id})
    login(client, four["other"])  # a party of another district
    assert client.post(url, {"reference_id": mine.pk}).status_code in (403, 404)
    login(client, by)
    refused = client.post(url, {"reference_id": other.pk}, follow=True)  # another record's
    assert "外す参照が見つかりません" in refused.content.decode()
    assert RecordReference.objects.count() == 2
    removals = AuditEntry.objects.filter(source="collaboration:record_reference_remove",
                                         action=Action.UPDATE)
    assert not removals.exists()
    assert client.post(url, {"reference_id": mine.pk}).status_code == 302
    assert list(RecordReference.objects.all()) == [other]
    entry = removals.get()
    assert entry.fields == ["references"] and entry.actor == by
