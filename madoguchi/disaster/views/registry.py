"""The 避難行動要支援者名簿 pages of the district centre and the branch office."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.audit import services as audit
from madoguchi.disaster.models import Sex, SupportReason
from madoguchi.disaster.selectors import plans as plan_selectors
from madoguchi.disaster.selectors import registry as selectors
from madoguchi.disaster.services import registry as services
from madoguchi.disaster.views._common import messages_of
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.plan import render_evacuation_plan
from madoguchi.people.models import ConsentMethod
from madoguchi.people.selectors import visible_resident

SOURCE = "disaster.registry"



@policy_required(Action.REGISTRY_VIEW)
@require_GET
def registry_list(request):
    return render(request, "disaster/registry/list.html", {
        "entries": selectors.registry_list(user=request.user, source=SOURCE)})


@policy_required(Action.REGISTRY_VIEW)
@require_GET
def registry_entry(request, pk: int):
    entry = selectors.registry_entry(user=request.user, pk=pk, source=SOURCE)
    return render(request, "disaster/registry/entry.html", {
        "entry": entry, "consented": selectors.entry_consented(entry=entry),
        "reasons": [SupportReason(r).label for r in entry.reasons],
        "methods": ConsentMethod.choices})


@policy_required(Action.REGISTRY_EDIT)
def registry_register(request, public_id):
    """Register a resident (located through people's selector: 404 outside one's scope)."""
    try:
        resident = visible_resident(user=request.user, public_id=public_id,
                                    action=Action.RESIDENT_VIEW)
    except Http404:
        audit.record_denied(actor=request.user, record_type="resident",
                            record_id=str(public_id), source=SOURCE)
        raise
    errors: list[str] = []
    if request.method == "POST":
        try:
            entry = services.registry_register(
                by=request.user, resident=resident, sex=request.POST.get("sex", ""),
                reasons=request.POST.getlist("reasons"),
                reason_note=request.POST.get("reason_note", ""),
                contact_note=request.POST.get("contact_note", ""), source=SOURCE)
        except ValidationError as error:
            errors = messages_of(error)
        else:
            messages.success(request, gettext("名簿に登録しました。"))
            return redirect("disaster:registry_entry", pk=entry.pk)
    return render(request, "disaster/registry/register.html", {
        "resident": resident, "errors": errors, "sexes": Sex.choices,
        "reasons": SupportReason.choices, "posted": request.POST,
        "chosen": request.POST.getlist("reasons")}, status=422 if errors else 200)


@policy_required(Action.REGISTRY_EDIT)
@require_POST
def registry_consent(request, pk: int):
    entry = selectors.registry_entry(user=request.user, pk=pk, source=SOURCE)
    try:
        services.registry_consent(by=request.user, entry=entry,
                                  method=request.POST.get("method", ""),
                                  note=request.POST.get("note", ""), source=SOURCE)
    except ValidationError as error:
        for message in messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, gettext("支援者への提供の同意を記録しました。"))
    return redirect("disaster:registry_entry", pk=entry.pk)


@policy_required(Action.REGISTRY_VIEW)
@require_GET
def plan_pdf(request, pk: int):
    """The printed 個別避難計画 of an entry the user may open (for the person and the
    supporters)."""
    entry = selectors.registry_entry(user=request.user, pk=pk, source=SOURCE)
    sheet = plan_selectors.plan_sheet(user=request.user, entry=entry, source=SOURCE)
    if sheet is None:
        raise Http404
    try:
        pdf = render_evacuation_plan(sheet)
    except DocumentContentError as error:
        return render(request, "disaster/registry/plan_error.html",
                      {"entry": entry, "problems": error.problems}, status=422)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-{entry.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
