"""Forms of the review pages: the decision notice and the hand-off export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.applications import export
from madoguchi.applications.models import Delivery
from madoguchi.applications.services import notices

MAX_DETAILS = 10


class NoticeForm(forms.Form):
    delivery = forms.ChoiceField(label=_("届け方"), choices=Delivery.choices,
                                 widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("理由"), required=False, max_length=notices.MAX_REASONS,
                              widget=forms.Textarea(attrs={"rows": 4}))
    details = forms.CharField(
        label=_("記に載せるほかの項目（任意）"), required=False, max_length=2000,
        help_text=_("決定の内容のほかに載せるものを、1行に1項目、「項目名：内容」の形で書きます"
                    "（例：受取場所：区役所第1庁舎）。"),
        widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        decision = notices.decision_of(application)
        # Reasons given with the decision (a refusal's) are not asked again.
        self.given_reasons = decision.reasons if decision is not None else ""
        if self.given_reasons:
            del self.fields["reasons"]
        self._reasons_help(application)
        if not application.contact_email:
            self.fields["delivery"].choices = [(Delivery.POST, Delivery.POST.label)]
            self.fields["delivery"].help_text = _(
                "申請者のメールアドレスがないため、郵送だけを選べます。")
        self.initial.setdefault("delivery", Delivery.EMAIL if application.contact_email
                                else Delivery.POST)

    def _reasons_help(self, application) -> None:
        if "reasons" not in self.fields:
            return
        rejected = application.status == notices.REJECTED
        self.fields["reasons"].required = rejected
        self.fields["reasons"].help_text = (
            _("却下の理由は必ず書いてください。通知書に印刷され、申請者に届きます。")
            if rejected else _("書いた場合は通知書に印刷され、申請者に届きます。"))

    def clean_details(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("details") or "").splitlines():
            if not line.strip():
                continue
            label, sep, value = line.replace(":", "：").partition("：")
            if not sep or not label.strip() or not value.strip():
                raise forms.ValidationError(
                    _("「%(line)s」は「項目名：内容」の形で書いてください。") % {"line": line})
            rows.append((label.strip(), value.strip()))
        if len(rows) > MAX_DETAILS:
            raise forms.ValidationError(_("項目は%(n)d行までにしてください。") % {"n": MAX_DETAILS})
        return rows


class ExportForm(forms.Form):
    section = forms.ChoiceField(label=_("課"))
    procedure = forms.ChoiceField(label=_("手続き"))
    statuses = forms.MultipleChoiceField(
        label=_("状態"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばないときは、受け付けたすべての状態を出力します。"))
    received_from = forms.DateField(label=_("受付日（から）"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label=_("受付日（まで）"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(label=_("形式"), widget=forms.RadioSelect, initial="csv",
                               choices=[("csv", _("CSV（Excel で開けます）")),
                                        ("json", _("JSON（システムへの引継ぎ用）"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        sections = export.exportable_sections(user)
        procedures = export.exportable_procedures(sections)
        self.fields["section"].choices = [(s.code, s.label) for s in sections]
        self.fields["procedure"].choices = [(p.code, p.current.display_name)
                                            for p in procedures]
        statuses: dict[str, str] = {}
        for procedure in procedures:
            for status in procedure.current.workflow_spec.statuses:
                statuses.setdefault(status.code, status.text)
        self.fields["statuses"].choices = list(statuses.items())
