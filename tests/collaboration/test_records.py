"""Trouble records: the standard form as data, the workflow, history, bad input, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from madoguchi.accounts.policy import Action, can
from madoguchi.audit.models import AuditEntry
from madoguchi.collaboration import selectors, services
from madoguchi.collaboration.models import RecordEvent, RecordForm, Status, TroubleRecord
from madoguchi.core import opendays
from madoguchi.core.appendonly import AppendOnlyError
from tests.collaboration.conftest import IKEJIRI, record_input, unit
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def test_a_jidokan_worker_records_a_trouble_on_the_standard_form(four, make_record):
    record = make_record(answers={"since": "month", "how_noticed": "visit",
                                  "others_involved": "yes", "note": "詳細"}, due_days=10)
    assert record.status == Status.NEW and record.district.code == "ikejiri"
    assert record.form.version == RecordForm.objects.order_by("-version")[0].version
    assert record.answers["others_involved"] is True
    assert record.due_date == opendays.add_open_days(timezone.localdate(), 10)
    assert [e.to_status for e in record.events.all()] == [Status.NEW]
    assert AuditEntry.objects.filter(record_type="collaboration.record",
                                     record_id=str(record.pk), action="create").exists()


def test_a_new_form_version_leaves_older_records_on_theirs(four, make_record):
    old = make_record()
    definition = dict(old.form.definition)
    new = services.record_form_publish(definition=definition, by=None)  # a data load
    assert new.version == old.form.version + 1
    assert make_record().form == new
    old.refresh_from_db()
    assert old.form.version == new.version - 1


def test_form_answers_are_checked_by_the_form_engine(four, make_record):
    with pytest.raises(ValidationError):
        make_record(answers={"since": "never-heard-of"})
    assert not TroubleRecord.objects.exists()


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"party": None}, "party", "気づいた機関を選んでください。"),
    ({"theme": None}, "theme", "テーマを選んでください。"),
    ({"title": " "}, "title", "件名を入力してください。"),
])
def test_a_record_without_party_theme_or_title_is_refused(four, change, field, message):
    with pytest.raises(ValidationError) as refused:
        services.record_create(by=four["jidokan"], data=record_input(**change), source="t")
    assert message in refused.value.message_dict[field]
    assert not TroubleRecord.objects.exists() and not RecordEvent.objects.exists()


def test_a_party_outside_the_four_is_refused(four):
    with pytest.raises(ValidationError) as refused:
        services.record_create(by=four["branch"], data=record_input(
            party=unit("setagaya/hoken-fukushi")), source="t")
    assert "四者" in refused.value.message_dict["party"][0]


def test_staff_record_only_for_their_own_party(four):
    with pytest.raises(PermissionDenied):
        services.record_create(by=four["anshin"], data=record_input(), source="t")
    assert not TroubleRecord.objects.exists()


def test_a_resident_linked_without_basis_is_refused_and_nothing_saved(four):
    resident = ResidentFactory(by=four["centre"])
    with pytest.raises(ValidationError) as refused:
        services.record_create(by=four["jidokan"], data=record_input(resident=resident),
                               source="t")
    assert "根拠" in refused.value.message_dict["basis"][0]
    with pytest.raises(ValidationError) as refused:
        services.record_create(by=four["jidokan"], data=record_input(
            resident=resident, basis="consent"), source="t")
    assert "basis_note" in refused.value.message_dict
    assert not TroubleRecord.objects.exists()


def test_workflow_and_append_only_history(four, make_record):
    record = make_record()
    jidokan = four["jidokan"]
    with pytest.raises(ValidationError) as refused:
        services.record_transition(record=record, name="back", by=jidokan)
    assert "「新規」のため" in refused.value.messages[0]
    services.record_transition(record=record, name="start", by=jidokan)
    with pytest.raises(ValidationError) as refused:
        services.record_transition(record=record, name="close", by=jidokan, reason="")
    assert "終了の理由" in refused.value.message_dict["reason"][0]
    record = services.record_transition(record=record, name="close", by=jidokan,
                                        reason="学童クラブにつないだ")
    assert record.status == Status.CLOSED and record.close_reason == "学童クラブにつないだ"
    events = list(record.events.all())
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "new"), ("new", "in_progress"), ("in_progress", "closed")]
    with pytest.raises(AppendOnlyError):
        events[0].save()
    with pytest.raises(AppendOnlyError):
        RecordEvent.objects.filter(record=record).update(note="x")


def test_other_parties_may_not_change_a_record(four, make_record):
    record = make_record(share=True)
    assert not can(four["anshin"], Action.COLLAB_RECORD_EDIT, record)
    with pytest.raises(PermissionDenied):
        services.record_transition(record=record, name="start", by=four["anshin"])
    assert can(four["centre"], Action.COLLAB_RECORD_EDIT, record)


def test_unknown_related_consultation_is_refused(four):
    with pytest.raises(ValidationError) as refused:
        services.record_create(by=four["jidokan"], data=record_input(
            consultation_ids=["00000000-0000-0000-0000-000000000000"]), source="t")
    assert "関連する相談" in refused.value.message_dict["consultations"][0]
    assert not TroubleRecord.objects.exists()


def test_district_counts_for_the_assessment(four, make_record):
    make_record()
    second = make_record(theme=__import__("madoguchi.collaboration.models", fromlist=["Theme"])
                         .Theme.objects.get(code="elderly"))
    services.record_transition(record=second, name="resolve", by=four["jidokan"])
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    counts = selectors.district_counts(second.district_id, year)
    assert counts["records"] == 2
    assert counts["records_by_theme"] == {"children": 1, "elderly": 1}
    assert counts["records_by_status"] == {"new": 1, "resolved": 1}
    assert selectors.district_counts(second.district_id, year - 1)["records"] == 0
    assert counts["meetings_held"] == 0 and counts["escalations"] == 0


def test_due_date_helper_uses_the_ward_calendar(db):
    # 2026-12-28 (Mon) + 1 open day: 12/29-1/3 closed, 1/4 (Mon) is the next open day.
    assert services.due_in_open_days(dt.date(2026, 12, 28), 1) == dt.date(2027, 1, 4)


def test_the_ward_edits_themes_and_publishes_a_new_form_version(four, make_staff, client):
    from madoguchi.accounts.models import Role
    from madoguchi.collaboration.models import Theme
    from tests.helpers import login

    admin = make_staff(Role.WARD_ADMIN, None, "admin")
    login(client, admin)
    url = "/collaboration/settings/"
    response = client.post(url, {"save_theme": "1", "code": "", "name": ""})
    assert "テーマの名称を入力してください" in response.content.decode()
    client.post(url, {"save_theme": "1", "code": "loneliness", "name": "孤独・孤立",
                      "name_en": "Loneliness", "is_active": "on"})
    client.post(url, {"save_theme": "1", "code": "other", "name": "その他"})  # retired
    assert Theme.objects.get(code="loneliness").name == "孤独・孤立"
    assert not Theme.objects.get(code="other").is_active
    before = RecordForm.objects.count()
    bad = client.post(url, {"publish_form": "1", "definition": "sections: []"})
    assert bad.status_code == 200 and RecordForm.objects.count() == before
    good = client.post(url, {"publish_form": "1", "definition": (
        "sections:\n- title: 詳細\n  fields:\n  - name: since\n    type: text\n"
        "    label: いつから\n")})
    assert good.status_code == 302 and RecordForm.objects.count() == before + 1
    with pytest.raises(PermissionDenied):
        services.theme_save(code="x", name="x", by=four["centre"])


def test_related_consultations_are_linked_through_the_consultations_selectors(four):
    from madoguchi.consultations import services as consultations
    from madoguchi.people import services as people_services
    from madoguchi.people.models import ConsentPurpose

    resident = ResidentFactory(by=four["centre"])
    for purpose in (ConsentPurpose.ONLINE_CONSULTATION, ConsentPurpose.SHARE_WITH_SECTION):
        people_services.consent_give(by=four["centre"], resident=resident, purpose=purpose,
                                     method="oral", source="tests")
    consultation = consultations.consultation_intake(
        by=four["centre"], resident=resident, source="tests",
        data={"worry": "子どもの放課後のこと", "category": "children", "urgency": "normal"})
    record = services.record_create(by=four["centre"], source="t", data=record_input(
        party=unit(f"{IKEJIRI}/machizukuri-center"),
        consultation_ids=[str(consultation.public_id)]))
    assert list(record.consultations.all()) == [consultation]
    detail = selectors.record_detail(user=four["centre"], public_id=record.public_id,
                                     source="t")
    assert detail.consultations == [consultation]
    # The 児童館 may not see that consultation, so it cannot link it.
    with pytest.raises(ValidationError):
        services.record_create(by=four["jidokan"], source="t", data=record_input(
            consultation_ids=[str(consultation.public_id)]))
