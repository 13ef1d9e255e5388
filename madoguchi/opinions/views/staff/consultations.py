"""Consultations: the list, a new draft, its page (opinions, documents, categories, what
stands before publication), opening it, documents and categories."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.opinions import selectors, services
from madoguchi.opinions.forms import CategoryForm, ConsultationForm, DocumentForm, PublishForm
from madoguchi.opinions.models import Category
from madoguchi.opinions.views.staff._common import MANAGE, _consultation, _create, _refused


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
