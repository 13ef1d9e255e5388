"""The staff navigation: each entry appears only for users the policy lets in.

The entries of the core flow are listed here; a context above accounts adds its own from
its ``AppConfig.ready`` with ``register(NavItem(...))`` (a URL name and an action are all
accounts needs to know of it), so a new context never edits this module."""

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
    NavItem(_("相談"), "consultations:inbox", Action.CONSULTATION_VIEW),
    NavItem(_("わたしの予定"), "scheduling:agenda", Action.AGENDA_VIEW),
    NavItem(_("センターの予定"), "scheduling:board", Action.BOARD_VIEW),
    NavItem(_("課の予定"), "scheduling:calendar", Action.SECTION_CALENDAR_VIEW),
    NavItem(_("窓口申請"), "assist:index", Action.APPLICATION_ASSIST),
    NavItem(_("申請の受付箱"), "review:inbox", Action.APPLICATION_REVIEW),
    NavItem(_("期限超過"), "review:overdue", Action.APPLICATION_OVERDUE),
    NavItem(_("手続き"), "procedures:catalogue", Action.PROCEDURES_VIEW),
    NavItem(_("組織"), "organisation:overview", Action.ORG_VIEW),
    NavItem(_("よくある質問"), "guidance:entries", Action.GUIDANCE_EDIT),
    NavItem(_("ブース端末"), "meetings:kiosks", Action.KIOSK_MANAGE),
    NavItem(_("録画の設定"), "meetings:recording_sections", Action.RECORDING_SETUP),
    NavItem(_("回付の規則"), "consultations:routing_rules", Action.ROUTING_EDIT),
    NavItem(_("監査ログ"), "audit:list", Action.AUDIT_VIEW),
]


_REGISTERED: list[NavItem] = []


def register(*items: NavItem) -> None:
    """Add a context's entries after the core flow's (idempotent: an entry already there
    is not added twice)."""
    for item in items:
        if item not in _REGISTERED:
            _REGISTERED.append(item)


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in (*NAV_ITEMS, *_REGISTERED) if can(user, item.action)]
