"""Disaster's entries in the staff menu (accounts' navigation registry)."""

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.navigation import NavItem
from madoguchi.accounts.navigation import register as add
from madoguchi.accounts.policy import Action


def register() -> None:
    add(
        NavItem(_("安否確認"), "disaster:campaigns", Action.REGISTRY_EDIT),
        NavItem(_("在宅避難者"), "disaster:home_list", Action.REGISTRY_EDIT),
    )
