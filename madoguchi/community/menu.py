"""Community's entries in the staff menu (accounts' navigation registry)."""

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.navigation import NavItem
from madoguchi.accounts.navigation import register as add
from madoguchi.accounts.policy import Action


def register() -> None:
    add(
        NavItem(_("貸出"), "community:counter", Action.COMMUNITY_LEND),
        NavItem(_("集会室"), "community:room_desk", Action.COMMUNITY_ROOM_EDIT),
        NavItem(_("地域の団体"), "community:groups", Action.COMMUNITY_GROUPS),
        NavItem(_("回覧板"), "community:centre_circulars", Action.COMMUNITY_GROUPS),
        NavItem(_("集会室の抽選"), "community:lottery", Action.COMMUNITY_LOTTERY),
    )
