"""District profiles, and the figures staff enter on them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.assessment import figures, selectors, services
from madoguchi.assessment.forms import FigureForm
from madoguchi.assessment.views._common import _district, _fiscal_year


@policy_required(Action.PROFILE_VIEW)
def profile(request, region: str, district: str):
    found = _district(region, district)
    year = _fiscal_year(request)
    data = selectors.profile(user=request.user, district=found, fiscal_year=year)
    current = figures.fiscal_year_of(timezone.localdate())
    years = [(y, figures.fiscal_year_label(y)) for y in range(current, current - 6, -1)]
    form = FigureForm(initial={"fiscal_year": year}) \
        if can(request.user, Action.ASSESSMENT_FIGURES, found) else None
    return render(request, "assessment/profile.html", {
        "profile": data, "years": years, "form": form, "region_code": region,
        "district_code": district, "before_label": figures.fiscal_year_label(year - 1)})


@require_http_methods(["POST"])
@policy_required(Action.ASSESSMENT_FIGURES)
def figure_enter(request, region: str, district: str):
    found = _district(region, district)
    if not can(request.user, Action.ASSESSMENT_FIGURES, found):
        raise PermissionDenied(_("この地区の数値を入力する権限がありません。"))
    form = FigureForm(request.POST)
    if form.is_valid():
        try:
            services.figure_enter(user=request.user, district=found,
                                  fiscal_year=form.cleaned_data["fiscal_year"],
                                  code=form.cleaned_data["code"],
                                  value=form.cleaned_data["value"],
                                  note=form.cleaned_data["note"])
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, _("数値を保存しました。"))
            return redirect(f"{request.path.rsplit('/figures', 1)[0]}/?year="
                            f"{form.cleaned_data['fiscal_year']}")
    year = form.cleaned_data.get("fiscal_year") if form.is_valid() else _fiscal_year(request)
    data = selectors.profile(user=request.user, district=found,
                             fiscal_year=year or _fiscal_year(request))
    current = figures.fiscal_year_of(timezone.localdate())
    years = [(y, figures.fiscal_year_label(y)) for y in range(current, current - 6, -1)]
    return render(request, "assessment/profile.html", {
        "profile": data, "years": years, "form": form, "region_code": region,
        "district_code": district,
        "before_label": figures.fiscal_year_label(data.fiscal_year - 1)}, status=200)
