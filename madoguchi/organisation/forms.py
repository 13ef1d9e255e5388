"""Forms of the /org/ edit pages. They parse input; the services decide what is valid.

A form's ``cleaned_data`` keys are the service's keyword arguments. Codes are asked for
only when a row is created (``creating=True``): they never change afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.core.models import ClosedDayRule
from madoguchi.organisation import rules
from madoguchi.organisation.models import District, Region, SectionKind, Tier
from madoguchi.organisation.rules import Problem

CODE_HELP = _("半角英小文字・数字とハイフン（例: ikejiri）。作成後は変更できません。")
WEEKDAY_CHOICES = [(0, _("月曜日")), (1, _("火曜日")), (2, _("水曜日")), (3, _("木曜日")),
                   (4, _("金曜日")), (5, _("土曜日")), (6, _("日曜日"))]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _count(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, error_messages={
        "min_value": _("0以上の整数で入力してください。"),
        "invalid": _("整数で入力してください。"),
    })


class RulesMixin:
    """Runs the shared rules (``madoguchi.organisation.rules``) in ``clean``.

    The services run the same rules again; here they let the form show every problem at
    once instead of one round per layer.
    """

    def problems(self, data: dict) -> Iterable[Problem]:
        return ()

    def clean(self):
        data = super().clean()
        for field, message in self.problems(data):
            target = field if field in self.fields else None
            if target is None or target not in self.errors:
                self.add_error(target, message)
        return data


class CreateOnlyMixin:
    """Drops the fields listed in ``create_only`` when an existing row is edited."""

    create_only: tuple[str, ...] = ()

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            for name in self.create_only:
                self.fields.pop(name, None)


class DistrictChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=District.objects.select_related("region"), **kwargs)

    def label_from_instance(self, obj: District) -> str:
        return f"{obj.region.label}・{obj.label}"


class RegionForm(RulesMixin, CreateOnlyMixin, forms.Form):
    create_only = ("code",)
    code = forms.CharField(label=_("地域コード"), max_length=40, help_text=CODE_HELP)
    name = forms.CharField(label=_("地域名"), max_length=40)
    name_en = forms.CharField(label=_("英語名"), max_length=80, required=False)
    branch_office_name = forms.CharField(label=_("総合支所名"), max_length=80)
    address = forms.CharField(label=_("所在地"), max_length=200, required=False)
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False,
                            help_text=_("例: 03-5432-1111"))
    sort_order = forms.IntegerField(label=_("表示順"), min_value=0, initial=0)

    def problems(self, data):
        return rules.contact(phone=data.get("phone"))


class DistrictForm(RulesMixin, CreateOnlyMixin, forms.Form):
    create_only = ("region", "code", "centre_name")
    region = forms.ModelChoiceField(label=_("地域"), queryset=Region.objects.all())
    code = forms.CharField(label=_("地区コード"), max_length=40, help_text=CODE_HELP)
    name = forms.CharField(label=_("地区名"), max_length=40)
    name_kana = forms.CharField(label=_("地区名（かな）"), max_length=80, required=False)
    name_en = forms.CharField(label=_("英語名"), max_length=80, required=False)
    households = _count(_("世帯数"))
    population = _count(_("人口"))
    area_km2 = forms.DecimalField(label=_("面積（km²）"), max_digits=7, decimal_places=3,
                                  help_text=_("小数点以下3桁まで（例: 1.186）"))
    figures_as_of = forms.DateField(label=_("人口等の基準日"), required=False,
                                    widget=_date_input())
    sort_order = forms.IntegerField(label=_("表示順"), min_value=0, initial=0)
    centre_name = forms.CharField(
        label=_("まちづくりセンターの名称"), max_length=80, required=False,
        help_text=_("空欄なら「（地区名）まちづくりセンター」になります。"))

    def problems(self, data):
        return rules.district_figures(
            households=data.get("households"), population=data.get("population"),
            area_km2=data.get("area_km2"), figures_as_of=data.get("figures_as_of"))


class CentreForm(RulesMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    postal_code = forms.CharField(label=_("郵便番号"), max_length=8, required=False,
                                  help_text=_("例: 154-0017"))
    address = forms.CharField(label=_("所在地"), max_length=200, required=False)
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False,
                            help_text=_("例: 03-5432-1111"))
    opens_at = forms.TimeField(label=_("開所時刻"), widget=_time_input())
    closes_at = forms.TimeField(label=_("閉所時刻"), widget=_time_input())
    open_weekdays = forms.TypedMultipleChoiceField(
        label=_("開所曜日"), choices=WEEKDAY_CHOICES, coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("祝日と年末年始、休業日の例外は自動的に休みになります。"),
        error_messages={"required": _("開所曜日を1つ以上選んでください。"),
                        "invalid_choice": _("曜日の選択が正しくありません。")})
    online_model_centre = forms.BooleanField(label=_("オンライン相談モデル地区"),
                                             required=False)

    def problems(self, data):
        yield from rules.centre_hours(opens_at=data.get("opens_at"),
                                      closes_at=data.get("closes_at"),
                                      open_weekdays=data.get("open_weekdays"))
        yield from rules.contact(phone=data.get("phone"), postal_code=data.get("postal_code"))


class BoothForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=40, help_text=_("例: 相談ブース2"))
    name_en = forms.CharField(label=_("英語名"), max_length=60, required=False,
                              help_text=_("例: Consultation booth 2"))
    is_active = forms.BooleanField(label=_("利用可"), required=False, initial=True)
    has_document_camera = forms.BooleanField(label=_("書画カメラあり"), required=False,
                                             initial=True)
    wheelchair_accessible = forms.BooleanField(label=_("車いす対応"), required=False,
                                               initial=True)
    hearing_loop = forms.BooleanField(label=_("磁気ループあり"), required=False)


class SectionKindForm(CreateOnlyMixin, forms.Form):
    create_only = ("code",)
    code = forms.CharField(label=_("種別コード"), max_length=40, help_text=CODE_HELP)
    name = forms.CharField(label=_("名称"), max_length=80)
    name_en = forms.CharField(label=_("英語名"), max_length=120, required=False)
    tier = forms.ChoiceField(label=_("階層"), choices=Tier.choices)
    handles = forms.CharField(label=_("主な担当"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    handles_en = forms.CharField(label=_("主な担当（英語）"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    sort_order = forms.IntegerField(label=_("表示順"), min_value=0, initial=0)


class SectionForm(RulesMixin, CreateOnlyMixin, forms.Form):
    create_only = ("kind", "code")
    kind = forms.ModelChoiceField(label=_("種別"), queryset=SectionKind.objects.all())
    code = forms.CharField(
        label=_("コード"), max_length=100, required=False,
        help_text=_("空欄なら種別と地域・地区から決まります（例: setagaya/ikejiri/anshin）。"
                    "作成後は変更できません。"))
    name = forms.CharField(label=_("名称"), max_length=120)
    office = forms.CharField(label=_("所属する庁舎・施設"), max_length=120, required=False)
    region = forms.ModelChoiceField(
        label=_("地域"), queryset=Region.objects.all(), required=False,
        help_text=_("総合支所の課は地域を選びます。本庁の課と専門機関は空欄です。"))
    district = DistrictChoiceField(
        label=_("地区"), required=False,
        help_text=_("まちづくりセンターと地区の連携機関は地区を選びます（地域は自動で決まります）。"))
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("有効"), required=False, initial=True)

    def __init__(self, *args, kind: SectionKind | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def problems(self, data):
        yield from rules.contact(phone=data.get("phone"))
        kind = data.get("kind", self.kind)
        if kind is not None and "region" in data and "district" in data:
            yield from rules.section_place(kind=kind, region=data["region"],
                                           district=data["district"])


class CalendarExceptionForm(forms.Form):
    date = forms.DateField(label=_("日付"), widget=_date_input())
    kind = forms.ChoiceField(label=_("区分"), choices=ClosedDayRule.choices,
                             widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), max_length=120,
                             help_text=_("例: 庁舎の電気設備点検のため"))
