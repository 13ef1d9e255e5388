"""HTML forms of the consultation pages. They only shape the input; the services validate,
so pages and API give the same Japanese messages."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madoguchi.consultations.models import (
    Category,
    Consultation,
    Result,
    RoutingRule,
    Satisfaction,
    Urgency,
)
from madoguchi.core.forms import ServiceErrorsMixin
from madoguchi.people.models import ConsentMethod


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


class ResidentLookupForm(forms.Form):
    resident = forms.CharField(
        label=_("区民ID"), required=False, max_length=40,
        help_text=_("区民の詳細ページのアドレスの末尾にある ID です。"
                    "区民の詳細ページの「相談を受け付ける」から開くと自動で入ります。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))

    def clean_resident(self):
        value = self.cleaned_data["resident"].strip()
        if not value:
            raise ValidationError(_("区民IDを入力してください。"))
        try:
            return uuid.UUID(value)
        except ValueError:
            raise ValidationError(_("区民IDの形式が正しくありません。")) from None


class IntakeForm(ServiceErrorsMixin, forms.Form):
    centre = forms.ChoiceField(label=_("受け付けるまちづくりセンター"), required=False)
    category = forms.ChoiceField(label=_label(Consultation, "category"),
                                 choices=[("", _("選んでください")), *Category.choices],
                                 required=False)
    worry = forms.CharField(
        label=_label(Consultation, "worry"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("区民から聞いた困りごとを書いてください。回付先の課・機関にも共有されます。"))
    urgency = forms.ChoiceField(label=_label(Consultation, "urgency"), choices=Urgency.choices,
                                initial=Urgency.NORMAL, required=False)
    needs_interpreter = forms.BooleanField(label=_label(Consultation, "needs_interpreter"),
                                           required=False)
    needs_sign_language = forms.BooleanField(label=_label(Consultation, "needs_sign_language"),
                                             required=False)
    needs_wheelchair = forms.BooleanField(label=_label(Consultation, "needs_wheelchair"),
                                          required=False)
    needs_hearing_support = forms.BooleanField(
        label=_label(Consultation, "needs_hearing_support"), required=False)
    documents = forms.CharField(
        label=_label(Consultation, "documents"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("区から届いた通知など、区民が持ってきた書類の名前を書いてください。"))
    consent_online = forms.BooleanField(label=_("オンライン相談の実施に同意を得た"),
                                        required=False)
    consent_share = forms.BooleanField(
        label=_("相談記録を所管課・関係機関と共有することに同意を得た"), required=False)
    consent_method = forms.ChoiceField(label=_("同意の確認方法"), choices=ConsentMethod.choices,
                                       initial=ConsentMethod.ORAL, required=False)

    NEEDS = ("needs_interpreter", "needs_sign_language", "needs_wheelchair",
             "needs_hearing_support")

    def __init__(self, *args, centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(c.district.key, c.name) for c in centres]
        for name in ("category", "worry"):
            self.fields[name].widget.attrs["aria-required"] = "true"
        self.fields["worry"].widget.attrs["autocomplete"] = "off"

    @property
    def need_fields(self):
        return [self[name] for name in self.NEEDS]

    @property
    def consent_fields(self):
        return [self["consent_online"], self["consent_share"]]


class RouteForm(ServiceErrorsMixin, forms.Form):
    section = forms.ChoiceField(label=_("回付先"), required=False)
    reason = forms.CharField(
        label=_("回付先を選んだ理由"), required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("提案と異なる回付先を選ぶとき、回付先を変えるときは必須です。"))

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("選んでください")),
                                          *[(s.code, s.label) for s in sections]]


class BookForm(ServiceErrorsMixin, forms.Form):
    start = forms.CharField(widget=forms.HiddenInput, required=False)
    staff = forms.ChoiceField(label=_("担当職員"), required=False,
                              help_text=_("指定しないときは、空いている職員のうち予約の少ない人が"
                                          "担当します。"))
    other_users = forms.MultipleChoiceField(
        label=_("ほかの参加者（職員・連携機関）"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("多者面談（段階2）では、区民を含めて6人まで参加できます。"))
    guest_name = forms.CharField(label=_("外部の参加者の名前"), required=False, max_length=80)
    guest_organisation = forms.CharField(label=_("外部の参加者の所属"), required=False,
                                         max_length=80)
    guest_email = forms.EmailField(label=_("外部の参加者のメールアドレス"), required=False)
    remote = forms.BooleanField(label=_("区民はセンターではなく別の場所から参加する"),
                                required=False,
                                help_text=_("このときは相談ブースを使いません。"))
    from_date = forms.DateField(label=_("この日以降の空きを探す"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, staff_choices=(), other_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", _("指定しない")),
                                        *[(str(u.pk), str(u)) for u in staff_choices]]
        self.fields["other_users"].choices = [(str(u.pk), label) for u, label in other_choices]


class RescheduleForm(ServiceErrorsMixin, forms.Form):
    start = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("変更の理由"), required=False, max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("ほかの参加者にも伝わります。個人的な事情は書かないでください。"))
    from_date = forms.DateField(label=_("この日以降の空きを探す"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["aria-required"] = "true"


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("取り消す理由"), required=False, max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("ほかの参加者にも伝わります。個人的な事情は書かないでください。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["aria-required"] = "true"


class OutcomeForm(ServiceErrorsMixin, forms.Form):
    result = forms.ChoiceField(label=_("対応結果"),
                               choices=[("", _("選んでください")), *Result.choices],
                               required=False)
    referred_to = forms.ChoiceField(label=_("紹介先"), required=False,
                                    help_text=_("「他機関を紹介した」ときに選びます。"))
    summary = forms.CharField(label=_("対応の記録（所管課内）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("所管課の職員だけが見られます。まちづくりセンターには"
                                          "対応結果とフォローアップだけが表示されます。"))
    satisfied = forms.ChoiceField(label=_("区民の満足度"), choices=Satisfaction.choices,
                                  initial=Satisfaction.UNKNOWN, required=False)
    duration_minutes = forms.CharField(
        label=_("相談時間（分）"), required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 480, "inputmode": "numeric"}))

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_to"].choices = [("", _("選んでください")),
                                              *[(s.code, s.label) for s in sections]]
        for name in ("result", "duration_minutes"):
            self.fields[name].widget.attrs["aria-required"] = "true"


class FollowUpForm(ServiceErrorsMixin, forms.Form):
    task = forms.CharField(label=_("やること"), required=False, max_length=200)
    due_date = forms.CharField(label=_("期限"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    owner = forms.ChoiceField(label=_("担当者"), required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("選んでください")),
                                        *[(str(u.pk), str(u)) for u in owners]]


class RoutingRuleForm(ServiceErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_label(RoutingRule, "category"),
                                 choices=[("", _("選んでください")), *Category.choices],
                                 required=False)
    keywords = forms.CharField(label=_label(RoutingRule, "keywords"), required=False,
                               max_length=200,
                               help_text=RoutingRule._meta.get_field("keywords").help_text)
    section_kind = forms.ChoiceField(label=_label(RoutingRule, "section_kind"), required=False)
    priority = forms.CharField(label=_label(RoutingRule, "priority"), required=False,
                               initial=100,
                               help_text=RoutingRule._meta.get_field("priority").help_text,
                               widget=forms.NumberInput(attrs={"min": 0, "max": 1000}))
    active = forms.BooleanField(label=_label(RoutingRule, "active"), required=False,
                                initial=True)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_kind"].choices = [("", _("選んでください")),
                                               *[(k.code, k.label) for k in kinds]]
