"""Audit pages for auditors: a filtered, paginated list and its CSV export. There is no
page that edits or deletes entries."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.audit import export, selectors
from madoguchi.audit import services as audit
from madoguchi.audit.forms import AuditFilterForm
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.paging import Pager


@never_cache
@require_GET
@policy_required(Action.AUDIT_VIEW)
def entry_list(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    pager = (selectors.entries_page(filters, request.GET) if not form.errors
             else Pager())
    return render(request, "audit/list.html", {
        "form": form, "pager": pager, "query": selectors.filter_query(request.GET),
    })


@never_cache
@require_GET
@policy_required(Action.AUDIT_VIEW)
def entry_export(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("検索条件を確認してください。"))
        return redirect("audit:list")
    filters = form.cleaned_data if form.is_bound else {}
    rows = selectors.entries(filters)
    if rows.count() > selectors.EXPORT_LIMIT:
        messages.error(request, _("一度に出力できるのは%(limit)s件までです。"
                                  "期間などの条件を絞ってください。")
                       % {"limit": f"{selectors.EXPORT_LIMIT:,}"})
        return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
    with transaction.atomic():
        body = "".join(export.lines(rows.iterator(chunk_size=2000)))
        audit.record(actor=request.user, action=AuditAction.EXPORT, record_type="audit",
                     record_id="", resident_ref=str(filters.get("resident_ref") or ""),
                     source=request.resolver_match.view_name, fields=form.used_filters())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
