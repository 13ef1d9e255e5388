"""Write services: drafts visible to staff only, confirming an entry, dismissing logged
questions, and the record rules applied in the services (the pages check them too)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.guidance import services
from madoguchi.guidance.models import EntryStatus, EntryStatusChange, IndexedEntry, QueryLog
from madoguchi.guidance.selectors import guide
from madoguchi.organisation.models import SectionKind

pytestmark = pytest.mark.django_db


def test_drafts_are_found_by_staff_only_and_never_rank_sections(small_kb):
    draft = small_kb["draft"]
    assert IndexedEntry.objects.get(entry=draft).published is False
    residents = guide("防災訓練に参加したい")
    staff = guide("防災訓練に参加したい", include_unpublished=True)
    assert draft not in [hit.entry for hit in residents.faqs]
    assert staff.faqs[0].entry == draft and staff.faqs[0].entry.status == EntryStatus.DRAFT
    assert [(h.kind.code, h.score) for h in staff.sections] == \
        [(h.kind.code, h.score) for h in residents.sections]
    assert staff.procedures == residents.procedures


def test_a_draft_does_not_change_residents_scores(small_kb):
    before = guide("住民票の写しがほしい").as_json()
    kinds = SectionKind.objects.get(code="kumin-madoguchi")
    services.entry_create(code="jumin-draft", section_kind=kinds, by=None,
                          question="住民票の写しを郵送で取りたい", answer="郵送で請求できます。",
                          keywords=["住民票", "郵送"])
    assert guide("住民票の写しがほしい").as_json() == before


def test_mark_reviewed_keeps_the_entry_published_and_records_who(small_kb, make_staff):
    entry = small_kb["hoiku"]
    admin = make_staff(Role.WARD_ADMIN)
    services.entry_mark_reviewed(entry=entry, by=admin)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.reviewed_on == timezone.localdate()
    change = EntryStatusChange.objects.filter(entry=entry).last()
    assert (change.from_status, change.to_status, change.by) == ("published", "published", admin)
    with pytest.raises(ValidationError):
        services.entry_mark_reviewed(entry=small_kb["draft"], by=None)


def test_dismissing_a_logged_question_removes_its_rows(small_kb, make_staff):
    for _ in range(3):
        services.query_log_record(text="ペットの登録", reason="no_answer")
    services.query_log_record(text="空き家", reason="no_answer")
    editor = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi")
    assert services.query_logs_dismiss(text="ペットの登録", by=editor) == 3
    assert list(QueryLog.objects.values_list("text", flat=True)) == ["空き家"]
    with pytest.raises(PermissionDenied):
        services.query_logs_dismiss(text="空き家", by=make_staff(Role.AUDITOR))


def test_services_apply_the_record_rules(small_kb, make_staff):
    hoken = SectionKind.objects.get(code="hoken-fukushi")
    kazei = SectionKind.objects.get(code="kazei")
    staff = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi")
    manager = make_staff(Role.SECTION_MANAGER, "setagaya/hoken-fukushi")
    partner = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin")
    own = services.entry_create(code="own", section_kind=hoken, question="車いすを借りたい",
                                answer="保健福祉課で貸し出します。", by=staff)
    with pytest.raises(PermissionDenied):  # another section's kind
        services.entry_create(code="other", section_kind=kazei, question="税の質問",
                              answer="回答", by=staff)
    with pytest.raises(PermissionDenied):  # partners do not write entries
        services.entry_update(entry=own, by=partner, answer="変更")
    with pytest.raises(PermissionDenied):  # staff send to review; managers publish
        services.entry_set_status(entry=own, status=EntryStatus.PUBLISHED, by=staff)
    services.entry_set_status(entry=own, status=EntryStatus.REVIEW, by=staff)
    services.entry_publish(entry=own, by=manager)
    with pytest.raises(PermissionDenied):  # a published entry is changed by publishers
        services.entry_update(entry=own, by=staff, answer="変更")
    with pytest.raises(PermissionDenied):
        services.entry_update(entry=own, by=manager, section_kind=kazei)
    with pytest.raises(PermissionDenied):
        services.synonym_save(canonical="車いす", variants=["車椅子"], by=manager)
    services.synonym_save(canonical="車いす", variants=["車椅子"],
                          by=make_staff(Role.WARD_ADMIN))
