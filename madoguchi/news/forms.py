"""Forms of the news pages. They parse input; the services judge it (their Japanese
messages come back as the form's errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.files.uploads import limits_text
from madoguchi.organisation.models import District

WARD = "ward"


class ScopeChoice(forms.ChoiceField):
    """A district the user may write for, or the whole ward."""


def scope_choices(districts, ward: bool) -> list[tuple[str, str]]:
    choices = [("", _("選んでください"))]
    if ward:
        choices.append((WARD, _("区全体")))
    choices += [(str(d.pk), d.label) for d in districts]
    return choices


class PostForm(forms.Form):
    scope = forms.ChoiceField(label=_("お知らせの対象"), required=False)
    title = forms.CharField(label=_("題名"), max_length=120, required=False)
    body = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 8}),
                           required=False)
    title_easy = forms.CharField(label=_("題名（やさしい日本語）"), max_length=120,
                                 required=False)
    body_easy = forms.CharField(label=_("本文（やさしい日本語）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}))
    title_en = forms.CharField(label=_("題名（英語）"), max_length=200, required=False)
    body_en = forms.CharField(label=_("本文（英語）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    image = forms.FileField(label=_("画像（任意）"), required=False, allow_empty_file=True)
    image_alt = forms.CharField(label=_("画像の説明"), max_length=200, required=False)
    send_mail = forms.BooleanField(label=_("公開したらメールで配信する"), required=False,
                                   initial=True)
    send_line = forms.BooleanField(label=_("公開したらLINEで配信する"), required=False,
                                   initial=True)

    def __init__(self, *args, districts, ward: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scope_choices(districts, ward)
        self.fields["image"].help_text = limits_text("news_image")
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,.jpg,.jpeg,.png"
        self.districts = {str(d.pk): d for d in districts}

    def district(self) -> tuple[District | None, bool]:
        scope = self.cleaned_data.get("scope") or ""
        return self.districts.get(scope), scope == WARD


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("差し戻す理由"), max_length=400, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("メールアドレス"), max_length=254, error_messages={
        "required": _("メールアドレスを入力してください。"),
        "invalid": _("メールアドレスの形が正しくありません。例：setagaya@example.jp")})


class AudienceForm(forms.Form):
    audience_group_id = forms.CharField(
        label=_("オーディエンスID"), max_length=40, required=False,
        help_text=_("LINE公式アカウントの管理画面（オーディエンス）に表示される番号です。"
                    "空欄にすると、この地区のお知らせはLINEで配信しません。"))
