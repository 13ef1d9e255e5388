"""Surveys: the list, a new survey, the results (charts) and their CSV."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.policy import Action, can
from madoguchi.opinions import charts, selectors, services
from madoguchi.opinions.forms import SurveyForm
from madoguchi.opinions.models import Survey
from madoguchi.opinions.views.staff._common import MANAGE, _create


def _survey(request, survey) -> Survey:
    found = Survey.objects.filter(public_id=survey).first()
    if found is None or not can(request.user, Action.OPINIONS_MANAGE, found):
        raise Http404
    return found


@MANAGE
def survey_list(request):
    return render(request, "opinions/staff/surveys.html",
                  {"surveys": selectors.staff_surveys(request.user)[:200]})


@MANAGE
@require_http_methods(["GET", "POST"])
def survey_create(request):
    return _create(request, SurveyForm(request.POST or None), services.survey_create,
                   "opinions:survey", "survey", "opinions/staff/survey_form.html")


@MANAGE
def survey_results(request, survey):
    found = _survey(request, survey)
    count, results = selectors.survey_results(found)
    shown = [(result, charts.bar_svg(title=result.label, rows=result.rows,
                                     chart_id=f"chart-{result.name}")
              if result.kind == "choice" else None) for result in results]
    return render(request, "opinions/staff/survey.html",
                  {"survey": found, "count": count, "results": shown})


@MANAGE
def survey_csv(request, survey):
    found = _survey(request, survey)
    response = HttpResponse(selectors.survey_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="survey.csv"'
    return response
