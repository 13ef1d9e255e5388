from __future__ import annotations

import re

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from madoguchi.community.models import Room
from madoguchi.core.forms import ServiceErrorsMixin
from madoguchi.core.text import normalise_phone
from madoguchi.participation.models import Event, EventKind
from madoguchi.participation.services import MAX_PEOPLE

# Addresses that cannot receive mail: reserved or local domains (RFC 2606, RFC 6761).
_DEAD_DOMAIN = re.compile(r"(^|\.)(invalid|localhost|test|example|local)$", re.IGNORECASE)


def deliverable_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    domain = value.rpartition("@")[2]
    if "@" in value and domain and " " not in value and (
            "." not in domain or _DEAD_DOMAIN.search(domain) or domain.startswith("[")):
        raise forms.ValidationError(
            _("このメールアドレスにはメールを届けられません。受け取れるアドレスを入れてください。"))
    try:
        EmailValidator(allowlist=[])(value)
    except forms.ValidationError:
        raise forms.ValidationError(
            _("メールアドレスの形が正しくありません（例：sakura@example.jp）。")) from None
    return value


class RegistrationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("お名前"), max_length=80)
    email = forms.CharField(label=_("メールアドレス"), max_length=200, required=False,
                            help_text=_("確認のメールと取消のリンクをお送りします。"),
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("電話番号"), max_length=20, required=False,
                            help_text=_("メールがない方は電話番号を入れてください。"),
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))
    people = forms.IntegerField(label=_("参加する人数"), min_value=1, max_value=MAX_PEOPLE,
                                initial=1, error_messages={
                                    "min_value": _("人数は1人以上にしてください。"),
                                    "max_value": _("人数は%(limit_value)s人までです。"),
                                    "invalid": _("人数は数字で入れてください。")})
    needs = forms.CharField(label=_("配慮が必要なこと（任意）"), max_length=500, required=False,
                            help_text=_("手話通訳、車いす、保育、筆談など"),
                            widget=forms.Textarea(attrs={"rows": 3}))
    # Only for an event held both at a place and online (``hybrid``).
    online = forms.TypedChoiceField(
        label=_("参加のしかた"), coerce=lambda value: value == "online", initial="venue",
        choices=[("venue", _("会場で参加")), ("online", _("オンラインで参加"))],
        widget=forms.RadioSelect, error_messages={"invalid_choice": _(
            "会場で参加するかオンラインで参加するかを選んでください。")})

    def __init__(self, *args, hybrid: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not hybrid:
            del self.fields["online"]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def clean_email(self) -> str:
        return deliverable_email(self.cleaned_data.get("email", ""))

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except ValueError:
            raise forms.ValidationError(
                _("電話番号の形が正しくありません（例：03-5432-1111）。")) from None

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("メールアドレスか電話番号を入れてください。"))
        return data


class StaffRegistrationForm(RegistrationForm):
    channel = forms.ChoiceField(label=_("受付方法"), choices=[("counter", _("窓口")),
                                                             ("phone", _("電話"))])
    language = forms.ChoiceField(label=_("メールの言語"), choices=[("ja", "日本語"),
                                                                 ("en", "English")],
                                 initial="ja", required=False)


class EventForm(ServiceErrorsMixin, forms.ModelForm):
    online_url = forms.URLField(label=_("オンライン参加のリンク"), max_length=300, required=False,
                                assume_scheme="https")

    class Meta:
        model = Event
        fields = ["kind", "title", "description", "description_easy", "district", "centre",
                  "room", "place", "online_url", "video_room",
                  "first_date", "starts_at", "ends_at", "repeat",
                  "repeat_count", "on_closed", "capacity", "target",
                  "district_residents_only", "age_min", "fee", "bring", "sign_language",
                  "wheelchair", "childcare", "hearing_loop", "mode",
                  "registration_deadline", "draw_at"]
        widgets = {
            "first_date": forms.DateInput(attrs={"type": "date"}),
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
            "registration_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "draw_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_easy": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = EventKind.objects.filter(active=True)
        self.fields["room"].queryset = Room.objects.filter(is_active=True)
        self.fields["repeat_count"].max_value = 52
        self.fields["repeat_count"].widget.attrs["max"] = 52

    def clean_repeat_count(self) -> int:
        value = self.cleaned_data["repeat_count"]
        if not 1 <= value <= 52:
            raise forms.ValidationError(_("回数は1回から52回までです。"))
        return value


class EventKindForm(forms.ModelForm):
    class Meta:
        model = EventKind
        fields = ["code", "name", "name_en", "sort_order", "active"]


class CheckInForm(ServiceErrorsMixin, forms.Form):
    """What the QR scanner (or the keyboard) typed: the pass's URL or its token."""

    scanned = forms.CharField(label=_("受付票のQRコード・URL"), max_length=300,
                              widget=forms.TextInput(attrs={"autofocus": True,
                                                            "autocomplete": "off"}),
                              error_messages={"required": _(
                                  "受付票のQRコードを読み取るか、受付票のURLを入力してください。")})
