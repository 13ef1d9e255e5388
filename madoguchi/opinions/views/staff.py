"""The staff's pages: consultations (draft, documents, categories, publication), opinions
entered from e-mail and paper, splitting and sorting into items, groups and the ward's
answers, the tally (HTML, CSV, PDF), the published result; surveys and their results.
Every page that shows a sender's data is audited."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.documents.errors import DocumentContentError
from madoguchi.files.services import FileRefused, file_open
from madoguchi.opinions import charts, selectors, services
from madoguchi.opinions.forms import (
    AnswerForm,
    CategoryForm,
    ConsultationForm,
    DocumentForm,
    GroupForm,
    ItemForm,
    PublishForm,
    SortForm,
    StaffOpinionForm,
    SurveyForm,
)
from madoguchi.opinions.models import AnswerGroup, Category, Consultation, Item, Opinion, Survey
from madoguchi.opinions.pdf import tally_pdf

MANAGE = policy_required(Action.OPINIONS_MANAGE)


def _consultation(request, consultation) -> Consultation:
    found = Consultation.objects.select_related("district").filter(
        public_id=consultation).first()
    if found is None or not can(request.user, Action.OPINIONS_MANAGE, found):
        raise Http404
    return found


def _refused(request, error: services.OpinionsError, consultation: Consultation):
    return render(request, "opinions/staff/refused.html",
                  {"consultation": consultation, "messages_list": error.messages}, status=409)


@MANAGE
def consultation_list(request):
    return render(request, "opinions/staff/list.html",
                  {"consultations": selectors.staff_consultations(request.user)[:200]})


@MANAGE
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    return _create(request, ConsultationForm(request.POST or None),
                   services.consultation_create, "opinions:detail", "consultation",
                   "opinions/staff/form.html")


def _create(request, form, create, page: str, key: str, template: str):
    """A create page: the form, the service, then the new record's page."""
    if request.method == "POST" and form.is_valid():
        try:
            found = create(by=request.user, data=form.cleaned_data)
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect(page, **{key: found.public_id})
    return render(request, template, {"form": form},
                  status=400 if request.method == "POST" else 200)


@MANAGE
def consultation_detail(request, consultation):
    found = _consultation(request, consultation)
    opinions = list(found.opinions.select_related("district").prefetch_related("items"))
    audit.record_many(actor=request.user, action=AuditAction.LIST, record_type="opinion",
                      records=[(o.public_id, "") for o in opinions], source="opinions:detail",
                      fields=["name", "district", "channel"])
    return render(request, "opinions/staff/detail.html", {
        "consultation": found, "opinions": opinions,
        "documents": found.documents.select_related("file"),
        "categories": found.categories.all(),
        "document_form": DocumentForm(), "category_form": CategoryForm(),
        "problems": services.publish_problems(found) if found.state == "open" else [],
        "publish_form": PublishForm(),
        "period": services.period_text(found.starts_on, found.ends_on),
    })


@MANAGE
@require_POST
def consultation_open(request, consultation):
    found = _consultation(request, consultation)
    try:
        services.consultation_open(by=request.user, consultation=found)
    except services.OpinionsError as error:
        return _refused(request, error, found)
    return redirect("opinions:detail", consultation=found.public_id)


@MANAGE
@require_POST
def document_add(request, consultation):
    found = _consultation(request, consultation)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(by=request.user, consultation=found,
                                  title=form.cleaned_data["title"],
                                  upload=form.cleaned_data["file"])
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect("opinions:detail", consultation=found.public_id)
    return render(request, "opinions/staff/document_form.html",
                  {"consultation": found, "form": form}, status=400)


@MANAGE
@require_POST
def category_add(request, consultation):
    found = _consultation(request, consultation)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_add(by=request.user, consultation=found,
                                  name=form.cleaned_data["name"])
        except services.OpinionsError as error:
            return _refused(request, error, found)
        return redirect("opinions:detail", consultation=found.public_id)
    return _refused(request, services.OpinionsError(form.errors["name"]), found)


@MANAGE
@require_POST
def category_remove(request, consultation, category):
    found = _consultation(request, consultation)
    category = get_object_or_404(Category, pk=category, consultation=found)
    try:
        services.category_remove(by=request.user, category=category)
    except services.OpinionsError as error:
        return _refused(request, error, found)
    return redirect("opinions:detail", consultation=found.public_id)


@MANAGE
@require_http_methods(["GET", "POST"])
def opinion_enter(request, consultation):
    """A clerk types a postcard, letter, FAX or handed-in opinion, or pastes an e-mail."""
    found = _consultation(request, consultation)
    form = StaffOpinionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.opinion_submit(
                consultation=found, submission_key=data["submission_key"], text=data["text"],
                channel=data["channel"], name=data["name"], district=data["district"],
                age_band=data["age_band"], received_on=data["received_on"],
                postmark_on=data["postmark_on"], original=data["original"], by=request.user,
                source="opinions:enter")
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect("opinions:opinion", consultation=found.public_id,
                            opinion=submitted.opinion.public_id)
    return render(request, "opinions/staff/opinion_form.html",
                  {"consultation": found, "form": form,
                   "period": services.period_text(found.starts_on, found.ends_on)},
                  status=400 if request.method == "POST" else 200)


