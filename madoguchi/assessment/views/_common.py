"""What the pages share: the fiscal year asked for (this year by default) and the district
of the URL."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.assessment import figures
from madoguchi.organisation.selectors import district_get


def _fiscal_year(request) -> int:
    current = figures.fiscal_year_of(timezone.localdate())
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= current:
        return int(raw)
    return current


def _district(region: str, district: str):
    found = district_get(region, district)
    if found is None:
        raise Http404(_("その地区はありません。"))
    return found
