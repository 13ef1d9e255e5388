"""What each staff member sees first: cards for the work their role and unit allow."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from madoguchi.accounts.policy import Action, can


@dataclass(frozen=True)
class Card:
    title: str
    text: str
    url: str


@dataclass(frozen=True)
class CardSpec:
    action: Action
    title: Promise
    text: Promise
    url_name: str
    unless: Action | None = None  # hidden when the user may take this action instead


CARDS: list[CardSpec] = [
    CardSpec(Action.CONSULTATION_INTAKE, _("相談を受け付ける"),
             _("区民の困りごとを記録し、担当の課・機関にオンラインでつなぎます。"),
             "consultations:intake"),
    CardSpec(Action.CONSULTATION_VIEW, _("相談の一覧"),
             _("受け付けた相談と、あなたの課に回付された相談の状態・緊急度・経過日数です。"),
             "consultations:inbox"),
    CardSpec(Action.RESIDENT_SEARCH, _("区民を探す"),
             _("氏名（漢字・カナ）で検索します。表示できるのは、"
               "担当地区の区民と、関わっている相談の区民だけです。"),
             "people:search"),
    CardSpec(Action.RESIDENT_CREATE, _("区民を登録する"),
             _("窓口に来られた区民の基本情報と必要な配慮を登録します。"), "people:create"),
    CardSpec(Action.BOARD_VIEW, _("センターの今日の予定"),
             _("相談ブースごとに、今日だれがいつ来るかと予約の状態を確認します。"),
             "scheduling:board"),
    CardSpec(Action.SECTION_CALENDAR_VIEW, _("課の予定"),
             _("課のオンライン相談の予約を週ごとに確認します。"), "scheduling:calendar"),
    CardSpec(Action.AGENDA_VIEW, _("わたしの予定"),
             _("あなたが参加する、これからの相談の予定です。"), "scheduling:agenda"),
    CardSpec(Action.ROUTING_EDIT, _("回付の規則とオンライン相談"),
             _("相談の分類ごとの回付先と、センターごとのオンライン相談の実施を設定します。"),
             "consultations:routing_rules"),
    CardSpec(Action.PROCEDURES_MANAGE, _("手続きを管理する"),
             _("手続きの申請書・添付書類・手数料・処理の流れを定義し、版を公開します。"),
             "procedures:catalogue"),
    CardSpec(Action.PROCEDURES_VIEW, _("手続きの一覧"),
             _("区の手続きごとに、必要な書類・受付の方法・申請書の項目を確かめます。"),
             "procedures:catalogue", unless=Action.PROCEDURES_MANAGE),
    CardSpec(Action.PROCEDURES_VIEW, _("受付案内票を印刷する"),
             _("転入・出生・介護などの出来事ごとに、必要な手続きと窓口をまとめた案内票を印刷します。"),
             "procedures:life_events_staff"),
    CardSpec(Action.ORG_EDIT, _("組織を管理する"),
             _("地域・地区・まちづくりセンター・課・連携機関を編集します。"),
             "organisation:overview"),
    CardSpec(Action.ORG_VIEW, _("組織・連絡先"),
             _("地区・まちづくりセンター・課・連携機関の一覧です。"),
             "organisation:overview", unless=Action.ORG_EDIT),
    CardSpec(Action.GUIDANCE_SEARCH, _("担当課を調べる"),
             _("相談の内容から、担当する課・機関と窓口、よくある質問の答えを調べます。"
               "どの画面でも、上の検索欄から調べられます。"), "guidance:staff_search"),
    CardSpec(Action.GUIDANCE_EDIT, _("よくある質問を編集する"),
             _("区民向けの案内に出る質問と回答を作り、確認・公開します。"), "guidance:entries"),
    CardSpec(Action.GUIDANCE_LEARNING, _("答えられなかった質問"),
             _("案内で答えが見つからなかった質問と「役に立たなかった」回答を、多い順に確認します。"),
             "guidance:learning"),
    CardSpec(Action.GUIDANCE_SYNONYMS, _("同義語の辞書"),
             _("国保＝国民健康保険のような言い換えを登録し、検索にすぐ反映します。"),
             "guidance:synonyms"),
    CardSpec(Action.AUDIT_VIEW, _("監査ログ"),
             _("個人情報の閲覧・変更の記録を検索します。"), "audit:list"),
]


def cards_for(user) -> list[Card]:
    return [
        Card(spec.title, spec.text, reverse(spec.url_name))
        for spec in CARDS
        if can(user, spec.action) and not (spec.unless and can(user, spec.unless))
    ]
