"""A whole procedure definition: checked, normalised, hashed.

The same shape is used by the data files (``data/*.yaml``), the editor and the API::

    code: kazei-shomei
    name: 課税（非課税）証明書の交付申請
    name_en: Certificate of resident tax (or non-taxation)
    section: kazei                      # a SectionKind code
    summary: …                          # for residents
    who_may_apply: …
    processing_days: 0                  # standard processing days, in open days
    processing_note: …
    channels: [counter, assisted, online]
    identity: strong                    # none | email | strong (online only)
    fees: [{label: 証明書1通, amount: 300, unit: 1通につき}]
    fee_note: …
    attachments:
      - {code: id, name: 本人確認書類, explanation: …}
      - {code: poa, name: 委任状, explanation: …, when: {field: requester, equals: proxy}}
    form: {sections: [...]}             # formschema.spec (read by formschema.parse)
    workflow: {initial: …, statuses: [...], transitions: [...]}   # workflow.py
    checklist: [確認すること, …]        # for reviewers (internal)
    notices: [{status: decided, title: …, body: …, appeal: …}]
    staff_note: …                       # internal

``validate_definition`` reports every problem at once (``DefinitionInvalid``, keyed by
part) and returns the canonical definition: defaults filled where they matter, keys in a
fixed order, so that ``digest`` is stable across whitespace and key order in the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.organisation.models import SectionKind
from madoguchi.procedures.formschema.checks import condition_scope, value_problem
from madoguchi.procedures.formschema.parse import parse_condition, parse_form
from madoguchi.procedures.formschema.spec import FormSpec
from madoguchi.procedures.models import CODE_PATTERN, RESERVED_CODES, Channel, Identity
from madoguchi.procedures.problems import (
    Problems,
    check_keys,
    int_value,
    list_value,
    text_value,
)
from madoguchi.procedures.workflow import Workflow, parse_workflow

if TYPE_CHECKING:
    from madoguchi.procedures.models import ProcedureVersion

KEYS = ("code", "name", "name_en", "section", "summary", "summary_en", "who_may_apply",
        "who_may_apply_en", "processing_days", "processing_note", "processing_note_en",
        "channels", "identity", "fees", "fee_note", "fee_note_en", "attachments", "form",
        "workflow", "checklist", "notices", "staff_note")

NOTICE_PLACEHOLDERS: dict[str, Any] = {
    "reference": gettext_lazy("受付番号"),
    "applicant_name": gettext_lazy("申請者の氏名"),
    "procedure_name": gettext_lazy("手続きの名前"),
    "received_on": gettext_lazy("受付日（和暦）"),
    "decided_on": gettext_lazy("決定日（和暦）"),
    "reasons": gettext_lazy("決定・却下の理由"),
    "section_name": gettext_lazy("担当の課の名前"),
    "section_phone": gettext_lazy("担当の課の電話番号"),
}
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

DEFAULT_APPEAL = (
    "この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、"
    "世田谷区長に対して審査請求をすることができます。また、この決定の取消しを求める訴えは、"
    "この決定があったことを知った日の翌日から起算して6か月以内に、世田谷区を被告として"
    "（訴訟において世田谷区を代表する者は世田谷区長となります。）提起することができます。"
)


def digest(definition: dict[str, Any]) -> str:
    """SHA-256 of the canonical definition (sorted keys, no spaces)."""
    text = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_definition(data: Any) -> dict[str, Any]:
    """The canonical definition of ``data``; raises DefinitionInvalid listing every problem."""
    problems = Problems()
    if not isinstance(data, dict):
        problems.add(_("手続きの定義は「code:」「name:」などの項目を並べた形で書いてください。"))
        problems.raise_if_any()
    check_keys(problems, data, set(KEYS))
    clean: dict[str, Any] = {}
    with problems.part("code"):
        clean["code"] = _code(data.get("code"), problems)
    for key, maximum, required in (("name", 100, True), ("name_en", 200, False)):
        with problems.part(key):
            clean[key] = text_value(problems, data, key, required=required, max_length=maximum,
                                    label=_("手続きの名前"))
    with problems.part("section"):
        clean["section"] = _section(data.get("section"), problems)
    for key, maximum in (("summary", 2000), ("summary_en", 4000), ("who_may_apply", 1000),
                         ("who_may_apply_en", 2000), ("processing_note_en", 600),
                         ("fee_note_en", 600)):
        with problems.part(key):
            clean[key] = text_value(problems, data, key, max_length=maximum)
    with problems.part("processing_days"):
        clean["processing_days"] = int_value(problems, data, "processing_days", minimum=0,
                                             maximum=365, default=0)
    with problems.part("processing_note"):
        clean["processing_note"] = text_value(problems, data, "processing_note", max_length=300)
    with problems.part("channels"):
        clean["channels"] = _channels(data.get("channels"), problems)
    with problems.part("identity"):
        clean["identity"] = _identity(data.get("identity", Identity.NONE), clean["channels"],
                                      problems)
    with problems.part("fees"):
        clean["fees"] = _fees(list_value(problems, data, "fees"), problems)
    with problems.part("fee_note"):
        clean["fee_note"] = text_value(problems, data, "fee_note", max_length=300)
    with problems.part("form"):
        form = parse_form(data.get("form"), problems)
        clean["form"] = form.as_data()
    with problems.part("attachments"):
        clean["attachments"] = _attachments(list_value(problems, data, "attachments"), form,
                                            problems)
    with problems.part("workflow"):
        workflow = parse_workflow(data.get("workflow"), problems)
        clean["workflow"] = workflow.as_data()
    with problems.part("checklist"):
        clean["checklist"] = _checklist(list_value(problems, data, "checklist"), problems)
    with problems.part("notices"):
        clean["notices"] = _notices(list_value(problems, data, "notices"), workflow, form,
                                    problems)
    with problems.part("staff_note"):
        clean["staff_note"] = text_value(problems, data, "staff_note", max_length=4000)
    problems.raise_if_any()
    return clean


def _code(value: Any, problems: Problems) -> str:
    if not isinstance(value, str) or not re.match(CODE_PATTERN, value) or len(value) > 40:
        problems.add(_("手続きコードは半角英小文字・数字をハイフンでつないだ40文字以内にしてください"
                       "（例：kazei-shomei）。"))
        return ""
    if value in RESERVED_CODES:
        problems.add(_("「%(code)s」は画面のアドレスに使う言葉なので、手続きコードにはできません。")
                     % {"code": value})
    return value


def _section(value: Any, problems: Problems) -> str:
    if not isinstance(value, str) or not SectionKind.objects.filter(code=value).exists():
        problems.add(_("担当の課・機関の種別「%(code)s」はありません。組織の「課・機関の種別」にある"
                       "コードを書いてください（例：kazei）。") % {"code": value})
        return ""
    return value


def _channels(value: Any, problems: Problems) -> list[str]:
    if isinstance(value, str):
        value = [value]
    allowed = Channel.values
    if not isinstance(value, list) or not value:
        problems.add(_("受付の方法（channels）を1つ以上選んでください"
                       "（counter, assisted, online）。"))
        return []
    unknown = [v for v in value if v not in allowed]
    if unknown:
        problems.add(_("受付の方法「%(values)s」はありません。counter（窓口）・assisted（まちづくり"
                       "センターで職員と一緒に）・online（オンライン）から選んでください。")
                     % {"values": ", ".join(map(str, unknown))})
    return [c for c in allowed if c in value]


def _identity(value: Any, channels: list[str], problems: Problems) -> str:
    if value not in Identity.values:
        problems.add(_("本人確認（identity）は none・email・strong のどれかにしてください。"))
        return Identity.NONE
    if value != Identity.NONE and Channel.ONLINE not in channels:
        problems.add(_("オンラインで受け付けない手続きには、オンラインの本人確認を設定できません。"
                       "identity を none にするか、channels に online を加えてください。"))
    return value


def _fees(items: list, problems: Problems) -> list[dict[str, Any]]:
    fees = []
    for index, raw in enumerate(items, start=1):
        with problems.at(_("%(n)d番目の手数料") % {"n": index}):
            if not isinstance(raw, dict):
                problems.add(_("手数料は「label:」「amount:」で書いてください。"))
                continue
            check_keys(problems, raw, {"label", "label_en", "amount", "unit", "unit_en", "note",
                                        "note_en"})
            fee: dict[str, Any] = {"label": text_value(problems, raw, "label", required=True,
                                                       max_length=100, label=_("手数料の名前"))}
            amount = int_value(problems, raw, "amount", minimum=0, maximum=1_000_000)
            if amount is not None:
                fee["amount"] = amount
            for key in ("label_en", "unit", "unit_en", "note", "note_en"):
                value = text_value(problems, raw, key, max_length=200)
                if value:
                    fee[key] = value
            if "amount" not in fee and "note" not in fee:
                problems.add(_("金額（amount）が決まっていない手数料は、説明（note）を書いてください。"))
            fees.append(fee)
    return fees


def _attachments(items: list, form: FormSpec, problems: Problems) -> list[dict[str, Any]]:
    attachments: list[dict[str, Any]] = []
    scope = condition_scope(form, None)
    for index, raw in enumerate(items, start=1):
        code = raw.get("code") if isinstance(raw, dict) else None
        with problems.at(_("添付書類「%(code)s」") % {"code": code} if isinstance(code, str)
                         else _("%(n)d番目の添付書類") % {"n": index}):
            if not isinstance(raw, dict):
                problems.add(_("添付書類は「code:」「name:」「explanation:」で書いてください。"))
                continue
            check_keys(problems, raw, {"code", "name", "name_en", "explanation",
                                       "explanation_en", "required", "when", "staff_note"})
            if not isinstance(code, str) or not re.match(r"^[a-z][a-z0-9_]{0,39}$", code):
                problems.add(_("添付書類のコード（code）は半角英小文字・数字・_ にしてください。"))
                continue
            if any(a["code"] == code for a in attachments):
                problems.add(_("添付書類のコード「%(code)s」が重複しています。") % {"code": code})
                continue
            item: dict[str, Any] = {
                "code": code,
                "name": text_value(problems, raw, "name", required=True, max_length=100,
                                   label=_("書類の名前")),
                "explanation": text_value(problems, raw, "explanation", required=True,
                                          max_length=1000, label=_("申請者への説明")),
            }
            for key in ("name_en", "explanation_en", "staff_note"):
                value = text_value(problems, raw, key, max_length=2000)
                if value:
                    item[key] = value
            required = raw.get("required", True)
            if not isinstance(required, bool):
                problems.add(_("「required」は true か false にしてください。"))
                required = True
            condition = parse_condition(raw, "when", problems)
            if condition is not None:
                target = scope.get(condition.field)
                if target is None:
                    problems.add(_("条件の項目「%(name)s」は申請書（繰り返しの外）にありません。")
                                 % {"name": condition.field})
                elif condition.op != "filled":
                    values = condition.value if condition.op == "in" else [condition.value]
                    for value in values:
                        problem = value_problem(target, value)
                        if problem:
                            problems.add(problem)
                item["when"] = condition.as_data()
                if not required:
                    problems.add(_("「when」は「この場合に必要」という意味です。"
                                   "「required: false」とは一緒に使えません。"))
            item["required"] = required
            attachments.append(item)
    return attachments


def _checklist(items: list, problems: Problems) -> list[str]:
    checklist = []
    for index, raw in enumerate(items, start=1):
        if not isinstance(raw, str) or not raw.strip() or len(raw) > 300:
            problems.add(_("チェックリストの%(n)d番目は、300文字以内の文で書いてください。")
                         % {"n": index})
            continue
        checklist.append(raw.strip())
    return checklist


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text or "")


def _notices(items: list, workflow: Workflow, form: FormSpec,
             problems: Problems) -> list[dict[str, Any]]:
    notices: list[dict[str, Any]] = []
    codes = workflow.codes
    field_names = {f.name for f in form.top_fields() if not f.is_group}
    allowed = ", ".join([*NOTICE_PLACEHOLDERS, "answers.<項目名>"])
    for index, raw in enumerate(items, start=1):
        with problems.at(_("%(n)d番目の通知書") % {"n": index}):
            if not isinstance(raw, dict):
                problems.add(_("通知書は「status:」「title:」「body:」で書いてください。"))
                continue
            check_keys(problems, raw, {"status", "title", "body", "appeal"})
            status = raw.get("status")
            if codes and status not in codes:
                problems.add(_("状態「%(code)s」は処理の流れにありません。") % {"code": status})
            if any(n["status"] == status for n in notices):
                problems.add(_("状態「%(code)s」の通知書が重複しています。") % {"code": status})
            notice = {
                "status": status,
                "title": text_value(problems, raw, "title", required=True, max_length=100,
                                    label=_("通知書の題名")),
                "body": text_value(problems, raw, "body", required=True, max_length=10_000,
                                   label=_("通知書の本文")),
                "appeal": text_value(problems, raw, "appeal", max_length=4000) or DEFAULT_APPEAL,
            }
            for key in ("title", "body", "appeal"):
                for name in placeholders_in(notice[key]):
                    known = name in NOTICE_PLACEHOLDERS or (
                        name.startswith("answers.") and name[8:] in field_names)
                    if not known:
                        problems.add(_("差し込み「{{ %(name)s }}」は使えません。"
                                       "使えるもの：%(allowed)s")
                                     % {"name": name, "allowed": allowed})
            notices.append(notice)
    return notices


def render_text(template: str, values: dict[str, Any]) -> str:
    """Fill ``{{ name }}`` placeholders (no template language: nothing else is evaluated)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), template or "")


# ── between definitions and version rows ───────────────────────────────────────────────

COLUMNS = ("name", "name_en", "summary", "summary_en", "who_may_apply", "who_may_apply_en",
           "processing_days", "processing_note", "processing_note_en", "identity", "fees",
           "fee_note", "fee_note_en", "attachments", "form", "workflow", "checklist", "notices",
           "staff_note")


def columns_of(definition: dict[str, Any]) -> dict[str, Any]:
    """Model field values of a canonical definition (code and section handled apart)."""
    values = {key: definition[key] for key in COLUMNS}
    for channel in Channel.values:
        values[channel] = channel in definition["channels"]
    values["digest"] = digest(definition)
    return values


def definition_of(version: ProcedureVersion) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(version, key) for key in COLUMNS}
    data["code"] = version.procedure.code
    data["section"] = version.section_kind.code
    data["channels"] = version.channels
    return {key: data[key] for key in KEYS}

