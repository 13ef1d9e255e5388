from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.core.forms import ServiceErrorsMixin
from madoguchi.opinions.models import (
    STAFF_CHANNELS,
    AgeBand,
    AnswerGroup,
    Category,
    Consultation,
    Item,
)
from madoguchi.organisation.models import District
from madoguchi.procedures.formschema.parse import parse_form
from madoguchi.procedures.problems import DefinitionInvalid
from madoguchi.procedures.yamlio import parse_yaml

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KEY_ERRORS = {"required": _("画面を読み込み直してから送ってください。"),
              "invalid": _("画面を読み込み直してから送ってください。")}


def _described(form: forms.Form) -> None:
    for name, field in form.fields.items():
        if field.help_text:
            field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"


class SubmissionKeyForm(forms.Form):
    """The one-time key of a form: posting the same form twice keeps one answer."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, error_messages=KEY_ERRORS)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class DistrictChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: District) -> str:
        return obj.label


def district_field(label, **kwargs) -> DistrictChoice:
    return DistrictChoice(label=label, required=False,
                          queryset=District.objects.select_related("region")
                          .order_by("region__sort_order", "sort_order", "code"), **kwargs)


class ConsultationForm(ServiceErrorsMixin, forms.ModelForm):
    district = district_field(_("地区"), help_text=_("空欄は区全体"))

    class Meta:
        model = Consultation
        fields = ["title", "summary", "send_to", "district", "starts_on", "ends_on",
                  "line_keyword"]
        widgets = {"starts_on": DATE, "ends_on": DATE,
                   "summary": forms.Textarea(attrs={"rows": 6}),
                   "send_to": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _described(self)


class DocumentForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("資料名"), max_length=160)
    file = forms.FileField(label=_("資料（PDF）"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class CategoryForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("分類の名前"), max_length=60)


class _OpinionFields(ServiceErrorsMixin, forms.Form):
    # Not limited here: the service refuses an over-long opinion with the count.
    text = forms.CharField(label=_("ご意見"), strip=False,
                           widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"required": _("ご意見を入れてください。")})
    name = forms.CharField(label=_("お名前（任意）"), max_length=80, required=False)
    district = district_field(_("お住まいの地区（任意）"))
    age_band = forms.ChoiceField(label=_("年代（任意）"), required=False,
                                 choices=[("", _("選ばない")), *AgeBand.choices])
    submission_key = forms.UUIDField(widget=forms.HiddenInput, error_messages=KEY_ERRORS)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        _described(self)


class PublicOpinionForm(_OpinionFields):
    consent = forms.BooleanField(
        label=_("個人情報の取扱いについて確認しました"),
        error_messages={"required": _("個人情報の取扱いを確認して、チェックを入れてください。")})


class StaffOpinionForm(_OpinionFields):
    channel = forms.ChoiceField(label=_("提出方法"),
                                choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    received_on = forms.DateField(label=_("受付日"), widget=DATE)
    postmark_on = forms.DateField(label=_("消印の日付（はがき・手紙）"), required=False,
                                  widget=DATE,
                                  help_text=_("締切後に届いたはがき・手紙は、消印が募集期間内なら"
                                              "受け付けます。"))
    original = forms.FileField(label=_("原本のスキャン（PDF・JPEG・PNG）"), required=False,
                               widget=forms.ClearableFileInput(
                                   attrs={"accept": "application/pdf,image/jpeg,image/png"}))

    field_order = ["channel", "received_on", "postmark_on", "text", "name", "district",
                   "age_band", "original", "submission_key"]


class ItemForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("意見の項目"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ModelChoiceField(label=_("分類"), queryset=Category.objects.none(),
                                      required=False)

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = consultation.categories.all()


class SortForm(forms.Form):
    category = forms.ModelChoiceField(label=_("分類"), queryset=Category.objects.none(),
                                      required=False)

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = consultation.categories.all()


class GroupForm(ServiceErrorsMixin, forms.Form):
    items = forms.ModelMultipleChoiceField(queryset=Item.objects.none(),
                                           label=_("まとめる項目"),
                                           widget=forms.CheckboxSelectMultiple)
    group = forms.ModelChoiceField(label=_("既にあるまとまりに加える"), required=False,
                                   queryset=AnswerGroup.objects.none())
    summary = forms.CharField(label=_("意見の概要（新しいまとまり）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = consultation.items.all()
        self.fields["group"].queryset = consultation.groups.all()


class AnswerForm(ServiceErrorsMixin, forms.Form):
    summary = forms.CharField(label=_("意見の概要"), widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.CharField(label=_("区の考え方"), required=False,
                             widget=forms.Textarea(attrs={"rows": 6}))


class PublishForm(forms.Form):
    intro = forms.CharField(label=_("結果の前書き（任意）"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("アンケートの名称"), max_length=160)
    description = forms.CharField(label=_("説明"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    district = district_field(_("地区"), help_text=_("空欄は区全体"))
    starts_on = forms.DateField(label=_("回答の受付開始日"), widget=DATE)
    ends_on = forms.DateField(label=_("回答の締切日"), widget=DATE)
    form = forms.CharField(
        label=_("設問（YAML）"),
        help_text=_("手続きの申請書と同じ書き方です。選択肢は radio・select・multiselect、"
                    "5段階などの尺度は radio の選択肢、自由記述は textarea で書きます。"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "code-editor", "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _described(self)

    def clean_form(self):
        try:
            data = parse_yaml(self.cleaned_data["form"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        try:
            parse_form(data)
        except DefinitionInvalid as error:
            raise forms.ValidationError(error.messages) from None
        return data
