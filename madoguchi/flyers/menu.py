"""The flyers' entry in the staff menu (accounts' navigation registry)."""

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.navigation import NavItem
from madoguchi.accounts.navigation import register as add
from madoguchi.accounts.policy import Action


def register() -> None:
    add(NavItem(_("転入者向けチラシ"), "flyers:index", Action.ORG_VIEW))
