"""Pages: the open-data catalogue and files (public), district profiles, the ward dashboard
and its exports (staff)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.assessment import charts, figures, opendata, pdf, selectors, services
from madoguchi.assessment.forms import MONTH_NAMES, AssessmentForm, DashboardFilter, FigureForm
from madoguchi.assessment.models import Status
from madoguchi.organisation.selectors import district_get

# -- open data (public) ------------------------------------------------------------------


def catalogue(request):
    files = selectors.open_data_files()
    english = (get_language() or "ja").startswith("en")
    datasets = [{"spec": spec, "file": files.get(spec.code),
                 "title": spec.title_en if english else spec.title,
                 "description": spec.description_en if english else spec.description}
                for spec in opendata.datasets()]
    return render(request, "assessment/catalogue.html", {
        "datasets": datasets, "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL, "source_url": opendata.SOURCE_URL,
        "lg_code": opendata.LG_CODE})


def open_data_csv(request, filename: str):
    code = filename.removeprefix(f"{opendata.LG_CODE}_").removesuffix(".csv")
    spec = opendata.dataset(code)
    found = selectors.open_data_file(code) if spec else None
    if found is None:
        raise Http404(_("そのデータセットはまだ公開されていません。"))
    response = HttpResponse(bytes(found.content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{spec.filename}"'
    response["Last-Modified"] = found.updated_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response


# -- district profile --------------------------------------------------------------------

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


# -- the ward dashboard ------------------------------------------------------------------

def _dashboard(request):
    # The districts are read once: their regions fill the region filter (ADR 0062).
    districts = selectors.district_rows()
    form = DashboardFilter(request.GET or None, regions=selectors.regions_of(districts))
    current = figures.fiscal_year_of(timezone.localdate())
    year, month, region = current, None, None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or current
        month = form.cleaned_data["month"]
        region = form.cleaned_data["region"]
    if region is not None:
        districts = [district for district in districts if district.region_id == region.pk]
    data = selectors.dashboard(user=request.user, fiscal_year=year, month=month, region=region,
                               districts=districts)
    return form, data


@policy_required(Action.DASHBOARD_VIEW)
def dashboard(request):
    form, data = _dashboard(request)
    # The cells as text, made once here (the export's table), and the rows as HTML in one
    # pass: the template only prints them (ADR 0051, 0062).
    table = _table(data, blank="―")
    return render(request, "assessment/dashboard.html", {
        "form": form, "data": data, "year_label": figures.fiscal_year_label(data.fiscal_year),
        "header": table[0][3:], "body": _body(data, table[1:]),
        "month_name": MONTH_NAMES.get(data.month) if data.month else "",
        "query": request.GET.urlencode()})


_ROW = ('\n    <tr><td>{}</td><th scope="row"><a href="{}?year={}">{}</a></th>{}</tr>\n  ')


def _body(data, lines: list[list[str]]) -> str:
    """The table's rows (region, district linked to its time series, population, cells)."""
    return format_html_join("", _ROW, (
        (line[0], reverse("assessment:dashboard_district",
                          args=[row.district.region.code, row.district.code]),
         data.fiscal_year, line[1], format_html_join("", "<td>{}</td>",
                                                     ((text,) for text in line[2:])))
        for row, line in zip(data.rows, lines, strict=True)))


def _table(data, *, blank: str = "") -> list[list[str]]:
    header = [_("地域"), _("地区"), _("人口")] + [label for _code, label in data.columns]
    rows = [header]
    for row in data.rows:
        line = [row.district.region.label, row.district.label, str(row.district.population)]
        for code, _label in data.columns:
            cell = row.cells[code]
            line.append(_("5未満") if cell.count is None else
                        blank if cell.per_thousand is None else f"{cell.per_thousand}")
        rows.append(line)
    return rows


@policy_required(Action.DASHBOARD_VIEW)
def dashboard_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("CSV か Excel（xlsx）を選んでください。"))
    form, data = _dashboard(request)
    if form.is_bound and not form.is_valid():
        raise Http404(_("絞り込みの条件が正しくありません。"))
    table = _table(data)
    name = f"dashboard_{data.fiscal_year}{'_' + str(data.month) if data.month else ''}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write(opendata.BOM)
        csv.writer(buffer, lineterminator="\r\n").writerows(table)
        response = HttpResponse(buffer.getvalue().encode("utf-8"),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = figures.fiscal_year_label(data.fiscal_year)
    for line in table:
        sheet.append([_number(value) for value in line])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _number(value: str):
    try:
        return float(value) if "." in value else int(value)
    except ValueError:
        return value


@policy_required(Action.DASHBOARD_VIEW)
def dashboard_district(request, region: str, district: str):
    found = _district(region, district)
    year = _fiscal_year(request)
    series = selectors.district_series(user=request.user, district=found, fiscal_year=year)
    small = _("5未満")
    rows = [(MONTH_NAMES[point.month],
             [small if cell.count is None else
              f"{cell.count}（{'―' if cell.per_thousand is None else cell.per_thousand}）"
              for cell in point.cells.values()]) for point in series]
    return render(request, "assessment/dashboard_district.html", {
        "district": found, "rows": rows, "year_label": figures.fiscal_year_label(year),
        "as_of": series.as_of,
        "year": year, "region_code": region, "district_code": district})


# -- the yearly assessment ---------------------------------------------------------------

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
