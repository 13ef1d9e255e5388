"""HTML forms of the residents' online application pages. They shape the input; the
services judge it (answers, files, workflow)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import District

NOTE_MAX = 4000


def district_choices() -> list:
    """Districts grouped by region, keyed ``region/district`` (a district code alone is not
    unique)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for district in District.objects.select_related("region").order_by(
            "region__sort_order", "sort_order", "code"):
        groups.setdefault(district.region.label, []).append((district.key, district.label))
    return [("", _("選んでください")), *groups.items()]


class StartForm(forms.Form):
    district = forms.ChoiceField(
        label=_("お住まいの地区"),
        help_text=_("担当の窓口を決めるために使います。わからないときは、住所の町名に近い地区を"
                    "選んでください。"),
        error_messages={"required": _("お住まいの地区を選んでください。"),
                        "invalid_choice": _("お住まいの地区を一覧から選んでください。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices()

    def clean_district(self) -> District:
        region, _sep, code = self.cleaned_data["district"].partition("/")
        district = District.objects.select_related("region").filter(
            region__code=region, code=code).first()
        if district is None:
            raise forms.ValidationError(_("お住まいの地区を一覧から選んでください。"))
        return district


class NoteForm(forms.Form):
    """A message to the section with a resident's action (an answer, a withdrawal)."""

    note = forms.CharField(
        label=_("担当の課へのメッセージ"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("メッセージは4,000文字以内で入力してください。")})

    def __init__(self, *args, required: bool = False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["note"]
        field.required = required
        field.error_messages["required"] = _("メッセージを入力してください。")
        if label:
            field.label = label
