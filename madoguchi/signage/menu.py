"""Signage's entries in the staff menu (accounts' navigation registry)."""

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.navigation import NavItem
from madoguchi.accounts.navigation import register as add
from madoguchi.accounts.policy import Action


def register() -> None:
    add(
        NavItem(_("サイネージ"), "signage:items", Action.SIGNAGE_WRITE),
        NavItem(_("サイネージの画面"), "signage:screens", Action.SIGNAGE_SCREENS),
        NavItem(_("緊急メッセージ"), "signage:emergency", Action.SIGNAGE_EMERGENCY),
    )
