"""Emergency messages (緊急メッセージ) and disaster mode (ADR 0043).

A message covers the whole ward or one region and replaces the content of every screen
there until it is lifted. The rule for overlapping messages: at most one active message
covers any screen. A staff member's message is refused while another active message
overlaps it (the ward-wide one overlaps every region's; lift it first). Disaster mode
wins: when it starts (disaster's ``disaster.on`` event), staff messages it overlaps are
lifted and its own message is shown; when it ends (``disaster.off``), its message is
lifted. Disaster's declarations never overlap each other (disaster refuses that).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core import events
from madoguchi.organisation.models import Region
from madoguchi.signage import live
from madoguchi.signage.errors import SignageRefused
from madoguchi.signage.models import Emergency

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

DISASTER_ON, DISASTER_OFF = "disaster.on", "disaster.off"


def _scope_key(region: Region | None) -> str:
    return "ward" if region is None else f"region:{region.pk}"


def _overlapping(region: Region | None):
    active = Emergency.objects.filter(lifted_at__isnull=True)
    if region is None:
        return active
    return active.filter(Q(region__isnull=True) | Q(region=region))


def _lock() -> None:
    # Two starts at once are serialised on the regions' rows (few, rarely written).
    list(Region.objects.select_for_update().order_by("pk").values_list("pk", flat=True))


def emergency_start(*, by: User, region: Region | None, message: str) -> Emergency:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("緊急メッセージを入力してください。")})
    if len(message) > 200:
        raise ValidationError({"message": _("緊急メッセージは200文字以内で入力してください。")})
    candidate = Emergency(region=region, message=message)
    if not can(by, Action.SIGNAGE_EMERGENCY, candidate):
        raise PermissionDenied(_("この範囲に緊急メッセージを出す権限がありません。"))
    with transaction.atomic():
        _lock()
        if _overlapping(region).exists():
            raise SignageRefused("overlap", _(
                "この範囲の画面には、すでに緊急メッセージ（または災害モードの表示）が出ています。"
                "重ねて出すことはできません。先に出ているメッセージを解除してください。"), 409)
        candidate.scope_key, candidate.started_by = _scope_key(region), by
        candidate.started_at = timezone.now()
        candidate.save()
        live.emergencies_after_commit()
    return candidate


def emergency_lift(*, by: User, emergency: Emergency) -> Emergency:
    if not can(by, Action.SIGNAGE_EMERGENCY, emergency):
        raise PermissionDenied(_("この緊急メッセージを解除する権限がありません。"))
    if emergency.source == Emergency.Source.DISASTER:
        raise SignageRefused("disaster", _("災害モードの表示は、災害モードを終了すると解除され"
                                           "ます。"), 409)
    with transaction.atomic():
        current = Emergency.objects.select_for_update().get(pk=emergency.pk)
        if current.lifted_at is None:
            current.lifted_at, current.lifted_by = timezone.now(), by
            current.save(update_fields=["lifted_at", "lifted_by"])
            live.emergencies_after_commit()
    return current


def disaster_message(text: str) -> str:
    return (_("【災害モード】%(name)s　区からの情報に注意し、身の安全を確保してください。"
              "避難所の開設状況は区のホームページでお知らせします。") % {"name": text})[:200]


def on_area_event(event: events.AreaEvent) -> None:
    """Disaster mode on/off (core.events), inside disaster's transaction."""
    if event.kind not in (DISASTER_ON, DISASTER_OFF):
        return
    region = Region.objects.filter(pk=event.region_id).first() if event.region_id else None
    now = timezone.now()
    _lock()
    if event.kind == DISASTER_ON:
        _overlapping(region).update(lifted_at=now, lifted_by=event.actor)
        Emergency.objects.create(
            region=region, message=disaster_message(event.text),
            source=Emergency.Source.DISASTER, reference=event.reference,
            scope_key=_scope_key(region), started_by=event.actor, started_at=now)
    else:
        Emergency.objects.filter(source=Emergency.Source.DISASTER, reference=event.reference,
                                 lifted_at__isnull=True).update(lifted_at=now,
                                                                lifted_by=event.actor)
    live.emergencies_after_commit()
