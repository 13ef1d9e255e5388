"""HTML forms for the resident pages. They only shape the input; the services validate
(so pages and API give the same Japanese messages)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.core.forms import ServiceErrorsMixin
from madoguchi.organisation.models import District
from madoguchi.people.models import (
    NOTES_MAX,
    ConsentMethod,
    ConsentPurpose,
    Language,
    Relationship,
    Resident,
)
from madoguchi.people.validation import NEED_FIELDS, RESIDENT_FIELDS


def _label(name: str):
    return Resident._meta.get_field(name).verbose_name


def district_choices(district_ids: set[int] | None = None) -> list:
    """Districts grouped by region, as ``region/district`` keys (all when ids is None)."""
    rows = District.objects.select_related("region").order_by(
        "region__sort_order", "sort_order", "code")
    if district_ids is not None:
        rows = rows.filter(pk__in=district_ids)
    groups: dict[str, list[tuple[str, str]]] = {}
    for district in rows:
        groups.setdefault(district.region.label, []).append((district.key, district.label))
    return [("", _("選んでください")), *groups.items()]


class ResidentForm(ServiceErrorsMixin, forms.Form):
    family_name = forms.CharField(label=_label("family_name"), required=False)
    given_name = forms.CharField(label=_label("given_name"), required=False)
    family_name_kana = forms.CharField(label=_label("family_name_kana"), required=False,
                                       help_text=_("カタカナかひらがなで入力してください。"))
    given_name_kana = forms.CharField(label=_label("given_name_kana"), required=False)
    birth_date = forms.CharField(
        label=_label("birth_date"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}),
        help_text=_("西暦で入力してください（例: 1950-04-01）。"))
    postal_code = forms.CharField(label=_label("postal_code"), required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                  help_text=_("例: 154-0001"))
    address = forms.CharField(label=_label("address"), required=False)
    district = forms.CharField(label=_label("district"), required=False, widget=forms.Select)
    phone = forms.CharField(label=_label("phone"), required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
                            help_text=_("例: 03-1234-5678"))
    email = forms.CharField(label=_label("email"), required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    household_code = forms.CharField(
        label=_label("household_code"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("同じ世帯の方には同じ番号を入力します（例: 0123-4567）。"))
    relationship = forms.CharField(
        label=_label("relationship"), required=False,
        widget=forms.Select(choices=[("", _("選んでください")), *Relationship.choices]),
        help_text=_("世帯主から見た続柄です。"))
    preferred_language = forms.CharField(
        label=_label("preferred_language"), required=False,
        widget=forms.Select(choices=Language.choices), initial=Language.JA)
    needs_interpreter = forms.BooleanField(label=_label("needs_interpreter"), required=False)
    needs_sign_language = forms.BooleanField(label=_label("needs_sign_language"), required=False)
    needs_wheelchair = forms.BooleanField(label=_label("needs_wheelchair"), required=False)
    needs_hearing_support = forms.BooleanField(label=_label("needs_hearing_support"),
                                               required=False)
    notes = forms.CharField(label=_label("notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX}),
                            help_text=_("必要な配慮を書いてください。相談の内容は書かないでください。"))

    REQUIRED = ("family_name", "family_name_kana", "birth_date", "address", "district")

    def __init__(self, *args, district_ids: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].widget.choices = district_choices(district_ids)
        for name in self.REQUIRED:
            self.fields[name].widget.attrs["aria-required"] = "true"
        # Fields the browser should not remember: personal data on shared counter PCs.
        for name in ("family_name", "given_name", "family_name_kana", "given_name_kana",
                     "address", "phone", "postal_code"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    @property
    def need_fields(self):
        return [self[name] for name in NEED_FIELDS]

    @property
    def main_fields(self):
        return [self[name] for name in RESIDENT_FIELDS if name not in NEED_FIELDS]

    @staticmethod
    def initial_for(resident: Resident) -> dict:
        initial = {name: getattr(resident, name) for name in RESIDENT_FIELDS
                   if name != "district"}
        initial["birth_date"] = resident.birth_date.isoformat()
        initial["district"] = resident.district.key
        return initial


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("同意の目的"), choices=ConsentPurpose.choices)
    method = forms.ChoiceField(label=_("確認方法"), choices=ConsentMethod.choices,
                               initial=ConsentMethod.ORAL)
    note = forms.CharField(label=_("備考"), required=False, max_length=200)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("氏名またはフリガナ"), required=False, max_length=100,
                        help_text=_("漢字・カタカナ・ひらがな（半角も可）で、姓だけでも探せます。"
                                    "生年月日（例：昭和23年4月12日）を続けて入力すると、"
                                    "生年月日でも絞り込めます。"),
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
