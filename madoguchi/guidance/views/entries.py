"""Knowledge-base editing for staff: list and filter, create, edit, review and publish.

Gate: ``guidance.edit`` (policy); record rules: ``madoguchi.guidance.access``. Entries out
of a user's reach answer 404 (their existence is not revealed by the edit URLs); the
status buttons are those ``access.allowed_moves`` offers.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.guidance import access, selectors, services
from madoguchi.guidance.forms import EntryFilterForm, EntryForm, TransitionForm
from madoguchi.guidance.models import Entry, EntryStatus, QueryLog
from madoguchi.guidance.procedures import procedure_list
from madoguchi.organisation.models import SectionKind

PAGE_SIZE = 50
TEXT_FILTER_LIMIT = 100


def _entries_matching(form: EntryFilterForm):
    data = form.cleaned_data if form.is_valid() else {}
    kind = SectionKind.objects.filter(code=data.get("section") or "").first()
    queryset = selectors.entry_list(status=data.get("status") or None, kind=kind)
    text = (data.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(code__icontains=text) | Q(question__icontains=text)
                                   | Q(answer__icontains=text)
                                   | Q(question_en__icontains=text))
    return queryset, bool(text)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.GUIDANCE_EDIT)
def entry_list(request):
    """Filters by section and status travel in the URL; words typed travel by POST."""
    form = EntryFilterForm(request.POST if request.method == "POST" else request.GET or None)
    queryset, by_text = _entries_matching(form)
    if by_text:
        rows = list(queryset[:TEXT_FILTER_LIMIT + 1])
        page, more = None, len(rows) > TEXT_FILTER_LIMIT
        rows = rows[:TEXT_FILTER_LIMIT]
    else:
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        rows, more = list(page.object_list), False
    counts = dict(Entry.objects.values_list("status").annotate(n=Count("pk")))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "guidance/entries.html", {
        "form": form, "rows": rows, "page": page, "more": more,
        "limit": TEXT_FILTER_LIMIT, "filters": filters.urlencode(),
        "counts": [(status, label, counts.get(status, 0))
                   for status, label in EntryStatus.choices],
        "can_create": access.editable_kinds(request.user).exists(),
        "can_learning": can(request.user, Action.GUIDANCE_LEARNING),
        "can_synonyms": can(request.user, Action.GUIDANCE_SYNONYMS),
    })


def _entry_for(code: str) -> Entry:
    return get_object_or_404(Entry.objects.select_related("section_kind"), code=code)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.GUIDANCE_EDIT)
def entry_create(request):
    kinds = access.editable_kinds(request.user)
    if request.method == "POST":
        form = EntryForm(request.POST, kinds=kinds)
        if form.is_valid():
            data = form.data_for_service()
            draft = Entry(section_kind=data["section_kind"])
            if not can(request.user, Action.GUIDANCE_DRAFT, draft):
                raise PermissionDenied
            try:
                entry = services.entry_create(by=request.user, **data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("下書きを保存しました。内容を確かめて"
                                            "「確認を依頼する」を押してください。"))
                return redirect("guidance:entry", code=entry.code)
    else:
        form = EntryForm(kinds=kinds, initial=_initial_from_log(request))
    return render(request, "guidance/entry_form.html", {"form": form, "entry": None})


def _initial_from_log(request) -> dict:
    """"Create an entry from this": the learning loop's question as the draft's question."""
    log_id = request.GET.get("from", "")
    if not log_id.isdigit() or not can(request.user, Action.GUIDANCE_LEARNING):
        return {}
    log = QueryLog.objects.filter(pk=int(log_id)).first()
    if log is None:
        return {}
    initial = {"question": log.text}
    if log.entry_id and log.entry and can(request.user, Action.GUIDANCE_DRAFT, log.entry):
        initial["section_kind"] = log.entry.section_kind.code
    return initial


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.GUIDANCE_EDIT)
def entry_detail(request, code):
    entry = _entry_for(code)
    history = entry.status_changes.select_related("by").order_by("-at", "-pk")
    votes = dict(entry.feedback.values_list("helpful").annotate(n=Count("pk")))
    procedures = procedure_list(entry.procedure_codes or [])
    known = {procedure["code"] for procedure in procedures}
    return render(request, "guidance/entry_detail.html", {
        "entry": entry, "history": history,
        "helpful": votes.get(True, 0), "not_helpful": votes.get(False, 0),
        "procedures": procedures,
        "unknown_procedures": [c for c in entry.procedure_codes or [] if c not in known],
        "can_edit": can(request.user, Action.GUIDANCE_EDIT, entry),
        "moves": access.allowed_moves(request.user, entry),
        "published_locked": (entry.status == EntryStatus.PUBLISHED
                             and can(request.user, Action.GUIDANCE_DRAFT, entry)
                             and not can(request.user, Action.GUIDANCE_PUBLISH, entry)),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.GUIDANCE_EDIT)
def entry_edit(request, code):
    entry = _entry_for(code)
    if not can(request.user, Action.GUIDANCE_EDIT, entry):
        raise PermissionDenied
    kinds = access.editable_kinds(request.user)
    if request.method == "POST":
        form = EntryForm(request.POST, kinds=kinds, entry=entry)
        if form.is_valid():
            data = form.data_for_service()
            moved = Entry(section_kind=data["section_kind"], status=entry.status)
            if not can(request.user, Action.GUIDANCE_DRAFT, moved):
                raise PermissionDenied
            try:
                services.entry_update(entry=entry, by=request.user, **data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                saved = (_("変更を保存しました。区民向けページにすぐ反映されます。")
                         if entry.is_published else _("変更を保存しました。"))
                messages.success(request, saved)
                return redirect("guidance:entry", code=entry.code)
    else:
        form = EntryForm(kinds=kinds, entry=entry, initial=EntryForm.initial_for(entry))
    return render(request, "guidance/entry_form.html", {"form": form, "entry": entry})


MOVE_MESSAGES = {
    EntryStatus.REVIEW: gettext_lazy(
        "確認を依頼しました。課の管理職または区システム管理者が確認して公開します。"),
    EntryStatus.PUBLISHED: gettext_lazy("公開しました。区民向けページで検索できます。"),
    EntryStatus.DRAFT: gettext_lazy("下書きに戻しました。区民向けページには表示されません。"),
    access.REVIEWED: gettext_lazy("内容を確認済みにしました（最終確認日を今日にしました）。"),
}


@never_cache
@require_POST
@policy_required(Action.GUIDANCE_EDIT)
def entry_move(request, code):
    """One status move offered on the entry page (submit, publish, back to draft, reviewed)."""
    entry = _entry_for(code)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作を選んでください。"))
        return redirect("guidance:entry", code=entry.code)
    move, note = form.cleaned_data["to"], form.cleaned_data["note"]
    if move not in access.allowed_moves(request.user, entry):
        raise PermissionDenied
    try:
        if move == access.REVIEWED:
            services.entry_mark_reviewed(entry=entry, by=request.user, note=note)
        else:
            services.entry_set_status(entry=entry, status=move, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, MOVE_MESSAGES[move])
    return redirect("guidance:entry", code=entry.code)
