"""The administrators' editor: metadata as fields, the structured parts as YAML (or JSON).

The form only turns the input into a definition dict (reading the YAML, with the line of
any mistake); ``definition.validate_definition`` — called by the service — checks it, and
its problems come back next to the part they concern.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madoguchi.core.text import parse_integer
from madoguchi.organisation.models import SectionKind
from madoguchi.procedures.models import Channel, Identity, ProcedureVersion
from madoguchi.procedures.workflow import STANDARD_WORKFLOW
from madoguchi.procedures.yamlio import dump_yaml, parse_yaml

YAML_PARTS = ("form", "attachments", "fees", "workflow", "checklist", "notices")
YAML_HELP = {
    "form": _("区分（sections）ごとに項目（fields）を書きます。項目の種類：text, textarea, kana, "
              "name, date, integer, money, digits, postal_code, phone, email, select, radio, "
              "multiselect, checkbox, yesno, address, group（繰り返し）。"
              "条件は show_when / required_when: {field: 項目名, equals: 値}。"),
    "attachments": _("code・name・explanation（申請者への説明）。条件つきで必要なものは "
                     "when: {field: 項目名, equals: 値}、任意のものは required: false。"),
    "fees": _("label・amount（円）・unit（例：1通につき）。金額がないときは note で説明します。"
              "手数料がなければ空けておきます。"),
    "workflow": _("initial（最初の状態）、statuses（code・label・resident_label・final）、"
                  "transitions（name・label・from・to・actor・note）。"),
    "checklist": _("審査のときに確認することを、1行に1つ「- 」で書きます。"),
    "notices": _("status（通知する状態）・title・body・appeal（教示文、省略すると標準の文）。"
                 "本文の差し込み：{{ applicant_name }}、{{ reference }}、{{ received_on }}、"
                 "{{ decided_on }}、{{ reasons }}、{{ section_name }}、{{ section_phone }}、"
                 "{{ procedure_name }}、{{ answers.項目名 }}。"),
}

SKELETON: dict[str, Any] = {
    "form": {"sections": [{"title": "申請者", "fields": [
        {"name": "applicant", "type": "name", "label": "氏名", "required": True},
        {"name": "birth_date", "type": "date", "label": "生年月日", "required": True,
         "past": True},
        {"name": "address", "type": "address", "label": "住所", "required": True},
        {"name": "phone", "type": "phone", "label": "日中に連絡がつく電話番号",
         "required": True},
    ]}]},
    "attachments": [{"code": "identity", "name": "本人確認書類",
                     "explanation": "マイナンバーカード、運転免許証、パスポートなど。"}],
    "fees": [],
    "workflow": STANDARD_WORKFLOW,
    "checklist": [],
    "notices": [],
}


def _yaml_field(part: str, label) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, help_text=YAML_HELP[part],
        widget=forms.Textarea(attrs={"rows": 16 if part in ("form", "workflow") else 8,
                                     "class": "code-editor", "spellcheck": "false",
                                     "autocomplete": "off"}))


class DefinitionForm(forms.Form):
    code = forms.CharField(label=_("手続きコード"), required=False, max_length=40,
                           help_text=_("半角英小文字・数字をハイフンでつなぎます（例：kazei-shomei）。"
                                       "後から変えられません。"))
    name = forms.CharField(label=_("手続きの名前"), required=False, max_length=100)
    name_en = forms.CharField(label=_("英語名"), required=False, max_length=200)
    section = forms.ChoiceField(label=_("担当の課・機関の種別"), required=False)
    summary = forms.CharField(label=_("手続きの説明（区民向け）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    summary_en = forms.CharField(label=_("手続きの説明（英語）"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    who_may_apply = forms.CharField(label=_("申請できる人"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    who_may_apply_en = forms.CharField(label=_("申請できる人（英語）"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    processing_days = forms.CharField(label=_("標準処理期間（開庁日）"), required=False,
                                      help_text=_("その場で終わる手続きは0。"),
                                      widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    processing_note = forms.CharField(label=_("処理期間の補足"), required=False, max_length=300)
    processing_note_en = forms.CharField(label=_("処理期間の補足（英語）"), required=False,
                                         max_length=600)
    channels = forms.MultipleChoiceField(label=_("受付の方法"), required=False,
                                         choices=Channel.choices,
                                         widget=forms.CheckboxSelectMultiple)
    identity = forms.ChoiceField(label=_("オンラインの本人確認"), required=False,
                                 choices=Identity.choices, widget=forms.RadioSelect,
                                 initial=Identity.NONE)
    fee_note = forms.CharField(label=_("手数料の補足"), required=False, max_length=300)
    fee_note_en = forms.CharField(label=_("手数料の補足（英語）"), required=False, max_length=600)
    form = _yaml_field("form", _("申請書の項目（YAML）"))
    attachments = _yaml_field("attachments", _("添付書類（YAML）"))
    fees = _yaml_field("fees", _("手数料（YAML）"))
    workflow = _yaml_field("workflow", _("処理の流れ（YAML）"))
    checklist = _yaml_field("checklist", _("審査のチェックリスト（YAML）"))
    notices = _yaml_field("notices", _("通知書のひな形（YAML）"))
    staff_note = forms.CharField(label=_("内部メモ（公開されません）"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    change_note = forms.CharField(label=_("この版で変えたこと"), required=False, max_length=200)

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        if not creating:
            del self.fields["code"]
        self.fields["section"].choices = [("", _("選んでください"))] + [
            (kind.code, f"{kind.label}（{kind.code}）")
            for kind in SectionKind.objects.order_by("sort_order", "code")]

    @staticmethod
    def initial_from(definition: dict[str, Any]) -> dict[str, Any]:
        initial = {key: value for key, value in definition.items() if key not in YAML_PARTS}
        for part in YAML_PARTS:
            initial[part] = dump_yaml(definition.get(part))
        return initial

    @classmethod
    def initial_for(cls, version: ProcedureVersion) -> dict[str, Any]:
        return cls.initial_from(version.definition())

    def clean_processing_days(self) -> int | str:
        text = self.cleaned_data["processing_days"].strip()
        if not text:
            return 0
        try:
            return parse_integer(text)
        except ValueError:
            raise ValidationError(_("標準処理期間は日数を数字で入力してください（例：10）。")) \
                from None

    def definition(self, *, code: str | None = None) -> dict[str, Any]:
        """The definition dict (call after ``is_valid``). A YAML part that cannot be read
        gets its error here and is left empty."""
        data = {key: value for key, value in self.cleaned_data.items()
                if key not in YAML_PARTS and key != "change_note"}
        if code is not None:
            data["code"] = code
        for part in YAML_PARTS:
            text = self.cleaned_data.get(part, "")
            try:
                data[part] = parse_yaml(text) if text.strip() else None
            except ValueError as error:
                self.add_error(part, str(error))
                data[part] = None
        for part in ("attachments", "fees", "checklist", "notices"):
            if data.get(part) is None:
                data[part] = []
        return data

    def add_definition_errors(self, error: ValidationError) -> None:
        """Put a service's errors (keyed by part) next to the parts, except parts that
        already say what is wrong (unreadable YAML, a number that is not one)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for part, messages in error.message_dict.items():
            if part in self.errors:
                continue
            self.add_error(part if part in self.fields else None, messages)
