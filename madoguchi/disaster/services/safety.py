"""Writes of 安否確認: campaigns per district in a declared disaster, and status records
sent from phones in batches (resent after a network loss: recognised by the device's id)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.disaster.models import (
    Campaign,
    Declaration,
    DrillPerson,
    RegistryEntry,
    Safety,
    SafetyRecord,
    Shelter,
)
from madoguchi.disaster.selectors.safety import DistrictSubject, drill_recorder
from madoguchi.disaster.services.safety_store import store_records
from madoguchi.organisation.models import District

CLOCK_SKEW = dt.timedelta(minutes=2)  # a phone's clock a little ahead is not the future


def campaign_open(*, by: User, district: District) -> Campaign:
    """Open (or return) the district's campaign of the disaster declared over it."""
    if not can(by, Action.REGISTRY_EDIT, DistrictSubject(district)):
        raise PermissionDenied(_("この地区の安否確認を開始する権限がありません。"))
    with transaction.atomic():
        declaration = (Declaration.objects.select_for_update()
                       .filter(confirmed_at__isnull=False, ended_at__isnull=True)
                       .filter(covers(district)).order_by("confirmed_at").first())
        if declaration is None:
            raise ValidationError(_("この地区は災害モードではありません。安否確認は災害モードの"
                                    "間だけ開始できます。"), code="no_disaster")
        campaign, _created = Campaign.objects.get_or_create(
            declaration=declaration, district=district,
            defaults={"opened_by": by, "opened_at": timezone.now()})
    return campaign


def covers(district: District) -> Q:
    """A Q over Declaration: those whose area (the ward, or the region) holds ``district``."""
    return Q(region__isnull=True) | Q(region_id=district.region_id)


def campaign_close(*, by: User, campaign: Campaign) -> Campaign:
    if not can(by, Action.REGISTRY_EDIT, DistrictSubject(campaign.district)):
        raise PermissionDenied(_("この地区の安否確認を終了する権限がありません。"))
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if current.closed_at is None:
            current.closed_at = timezone.now()
            current.save(update_fields=["closed_at"])
    return current


def _people(by: User, campaign: Campaign, items: list[Mapping[str, object]]
            ) -> tuple[dict[int, RegistryEntry | DrillPerson], set[int]]:
    """The campaign's people the batch names and those ``by`` may record (one query, with
    the user's scope as a column)."""
    from madoguchi.disaster.selectors.registry import registry_scope

    ids = {int(str(i.get("entry"))) for i in items if str(i.get("entry", "")).isdigit()}
    if not ids:
        return {}, set()
    if campaign.drill:
        drill: dict[int, RegistryEntry | DrillPerson] = {
            p.pk: p for p in DrillPerson.objects.filter(campaign=campaign, pk__in=ids)
            .only("pk", "campaign_id")}
        return drill, set(drill) if drill and drill_recorder(by, campaign.district) else set()
    rows = (RegistryEntry.objects.filter(pk__in=ids, resident__district_id=campaign.district_id)
            .select_related("resident").only("pk", "resident__public_id")
            .annotate(allowed=Case(When(registry_scope(by), then=Value(True)),
                                   default=Value(False), output_field=BooleanField())))
    found: dict[int, RegistryEntry | DrillPerson] = {}
    allowed = set()
    for entry in rows:
        found[entry.pk] = entry
        if entry.allowed:
            allowed.add(entry.pk)
    return found, allowed


class _Batch:
    """What a batch's items are checked against, read once for the whole batch."""

    def __init__(self, by: User, campaign: Campaign, items: list[Mapping[str, object]]):
        self.by, self.campaign, self.now = by, campaign, timezone.now()
        self.people, self.allowed = _people(by, campaign, items)
        self.seen: set[uuid.UUID] = set()
        codes = {str(i["shelter"]) for i in items if i.get("shelter")}
        self.shelters = ({s.code: s for s in Shelter.objects.filter(code__in=codes)}
                         if codes else {})


def _one(batch: _Batch, item: Mapping[str, object]) -> tuple[str, str, SafetyRecord | None]:
    """Check one item: (its id, a refusal message or "", the record to store or None for
    the same id again in this batch). Nothing is written or read here."""
    campaign, now = batch.campaign, batch.now
    try:
        client_id = uuid.UUID(str(item.get("client_id", "")))
    except ValueError:
        return "", _("端末の記録IDが正しくありません。"), None
    key = str(client_id)
    if client_id in batch.seen:
        return key, "", None  # the same id twice in one batch: the second is a resend
    if campaign.closed_at is not None:
        return key, _("この安否確認は終了しています。"), None
    raw_entry = str(item.get("entry", ""))
    person = batch.people.get(int(raw_entry)) if raw_entry.isdigit() else None
    if person is None:
        return key, _("この方はこの安否確認の対象ではありません。"), None
    if person.pk not in batch.allowed:
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
        shelter = batch.shelters.get(str(item["shelter"]))
        if shelter is None:
            return key, _("避難先の避難所が見つかりません。"), None
    note = str(item.get("note", "") or "").strip()
    if len(note) > 200:
        return key, _("メモは200文字以内で入力してください。"), None
    entry = person if isinstance(person, RegistryEntry) else None
    drill_person = person if isinstance(person, DrillPerson) else None
    batch.seen.add(client_id)
    return key, "", SafetyRecord(
        client_id=client_id, campaign=campaign, entry=entry,
        drill_person=drill_person, status=status, shelter=shelter, note=note,
        recorded_at=recorded_at, received_at=now, by=batch.by)


