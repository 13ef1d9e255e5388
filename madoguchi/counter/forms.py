from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.counter.models import ServiceGroup


class ManualRecordForm(forms.Form):
    service = forms.TypedChoiceField(label=_("サービス"), coerce=int)
    day = forms.DateField(label=_("日付"))
    quantity = forms.IntegerField(label=_("件数"), min_value=1, max_value=999, initial=1)
    note = forms.CharField(label=_("メモ"), max_length=200, required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.pk, s.display_name) for s in services]


class PeriodForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    month = forms.IntegerField(min_value=1, max_value=12, required=False)


GROUP_LABELS = dict(ServiceGroup.choices)
