"""The ward dashboard (filtered by year, month and region), its exports (CSV, xlsx) and a
district's monthly series."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.assessment import figures, opendata, selectors
from madoguchi.assessment.forms import MONTH_NAMES, DashboardFilter
from madoguchi.assessment.views._common import _district, _fiscal_year


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
