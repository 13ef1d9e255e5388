"""Writes on residents and consents. Each checks the policy, validates, writes in one
transaction and appends the audit entry in that same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.text import fold, kana_key
from madoguchi.people.models import Consent, ConsentMethod, ConsentPurpose, Resident
from madoguchi.people.validation import clean_resident

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

RECORD_RESIDENT = "resident"
RECORD_CONSENT = "consent"


def duplicate_error() -> ValidationError:
    return ValidationError(_("同じフリガナと生年月日の区民がすでに登録されています。"),
                           code="duplicate")


def _set_keys(resident: Resident) -> None:
    resident.name_key = fold(f"{resident.family_name}{resident.given_name}")
    resident.kana_key = kana_key(f"{resident.family_name_kana}{resident.given_name_kana}")


def _duplicate_exists(resident: Resident) -> bool:
    return (Resident.objects.filter(kana_key=resident.kana_key, birth_date=resident.birth_date)
            .exclude(pk=resident.pk).exists())


def check_duplicate(resident: Resident) -> None:
    """Refuse a second resident with the same kana and birth date (before the database does)."""
    if _duplicate_exists(resident):
        raise duplicate_error()


def _save_resident(resident: Resident, *, by: User, action: str, fields: list[str],
                   source: str) -> None:
    """Save and audit in one transaction; a lost race on the unique key becomes the same
    Japanese message as the check before it."""
    try:
        with transaction.atomic():
            resident.save()
            audit.record(actor=by, action=action, record_type=RECORD_RESIDENT,
                         record_id=resident.pk, resident_ref=str(resident.public_id),
                         source=source, fields=fields)
    except IntegrityError as error:
        if _duplicate_exists(resident):
            raise duplicate_error() from error
        raise


def resident_create(*, by: User, data: Mapping[str, Any], source: str) -> Resident:
    if not has_role_for(by, Action.RESIDENT_CREATE):
        raise PermissionDenied(_("区民を登録する権限がありません。"))
    cleaned = clean_resident(data)
    if not can(by, Action.RESIDENT_CREATE, cleaned["district"]):
        raise PermissionDenied(_("この地区の区民を登録する権限がありません。"
                                 "担当地区の区民だけを登録できます。"))
    resident = Resident(**cleaned, created_by=by)
    _set_keys(resident)
    check_duplicate(resident)
    fields = [name for name, value in cleaned.items() if value not in ("", False, None)]
    _save_resident(resident, by=by, action=AuditAction.CREATE, fields=fields, source=source)
    return resident


def resident_update(*, by: User, resident: Resident, data: Mapping[str, Any],
                    source: str) -> Resident:
    """Change the fields present in ``data``; returns the resident (unchanged: no write)."""
    if not can(by, Action.RESIDENT_UPDATE, resident):
        raise PermissionDenied(_("この区民の情報を変更する権限がありません。"))
    cleaned = clean_resident(data, partial=True)
    with transaction.atomic():
        current = Resident.objects.select_for_update().get(pk=resident.pk)
        changed = [name for name, value in cleaned.items()
                   if (current.district_id != value.pk if name == "district"
                       else getattr(current, name) != value)]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, cleaned[name])
        _set_keys(current)
        check_duplicate(current)
        _save_resident(current, by=by, action=AuditAction.UPDATE, fields=changed,
                       source=source)
    return current


# Purposes other contexts add (value -> label), e.g. disaster's sharing with supporters.
_extra_purposes: dict[str, Any] = {}


def register_consent_purpose(value: str, label: Any) -> None:
    """Let residents consent to another context's purpose through ``consent_give``. The value
    fits ``Consent.purpose`` (32 characters) and must not clash with people's own."""
    if len(value) > 32 or value in ConsentPurpose.values:
        raise ValueError(f"consent purpose {value!r} is too long or already people's own")
    _extra_purposes[value] = label


def consent_purposes() -> dict[str, Any]:
    """Every purpose a consent may be given for: people's own and the registered ones."""
    return {**dict(ConsentPurpose.choices), **_extra_purposes}


def consent_give(*, by: User, resident: Resident, purpose: str, method: str,
                 note: str = "", source: str) -> Consent:
    if not can(by, Action.CONSENT_RECORD, resident):
        raise PermissionDenied(_("この区民の同意を記録する権限がありません。"))
    errors = {}
    if purpose not in consent_purposes():
        errors["purpose"] = _("同意の目的を一覧から選んでください。")
    if method not in ConsentMethod.values:
        errors["method"] = _("確認方法を一覧から選んでください。")
    note = (note or "").strip()
    note_max = Consent._meta.get_field("note").max_length
    if note_max is not None and len(note) > note_max:
        errors["note"] = _("備考は200文字以内で入力してください。")
    if errors:
        raise ValidationError(errors)
    fields = ["purpose", "method", "given_at", "recorded_by"] + (["note"] if note else [])
    try:
        with transaction.atomic():
            Resident.objects.select_for_update().filter(pk=resident.pk).first()
            if Consent.objects.filter(resident=resident, purpose=purpose,
                                      withdrawn_at__isnull=True).exists():
                raise _already_given()
            consent = Consent.objects.create(resident=resident, purpose=purpose, method=method,
                                             note=note, given_at=timezone.now(),
                                             recorded_by=by)
            audit.record(actor=by, action=AuditAction.CONSENT_GIVE, record_type=RECORD_CONSENT,
                         record_id=consent.pk, resident_ref=str(resident.public_id),
                         source=source, fields=fields)
    except IntegrityError as error:
        raise _already_given() from error
    return consent


