"""The window-services log of an office (and the manual records) with its CSV, and the CSV of
every office the user may read."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.core.spreadsheet import BOM, cell
from madoguchi.counter import selectors, services
from madoguchi.counter.errors import CounterError
from madoguchi.counter.forms import ManualRecordForm, PeriodForm
from madoguchi.counter.views._common import _office


def _period(request) -> tuple[int, int | None]:
    form = PeriodForm(request.GET or None)
    today = selectors.today()
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"], form.cleaned_data["month"]
    return today.year, today.month


@policy_required(Action.COUNTER_LOG)
def log(request, office):
    found = _office(request, office, Action.COUNTER_LOG)
    year, month = _period(request)
    form = ManualRecordForm(request.POST or None, services=selectors.services_of(found),
                            initial={"day": selectors.today()})
    status = 200
    if request.method == "POST":
        if not can(request.user, Action.COUNTER_SERVE, found):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            service = found.services.filter(pk=data["service"]).first()
            try:
                services.record_manual(office=found, service=service, day=data["day"],
                                       quantity=data["quantity"], note=data["note"],
                                       by=request.user)
            except CounterError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("記録しました。"))
                return redirect("counter:log", office=found.code)
        status = 400
    return render(request, "counter/log.html", {
        "office": found, "year": year, "month": month, "form": form,
        "rows": selectors.log_counts(found, year=year, month=month),
        "can_record": can(request.user, Action.COUNTER_SERVE, found)}, status=status)


def _csv(rows: list[dict], *, year: int, month: int | None, name: str) -> HttpResponse:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(["窓口", "年", "月", "区分（別表2）", "サービス", "件数", "うち番号札",
                     "平均待ち時間（秒）", "平均処理時間（秒）"])
    for row in rows:
        writer.writerow([cell(row["office"]), year, month or "", cell(str(row["group"])),
                         cell(row["service"]), row["count"], row["tickets"],
                         "" if row["wait"] is None else row["wait"],
                         "" if row["handling"] is None else row["handling"]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    period = f"{year}{'' if not month else f'-{month:02d}'}"
    response["Content-Disposition"] = f'attachment; filename="counter-{name}-{period}.csv"'
    return response


@require_GET
@policy_required(Action.COUNTER_LOG)
def log_csv(request, office):
    found = _office(request, office, Action.COUNTER_LOG)
    year, month = _period(request)
    return _csv(selectors.log_counts(found, year=year, month=month), year=year, month=month,
                name=found.code)


@require_GET
@policy_required(Action.COUNTER_LOG)
def ward_csv(request):
    """Every office the user may read (all of them for a ward administrator)."""
    year, month = _period(request)
    readable = selectors.offices_for(request.user, Action.COUNTER_LOG)
    return _csv(selectors.log_counts_for(readable, year=year, month=month), year=year,
                month=month, name="ward")
