"""Writes of the ward administrators: the routing table and the online services per centre and
section kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, has_role_for
from madoguchi.consultations import routing
from madoguchi.consultations.models import (
    Category,
    OnlineService,
    RoutingRule,
)
from madoguchi.consultations.services._common import (
    _flag,
    _text,
)
from madoguchi.organisation.models import DistrictCentre, SectionKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


# ── the routing table and online services (ward administrators) ────────────────────────

def _require_routing_edit(by: User) -> None:
    if not has_role_for(by, Action.ROUTING_EDIT):
        raise PermissionDenied(_("回付の規則とオンライン相談の設定を変更する権限がありません。"))


def routing_rule_save(*, by: User, rule: RoutingRule | None = None,
                      data: Mapping[str, Any]) -> RoutingRule:
    _require_routing_edit(by)
    errors: dict[str, str] = {}
    category = _text(data, "category")
    if category not in Category.values:
        errors["category"] = _("分類を一覧から選んでください。")
    kind = SectionKind.objects.filter(code=_text(data, "section_kind")).first()
    if kind is None or kind.tier not in routing.ROUTABLE_TIERS:
        errors["section_kind"] = _("回付先の種別を一覧から選んでください。")
    keywords = _text(data, "keywords")
    if len(keywords) > 200:
        errors["keywords"] = _("キーワードは200文字以内で入力してください。")
    try:
        priority = int(_text(data, "priority") or 100)
        if not 0 <= priority <= 1000:
            raise ValueError
    except ValueError:
        errors["priority"] = _("優先度は0～1000の整数で入力してください。")
        priority = 100
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = rule or RoutingRule()
        rule.category = category
        rule.section_kind = kind
        rule.keywords = keywords
        rule.priority = priority
        rule.active = _flag(data.get("active"))
        rule.save()
    return rule


def online_service_set(*, by: User, centre: DistrictCentre, kind: SectionKind,
                       enabled: bool, since: dt.date | None = None) -> OnlineService:
    _require_routing_edit(by)
    if kind.tier not in routing.ROUTABLE_TIERS:
        raise ValidationError(_("この種別はオンライン相談の対象にできません。"))
    with transaction.atomic():
        service, created = OnlineService.objects.select_for_update().get_or_create(
            centre=centre, section_kind=kind,
            defaults={"enabled": enabled, "since": since or timezone.localdate()})
        if not created and (service.enabled != enabled or (since and service.since != since)):
            if enabled and not service.enabled:
                service.since = since or timezone.localdate()
            service.enabled = enabled
            service.save()
    return service
