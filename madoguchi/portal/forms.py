from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madoguchi.portal.services import normalise_email


class EmailLoginForm(forms.Form):
    email = forms.CharField(
        label=_("メールアドレス"), max_length=254,
        help_text=_("例：setagaya.hanako@example.jp　（全角で入力しても大丈夫です）"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email",
                                       "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={"required": _("メールアドレスを入力してください。")})
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_email(self) -> str:
        try:
            return normalise_email(self.cleaned_data["email"])
        except ValidationError:
            raise ValidationError(_("メールアドレスの形が正しくありません。"
                                    "「名前@example.jp」のように、@（アットマーク）を入れて"
                                    "入力してください。"), code="invalid") from None
