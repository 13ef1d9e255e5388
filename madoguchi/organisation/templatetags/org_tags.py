"""Template helpers of the /org/ pages."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext as _

from madoguchi.organisation.contact import CentreContact
from madoguchi.organisation.contact import centre_contact as contact_of

register = template.Library()


@register.simple_tag
def centre_contact(centre) -> CentreContact:
    """``{% centre_contact centre as contact %}``: address and the number to call."""
    return contact_of(centre)


def _short_names() -> list[str]:
    return [_("月"), _("火"), _("水"), _("木"), _("金"), _("土"), _("日")]


@register.filter
def weekday_ranges(days: Iterable[int]) -> str:
    """{0,1,2,3,4} → 月〜金; {0,2,4} → 月・水・金."""
    names = _short_names()
    ordered = sorted(set(days))
    runs: list[list[int]] = []
    for day in ordered:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [names[run[0]] + (_("〜") + names[run[-1]] if len(run) > 2 else "")
             if len(run) != 2 else names[run[0]] + _("・") + names[run[1]] for run in runs]
    return _("・").join(parts)
