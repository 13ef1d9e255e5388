"""Opinions: entered by a clerk from e-mail and paper, the opinion as it came with its items
(split), its scanned original. Every read of a sender's data is audited."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.files.services import FileRefused, file_open
from madoguchi.opinions import services
from madoguchi.opinions.forms import ItemForm, StaffOpinionForm
from madoguchi.opinions.models import Consultation, Opinion
from madoguchi.opinions.views.staff._common import MANAGE, _consultation


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
