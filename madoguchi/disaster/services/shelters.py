"""Writes of the disaster context: keyword-only, one transaction each, nothing half-saved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.disaster.models import (
    Need,
    Occupancy,
    OccupancyCategory,
    Shelter,
    ShelterLog,
    ShelterStatus,
)
from madoguchi.disaster.workflow import allowed

MAX_COUNT = 10_000  # more than any school holds: a typing slip, not an overflow


def _check_operator(by: User, shelter: Shelter) -> None:
    if not can(by, Action.SHELTER_OPERATE, shelter):
        raise PermissionDenied(_("この避難所を操作する権限がありません。"))


def shelter_set_status(*, by: User, shelter: Shelter, status: str) -> Shelter:
    """Move the shelter to ``status`` if the workflow allows it from where it is now."""
    _check_operator(by, shelter)
    if status not in ShelterStatus.values:
        raise ValidationError({"status": _("開設状況を一覧から選んでください。")})
    with transaction.atomic():
        current = Shelter.objects.select_for_update().get(pk=shelter.pk)
        if status not in allowed(current.status):
            raise ValidationError(
                {"status": _("「%(now)s」から「%(to)s」には変更できません。画面を読み込み直して"
                             "ください。") % {"now": current.get_status_display(),
                                          "to": ShelterStatus(status).label}},
                code="transition")
        now = timezone.now()
        ShelterLog.objects.create(shelter=current, kind=ShelterLog.Kind.STATUS,
                                  from_status=current.status, to_status=status, by=by, at=now)
        current.status, current.status_changed_at = status, now
        current.save(update_fields=["status", "status_changed_at"])
    return current


def shelter_report(*, by: User, shelter: Shelter, counts: Mapping[str, object],
                   needs: Iterable[str] = (), needs_note: str = "") -> list[str]:
    """Record the occupancy by category and the needs. Returns warnings (above capacity is
    allowed: shelters do overflow); raises ``ValidationError`` for bad input, saving nothing."""
    _check_operator(by, shelter)
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for category, raw in counts.items():
        if category not in OccupancyCategory.values:
            errors["counts"] = _("区分を一覧から選んでください。")
            continue
        label = OccupancyCategory(category).label
        try:
            value = int(str(raw).strip() or 0)
        except ValueError:
            errors[f"count_{category}"] = _(
                "%(label)sの人数は半角数字で入力してください。") % {"label": label}
            continue
        if value < 0 or value > MAX_COUNT:
            errors[f"count_{category}"] = _(
                "%(label)sの人数は0から%(max)sまでで入力してください。") % {
                "label": label, "max": f"{MAX_COUNT:,}"}
            continue
        clean[category] = value
    needs = list(dict.fromkeys(needs))
    if any(n not in Need.values for n in needs):
        errors["needs"] = _("不足している物資を一覧から選んでください。")
    needs_note = (needs_note or "").strip()
    if len(needs_note) > 200:
        errors["needs_note"] = _("その他の不足は200文字以内で入力してください。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Shelter.objects.select_for_update().get(pk=shelter.pk)
        if current.status not in (ShelterStatus.OPENING, ShelterStatus.OPEN,
                                  ShelterStatus.FULL):
            raise ValidationError(_("開設していない避難所の人数は報告できません。先に開設状況を"
                                    "変更してください。"), code="closed")
        for category, value in clean.items():
            Occupancy.objects.update_or_create(shelter=current, category=category,
                                               defaults={"count": value})
        now = timezone.now()
        current.needs, current.needs_note, current.reported_at = needs, needs_note, now
        current.save(update_fields=["needs", "needs_note", "reported_at"])
        ShelterLog.objects.create(shelter=current, kind=ShelterLog.Kind.REPORT, by=by, at=now,
                                  data={"counts": clean, "needs": needs,
                                        "needs_note": needs_note})
        total = sum(Occupancy.objects.filter(shelter=current).values_list("count", flat=True))
    warnings = []
    if total > current.capacity:
        warnings.append(_("避難者数（%(total)s人）が収容人数（%(capacity)s人）を超えています。"
                          "受け入れは続けられますが、「満員」への変更と近くの避難所への案内を"
                          "検討してください。") % {"total": total, "capacity": current.capacity})
    return warnings
