"""What each staff member sees first: cards for the work their role and unit allow."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.policy import Action, can


@dataclass(frozen=True)
class Card:
    title: str
    text: str
    url: str


def cards_for(user) -> list[Card]:
    cards: list[Card] = []
    if can(user, Action.RESIDENT_SEARCH):
        cards.append(Card(_("区民を探す"), _("氏名（漢字・カナ）で検索します。表示できるのは、"
                                            "担当地区の区民と、関わっている相談の区民だけです。"),
                          reverse("people:search")))
    if can(user, Action.RESIDENT_CREATE):
        cards.append(Card(_("区民を登録する"), _("窓口に来られた区民の基本情報と"
                                                "必要な配慮を登録します。"),
                          reverse("people:create")))
    if can(user, Action.ORG_EDIT):
        cards.append(Card(_("組織を管理する"), _("地域・地区・まちづくりセンター・"
                                                "課・連携機関を編集します。"),
                          reverse("organisation:overview")))
    elif can(user, Action.ORG_VIEW):
        cards.append(Card(_("組織・連絡先"), _("地区・まちづくりセンター・"
                                              "課・連携機関の一覧です。"),
                          reverse("organisation:overview")))
    if can(user, Action.AUDIT_VIEW):
        cards.append(Card(_("監査ログ"), _("個人情報の閲覧・変更の記録を検索します。"),
                          reverse("audit:list")))
    return cards