def safety_record(*, by: User, campaign: Campaign, items: Iterable[object]
                  ) -> list[dict[str, str]]:
    """Record a batch from a phone. Each item is saved whole or not at all and answered
    with ``saved``, ``duplicate`` (already received: the phone may forget it) or
    ``refused`` with a Japanese message (the phone keeps it to show). An id received
    before is ``duplicate`` even if the item would be refused now (a resend after the
    campaign closed)."""
    items = list(items)
    batch = _Batch(by, campaign, [i for i in items if isinstance(i, Mapping)])
    checked: list[tuple[str, str, SafetyRecord | None]] = []
    for item in items:
        if not isinstance(item, Mapping):
            checked.append(("", _("記録の形式が正しくありません。"), None))
            continue
        checked.append(_one(batch, item))
    new = [record for _key, _error, record in checked if record is not None]
    stored = store_records(by=by, records=new) if new else set()
    refused = {uuid.UUID(key) for key, error, _record in checked if error and key}
    received = (set(map(str, SafetyRecord.objects.filter(client_id__in=refused)
                        .values_list("client_id", flat=True))) if refused else set())
    results = []
    for key, error, record in checked:
        if error and key not in received:
            results.append({"client_id": key, "result": "refused", "message": error})
        else:
            results.append({"client_id": key, "result": "saved"
                            if record is not None and record.client_id in stored
                            else "duplicate"})
    return results


# ---------------------------------------------------------------------------------------
# 訓練 (drills): a campaign on made-up people, so staff practise with the same pages.

DRILL_PEOPLE_MAX = 200


def drill_start(*, by: User, district: District, people: int) -> Campaign:
    """Open a drill in ``district`` with ``people`` made-up people (訓練用, not residents)."""
    if not can(by, Action.REGISTRY_EDIT, DistrictSubject(district)):
        raise PermissionDenied(_("この地区の訓練を開始する権限がありません。"))
    if not 1 <= people <= DRILL_PEOPLE_MAX:
        raise ValidationError(_("訓練の対象人数は1人から200人までで入力してください。"),
                              code="people")
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(district=district, drill=True,
                                               opened_by=by, opened_at=timezone.now())
            DrillPerson.objects.bulk_create(
                DrillPerson(campaign=campaign, number=n,
                            name=_("訓練用 %(n)d番（架空の人物）") % {"n": n},
                            address=_("%(district)s地区 訓練用の架空の住所 %(n)d")
                            % {"district": district.label, "n": n})
                for n in range(1, people + 1))
    except IntegrityError:
        raise ValidationError(_("この地区ではすでに訓練を実施中です。終了してから始めてください。"),
                              code="open_drill") from None
    return campaign


def drill_end(*, by: User, campaign: Campaign) -> Campaign:
    """End a drill: keep its counts on the campaign, delete its made-up people and their
    records, close it. Only a drill: a real campaign is never deleted."""
    if not campaign.drill:
        raise ValidationError(_("訓練ではない安否確認は、この操作で終了できません。"),
                              code="not_drill")
    if not can(by, Action.REGISTRY_EDIT, DistrictSubject(campaign.district)):
        raise PermissionDenied(_("この地区の訓練を終了する権限がありません。"))
    with transaction.atomic():
        current = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if current.closed_at is not None:
            return current
        records = SafetyRecord.objects.filter(campaign=current)
        latest: dict[int, str] = {}
        for person_id, status in (records.order_by("drill_person_id", "-recorded_at", "-pk")
                                  .values_list("drill_person_id", "status")):
            latest.setdefault(person_id, status)
        by_status: dict[str, int] = {}
        for status in latest.values():
            by_status[status] = by_status.get(status, 0) + 1
        current.drill_summary = {"people": current.drill_people.count(),
                                 "confirmed": len(latest), "records": records.count(),
                                 "by_status": by_status}
        records.delete()
        current.drill_people.all().delete()
        current.closed_at = timezone.now()
        current.save(update_fields=["drill_summary", "closed_at"])
    return current
