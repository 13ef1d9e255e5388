"""The consultation's record: its page and the documents kept in it. Only UUIDs travel in URLs
(never names or the worry); every page that shows personal data is ``Cache-Control: no-
store`` and audited by the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.consultations import access, bookings, documents, selectors, services
from madoguchi.consultations.forms import (
    FollowUpForm,
)
from madoguchi.consultations.models import DocumentPlace, Status
from madoguchi.consultations.services.references import (
    consultation_reference_add,
    consultation_reference_remove,
)
from madoguchi.consultations.views._common import (
    _locate,
    detail_url,
    source_of,
)
from madoguchi.core import references
from madoguchi.files.services import FileRefused
from madoguchi.files.uploads import UploadForm, bound_upload_form

# ── the record ─────────────────────────────────────────────────────────────────────────

@never_cache
@require_http_methods(["GET"])
@policy_required(Action.CONSULTATION_VIEW)
def detail(request, public_id):
    return _detail_page(request, public_id)


def _detail_page(request, public_id, *, document_form=None, status: int = 200):
    consultation = selectors.consultation_detail(user=request.user, public_id=public_id,
                                                 source=source_of(request))
    section_member = can(request.user, Action.CONSULTATION_OUTCOME, consultation)
    for followup in consultation.followup_list:
        followup.consultation = consultation
        followup.can_complete = can(request.user, Action.FOLLOWUP_COMPLETE, followup)
    followup_form = None
    if section_member and consultation.status != Status.CANCELLED:
        followup_form = FollowUpForm(
            owners=services.followup_owner_choices(consultation),
            initial={"owner": str(request.user.pk)})
    booking = bookings.booking_view(consultation)
    return render(request, "consultations/detail.html", {
        "c": consultation,
        "transitions": access.allowed_transitions(request.user, consultation),
        "booking": booking,
        "booking_links": (bookings.booking_links(request.user, booking["booking"])
                          if booking and consultation.status == Status.BOOKED else []),
        "outcome": consultation.outcome_or_none,
        "sees_summary": can(request.user, Action.CONSULTATION_SUMMARY, consultation),
        "followup_form": followup_form,
        "missing_consents": services.missing_consents(consultation.resident),
        **_documents_context(request, consultation, document_form),
        **_references_context(request, consultation),
    }, status=status)


def _references_context(request, consultation) -> dict:
    may_add = (can(request.user, Action.CONSULTATION_DOCUMENT_ADD, consultation)
               and consultation.status != Status.CANCELLED)
    return {
        "references": list(consultation.references.all()),
        "reference_choices": references.choices() if may_add else [],
        "reference_action": (reverse("consultations:reference_add",
                                     kwargs={"public_id": consultation.public_id})
                             if may_add else ""),
        "reference_remove_action": (reverse("consultations:reference_remove",
                                            kwargs={"public_id": consultation.public_id})
                                    if may_add else ""),
    }


@never_cache
@require_POST
@policy_required(Action.CONSULTATION_VIEW)
def reference_add(request, public_id):
    """Point the record to an event (or another registered thing); a refusal comes back
    as a message on the record page, nothing saved."""
    consultation = _locate(request, public_id, Action.CONSULTATION_VIEW)
    try:
        consultation_reference_add(consultation=consultation,
                                   value=request.POST.get("reference", ""), by=request.user,
                                   source=source_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("紹介先を追加しました。"))
    return redirect(detail_url(consultation, "references"))


@never_cache
@require_POST
@policy_required(Action.CONSULTATION_VIEW)
def reference_remove(request, public_id):
    """Remove a reference added by mistake (its pk in the form body, never in the URL); a
    refusal comes back as a message on the record page, nothing changed."""
    consultation = _locate(request, public_id, Action.CONSULTATION_VIEW)
    try:
        consultation_reference_remove(consultation=consultation,
                                      reference_id=request.POST.get("reference_id"),
                                      by=request.user, source=source_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("紹介先を外しました。"))
    return redirect(detail_url(consultation, "references"))


# ── documents in the record ────────────────────────────────────────────────────────────

def _documents_context(request, consultation, form=None) -> dict:
    can_add = can(request.user, Action.CONSULTATION_DOCUMENT_ADD, consultation)
    return {
        "documents": documents.documents_of(consultation),
        "document_form": (form or UploadForm(purpose=documents.PURPOSE)) if can_add else None,
    }


@never_cache
@require_POST
@policy_required(Action.CONSULTATION_VIEW)
def document_add(request, public_id):
    """Add a file to the record (staff who may see it). A refusal comes back next to the
    field on the record page; nothing is stored."""
    consultation = _locate(request, public_id, Action.CONSULTATION_VIEW)
    if not can(request.user, Action.CONSULTATION_DOCUMENT_ADD, consultation):
        raise PermissionDenied
    form = bound_upload_form(request, documents.PURPOSE)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            documents.document_add(consultation=consultation, data=upload, name=upload.name,
                                   by=request.user, place=DocumentPlace.RECORD,
                                   source=source_of(request))
        except FileRefused as problem:
            form.add_error("file", problem.message)
            status = problem.status()
        else:
            messages.success(request, _("資料を追加しました。"))
            return redirect(detail_url(consultation, "documents"))
    return _detail_page(request, consultation.public_id, document_form=form, status=status)


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.CONSULTATION_VIEW)
def document_download(request, public_id, file_id):
    """A document of the record, as an attachment (audited)."""
    consultation = _locate(request, public_id, Action.CONSULTATION_VIEW)
    document = documents.document_in_record(consultation=consultation, file_id=file_id)
    if document is None:
        raise Http404
    try:
        handle = documents.document_open(document=document, by=request.user,
                                         source=source_of(request))
    except FileRefused as problem:
        messages.error(request, problem.message)
        return redirect(detail_url(consultation, "documents"))
    return FileResponse(handle, as_attachment=True, filename=document.file.original_name,
                        content_type=document.file.content_type)
