"""The entries of public comment and surveys in the staff menu (accounts' navigation)."""

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.navigation import NavItem
from madoguchi.accounts.navigation import register as add
from madoguchi.accounts.policy import Action


def register() -> None:
    add(NavItem(_("意見募集"), "opinions:list", Action.OPINIONS_MANAGE))
    add(NavItem(_("アンケート"), "opinions:surveys", Action.OPINIONS_MANAGE))
