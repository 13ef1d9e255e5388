"""Privacy between the four parties: full for one's own, anonymised when shared, audited."""

from __future__ import annotations

import pytest
from django.http import Http404

from madoguchi.audit.models import AuditEntry
from madoguchi.collaboration import selectors
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def audited(user, record) -> int:
    return AuditEntry.objects.filter(actor=user, record_type="collaboration.record",
                                     record_id=str(record.pk)).count()


def test_an_unshared_record_is_seen_by_its_party_and_the_centre_only(four, make_record):
    record = make_record()
    assert selectors.record_detail(user=four["jidokan"], public_id=record.public_id,
                                   source="tests").view.full
    assert selectors.record_detail(user=four["centre"], public_id=record.public_id,
                                   source="tests").view.full
    for name in ("anshin", "shakyo", "other"):
        with pytest.raises(Http404):
            selectors.record_detail(user=four[name], public_id=record.public_id,
                                    source="tests")
        assert selectors.record_list(user=four[name], source="tests") == []


def test_a_shared_record_is_anonymised_for_the_other_parties(four, make_record):
    resident = ResidentFactory(by=four["centre"])
    record = make_record(resident=resident, basis="consent", basis_note="令和8年12月1日 口頭",
                         share=True, answers={"since": "month", "note": "田中さん宅のこと"})
    shown = selectors.record_detail(user=four["anshin"], public_id=record.public_id,
                                    source="tests").view
    assert not shown.full and shown.resident is None
    assert "夕方まで" not in shown.noticed  # the author did not confirm it names nobody
    assert shown.answers == {"since": "month"}  # free text withheld
    assert shown.withheld == ["補足"]
    assert audited(four["anshin"], record) == 0  # the anonymised version is not audited
    # The party and the centre see the person, and each such read is audited.
    for name in ("jidokan", "centre"):
        full = selectors.record_detail(user=four[name], public_id=record.public_id,
                                       source="tests").view
        assert full.resident == resident and full.answers["note"] == "田中さん宅のこと"
        entry = AuditEntry.objects.get(actor=four[name], action="view",
                                       record_id=str(record.pk))
        assert entry.resident_ref == str(resident.public_id)
    # Another district's partner sees nothing.
    with pytest.raises(Http404):
        selectors.record_detail(user=four["other"], public_id=record.public_id, source="t")


def test_confirmed_free_text_is_shown_to_the_other_parties(four, make_record):
    record = make_record(share=True, noticed_names_nobody=True, answers={"note": "公園の件"})
    shown = selectors.record_detail(user=four["shakyo"], public_id=record.public_id,
                                    source="tests").view
    assert "夕方まで" in shown.noticed and shown.answers["note"] == "公園の件"


def test_lists_audit_only_the_records_shown_in_full(four, make_record):
    own = make_record(by=four["jidokan"], share=True)
    views = selectors.record_list(user=four["anshin"], source="tests")
    assert [(v.record, v.full) for v in views] == [(own, False)]
    assert audited(four["anshin"], own) == 0
    selectors.record_list(user=four["jidokan"], source="tests")
    assert audited(four["jidokan"], own) == 2  # created + listed
