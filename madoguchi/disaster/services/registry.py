"""Writes of the 避難行動要支援者名簿: entries with the legally required items, and the
consent to share with supporters (recorded by people's consent service)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import RegistryEntry, Sex, SupportReason
from madoguchi.disaster.selectors.registry import RECORD_TYPE, SHARE_PURPOSE
from madoguchi.people import services as people
from madoguchi.people.models import Consent, Resident


def _already() -> ValidationError:
    return ValidationError(_("この方はすでに名簿に登録されています。"), code="duplicate")


def registry_register(*, by: User, resident: Resident, sex: str, reasons: Iterable[str],
                      reason_note: str = "", contact_note: str = "",
                      source: str) -> RegistryEntry:
    """Put ``resident`` on the registry. The reason help is needed is required (法第49条の10
    第2項); name, birth date, address and contact are the resident record's."""
    if not can(by, Action.REGISTRY_EDIT, resident):
        raise PermissionDenied(_("この方を名簿に登録する権限がありません。"))
    reasons = list(dict.fromkeys(r for r in reasons if r))
    reason_note = (reason_note or "").strip()
    contact_note = (contact_note or "").strip()
    errors: dict[str, str] = {}
    if sex not in Sex.values:
        errors["sex"] = _("性別を選んでください（記載がない場合は「記載なし」）。")
    if not reasons:
        errors["reasons"] = _("避難支援等を必要とする事由を1つ以上選んでください。")
    elif any(r not in SupportReason.values for r in reasons):
        errors["reasons"] = _("避難支援等を必要とする事由を一覧から選んでください。")
    elif SupportReason.OTHER in reasons and not reason_note:
        errors["reason_note"] = _("「その他」を選んだときは、事由の詳細を入力してください。")
    if len(reason_note) > 200:
        errors["reason_note"] = _("事由の詳細は200文字以内で入力してください。")
    if len(contact_note) > 120:
        errors["contact_note"] = _("その他の連絡先は120文字以内で入力してください。")
    if not resident.phone and not contact_note:
        errors["contact_note"] = _("区民記録に電話番号がありません。連絡先（家族など）を"
                                   "入力してください。")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            if RegistryEntry.objects.select_for_update().filter(resident=resident).exists():
                raise _already()
            entry = RegistryEntry.objects.create(
                resident=resident, sex=sex, reasons=reasons, reason_note=reason_note,
                contact_note=contact_note, registered_by=by, registered_at=timezone.now())
            audit.record(actor=by, action=AuditAction.CREATE, record_type=RECORD_TYPE,
                         record_id=entry.pk, resident_ref=str(resident.public_id),
                         source=source)
    except IntegrityError as error:
        raise _already() from error
    return entry


def registry_consent(*, by: User, entry: RegistryEntry, method: str, note: str = "",
                     source: str) -> Consent:
    """Record the person's consent to share their entry with the named supporters before a
    disaster, through people's consent service (one active consent per purpose)."""
    if not can(by, Action.REGISTRY_EDIT, entry.resident):
        raise PermissionDenied(_("この方の同意を記録する権限がありません。"))
    return people.consent_give(by=by, resident=entry.resident, purpose=SHARE_PURPOSE,
                               method=method, note=note, source=source)
