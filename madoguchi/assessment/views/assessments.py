"""The yearly assessment of a district: the published ones (page and PDF, public) and the
staff's page (write, submit, approve, return, publish; the figures and charts frozen at
the branch office's approval)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.assessment import charts, figures, pdf, selectors, services
from madoguchi.assessment.forms import AssessmentForm
from madoguchi.assessment.models import Status
from madoguchi.assessment.views._common import _district


def _published(region: str, district: str, year: int):
    found = _district(region, district)
    assessment = selectors.assessment_get(district=found, fiscal_year=year)
    if assessment is None or assessment.status != Status.PUBLISHED:
        raise Http404(_("この年度の地区アセスメントは公開されていません。"))
    return found, assessment


def _title(district, year: int) -> str:
    return _("%(name)s地区 地区アセスメント（%(year)s）") % {
        "name": district.label, "year": figures.fiscal_year_label(year)}


def _svgs(data: dict, stored: list[str] | None = None) -> list[tuple[dict, bytes]]:
    """The charts' SVGs: those drawn at the approval, else drawn now."""
    if stored and len(stored) == len(data.get("charts", [])):
        return [(chart, svg.encode()) for chart, svg in zip(data["charts"], stored,
                                                             strict=True)]
    return pdf.chart_svgs(data)


def _chart_context(data: dict, stored: list[str] | None = None) -> list[dict]:
    out = []
    for number, (chart, svg) in enumerate(_svgs(data, stored), start=1):
        now, before = chart["total"]
        out.append({"chart": chart, "id": f"chart-{number}",
                    "svg": mark_safe(charts.inline_svg(svg, label_id=f"chart-{number}-title")),  # noqa: S308 - our own matplotlib output
                    "summary": selectors.change_text(now, before),
                    "empty": not any((n or 0) or (b or 0) for _l, n, b in chart["rows"])})
    return out


def public_assessments(request, region: str, district: str):
    found = _district(region, district)
    rows = [(a, figures.fiscal_year_label(a.fiscal_year))
            for a in selectors.published_assessments(district=found)]
    return render(request, "assessment/public_list.html", {
        "district": found, "rows": rows, "region_code": region, "district_code": district})


def public_assessment(request, region: str, district: str, year: int):
    found, assessment = _published(region, district, year)
    data = assessment.figures or {}
    others = [(a.fiscal_year, figures.fiscal_year_label(a.fiscal_year))
              for a in selectors.published_assessments(district=found)]
    return render(request, "assessment/public.html", {
        "district": found, "assessment": assessment, "data": data,
        "charts": _chart_context(data, assessment.chart_svgs), "title": _title(found, year),
        "years": others,
        "region_code": region, "district_code": district, "year": year,
        "sections": [(getattr(assessment, name), label) for name, label in SECTION_LABELS]})


def public_assessment_pdf(request, region: str, district: str, year: int):
    found, assessment = _published(region, district, year)
    content = bytes(assessment.pdf) if assessment.pdf else _render_pdf(assessment)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="assessment_{found.region.code}_{found.code}_{year}.pdf"')
    return response


def _render_pdf(assessment) -> bytes:
    with translation.override("ja"):
        return pdf.render(assessment, title=_title(assessment.district, assessment.fiscal_year),
                          svgs=_svgs(assessment.figures or {}, assessment.chart_svgs))


def _snapshot(district, year: int):
    """The figures and charts frozen at the branch office's approval (in Japanese)."""
    with translation.override("ja"):
        data = selectors.assessment_figures(district=district, fiscal_year=year)
        return data, [svg.decode() for _chart, svg in pdf.chart_svgs(data)]


SECTION_LABELS = (("situation", gettext_lazy("地区の状況")),
                  ("issues", gettext_lazy("地区の課題")),
                  ("resources", gettext_lazy("地域資源")),
                  ("actions", gettext_lazy("今年度の取組")),
                  ("easy_summary", gettext_lazy("やさしい日本語のまとめ")))


@policy_required(Action.PROFILE_VIEW)
def assessment_staff(request, region: str, district: str, year: int):
    found = _district(region, district)
    assessment = selectors.assessment_get(district=found, fiscal_year=year)
    form = AssessmentForm(instance=assessment)
    return _staff_page(request, found, year, assessment, form)


def _staff_page(request, district, year, assessment, form, *, status: int = 200,
                conflict=None):
    user = request.user
    may = {
        "write": can(user, Action.ASSESSMENT_WRITE, district)
        and (assessment is None or assessment.status == Status.DRAFT),
        "submit": assessment is not None and assessment.status == Status.DRAFT
        and can(user, Action.ASSESSMENT_WRITE, district),
        "approve": assessment is not None and (
            (assessment.status == Status.SUBMITTED
             and can(user, Action.ASSESSMENT_CENTRE_APPROVE, assessment))
            or (assessment.status == Status.CENTRE_APPROVED
                and can(user, Action.ASSESSMENT_BRANCH_APPROVE, assessment))),
        "publish": assessment is not None and assessment.status == Status.APPROVED
        and can(user, Action.ASSESSMENT_PUBLISH, district),
    }
    preview = selectors.assessment_figures(district=district, fiscal_year=year)
    return render(request, "assessment/staff.html", {
        "district": district, "year": year, "year_label": figures.fiscal_year_label(year),
        "assessment": assessment, "form": form, "may": may, "conflict": conflict,
        "history": selectors.assessment_history(assessment) if assessment else [],
        "charts": _chart_context(preview), "preview": preview,
        "region_code": district.region.code,
        "district_code": district.code}, status=status)


@require_http_methods(["POST"])
@policy_required(Action.ASSESSMENT_WRITE)
def assessment_save(request, region: str, district: str, year: int):
    found = _district(region, district)
    if not can(request.user, Action.ASSESSMENT_WRITE, found):
        raise PermissionDenied(_("この地区のアセスメントを編集する権限がありません。"))
    current = selectors.assessment_get(district=found, fiscal_year=year)
    form = AssessmentForm(request.POST, instance=current)
    if not form.is_valid():
        return _staff_page(request, found, year, current, form)
    try:
        services.assessment_save(user=request.user, district=found, fiscal_year=year,
                                 texts=form.texts(), revision=form.cleaned_data["revision"])
    except services.StaleRevision as error:
        form.add_error(None, error.messages[0])
        return _staff_page(request, found, year, error.current, form, status=409,
                           conflict=error.current)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _staff_page(request, found, year, current, form)
    messages.success(request, _("保存しました。"))
    return redirect("assessment:staff", region=region, district=district, year=year)


@require_http_methods(["POST"])
@policy_required(Action.PROFILE_VIEW)
def assessment_step(request, region: str, district: str, year: int, step: str):
    found = _district(region, district)
    assessment = selectors.assessment_get(district=found, fiscal_year=year)
    if assessment is None:
        raise Http404(_("この年度の地区アセスメントはまだありません。"))
    try:
        if step == "submit":
            services.assessment_submit(user=request.user, assessment_id=assessment.pk)
        elif step == "approve":
            services.assessment_approve(
                user=request.user, assessment_id=assessment.pk,
                figures_snapshot=lambda: _snapshot(found, year))
        elif step == "return":
            services.assessment_return(user=request.user, assessment_id=assessment.pk,
                                       reason=request.POST.get("reason", ""))
        elif step == "publish":
            services.assessment_publish(user=request.user, assessment_id=assessment.pk,
                                        render_pdf=_render_pdf)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("手続きを記録しました。"))
    return redirect("assessment:staff", region=region, district=district, year=year)
