"""How a procedure version is shown: where and how to apply, what to bring, what it costs.

Shared by the residents' pages and the staff catalogue, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from madoguchi.organisation.models import Tier
from madoguchi.procedures.formschema.spec import Condition
from madoguchi.procedures.formschema.summary import describe
from madoguchi.procedures.models import Channel, Identity, ProcedureVersion


@dataclass(frozen=True)
class Way:
    channel: str
    title: str
    text: str


@dataclass(frozen=True)
class Attachment:
    name: str
    explanation: str
    required: bool
    when: str

    @property
    def need(self) -> str:
        if self.when:
            return _("%(when)sに必要") % {"when": self.when}
        return _("必要") if self.required else _("お持ちであれば")


@dataclass(frozen=True)
class Fee:
    label: str
    text: str


def _text(data: dict[str, Any], key: str) -> str:
    """``data[key + "_en"]`` in English when set, else ``data[key]``."""
    if translation.get_language() == "en" and data.get(f"{key}_en"):
        return data[f"{key}_en"]
    return data.get(key, "")


def office_text(version: ProcedureVersion) -> str:
    kind = version.section_kind
    if kind.tier == Tier.BRANCH:
        return _("お住まいの地域の総合支所 %(section)s") % {"section": kind.label}
    if kind.tier == Tier.HEAD:
        return _("区役所（本庁）%(section)s") % {"section": kind.label}
    return kind.label


def ways(version: ProcedureVersion) -> list[Way]:
    """Where and how this procedure can be done, in words for residents."""
    found = []
    if version.counter:
        found.append(Way(Channel.COUNTER, _("窓口で"), _("%(office)sの窓口で申請できます。")
                         % {"office": office_text(version)}))
    if version.assisted:
        found.append(Way(Channel.ASSISTED, _("まちづくりセンターで職員と一緒に"),
                         _("お近くのまちづくりセンターで、職員と一緒に申請できます。担当の課とビデオ"
                           "通話でつなぎ、書き方もその場でご説明します。")))
    if version.online:
        identity = {
            Identity.STRONG: _("マイナンバーカードなどによる本人確認が必要です。"),
            Identity.EMAIL: _("メールアドレスの確認だけで申請できます。"),
            Identity.NONE: _("本人確認は要りません。"),
        }[version.identity]
        found.append(Way(Channel.ONLINE, _("オンラインで"),
                         _("パソコンやスマートフォンから申請できます。") + identity))
    return found


def attachment_names(version: ProcedureVersion) -> dict[str, str]:
    """code → the attachment's name in the active language."""
    return {item["code"]: _text(item, "name") for item in version.attachments}


def attachments(version: ProcedureVersion) -> list[Attachment]:
    form = version.form_spec
    rows = []
    for item in version.attachments:
        when = ""
        if "when" in item:
            condition = Condition.from_data(item["when"])
            when = describe(condition, form.field(condition.field))
        rows.append(Attachment(_text(item, "name"), _text(item, "explanation"),
                               item["required"], when))
    return rows


def fees(version: ProcedureVersion) -> list[Fee]:
    rows = []
    for fee in version.fees:
        if "amount" in fee:
            amount = _("%(amount)s円") % {"amount": f"{fee['amount']:,}"}
            unit = _text(fee, "unit")
            text = _("%(unit)s %(amount)s") % {"unit": unit, "amount": amount} if unit else amount
        else:
            text = ""
        note = _text(fee, "note")
        if note:
            text = _("%(fee)s（%(note)s）") % {"fee": text, "note": note} if text else note
        rows.append(Fee(_text(fee, "label"), text))
    return rows


def processing_text(version: ProcedureVersion) -> str:
    if version.processing_days == 0:
        return _("その場で終わります（標準）。")
    return _("標準で%(days)d開庁日（土日・祝日・年末年始を除く日数）です。") % {
        "days": version.processing_days}
