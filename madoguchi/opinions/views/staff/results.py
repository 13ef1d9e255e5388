"""The tally (HTML, CSV, PDF) and publishing the result."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from madoguchi.documents.errors import DocumentContentError
from madoguchi.opinions import charts, selectors, services
from madoguchi.opinions.forms import PublishForm
from madoguchi.opinions.pdf import tally_pdf
from madoguchi.opinions.views.staff._common import MANAGE, _consultation, _refused


@MANAGE
def tally(request, consultation):
    found = _consultation(request, consultation)
    counted = selectors.tally(found)
    titles = selectors.tally_titles()
    sections = [(kind, titles[kind], counted.rows[kind],
                 charts.bar_svg(title=titles[kind], rows=counted.rows[kind],
                                chart_id=f"chart-{kind}"))
                for kind in selectors.TALLY_KINDS]
    return render(request, "opinions/staff/tally.html",
                  {"consultation": found, "tally": counted, "sections": sections})


@MANAGE
def tally_csv(request, consultation):
    found = _consultation(request, consultation)
    response = HttpResponse(selectors.tally_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="opinions-tally.csv"'
    return response


@MANAGE
def tally_print(request, consultation):
    found = _consultation(request, consultation)
    try:
        with translation.override("ja"):
            body = tally_pdf(found)
    except DocumentContentError as error:
        return _refused(request, services.OpinionsError(error.problems), found)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="opinions-tally.pdf"'
    return response


@MANAGE
@require_POST
def publish(request, consultation):
    found = _consultation(request, consultation)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.result_publish(by=request.user, consultation=found,
                                intro=form.cleaned_data.get("intro", ""))
    except services.OpinionsError as error:
        return _refused(request, error, found)
    return redirect("pubcom:result", consultation=found.public_id)