def _opinion(found: Consultation, opinion) -> Opinion:
    return get_object_or_404(Opinion.objects.select_related("district", "original"),
                             public_id=opinion, consultation=found)


@MANAGE
@require_http_methods(["GET", "POST"])
def opinion_detail(request, consultation, opinion):
    """The opinion as it came, its items, and a form to add an item (split)."""
    found = _consultation(request, consultation)
    item_of = _opinion(found, opinion)
    form = ItemForm(request.POST or None, consultation=found,
                    initial={"text": item_of.text} if not item_of.items.exists() else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(by=request.user, opinion=item_of, text=form.cleaned_data["text"],
                              category=form.cleaned_data["category"])
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect("opinions:opinion", consultation=found.public_id,
                            opinion=item_of.public_id)
    audit.record(actor=request.user, action=AuditAction.VIEW, record_type="opinion",
                 record_id=item_of.public_id, source="opinions:opinion",
                 fields=["name", "district", "age_band", "text"])
    return render(request, "opinions/staff/opinion.html", {
        "consultation": found, "opinion": item_of, "form": form,
        "items": item_of.items.select_related("category", "group")},
        status=400 if request.method == "POST" else 200)


@MANAGE
def opinion_original(request, consultation, opinion):
    found = _consultation(request, consultation)
    item_of = _opinion(found, opinion)
    if item_of.original is None:
        raise Http404
    try:
        handle = file_open(stored=item_of.original)
    except FileRefused as refused:
        return HttpResponse(refused.message, status=refused.status(404),
                            content_type="text/plain; charset=utf-8")
    audit.record(actor=request.user, action=AuditAction.VIEW, record_type="opinion",
                 record_id=item_of.public_id, source="opinions:original", fields=["original"])
    return FileResponse(handle, filename=item_of.original.original_name,
                        content_type=item_of.original.content_type)


def _item(found: Consultation, item: int) -> Item:
    return get_object_or_404(Item.objects.select_related("consultation", "opinion"), pk=item,
                             consultation=found)


@MANAGE
@require_POST
def item_sort(request, consultation, item):
    found = _consultation(request, consultation)
    form = SortForm(request.POST, consultation=found)
    if not form.is_valid():
        return _refused(request, services.OpinionsError(form.errors.get("category", [])),
                        found)
    target = _item(found, item)
    try:
        services.item_sort(by=request.user, item=target, category=form.cleaned_data["category"])
    except services.OpinionsError as error:
        return _refused(request, error, found)
    if request.POST.get("back") == "opinion":
        return redirect("opinions:opinion", consultation=found.public_id,
                        opinion=target.opinion.public_id)
    return redirect("opinions:sorting", consultation=found.public_id)


@MANAGE
@require_POST
def item_remove(request, consultation, item):
    found = _consultation(request, consultation)
    target = _item(found, item)
    try:
        services.item_remove(by=request.user, item=target)
    except services.OpinionsError as error:
        return _refused(request, error, found)
    return redirect("opinions:sorting", consultation=found.public_id)


def _audit_items(request, items: list[Item], source: str) -> None:
    """Items are the senders' words: reading them is reading their opinions."""
    opinions = {item.opinion.public_id for item in items}
    if opinions:
        audit.record_many(actor=request.user, action=AuditAction.LIST, record_type="opinion",
                          records=[(public_id, "") for public_id in sorted(opinions)],
                          source=source, fields=["text"])


@MANAGE
@require_http_methods(["GET", "POST"])
def sorting(request, consultation):
    """Every item with its category and group; merge the checked ones into a group."""
    found = _consultation(request, consultation)
    form = GroupForm(request.POST or None, consultation=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.items_group(by=request.user, consultation=found,
                                 items=form.cleaned_data["items"],
                                 summary=form.cleaned_data["summary"],
                                 group=form.cleaned_data["group"])
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect("opinions:sorting", consultation=found.public_id)
    items = list(found.items.select_related("opinion", "category", "group"))
    _audit_items(request, items, "opinions:sorting")
    return render(request, "opinions/staff/sorting.html", {
        "consultation": found, "items": items, "form": form,
        "categories": found.categories.all(),
        "groups": found.groups.select_related("category").prefetch_related("items"),
    }, status=400 if request.method == "POST" else 200)


@MANAGE
@require_http_methods(["GET", "POST"])
def group_answer(request, consultation, group):
    found = _consultation(request, consultation)
    group = get_object_or_404(AnswerGroup.objects.select_related("category"), pk=group,
                              consultation=found)
    form = AnswerForm(request.POST or None,
                      initial={"summary": group.summary, "answer": group.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.group_answer(by=request.user, group=group, **form.cleaned_data)
        except services.OpinionsError as error:
            form.add_service_errors(error)
        else:
            return redirect("opinions:sorting", consultation=found.public_id)
    items = list(group.items.select_related("opinion"))
    _audit_items(request, items, "opinions:group")
    return render(request, "opinions/staff/group.html", {
        "consultation": found, "group": group, "form": form, "items": items},
        status=400 if request.method == "POST" else 200)


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


# ── surveys ───────────────────────────────────────────────────────────────────────────

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
