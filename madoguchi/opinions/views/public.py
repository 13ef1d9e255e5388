"""The residents' pages (no login): open consultations with their documents and the
opinion form, the published results (意見の概要と区の考え方), and the surveys."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.documents.errors import DocumentContentError
from madoguchi.files.services import FileRefused, file_open
from madoguchi.opinions import selectors, services
from madoguchi.opinions.forms import PublicOpinionForm, SubmissionKeyForm
from madoguchi.opinions.models import Channel, Document, State, Survey
from madoguchi.opinions.pdf import result_pdf
from madoguchi.procedures.formschema.django_forms import ProcedureForm
from madoguchi.procedures.formschema.parse import parse_form


def index(request):
    consultations = list(selectors.public_consultations()[:100])
    return render(request, "opinions/public/index.html", {
        "open": [c for c in consultations if c.state == State.OPEN],
        "results": [c for c in consultations if c.state == State.RESULT],
        "surveys": selectors.public_surveys()[:50],
    })


def _public(consultation):
    return get_object_or_404(selectors.public_consultations(), public_id=consultation)


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_page(request, consultation):
    found = _public(consultation)
    accepting = selectors.accepting(found)
    form = PublicOpinionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                submitted = services.opinion_submit(
                    consultation=found, submission_key=data["submission_key"],
                    text=data["text"], channel=Channel.WEB, name=data["name"],
                    district=data["district"], age_band=data["age_band"])
            except services.OpinionsError as error:
                form.add_service_errors(error)
            else:
                return redirect("pubcom:thanks", consultation=found.public_id,
                                number=submitted.opinion.number)
    return render(request, "opinions/public/consultation.html", {
        "consultation": found, "form": form, "accepting": accepting,
        "documents": found.documents.select_related("file"),
        "period": services.period_text(found.starts_on, found.ends_on),
    }, status=status)


def thanks(request, consultation, number):
    found = _public(consultation)
    return render(request, "opinions/public/thanks.html",
                  {"consultation": found, "number": number})


def document(request, consultation, document):
    found = _public(consultation)
    item = get_object_or_404(Document.objects.select_related("file"), pk=document,
                             consultation=found)
    try:
        handle = file_open(stored=item.file)
    except FileRefused as refused:
        return HttpResponse(refused.message, status=refused.status(404),
                            content_type="text/plain; charset=utf-8")
    return FileResponse(handle, filename=item.file.original_name,
                        content_type=item.file.content_type)


def _published(consultation):
    found = _public(consultation)
    if found.state != State.RESULT:
        raise Http404
    return found


def result(request, consultation):
    found = _published(consultation)
    counted = selectors.tally(found)
    return render(request, "opinions/public/result.html", {
        "consultation": found, "categories": selectors.result(found), "tally": counted,
        "channels": [row for row in counted.rows["channel"] if row[1]],
        "period": services.period_text(found.starts_on, found.ends_on),
    })


def result_print(request, consultation):
    """The published result as a PDF (the same content as the page, nothing personal)."""
    found = _published(consultation)
    try:
        with translation.override("ja"):
            body = result_pdf(found)
    except DocumentContentError:  # publication checks it; the page still shows the result
        return HttpResponse(_("結果のPDFを作成できませんでした。結果は「意見の概要と区の考え方」の"
                              "ページでご覧ください。"), status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="pubcom-result.pdf"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request, survey):
    found = get_object_or_404(Survey, public_id=survey)
    spec = parse_form(found.form)
    form = ProcedureForm(spec, request.POST or None, prefix="q")
    key_form = SubmissionKeyForm(request.POST or None)
    open_now = selectors.public_surveys().filter(pk=found.pk).exists()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and key_form.is_valid():
            try:
                services.survey_answer(survey=found,
                                       submission_key=key_form.cleaned_data["submission_key"],
                                       data=form.structured())
            except services.OpinionsError as error:
                form.add_error(None, error.messages)
            else:
                return render(request, "opinions/public/survey_thanks.html",
                              {"survey": found})
    return render(request, "opinions/public/survey.html", {
        "survey": found, "form": form, "key_form": key_form, "open_now": open_now,
        "period": services.period_text(found.starts_on, found.ends_on)}, status=status)
