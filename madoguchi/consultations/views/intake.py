"""Consultation pages of the intake: the inbox, taking a consultation at the centre and routing
it to a section."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.consultations import access, selectors, services
from madoguchi.consultations.forms import (
    IntakeForm,
    ResidentLookupForm,
    RouteForm,
)
from madoguchi.consultations.views._common import (
    _locate,
    _shown,
    _transition_or_404,
    detail_url,
    source_of,
)
from madoguchi.core.paging import MAX_PAGE, Pager, page_number, with_param
from madoguchi.organisation.models import Section
from madoguchi.people import selectors as people_selectors

# ── inbox ──────────────────────────────────────────────────────────────────────────────

@never_cache
@require_http_methods(["GET"])
@policy_required(Action.CONSULTATION_VIEW)
def inbox(request):
    closed = request.GET.get("closed") == "1"
    number = page_number(request.GET)
    result = selectors.inbox(user=request.user, source=source_of(request), closed=closed,
                             page=number)
    pager = Pager(rows=result.rows, number=number, has_previous=number > 1,
                  has_next=result.more and number < MAX_PAGE,
                  previous_query=with_param(request.GET, "page",
                                            str(number - 1) if number > 2 else None),
                  next_query=with_param(request.GET, "page", str(number + 1)))
    return render(request, "consultations/inbox.html", {
        "result": result, "closed": closed, "pager": pager,
        "can_intake": bool(access.intake_centres(request.user)),
    })


# ── intake ─────────────────────────────────────────────────────────────────────────────

@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.CONSULTATION_INTAKE)
def intake(request):
    centres = access.intake_centres(request.user)
    if not centres:
        raise PermissionDenied
    resident_ref = request.POST.get("resident") or request.GET.get("resident")
    if request.method == "POST" and request.POST.get("step") == "search":
        return _intake_lookup(request, search=True)
    if not resident_ref or (request.method == "GET" and "resident" not in request.GET):
        return _intake_lookup(request)
    lookup = ResidentLookupForm({"resident": resident_ref})
    if not lookup.is_valid():
        return _intake_lookup(request, lookup=lookup)
    try:
        resident = people_selectors.resident_detail(
            user=request.user, public_id=lookup.cleaned_data["resident"],
            source=source_of(request))
    except Http404:
        lookup.add_error("resident", _("この区民IDの区民は見つかりません。担当外の区民は"
                                       "選べません。"))
        return _intake_lookup(request, lookup=lookup)
    missing = services.missing_consents(resident)
    initial = {name: getattr(resident, name) for name in IntakeForm.NEEDS}
    form = IntakeForm(request.POST if request.method == "POST" else None, initial=initial,
                      centres=centres)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_intake(
                by=request.user, resident=resident, data=form.cleaned_data,
                source=source_of(request))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("相談を受け付けました。回付先を確認してください。"))
            return redirect(detail_url(consultation))
    return render(request, "consultations/intake.html", {
        "form": form, "resident": resident, "missing_consents": missing,
        "multiple_centres": len(centres) > 1,
    })


def _intake_lookup(request, *, lookup=None, search: bool = False):
    result = None
    query = ""
    if search:
        query = (request.POST.get("q") or "").strip()[:100]
        if can(request.user, Action.RESIDENT_SEARCH):
            result = people_selectors.resident_search(user=request.user, query=query,
                                                      source=source_of(request))
    return render(request, "consultations/intake_lookup.html", {
        "lookup": lookup or ResidentLookupForm(), "result": result, "query": query,
        "can_create": can(request.user, Action.RESIDENT_CREATE),
    })


# ── routing ────────────────────────────────────────────────────────────────────────────

@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.CONSULTATION_ROUTE)
def route(request, public_id):
    consultation = _locate(request, public_id, Action.CONSULTATION_ROUTE)
    if (response := _transition_or_404(request, consultation, "route")) is not None:
        return response
    sections = selectors.route_choices(consultation)
    proposed = consultation.proposed_section
    proposal_online = proposed is not None and any(s.pk == proposed.pk for s in sections)
    online_alternative = (consultation.proposed_online_section if not proposal_online
                          and any(s.pk == consultation.proposed_online_section_id
                                  for s in sections) else None)
    preselected = consultation.section or (proposed if proposal_online else
                                           online_alternative)
    initial = {"section": preselected.code if preselected else ""}
    form = RouteForm(request.POST if request.method == "POST" else None, initial=initial,
                     sections=sections)
    if request.method == "POST" and form.is_valid():
        section = Section.objects.filter(code=form.cleaned_data["section"]).first()
        try:
            services.consultation_route(by=request.user, consultation=consultation,
                                        section=section, reason=form.cleaned_data["reason"],
                                        source=source_of(request))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("回付先を記録しました。"))
            return redirect(detail_url(consultation))
    return render(request, "consultations/route.html", {
        "c": _shown(request, consultation), "form": form, "proposed": proposed,
        "proposal_online": proposal_online, "online_alternative": online_alternative,
    })
