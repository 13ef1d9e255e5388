"""Writes of disaster mode: two ward administrators switch it on, one switches it off."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core import events
from madoguchi.disaster.models import Declaration
from madoguchi.organisation.models import Region

RECORD = "disaster_declaration"
SOURCE = "disaster.mode"
# Published when disaster mode starts and ends (core.events; signage shows its emergency
# message while it is on, ADR 0043).
MODE_ON = events.declare(owner="disaster", code="disaster.on",
                         label=gettext_lazy("災害モード開始"), payload=events.AreaEvent)
MODE_OFF = events.declare(owner="disaster", code="disaster.off",
                          label=gettext_lazy("災害モード終了"), payload=events.AreaEvent)


def _publish(kind: str, declaration: Declaration, by: User) -> None:
    events.publish(events.AreaEvent(kind=kind, actor=by, region_id=declaration.region_id,
                                    reference=declaration.pk, text=declaration.reason))


def _check(by: User) -> None:
    if not can(by, Action.DISASTER_DECLARE):
        raise PermissionDenied(_("災害モードを切り替える権限がありません。"))


def declaration_request(*, by: User, region: Region | None, reason: str) -> Declaration:
    """Ask for disaster mode for the ward (``region`` None) or one region; it starts only
    when another ward administrator confirms."""
    _check(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("災害モードにする理由（災害名など）を入力して"
                                           "ください。")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("理由は200文字以内で入力してください。")})
    with transaction.atomic():
        # Two requests at once are serialised on the regions' rows (few, rarely written).
        list(Region.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
        open_ones = Declaration.objects.filter(ended_at__isnull=True)
        same = Q(region__isnull=True) if region is None else Q(region=region)
        if open_ones.filter(same | Q(region__isnull=True)).exists():
            raise ValidationError(_("この範囲にはすでに災害モードの申請または宣言があります。"),
                                  code="exists")
        declaration = Declaration.objects.create(region=region, reason=reason,
                                                 requested_by=by,
                                                 requested_at=timezone.now())
        audit.record(actor=by, action=AuditAction.CREATE, record_type=RECORD,
                     record_id=declaration.pk, source=SOURCE,
                     fields=["region", "reason", "requested_by"])
    return declaration


def declaration_confirm(*, by: User, declaration: Declaration) -> Declaration:
    """The second administrator's confirmation: disaster mode starts now."""
    _check(by)
    with transaction.atomic():
        current = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if current.requested_by_id == by.pk:
            raise ValidationError(_("災害モードは、申請した管理者とは別の区システム管理者が"
                                    "確認して開始します。一人では開始できません。"),
                                  code="same_person")
        if current.ended_at is not None or current.confirmed_at is not None:
            raise ValidationError(_("この申請はすでに確認済みか、取り消されています。"),
                                  code="state")
        current.confirmed_by, current.confirmed_at = by, timezone.now()
        current.save(update_fields=["confirmed_by", "confirmed_at"])
        audit.record(actor=by, action=AuditAction.UPDATE, record_type=RECORD,
                     record_id=current.pk, source=SOURCE, fields=["confirmed_by"])
        _publish(MODE_ON, current, by)
    return current


def declaration_end(*, by: User, declaration: Declaration) -> Declaration:
    """Switch disaster mode off (or withdraw a request): the restrictions apply again."""
    _check(by)
    with transaction.atomic():
        current = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if current.ended_at is not None:
            raise ValidationError(_("災害モードはすでに終了しています。"), code="ended")
        was_on = current.active
        current.ended_by, current.ended_at = by, timezone.now()
        current.save(update_fields=["ended_by", "ended_at"])
        audit.record(actor=by, action=AuditAction.UPDATE, record_type=RECORD,
                     record_id=current.pk, source=SOURCE, fields=["ended_by"])
        if was_on:
            _publish(MODE_OFF, current, by)
    return current
