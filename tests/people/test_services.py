"""Writes on residents and consents: validation in Japanese, one transaction, audit entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.people import services
from madoguchi.people.models import Consent, Resident
from tests.people.conftest import resident_data

pytestmark = pytest.mark.django_db

PERSONAL_VALUES = ("山田", "太郎", "ヤマダ", "タロウ", "1948", "池尻", "03-0000", "154-0001")


def assert_no_personal_data(entry: AuditEntry):
    text = entry.source + " " + " ".join(entry.fields)
    for value in PERSONAL_VALUES:
        assert value not in text


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def test_create_normalises_and_audits(ikejiri_staff):
    resident = services.resident_create(
        by=ikejiri_staff, source="people:create",
        data=resident_data(family_name_kana="ﾔﾏﾀﾞ", given_name_kana="たろう",
                           postal_code="１５４０００１", needs_wheelchair=True))
    assert resident.family_name_kana == "ヤマダ" and resident.given_name_kana == "タロウ"
    assert resident.kana_key == "ヤマダタロウ" and resident.name_key == "山田太郎"
    assert resident.postal_code == "154-0001" and resident.district.code == "ikejiri"
    assert resident.created_by == ikejiri_staff
    entry = last_entry()
    assert (entry.action, entry.record_type, entry.record_id) == ("create", "resident",
                                                                  str(resident.pk))
    assert entry.resident_ref == str(resident.public_id) and entry.source == "people:create"
    assert "family_name" in entry.fields and "needs_wheelchair" in entry.fields
    assert "email" not in entry.fields  # empty values are not "set"
    assert_no_personal_data(entry)


def test_update_audits_changed_field_names_only(ikejiri_staff, make_resident):
    resident = make_resident(ikejiri_staff)
    updated = services.resident_update(by=ikejiri_staff, resident=resident, source="people:edit",
                                       data={"phone": "03-0000-9999", "needs_interpreter": True,
                                             "address": resident.address})
    assert updated.phone == "03-0000-9999" and updated.needs_interpreter
    entry = last_entry()
    assert entry.action == "update" and sorted(entry.fields) == ["needs_interpreter", "phone"]
    assert "9999" not in str(entry.fields)
    assert_no_personal_data(entry)


def test_update_without_changes_writes_nothing(ikejiri_staff, make_resident):
    resident = make_resident(ikejiri_staff)
    before = AuditEntry.objects.count()
    services.resident_update(by=ikejiri_staff, resident=resident, source="people:edit",
                             data={"phone": resident.phone})
    assert AuditEntry.objects.count() == before


def test_update_of_kana_recomputes_the_key(ikejiri_staff, make_resident):
    resident = make_resident(ikejiri_staff)
    updated = services.resident_update(by=ikejiri_staff, resident=resident, source="tests",
                                       data={"given_name_kana": "ﾀﾛｰ"})
    assert updated.kana_key == "ヤマダタロー"
    assert Resident.objects.get(pk=resident.pk).kana_key == "ヤマダタロー"


def test_consent_give_and_withdraw_are_audited(ikejiri_staff, make_resident):
    resident = make_resident(ikejiri_staff)
    consent = services.consent_give(by=ikejiri_staff, resident=resident,
                                    purpose="online_consultation", method="oral",
                                    note="本人と長女が同席", source="people:consent_give")
    entry = last_entry()
    assert (entry.action, entry.record_type, entry.record_id) == ("consent_give", "consent",
                                                                  str(consent.pk))
    assert entry.resident_ref == str(resident.public_id)
    assert "note" in entry.fields and "長女" not in str(entry.fields)

    withdrawn = services.consent_withdraw(by=ikejiri_staff, consent=consent,
                                          source="people:consent_withdraw")
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_by == ikejiri_staff
    entry = last_entry()
    assert entry.action == "consent_withdraw"
    assert entry.fields == ["withdrawn_at", "withdrawn_by"]

    # Withdrawn consents stay; a new one for the same purpose may be recorded.
    services.consent_give(by=ikejiri_staff, resident=resident, purpose="online_consultation",
                          method="written", note="", source="tests")
    assert Consent.objects.filter(resident=resident).count() == 2


def test_a_second_active_consent_for_a_purpose_is_refused(ikejiri_staff, make_resident):
    resident = make_resident(ikejiri_staff)
    services.consent_give(by=ikejiri_staff, resident=resident, purpose="data_processing",
                          method="oral", note="", source="tests")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.consent_give(by=ikejiri_staff, resident=resident, purpose="data_processing",
                              method="oral", note="", source="tests")
    assert "すでに記録されています" in str(error.value)
    assert AuditEntry.objects.count() == before


def test_withdrawing_twice_is_refused(ikejiri_staff, make_resident):
    resident = make_resident(ikejiri_staff)
    consent = services.consent_give(by=ikejiri_staff, resident=resident,
                                    purpose="data_processing", method="oral", note="",
                                    source="tests")
    services.consent_withdraw(by=ikejiri_staff, consent=consent, source="tests")
    with pytest.raises(ValidationError, match="すでに撤回されています"):
        services.consent_withdraw(by=ikejiri_staff, consent=consent, source="tests")


def tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("overrides, field, message", [
    ({"family_name_kana": "Yamada"}, "family_name_kana",
     "フリガナはカタカナかひらがなで入力してください。"),
    ({"given_name_kana": "太郎"}, "given_name_kana",
     "フリガナはカタカナかひらがなで入力してください。"),
    ({"district": "setagaya/nowhere"}, "district",
     "地区コード「setagaya/nowhere」は存在しません。"),
    ({"district": "kitazawa/ikejiri"}, "district",
     "地区コード「kitazawa/ikejiri」は存在しません。"),
    ({"birth_date": "__tomorrow__"}, "birth_date", "生年月日に未来の日付は入力できません。"),
    ({"birth_date": "1948-02-30"}, "birth_date", "生年月日を「1950-04-01」のように正しく入力"),
    ({"email": "yamada@"}, "email", "メールアドレスの形式が正しくありません。"),
    ({"phone": "12345"}, "phone", "電話番号は「03-1234-5678」のように"),
    ({"postal_code": "15400"}, "postal_code", "郵便番号は「154-0001」のように7桁の数字"),
    ({"family_name": "  "}, "family_name", "氏を入力してください。"),
    ({"address": ""}, "address", "住所を入力してください。"),
    ({"preferred_language": "xx"}, "preferred_language", "希望する言語を一覧から選んでください。"),
])
def test_bad_input_is_refused_in_japanese_and_saves_nothing(ikejiri_staff, overrides, field,
                                                            message):
    if overrides.get("birth_date") == "__tomorrow__":
        overrides = {"birth_date": tomorrow()}
    residents, entries = Resident.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.resident_create(by=ikejiri_staff, data=resident_data(**overrides),
                                 source="tests")
    messages = error.value.message_dict[field]
    assert any(message in m for m in messages), messages
    assert Resident.objects.count() == residents and AuditEntry.objects.count() == entries


def test_half_width_and_hiragana_kana_are_accepted(ikejiri_staff):
    resident = services.resident_create(
        by=ikejiri_staff, source="tests",
        data=resident_data(family_name_kana="やまだ", given_name_kana="ﾀﾛｳ"))
    assert resident.full_name_kana == "ヤマダ　タロウ"


def test_duplicate_is_refused_in_japanese_and_saves_nothing(ikejiri_staff, make_resident):
    make_resident(ikejiri_staff)
    residents, entries = Resident.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        # Same kana in another script and width, same birth date.
        services.resident_create(by=ikejiri_staff, source="tests", data=resident_data(
            family_name="山田", family_name_kana="ﾔﾏﾀﾞ", given_name_kana="たろう"))
    assert error.value.messages == ["同じフリガナと生年月日の区民がすでに登録されています。"]
    assert Resident.objects.count() == residents and AuditEntry.objects.count() == entries


def test_duplicate_lost_race_gives_the_same_message(ikejiri_staff, make_resident, monkeypatch):
    """Two counters register the same person at once: the check before saving passes for
    both, the database's unique constraint refuses the second."""
    make_resident(ikejiri_staff)
    monkeypatch.setattr(services, "check_duplicate", lambda resident: None)
    residents, entries = Resident.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.resident_create(by=ikejiri_staff, data=resident_data(), source="tests")
    assert error.value.messages == ["同じフリガナと生年月日の区民がすでに登録されています。"]
    assert Resident.objects.count() == residents and AuditEntry.objects.count() == entries


