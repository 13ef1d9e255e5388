"""Writes of 個別避難計画: one plan per registry entry, 1 to 3 supporters, reviewed yearly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import (
    Destination,
    EvacuationPlan,
    Means,
    MedicalNeed,
    PlanSupporter,
    RegistryEntry,
    Shelter,
    ShelterKind,
)
from madoguchi.disaster.selectors.plans import PLAN_FIELDS, PLAN_RECORD

MAX_SUPPORTERS = 3


def _supporters(rows: Iterable[Mapping[str, str]], errors: dict[str, str]) -> list[dict]:
    found = []
    for n, row in enumerate(rows, start=1):
        name = (row.get("name") or "").strip()
        phone = (row.get("phone") or "").strip()
        relation = (row.get("relation") or "").strip()
        if not (name or phone or relation):
            continue  # an empty line of the form
        if not name or not phone:
            errors[f"supporter_{n}"] = _("支援者%(n)sの氏名と電話番号を両方入力してください。") % {
                "n": n}
        elif len(name) > 80 or len(phone) > 20 or len(relation) > 40:
            errors[f"supporter_{n}"] = _("支援者%(n)sの入力が長すぎます（氏名80文字、電話番号"
                                         "20文字、関係40文字まで）。") % {"n": n}
        found.append({"name": name, "phone": phone, "relation": relation})
    if not found:
        errors["supporters"] = _("支援者を1人以上登録してください。支援者のいない計画は"
                                 "保存できません。")
    elif len(found) > MAX_SUPPORTERS:
        errors["supporters"] = _("支援者は3人まで登録できます。")
    return found


def plan_save(*, by: User, entry: RegistryEntry, destination: str, means: str,
              review_due: dt.date | None, supporters: Iterable[Mapping[str, str]],
              shelter: Shelter | None = None, destination_note: str = "",
              medical_needs: Iterable[str] = (), medical_note: str = "",
              source: str) -> EvacuationPlan:
    """Create or replace the entry's plan with its supporters, all or nothing; audited
    (the medical needs are 要配慮個人情報)."""
    if not can(by, Action.REGISTRY_EDIT, entry.resident):
        raise PermissionDenied(_("この方の個別避難計画を作成する権限がありません。"))
    errors: dict[str, str] = {}
    people = _supporters(supporters, errors)
    if destination not in Destination.values:
        errors["destination"] = _("避難先を一覧から選んでください。")
    elif destination in (Destination.SHELTER, Destination.WELFARE):
        wanted = ShelterKind.WELFARE if destination == Destination.WELFARE else \
            ShelterKind.DESIGNATED
        if shelter is None or shelter.kind != wanted:
            errors["shelter"] = _("避難先の避難所を一覧から選んでください。")
    elif destination == Destination.RELATIVE and not destination_note.strip():
        errors["destination_note"] = _("親族・知人宅の場所（氏名と住所など）を入力してください。")
    if means not in Means.values:
        errors["means"] = _("避難の方法を一覧から選んでください。")
    needs = list(dict.fromkeys(medical_needs))
    if any(n not in MedicalNeed.values for n in needs):
        errors["medical_needs"] = _("医療的な配慮を一覧から選んでください。")
    if len(medical_note.strip()) > 200 or len(destination_note.strip()) > 120:
        errors["medical_note"] = _("詳細は避難先120文字、医療的な配慮200文字までで"
                                   "入力してください。")
    today = timezone.localdate()
    if review_due is None or not today < review_due <= today + dt.timedelta(days=366):
        errors["review_due"] = _("次回の見直し日は、明日から1年以内の日付を入力してください。")
    if errors or review_due is None:
        raise ValidationError(errors)
    with transaction.atomic():
        RegistryEntry.objects.select_for_update().get(pk=entry.pk)
        plan, created = EvacuationPlan.objects.update_or_create(entry=entry, defaults={
            "destination": destination,
            "shelter": shelter if destination in (Destination.SHELTER,
                                                  Destination.WELFARE) else None,
            "destination_note": destination_note.strip(), "means": means,
            "medical_needs": needs, "medical_note": medical_note.strip(),
            "review_due": review_due, "updated_by": by, "updated_at": timezone.now()})
        plan.supporters.all().delete()
        PlanSupporter.objects.bulk_create(
            PlanSupporter(plan=plan, order=n, **row) for n, row in enumerate(people, 1))
        audit.record(actor=by, action=AuditAction.CREATE if created else AuditAction.UPDATE,
                     record_type=PLAN_RECORD, record_id=plan.pk,
                     resident_ref=str(entry.resident.public_id), source=source,
                     fields=PLAN_FIELDS)
    return plan
