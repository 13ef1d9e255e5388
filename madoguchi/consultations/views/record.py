"""Consultation pages. Only UUIDs travel in URLs (never names or the worry); every page
that shows personal data is ``Cache-Control: no-store`` and audited by the selectors."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.consultations import access, bookings, documents, selectors, services, workflow
from madoguchi.consultations.forms import (
    BookForm,
    CancelForm,
    FollowUpForm,
    IntakeForm,
    OutcomeForm,
    RescheduleForm,
    ResidentLookupForm,
    RouteForm,
    RoutingRuleForm,
)
from madoguchi.consultations.models import DocumentPlace, RoutingRule, Status
from madoguchi.core.paging import MAX_PAGE, Pager, page_number, with_param
from madoguchi.files.services import FileRefused
from madoguchi.files.uploads import UploadForm, bound_upload_form
from madoguchi.organisation.models import DistrictCentre, Section, SectionKind
from madoguchi.people import selectors as people_selectors


def source_of(request) -> str:
    """The audit source of a page: its URL name, e.g. ``consultations:detail``."""
    return request.resolver_match.view_name


def detail_url(consultation, anchor: str = "") -> str:
    url = reverse("consultations:detail", kwargs={"public_id": consultation.public_id})
    return f"{url}#{anchor}" if anchor else url


def _parse_start(value: str) -> dt.datetime | None:
    try:
        start = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    return start


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
    }, status=status)


def _locate(request, public_id, action: Action):
    return selectors.visible_consultation(user=request.user, public_id=public_id,
                                          action=action)


def _shown(request, consultation):
    """A transition's page shows the resident's name: audited as a view of the record."""
    return selectors.consultation_shown(user=request.user, consultation=consultation,
                                        source=source_of(request))


def _transition_or_404(request, consultation, name: str):
    """Pages of a transition the user may not take now: back to the record with why."""
    allowed = {t.name for t in access.allowed_transitions(request.user, consultation)}
    if name in allowed:
        return None
    transition = workflow.BY_NAME.get(name)
    if transition is not None and not can(request.user, transition.action, consultation):
        raise PermissionDenied
    messages.error(request, _("この相談は「%(status)s」のため、この操作はできません。")
                   % {"status": consultation.get_status_display()})
    return redirect(detail_url(consultation))


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


# ── booking ────────────────────────────────────────────────────────────────────────────

@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.CONSULTATION_BOOK)
def book(request, public_id):
    consultation = _locate(request, public_id, Action.CONSULTATION_BOOK)
    if (response := _transition_or_404(request, consultation, "book")) is not None:
        return response
    staff_choices = bookings.section_staff(consultation.section)
    other_choices = bookings.other_participant_choices(consultation)
    data = request.POST if request.method == "POST" else None
    form = BookForm(data, staff_choices=staff_choices, other_choices=other_choices,
                    initial={"idempotency_key": uuid.uuid4().hex})
    problem = None
    options = bookings.BookingOptions()
    if form.is_valid():
        options = bookings.options_from(form.cleaned_data, staff_choices=staff_choices,
                                       other_choices=other_choices)
    if request.method == "POST" and form.is_valid() and request.POST.get("step") == "book":
        start = _parse_start(form.cleaned_data["start"])
        if start is None:
            form.add_error(None, _("予約する日時を一覧から選んでください。"))
        else:
            try:
                services.consultation_book(
                    by=request.user, consultation=consultation, start=start,
                    staff=options.staff, other_users=options.other_users,
                    guests=options.guests, remote=options.remote,
                    idempotency_key=form.cleaned_data["idempotency_key"] or None,
                    source=source_of(request))
            except ValidationError as error:
                form.add_service_errors(error)
            except bookings.scheduling_errors() as error:
                problem = bookings.problem_from(error)
            else:
                messages.success(request, _("予約しました。参加者に案内を送ります。"))
                return redirect(detail_url(consultation, "booking"))
    slots, slot_error = bookings.slots_for(consultation, options)
    return render(request, "consultations/book.html", {
        "c": _shown(request, consultation), "form": form, "slots": slots, "slot_error": slot_error,
        "problem": problem, "options": options,
        "idempotency_key": form.data.get("idempotency_key") if form.is_bound
        else form.initial["idempotency_key"],
        "missing_consents": services.missing_consents(consultation.resident),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.CONSULTATION_BOOK)
def reschedule(request, public_id):
    consultation = _locate(request, public_id, Action.CONSULTATION_BOOK)
    if (response := _transition_or_404(request, consultation, "reschedule")) is not None:
        return response
    form = RescheduleForm(request.POST if request.method == "POST" else None)
    options = bookings.options_of_current(consultation)
    problem = None
    if form.is_valid():
        options.start_from = bookings.start_from(form.cleaned_data.get("from_date"))
    if request.method == "POST" and form.is_valid() and request.POST.get("step") == "book":
        start = _parse_start(form.cleaned_data["start"])
        if start is None:
            form.add_error(None, _("変更後の日時を一覧から選んでください。"))
        else:
            try:
                services.consultation_reschedule(
                    by=request.user, consultation=consultation, start=start,
                    reason=form.cleaned_data["reason"], source=source_of(request))
            except ValidationError as error:
                form.add_service_errors(error)
            except bookings.scheduling_errors() as error:
                problem = bookings.problem_from(error)
            else:
                messages.success(request, _("予約を変更しました。参加者に知らせます。"))
                return redirect(detail_url(consultation, "booking"))
    slots, slot_error = bookings.slots_for(consultation, options)
    return render(request, "consultations/reschedule.html", {
        "c": _shown(request, consultation), "form": form, "slots": slots, "slot_error": slot_error,
        "problem": problem, "booking": bookings.booking_view(consultation),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.CONSULTATION_ROUTE)
def cancel(request, public_id):
    consultation = _locate(request, public_id, Action.CONSULTATION_ROUTE)
    if (response := _transition_or_404(request, consultation, "cancel")) is not None:
        return response
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_cancel(by=request.user, consultation=consultation,
                                         reason=form.cleaned_data["reason"],
                                         source=source_of(request))
        except ValidationError as error:
            form.add_service_errors(error)
        except bookings.scheduling_errors() as error:
            form.add_error(None, bookings.problem_from(error).message)
        else:
            messages.success(request, _("相談を取り消しました。"))
            return redirect(detail_url(consultation))
    return render(request, "consultations/cancel.html", {
        "c": _shown(request, consultation), "form": form,
        "booking": bookings.booking_view(consultation),
    })


# ── outcome and follow-ups ─────────────────────────────────────────────────────────────

def _referral_sections():
    return list(Section.objects.filter(is_active=True).exclude(kind__tier="district")
                .select_related("kind").order_by("kind__sort_order", "code"))


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.CONSULTATION_OUTCOME)
def outcome(request, public_id):
    consultation = _locate(request, public_id, Action.CONSULTATION_OUTCOME)
    if (response := _transition_or_404(request, consultation, "outcome")) is not None:
        return response
    form = OutcomeForm(request.POST if request.method == "POST" else None,
                       sections=_referral_sections(),
                       initial=bookings.duration_initial(consultation))
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(by=request.user, consultation=consultation,
                                    data=form.cleaned_data, source=source_of(request))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("対応結果を記録しました。必要ならフォローアップを"
                                        "登録してください。"))
            return redirect(detail_url(consultation, "outcome"))
    return render(request, "consultations/outcome.html", {
        "c": _shown(request, consultation), "form": form})


@never_cache
@require_POST
@policy_required(Action.CONSULTATION_OUTCOME)
def followup_create(request, public_id):
    consultation = _locate(request, public_id, Action.CONSULTATION_OUTCOME)
    if not can(request.user, Action.CONSULTATION_OUTCOME, consultation):
        raise PermissionDenied
    form = FollowUpForm(request.POST, owners=services.followup_owner_choices(consultation))
    if form.is_valid():
        try:
            services.followup_create(by=request.user, consultation=consultation,
                                     data=form.cleaned_data, source=source_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("フォローアップを登録しました。"))
    else:
        messages.error(request, _("フォローアップの内容を確認してください。"))
    return redirect(detail_url(consultation, "followups"))


@never_cache
@require_POST
@policy_required(Action.CONSULTATION_VIEW)
def followup_complete(request, public_id, followup_id):
    consultation = _locate(request, public_id, Action.CONSULTATION_VIEW)
    followup = selectors.visible_followup(consultation=consultation, followup_id=followup_id)
    try:
        services.followup_complete(by=request.user, followup=followup,
                                   source=source_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("フォローアップを完了にしました。"))
    return redirect(detail_url(consultation, "followups"))


# ── the routing table and online services (ward administrators) ────────────────────────

def _routable_kinds():
    from madoguchi.consultations.routing import ROUTABLE_TIERS

    return list(SectionKind.objects.filter(tier__in=ROUTABLE_TIERS)
                .order_by("sort_order", "code"))


@require_http_methods(["GET"])
@policy_required(Action.ROUTING_EDIT)
def routing_rules(request):
    return render(request, "consultations/routing_rules.html",
                  {"rules": selectors.routing_rules()})


@require_http_methods(["GET", "POST"])
@policy_required(Action.ROUTING_EDIT)
def routing_rule_edit(request, pk=None):
    rule = get_object_or_404(RoutingRule, pk=pk) if pk is not None else None
    initial = ({"category": rule.category, "keywords": rule.keywords,
                "section_kind": rule.section_kind.code, "priority": rule.priority,
                "active": rule.active} if rule else {})
    form = RoutingRuleForm(request.POST if request.method == "POST" else None,
                           initial=initial, kinds=_routable_kinds())
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(by=request.user, rule=rule, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("回付の規則を保存しました。"))
            return redirect("consultations:routing_rules")
    return render(request, "consultations/routing_rule_form.html",
                  {"form": form, "rule": rule})


@require_http_methods(["GET", "POST"])
@policy_required(Action.ROUTING_EDIT)
def online_services(request):
    if request.method == "POST":
        centre = DistrictCentre.objects.filter(pk=request.POST.get("centre") or 0).first()
        kind = SectionKind.objects.filter(code=request.POST.get("kind") or "").first()
        if centre is None or kind is None:
            messages.error(request, _("センターと課・機関を選んでください。"))
            return redirect("consultations:online_services")
        else:
            enabled = request.POST.get("enabled") == "1"
            try:
                services.online_service_set(by=request.user, centre=centre, kind=kind,
                                            enabled=enabled)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    (_("%(centre)sで%(kind)sのオンライン相談を開始しました。") if enabled
                     else _("%(centre)sで%(kind)sのオンライン相談を停止しました。"))
                    % {"centre": centre.label, "kind": kind.label})
            return redirect(f"{reverse('consultations:online_services')}#centre-{centre.pk}")
    kinds, rows = selectors.online_matrix()
    return render(request, "consultations/online_services.html",
                  {"kinds": kinds, "rows": rows})

