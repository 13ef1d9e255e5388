"""Writes of the disaster context: keyword-only, one transaction each, nothing half-saved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import Role, User
from madoguchi.accounts.policy import Action, can, roles
from madoguchi.disaster.models import (
    Need,
    Occupancy,
    OccupancyCategory,
    Pets,
    Shelter,
    ShelterLog,
    ShelterStatus,
)
from madoguchi.disaster.workflow import allowed
from madoguchi.organisation.models import District

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
    if current.is_over(total):
        warnings.append(_("避難者数（%(total)s人）が収容人数（%(capacity)s人）を超えています。"
                          "受け入れは続けられますが、「満員」への変更と近くの避難所への案内を"
                          "検討してください。") % {"total": total, "capacity": current.capacity})
    return warnings


ADMIN_FIELDS = ("district", "capacity", "step_free", "accessible_toilet", "pets")
CENTRE_FIELDS = ("capacity",)
MAX_CAPACITY = MAX_COUNT


def shelter_editable_fields(*, user: User, shelter: Shelter) -> tuple[str, ...]:
    """Ward administrators set a shelter's district, capacity and facilities; the centre
    staff who run it (its district's) set its capacity only."""
    if not can(user, Action.SHELTER_OPERATE, shelter):
        return ()
    return ADMIN_FIELDS if Role.WARD_ADMIN in roles(user) else CENTRE_FIELDS


def _flag(raw: object) -> bool:
    return str(raw).strip().lower() in ("1", "true", "on", "yes")


def _clean_edit(values: Mapping[str, object]) -> dict[str, object]:
    errors: dict[str, str] = {}
    clean: dict[str, object] = {}
    if "capacity" in values:
        raw = str(values["capacity"] or "").strip()
        if not raw:
            clean["capacity"] = None  # 収容人数未登録
        elif not raw.isascii() or not raw.isdigit():
            errors["capacity"] = _("収容人数は0以上の半角数字で入力してください（わからないときは"
                                   "空欄）。")
        elif int(raw) > MAX_CAPACITY:
            errors["capacity"] = _("収容人数は%(max)s人以下で入力してください。") % {
                "max": f"{MAX_CAPACITY:,}"}
        else:
            clean["capacity"] = int(raw)
    if "district" in values:
        raw = str(values["district"] or "").strip()
        district = District.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if raw and district is None:
            errors["district"] = _("地区を一覧から選んでください。")
        clean["district"] = district
    for flag in ("step_free", "accessible_toilet"):
        if flag in values:
            clean[flag] = _flag(values[flag])
    if "pets" in values:
        if values["pets"] not in Pets.values:
            errors["pets"] = _("ペットの受け入れを一覧から選んでください。")
        clean["pets"] = values["pets"]
    if errors:
        raise ValidationError(errors)
    if not clean:
        raise ValidationError(_("変更する項目を入力してください。"), code="empty")
    return clean


def _logged(value: object) -> object:
    return value.pk if isinstance(value, District) else value


def shelter_edit(*, by: User, shelter: Shelter, values: Mapping[str, object]) -> list[str]:
    """Set the fields in ``values`` (raw form values; capacity blank = 未登録, district blank
    = 地区未確認). A field ``by`` may not set is refused whole; the change is logged with the
    values before and after. Returns the names of the fields changed."""
    allowed_fields = shelter_editable_fields(user=by, shelter=shelter)
    if not allowed_fields or any(name not in allowed_fields for name in values):
        raise PermissionDenied(_("この避難所の基本情報を変更する権限がありません。"))
    clean = _clean_edit(values)
    with transaction.atomic():
        current = Shelter.objects.select_for_update().get(pk=shelter.pk)
        changed = {name: [_logged(getattr(current, name)), _logged(value)]
                   for name, value in clean.items() if getattr(current, name) != value}
        if changed:
            for name in changed:
                setattr(current, name, clean[name])
            current.save(update_fields=list(changed))
            ShelterLog.objects.create(shelter=current, kind=ShelterLog.Kind.EDIT, by=by,
                                      at=timezone.now(), data={"changed": changed})
    return list(changed)
