"""Forms of the staff pages; the rules themselves are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import DistrictCentre, Region
from madoguchi.signage.models import DAYPARTS, WEEKDAY_LABELS, Kind, Screen

LOCAL = "%Y-%m-%dT%H:%M"


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=Kind.choices)
    title = forms.CharField(label=_("題名"), max_length=80, required=False)
    body = forms.CharField(label=_("本文（お知らせ）"), required=False, max_length=400,
                           widget=forms.Textarea(attrs={"rows": 4}))
    large = forms.BooleanField(label=_("大きな文字で表示する"), required=False)
    qr_url = forms.CharField(label=_("QRコードの行き先（アドレス）"), required=False,
                             max_length=300)
    file = forms.FileField(label=_("ファイル（画像・動画・PDF）"), required=False)
    pdf_page = forms.IntegerField(label=_("PDFのページ"), required=False, min_value=1,
                                  max_value=999, initial=1)
    seconds = forms.IntegerField(label=_("表示秒数"), initial=15, required=False)
    starts_at = forms.DateTimeField(
        label=_("掲載開始"), required=False, input_formats=[LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL))
    ends_at = forms.DateTimeField(
        label=_("掲載終了"), required=False, input_formats=[LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("曜日"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(enumerate(WEEKDAY_LABELS)), initial=list(range(7)))
    dayparts = forms.MultipleChoiceField(
        label=_("時間帯（選ばなければ終日）"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, label, *_rest in DAYPARTS])
    ward_wide = forms.BooleanField(label=_("区全体の画面"), required=False)
    regions = forms.ModelMultipleChoiceField(
        label=_("地域（総合支所）の画面"), queryset=Region.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    centres = forms.ModelMultipleChoiceField(
        label=_("センターの画面"), queryset=DistrictCentre.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    screens = forms.ModelMultipleChoiceField(
        label=_("個別の画面"), queryset=Screen.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)

    error_messages = {"invalid": _("日時は 年-月-日 時:分 の形で入力してください。")}

    def __init__(self, *args, centres, regions, screens, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].queryset = centres
        self.fields["regions"].queryset = regions
        self.fields["screens"].queryset = screens
        for name in ("starts_at", "ends_at"):
            self.fields[name].error_messages["invalid"] = self.error_messages["invalid"]
        self.fields["seconds"].error_messages["invalid"] = _("表示秒数は数字で入力してください。")


class ScreenForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("まちづくりセンター"), queryset=DistrictCentre.objects.none(),
        error_messages={"required": _("センターを選んでください。"),
                        "invalid_choice": _("センターを選んでください。")})
    name = forms.CharField(label=_("画面の名前"), max_length=80, required=False)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


class EmergencyForm(forms.Form):
    region = forms.ModelChoiceField(label=_("範囲"), queryset=Region.objects.none(),
                                    required=False, empty_label=_("区全体"))
    message = forms.CharField(label=_("緊急メッセージ"), required=False, max_length=200,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
