"""The residents' booking forms. The services validate (Japanese messages per field);
the forms only carry the values and show the messages next to their fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.core.forms import ServiceErrorsMixin


class StartForm(forms.Form):
    district = forms.TypedChoiceField(label=_("お住まいの地区"), coerce=int, error_messages={
        "required": _("お住まいの地区を選んでください。"),
        "invalid_choice": _("お住まいの地区を一覧から選んでください。")})
    topic = forms.ChoiceField(label=_("ご相談の内容"), widget=forms.RadioSelect, error_messages={
        "required": _("ご相談の内容を選んでください。"),
        "invalid_choice": _("ご相談の内容を一覧から選んでください。")})
    place = forms.ChoiceField(label=_("相談する場所"), widget=forms.RadioSelect, initial="home",
                              choices=[("home", _("自宅などから（スマートフォン・パソコン）")),
                                       ("booth", _("まちづくりセンターの相談ブースで"))],
                              error_messages={
                                  "required": _("相談する場所を選んでください。"),
                                  "invalid_choice": _("相談する場所を一覧から選んでください。")})

    def __init__(self, *args, districts, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("選んでください"))] + [
            (d.pk, d.label) for d in districts]
        self.fields["topic"].choices = topics


def _text(label, *, autocomplete: str = "", required: bool = False, **attrs) -> forms.CharField:
    widget_attrs = {"autocomplete": autocomplete} if autocomplete else {}
    widget_attrs.update(attrs)
    return forms.CharField(label=label, required=required,
                           widget=forms.TextInput(attrs=widget_attrs))


class BookForm(ServiceErrorsMixin, forms.Form):
    start = forms.CharField(label=_("日時"), required=False, widget=forms.RadioSelect)
    family_name = _text(_("氏"), autocomplete="family-name")
    given_name = _text(_("名"), autocomplete="given-name")
    family_name_kana = _text(_("氏（フリガナ）"))
    given_name_kana = _text(_("名（フリガナ）"))
    birth_date = forms.CharField(label=_("生年月日"), required=False,
                                 help_text=_("例：1950-04-01（西暦の年-月-日）"),
                                 widget=forms.TextInput(attrs={"autocomplete": "bday"}))
    address = _text(_("住所"), autocomplete="street-address")
    phone = _text(_("電話番号"), autocomplete="tel", inputmode="tel")
    email = forms.CharField(label=_("メールアドレス"), required=False,
                            help_text=_("予約の確認と、ビデオ通話に参加するためのリンクをお送りします。"),
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    worry = forms.CharField(label=_("ご相談の内容（簡単に）"), required=False,
                            help_text=_("担当の職員が準備するために使います。1000文字まで。"),
                            widget=forms.Textarea(attrs={"rows": 4}))
    consent = forms.BooleanField(
        label=_("ビデオ通話で相談することと、相談の記録を担当の課と共有することに同意します。"),
        required=False)
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].widget.choices = slots
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"


class MoveForm(ServiceErrorsMixin, forms.Form):
    start = forms.CharField(label=_("新しい日時"), required=False, widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].widget.choices = slots
