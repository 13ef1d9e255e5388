"""Forms of four-party collaboration. They only parse input; the services check the rules
and give the Japanese messages of the issue's bad-input list."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madoguchi.collaboration.models import (
    AgeBand,
    Basis,
    Household,
    Mode,
    Theme,
    Urgency,
)
from madoguchi.organisation.models import Section

DATE = forms.DateInput(attrs={"type": "date"})


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (fields it names, else the whole)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RecordForm(forms.Form):
    party = forms.ModelChoiceField(label=_("気づいた機関"), queryset=Section.objects.none(),
                                   required=False, empty_label=_("（選んでください）"))
    title = forms.CharField(label=_("件名"), max_length=120, required=False)
    noticed = forms.CharField(label=_("気づいたこと"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("個人名・住所・連絡先は書かないでください。"))
    noticed_names_nobody = forms.BooleanField(
        label=_("この記述は個人を特定する内容を含まないことを確認しました（他の機関にも表示されます）"),
        required=False)
    chome = forms.CharField(label=_("町丁目（任意）"), max_length=40, required=False,
                            help_text=_("例：池尻二丁目。個人宅の位置は記録しません。"))
    facility = forms.CharField(label=_("施設（任意）"), max_length=80, required=False)
    theme = forms.ModelChoiceField(label=_("テーマ"), required=False,
                                   queryset=Theme.objects.filter(is_active=True),
                                   empty_label=_("（選んでください）"))
    urgency = forms.ChoiceField(label=_("緊急度"), choices=Urgency.choices,
                                initial=Urgency.NORMAL)
    age_band = forms.ChoiceField(label=_("対象の年代"), choices=AgeBand.choices,
                                 initial=AgeBand.UNKNOWN)
    household = forms.ChoiceField(label=_("世帯の状況"), choices=Household.choices,
                                  initial=Household.UNKNOWN)
    resident = forms.UUIDField(label=_("区民番号（任意）"), required=False,
                               help_text=_("結び付けるのは、根拠がある場合だけです。"))
    basis = forms.ChoiceField(label=_("結び付けの根拠"), choices=Basis.choices, required=False)
    basis_note = forms.CharField(label=_("根拠の内容"), max_length=200, required=False)
    consultations = forms.CharField(label=_("関連する相談の番号（任意、改行区切り）"),
                                    required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due_days = forms.IntegerField(label=_("対応期限（開庁日数）"), required=False, min_value=1,
                                  max_value=250)
    share = forms.BooleanField(label=_("次の四者連携会議で共有する"), required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Section.objects.filter(
            pk__in=[p.pk for p in parties]).select_related("kind")
        if len(parties) == 1:
            self.fields["party"].initial = parties[0].pk


class TransitionForm(forms.Form):
    name = forms.CharField()
    reason = forms.CharField(label=_("終了の理由"), required=False, max_length=200)


class SeriesForm(forms.Form):
    pattern = forms.ChoiceField(label=_("繰り返し"), choices=[
        ("monthly_first", _("毎月 第1")), ("monthly_second", _("毎月 第2")),
        ("monthly_third", _("毎月 第3")), ("monthly_fourth", _("毎月 第4")),
        ("biweekly", _("隔週"))])
    weekday = forms.ChoiceField(label=_("曜日"), choices=[
        ("MO", _("月曜日")), ("TU", _("火曜日")), ("WE", _("水曜日")), ("TH", _("木曜日")),
        ("FR", _("金曜日"))])
    starts_on = forms.DateField(label=_("開始日"), required=False, widget=DATE)
    at = forms.TimeField(label=_("開始時刻"), required=False,
                         widget=forms.TimeInput(attrs={"type": "time"}))
    mode = forms.ChoiceField(label=_("開催方法"), choices=Mode.choices)
    place = forms.CharField(label=_("場所"), required=False, max_length=120)
    video_link = forms.URLField(label=_("オンライン会議のURL"), required=False,
                                assume_scheme="https",
                                help_text=_("区の会議システムで作った会議室のURL"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("議事録"), required=False,
                              widget=forms.Textarea(attrs={"rows": 12}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    task = forms.CharField(label=_("やること"), max_length=200, required=False)
    party = forms.ModelChoiceField(label=_("担当機関"), queryset=Section.objects.none(),
                                   required=False, empty_label=_("（選んでください）"))
    person = forms.ChoiceField(label=_("担当者"), required=False)
    due_date = forms.DateField(label=_("期限"), required=False, widget=DATE)
    record = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, parties=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Section.objects.filter(pk__in=[p.pk for p in parties])
        self.fields["person"].choices = [("", _("（選んでください）"))] + [
            (str(p.pk), str(p)) for p in people]


class ResourceForm(forms.Form):
    need = forms.CharField(label=_("地域のニーズ"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    resource = forms.CharField(label=_("創出・発見した資源"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    partners = forms.CharField(label=_("連携先"), required=False, max_length=300)


class EscalationForm(forms.Form):
    to_section = forms.ModelChoiceField(label=_("上申先"), queryset=Section.objects.none(),
                                        required=False, empty_label=_("（選んでください）"))
    title = forms.CharField(label=_("件名"), max_length=120, required=False)
    body = forms.CharField(label=_("内容"), required=False,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("個人名・住所・連絡先は書かないでください。"))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_section"].queryset = Section.objects.filter(
            pk__in=[t.pk for t in targets])


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("返信"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    close = forms.BooleanField(label=_("この上申を完了にする"), required=False)


class ThemeForm(forms.Form):
    code = forms.CharField(label=_("コード"), max_length=40, required=False,
                           help_text=_("例：elderly。既にあるコードなら、そのテーマを変更します。"))
    name = forms.CharField(label=_("名称"), max_length=40, required=False)
    name_en = forms.CharField(label=_("英語名"), max_length=80, required=False)
    is_active = forms.BooleanField(label=_("使用中"), required=False, initial=True)


class DefinitionForm(forms.Form):
    definition = forms.CharField(
        label=_("記録様式の定義（YAML）"), widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("申請書と同じ書き方です。保存すると新しい版になり、これまでの記録は元の版のままです。"))
