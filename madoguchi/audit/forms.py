"""The auditor's filter form (GET: staff IDs, codes and UUIDs only, no names)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.audit.models import Action

# Labels for the record types written so far; other contexts add theirs here.
RECORD_TYPES = [
    ("resident", _("区民")),
    ("consent", _("同意")),
    ("audit", _("監査ログ")),
]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("職員ID"), required=False, max_length=150,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))
    action = forms.ChoiceField(label=_("操作"), required=False,
                               choices=[("", _("すべて")), *Action.choices])
    record_type = forms.ChoiceField(label=_("記録の種類"), required=False,
                                    choices=[("", _("すべて")), *RECORD_TYPES])
    resident_ref = forms.UUIDField(
        label=_("区民ID"), required=False,
        help_text=_("区民の詳細ページのアドレスにある ID（例: 0b8c…）"),
        error_messages={"invalid": _("区民IDは「0b8c3d0e-…」の形式で入力してください。")})
    date_from = forms.DateField(label=_("開始日"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("日付を正しく入力してください。")})
    date_to = forms.DateField(label=_("終了日"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("日付を正しく入力してください。")})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("終了日は開始日以降の日付にしてください。"))
        return cleaned

    def used_filters(self) -> list[str]:
        """Names of the filters in use (for the export's own audit entry)."""
        if not self.is_valid():
            return []
        return [name for name, value in self.cleaned_data.items() if value not in (None, "")]
