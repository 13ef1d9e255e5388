"""The staff navigation: each entry appears only for users the policy lets in."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.policy import Action, can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: Action


NAV_ITEMS: list[NavItem] = [
    NavItem(_("ホーム"), "accounts:home", Action.HOME),
    NavItem(_("区民"), "people:search", Action.RESIDENT_SEARCH),
    NavItem(_("組織"), "organisation:overview", Action.ORG_VIEW),
    NavItem(_("監査ログ"), "audit:list", Action.AUDIT_VIEW),
]


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if can(user, item.action)]
