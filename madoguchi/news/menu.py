"""News's entries in the staff menu (accounts' navigation registry)."""

from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.navigation import NavItem
from madoguchi.accounts.navigation import register as add
from madoguchi.accounts.policy import Action


def register() -> None:
    add(
        NavItem(_("地区のお知らせ"), "news:staff_list", Action.NEWS_WRITE),
        NavItem(_("お知らせの配信状況"), "news:delivery", Action.NEWS_DELIVERY),
        NavItem(_("LINEの配信先（地区）"), "news:line_audiences", Action.NEWS_PUBLISH),
        NavItem(_("LINEのお問い合わせ"), "news:inquiries", Action.NEWS_DELIVERY),
    )
