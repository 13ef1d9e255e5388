"""Collaboration's entries in the staff menu (accounts' navigation registry)."""

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.navigation import NavItem
from madoguchi.accounts.navigation import register as add
from madoguchi.accounts.policy import Action


def register() -> None:
    add(
        NavItem(_("四者連携"), "collaboration:records", Action.COLLAB_RECORD_VIEW),
        NavItem(_("上申"), "collaboration:escalations", Action.COLLAB_ESCALATION_ANSWER),
        NavItem(_("四者連携の設定"), "collaboration:settings", Action.COLLAB_SETTINGS),
    )