def _already_given() -> ValidationError:
    return ValidationError({"purpose": _("この目的の同意はすでに記録されています。"
                                         "記録し直すときは、先に撤回してください。")},
                           code="duplicate")


def consent_withdraw(*, by: User, consent: Consent, source: str) -> Consent:
    if not can(by, Action.CONSENT_RECORD, consent.resident):
        raise PermissionDenied(_("この区民の同意を記録する権限がありません。"))
    with transaction.atomic():
        current = Consent.objects.select_for_update().select_related("resident").get(
            pk=consent.pk)
        if current.withdrawn_at is not None:
            raise ValidationError(_("この同意はすでに撤回されています。"), code="withdrawn")
        current.withdrawn_at = timezone.now()
        current.withdrawn_by = by
        current.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit.record(actor=by, action=AuditAction.CONSENT_WITHDRAW, record_type=RECORD_CONSENT,
                     record_id=current.pk, resident_ref=str(current.resident.public_id),
                     source=source, fields=["withdrawn_at", "withdrawn_by"])
    return current


# ── what a resident does themself on the portal (ADR 0049) ────────────────────────────

SELF_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana",
               "birth_date", "address", "district", "phone", "email")


def clean_self_resident(data: Mapping[str, Any]) -> dict[str, Any]:
    """The resident's own details as typed on the portal (the same rules as at the
    counter); ValidationError with Japanese messages per field."""
    return clean_resident({name: data.get(name) for name in SELF_FIELDS}
                          | {"postal_code": "", "household_code": "", "relationship": "",
                             "preferred_language": data.get("preferred_language") or "ja",
                             "needs_interpreter": False, "needs_sign_language": False,
                             "needs_wheelchair": False, "needs_hearing_support": False,
                             "notes": ""})


def resident_for_self_booking(*, cleaned: Mapping[str, Any], by: User, portal_ref: str,
                              source: str) -> Resident:
    """The ward's record of the resident who books themself: the record with the same
    フリガナ and birth date (left as it is: what a resident types on the portal never
    overwrites the record the centre keeps), else a new record made from what they typed.
    Nothing of an existing record is returned to the portal page. ``by`` is the
    self-service account; the audit entry names the portal identity. Runs in the caller's
    transaction (the booking's), with the new record's unique key as the guard."""
    probe = Resident(**cleaned)
    _set_keys(probe)
    found = (Resident.objects.select_for_update()
             .filter(kana_key=probe.kana_key, birth_date=probe.birth_date).first())
    if found is not None:
        return found
    probe.created_by = by
    fields = [name for name, value in cleaned.items() if value not in ("", False, None)]
    try:
        with transaction.atomic():
            probe.save()
            audit.record(actor=None, portal_ref=portal_ref, action=AuditAction.CREATE,
                         record_type=RECORD_RESIDENT, record_id=probe.pk,
                         resident_ref=str(probe.public_id), source=source, fields=fields)
    except IntegrityError:
        # The same person's record was made at this moment by another request (the
        # centre, or a second tab): use that one.
        return (Resident.objects.select_for_update()
                .get(kana_key=probe.kana_key, birth_date=probe.birth_date))
    return probe


def consents_give_self(*, resident: Resident, purposes: list[str], by: User, portal_ref: str,
                       source: str) -> list[Consent]:
    """Record the consents the resident gave on screen (``ConsentMethod.SCREEN``) that are
    not already in force; the caller's transaction holds the resident's row."""
    active = set(Consent.objects.filter(resident=resident, purpose__in=purposes,
                                        withdrawn_at__isnull=True)
                 .values_list("purpose", flat=True))
    made = []
    for purpose in purposes:
        if purpose in active or purpose not in consent_purposes():
            continue
        consent = Consent.objects.create(resident=resident, purpose=purpose,
                                         method=ConsentMethod.SCREEN,
                                         note=_("オンライン予約の画面で同意"),
                                         given_at=timezone.now(), recorded_by=by)
        audit.record(actor=None, portal_ref=portal_ref, action=AuditAction.CONSENT_GIVE,
                     record_type=RECORD_CONSENT, record_id=consent.pk,
                     resident_ref=str(resident.public_id), source=source,
                     fields=["purpose", "method", "given_at", "note"])
        made.append(consent)
    return made
