"""Writes of 安否確認: campaigns per district in a declared disaster, and status records
sent from phones in batches (resent after a network loss: recognised by the device's id)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import (
    Campaign,
    Declaration,
    RegistryEntry,
    Safety,
    SafetyRecord,
    Shelter,
)
from madoguchi.organisation.models import District

RECORD = "disaster_safety"
CLOCK_SKEW = dt.timedelta(minutes=2)  # a phone's clock a little ahead is not the future


def campaign_open(*, by: User, district: District) -> Campaign:
    """Open (or return) the district's campaign of the disaster declared over it."""
    if not can(by, Action.REGISTRY_EDIT, _AnyResidentOf(district)):
        raise PermissionDenied(_("この地区の安否確認を開始する権限がありません。"))
    with transaction.atomic():
        declaration = (Declaration.objects.select_for_update()
                       .filter(confirmed_at__isnull=False, ended_at__isnull=True)
                       .filter(_covers(district)).order_by("confirmed_at").first())
        if declaration is None:
            raise ValidationError(_("この地区は災害モードではありません。安否確認は災害モードの"
                                    "間だけ開始できます。"), code="no_disaster")
        campaign, _created = Campaign.objects.get_or_create(
            declaration=declaration, district=district,
            defaults={"opened_by": by, "opened_at": timezone.now()})
    return campaign


class _AnyResidentOf:
    """What the registry's edit rule needs to know of a resident: the district."""

    def __init__(self, district: District):
        self.district_id, self.district = district.pk, district


def _covers(district: District):
    from django.db.models import Q

    return Q(region__isnull=True) | Q(region_id=district.region_id)


def campaign_close(*, by: User, campaign: Campaign) -> Campaign:
    if not can(by, Action.REGISTRY_EDIT, _AnyResidentOf(campaign.district)):
        raise PermissionDenied(_("この地区の安否確認を終了する権限がありません。"))
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if current.closed_at is None:
            current.closed_at = timezone.now()
            current.save(update_fields=["closed_at"])
    return current


def _one(by: User, campaign: Campaign, item: Mapping[str, object], now: dt.datetime
         ) -> tuple[str, str, SafetyRecord | None]:
    try:
        client_id = uuid.UUID(str(item.get("client_id", "")))
    except ValueError:
        return "", _("端末の記録IDが正しくありません。"), None
    key = str(client_id)
    if SafetyRecord.objects.filter(client_id=client_id).exists():
        return key, "", None  # already received: a resend
    if campaign.closed_at is not None:
        return key, _("この安否確認は終了しています。"), None
    raw_entry = str(item.get("entry", ""))
    entry = (RegistryEntry.objects.select_related("resident__district")
             .filter(pk=int(raw_entry)).first() if raw_entry.isdigit() else None)
    if entry is None or entry.resident.district_id != campaign.district_id:
        return key, _("この方はこの安否確認の対象ではありません。"), None
    if not can(by, Action.REGISTRY_VIEW, entry):
        return key, _("この方の安否を記録する担当ではありません。"), None
    status = str(item.get("status", ""))
    if status not in Safety.values:
        return key, _("安否を一覧から選んでください。"), None
    recorded_at = parse_datetime(str(item.get("recorded_at", "")))
    if recorded_at is None or timezone.is_naive(recorded_at):
        return key, _("記録日時が正しくありません（タイムゾーン付きの日時）。"), None
    if recorded_at > now + CLOCK_SKEW:
        return key, _("未来の日時の記録は受け付けられません。端末の時計を確かめてください。"), None
    shelter = None
    if item.get("shelter"):
        shelter = Shelter.objects.filter(code=str(item["shelter"])).first()
        if shelter is None:
            return key, _("避難先の避難所が見つかりません。"), None
    note = str(item.get("note", "") or "").strip()
    if len(note) > 200:
        return key, _("メモは200文字以内で入力してください。"), None
    try:
        with transaction.atomic():
            record = SafetyRecord.objects.create(
                client_id=client_id, campaign=campaign, entry=entry, status=status,
                shelter=shelter, note=note, recorded_at=recorded_at, received_at=now, by=by)
            audit.record(actor=by, action=AuditAction.CREATE, record_type=RECORD,
                         record_id=record.pk, resident_ref=str(entry.resident.public_id),
                         source="disaster.safety", fields=["status"])
    except IntegrityError:
        return key, "", None  # the same id arrived at the same moment: a resend
    return key, "", record


def safety_record(*, by: User, campaign: Campaign, items: Iterable[Mapping[str, object]]
                  ) -> list[dict[str, str]]:
    """Record a batch from a phone. Each item is saved whole or not at all and answered
    with ``saved``, ``duplicate`` (already received: the phone may forget it) or
    ``refused`` with a Japanese message (the phone keeps it to show)."""
    now = timezone.now()
    results = []
    for item in items:
        if not isinstance(item, Mapping):
            results.append({"client_id": "", "result": "refused",
                            "message": _("記録の形式が正しくありません。")})
            continue
        key, error, record = _one(by, campaign, item, now)
        if error:
            results.append({"client_id": key, "result": "refused", "message": error})
        else:
            results.append({"client_id": key,
                            "result": "saved" if record is not None else "duplicate"})
    return results
