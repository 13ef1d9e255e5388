from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffAuthenticationForm(AuthenticationForm):
    """Django's login form, speaking of 職員ID rather than ユーザー名."""

    error_messages = {
        "invalid_login": _("職員IDまたはパスワードが正しくありません。"
                           "大文字と小文字も区別されます。"),
        "inactive": _("この職員IDは現在使えません。区のシステム管理者に連絡してください。"),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("確認コード（6桁）"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "pattern": "[0-9]{6}"}),
        error_messages={"required": _("確認コードを入力してください。"),
                        "min_length": _("確認コードは6桁の数字です。"),
                        "max_length": _("確認コードは6桁の数字です。")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("確認コードは6桁の数字です。"))
        return token
