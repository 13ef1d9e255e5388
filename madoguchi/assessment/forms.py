from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.assessment import figures
from madoguchi.assessment.models import EnteredFigure
from madoguchi.organisation.models import Region

MONTH_NAMES = {1: _("1月"), 2: _("2月"), 3: _("3月"), 4: _("4月"), 5: _("5月"), 6: _("6月"),
               7: _("7月"), 8: _("8月"), 9: _("9月"), 10: _("10月"), 11: _("11月"),
               12: _("12月")}
MONTHS = [("", _("年度全体"))] + [(str(m), MONTH_NAMES[m]) for m in figures.FISCAL_MONTHS]


class FigureForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("年度（西暦の開始年）"), min_value=2000, max_value=2100,
        error_messages={"required": _("年度を入力してください。"),
                        "invalid": _("年度は数字で入力してください。")})
    code = forms.ChoiceField(label=_("項目"), choices=EnteredFigure.Code.choices,
                             error_messages={"required": _("項目を選んでください。"),
                                             "invalid_choice": _("項目を選んでください。")})
    value = forms.CharField(label=_("値"), max_length=20,
                            error_messages={"required": _("値を入力してください。")})
    note = forms.CharField(label=_("出典・備考"), max_length=200, required=False)


class DashboardFilter(forms.Form):
    year = forms.IntegerField(label=_("年度（西暦の開始年）"), min_value=2000, max_value=2100,
                              required=False,
                              error_messages={"invalid": _("年度は数字で入力してください。")})
    month = forms.TypedChoiceField(label=_("月"), choices=MONTHS, required=False, coerce=int,
                                   empty_value=None)
    region = forms.ModelChoiceField(label=_("地域"), queryset=Region.objects.all(),
                                    required=False, to_field_name="code",
                                    empty_label=_("すべての地域"))

    def __init__(self, *args, regions: list[Region] | None = None, **kwargs):
        """``regions``: the regions already read (the dashboard's district rows carry
        them), offered and checked without another query (ADR 0062)."""
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"] = _ListedRegionField(
                regions, label=_("地域"), queryset=Region.objects.none(), required=False,
                to_field_name="code", empty_label=_("すべての地域"))


class _ListedRegions(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for region in self.field.listed:
            yield self.choice(region)

    def __len__(self):
        return len(self.field.listed) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.listed)


class _ListedRegionField(forms.ModelChoiceField):
    """The region filter over a list already read: the same options, value and messages
    as over the queryset, in no query (the queryset iterates through a server-side cursor
    on PostgreSQL, three round trips)."""

    iterator = _ListedRegions

    def __init__(self, listed: list[Region], **kwargs):
        self.listed = list(listed)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        for region in self.listed:
            if region.code == str(value):
                return region
        raise forms.ValidationError(self.error_messages["invalid_choice"],
                                    code="invalid_choice", params={"value": value})


class AssessmentForm(forms.Form):
    situation = forms.CharField(label=_("地区の状況"), required=False, widget=forms.Textarea,
                                max_length=4000)
    issues = forms.CharField(label=_("地区の課題"), required=False, widget=forms.Textarea,
                             max_length=4000)
    resources = forms.CharField(label=_("地域資源"), required=False, widget=forms.Textarea,
                                max_length=4000)
    actions = forms.CharField(label=_("今年度の取組"), required=False, widget=forms.Textarea,
                              max_length=4000)
    easy_summary = forms.CharField(label=_("やさしい日本語のまとめ（任意）"), required=False,
                                   widget=forms.Textarea, max_length=4000)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and not args:
            kwargs.setdefault("initial", {
                name: getattr(instance, name) for name in
                ("situation", "issues", "resources", "actions", "easy_summary")})
            kwargs["initial"]["revision"] = instance.revision
        super().__init__(*args, **kwargs)

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in
                ("situation", "issues", "resources", "actions", "easy_summary")}