def test_update_into_a_duplicate_is_refused(ikejiri_staff, make_resident):
    make_resident(ikejiri_staff)
    other = make_resident(ikejiri_staff, given_name="花子", given_name_kana="ハナコ")
    with pytest.raises(ValidationError, match="すでに登録されています"):
        services.resident_update(by=ikejiri_staff, resident=other, source="tests",
                                 data={"given_name_kana": "タロウ"})
    assert Resident.objects.get(pk=other.pk).given_name_kana == "ハナコ"


def test_district_staff_create_only_in_their_district(ikejiri_staff):
    with pytest.raises(PermissionDenied):
        services.resident_create(by=ikejiri_staff, source="tests",
                                 data=resident_data(district="kitazawa/matsubara"))
    assert not Resident.objects.exists()


def test_other_roles_cannot_create_or_touch_residents(staff_by_role, ikejiri_staff,
                                                      make_resident):
    resident = make_resident(ikejiri_staff)
    for role, user in staff_by_role.items():
        if role in ("district_staff", "centre_head"):  # the head is district staff too
            continue
        with pytest.raises(PermissionDenied):
            services.resident_create(by=user, data=resident_data(birth_date="1960-01-01"),
                                     source="tests")
        with pytest.raises(PermissionDenied):
            services.resident_update(by=user, resident=resident, data={"phone": ""},
                                     source="tests")
        with pytest.raises(PermissionDenied):
            services.consent_give(by=user, resident=resident, purpose="data_processing",
                                  method="oral", note="", source="tests")


def test_district_staff_of_another_district_cannot_update(matsubara_staff, ikejiri_staff,
                                                          make_resident):
    resident = make_resident(ikejiri_staff)
    with pytest.raises(PermissionDenied):
        services.resident_update(by=matsubara_staff, resident=resident, data={"phone": ""},
                                 source="tests")
