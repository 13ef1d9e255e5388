"""The office pages: the offices the user may see, an office (issue a ticket, check a booked
appointment in), the reception tablet's key and the window services' settings."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.counter import panels, selectors, services
from madoguchi.counter.errors import CounterError
from madoguchi.counter.models import TicketSource
from madoguchi.counter.views._common import _office


@policy_required(Action.COUNTER_LOG)
def offices(request):
    return render(request, "counter/offices.html", {
        "offices": selectors.offices_for(request.user, Action.COUNTER_LOG),
        "serves": {o.pk for o in selectors.offices_for(request.user)}})


@policy_required(Action.COUNTER_SERVE)
def office_page(request, office):
    found = _office(request, office)
    return render(request, "counter/office.html", {
        "office": found, "services": selectors.services_of(found),
        "counters": selectors.counters_of(found), "waiting": selectors.waiting(found),
        "waits": selectors.current_waits(found),
        "appointments": selectors.appointments_today(found),
        "panels": panels.for_office(request, found)})


@require_POST
@policy_required(Action.COUNTER_SERVE)
def check_in(request, office):
    """The clerk checks a booked appointment of today in (as the tablet does)."""
    found = _office(request, office)
    try:
        made = services.appointment_check_in(office=found, by=request.user,
                                             key=request.POST.get("appointment", ""))
    except CounterError as refused:
        messages.error(request, refused.message)
        return redirect("counter:office", office=found.code)
    messages.success(request, _("予約の方を受け付けました。番号札 %(label)s です。")
                     % {"label": made.label})
    return redirect(reverse("counter:ticket", args=[made.token]))


@require_POST
@policy_required(Action.COUNTER_SERVE)
def issue(request, office):
    found = _office(request, office)
    chosen = next((s for s in selectors.services_of(found)
                   if str(s.pk) == request.POST.get("service")), None)
    if chosen is None:
        messages.error(request, _("サービスを選んでください。"))
        return redirect("counter:office", office=found.code)
    try:
        made = services.ticket_issue(office=found, service=chosen, source=TicketSource.CLERK,
                                     by=request.user)
    except CounterError as refused:
        messages.error(request, refused.message)
        return redirect("counter:office", office=found.code)
    messages.success(request, _("番号札 %(label)s を発行しました。") % {"label": made.label})
    return redirect(reverse("counter:ticket", args=[made.token]))


@require_POST
@policy_required(Action.COUNTER_SERVE)
def kiosk_key(request, office):
    found = _office(request, office)
    _kiosk, key = services.kiosk_key_issue(office=found, by=request.user)
    url = request.build_absolute_uri(reverse("counter:reception_key", args=[key]))
    return render(request, "counter/kiosk_key.html", {"office": found, "url": url})


@policy_required(Action.COUNTER_SERVE)
def configure(request, office):
    """The office's window services (expected time, priority, taking tickets) and which
    counters serve them."""
    found = _office(request, office)
    offered = selectors.services_of(found, active_only=False)
    counters = selectors.counters_of(found)
    error, status = "", 200
    if request.method == "POST":
        try:
            values = {s.pk: {"minutes": int(request.POST.get(f"minutes_{s.pk}", "")),
                             "priority": int(request.POST.get(f"priority_{s.pk}", "")),
                             "active": request.POST.get(f"active_{s.pk}") == "on"}
                      for s in offered}
        except ValueError:
            error = _("標準の処理時間と優先順位は数字で入力してください。")
        else:
            serves = {c.pk: {s.pk for s in offered
                             if request.POST.get(f"serves_{c.pk}_{s.pk}") == "on"}
                      for c in counters}
            try:
                services.office_configure(office=found, by=request.user, services=values,
                                          counters=serves)
            except CounterError as refused:
                error = refused.message
            else:
                messages.success(request, _("保存しました。"))
                return redirect("counter:configure", office=found.code)
        status = 400
    served = {(c.pk, s.pk) for c in counters for s in c.services.all()}
    rows = [{"service": s, "minutes": s.expected_seconds // 60,
             "counters": [{"counter": c, "checked": (c.pk, s.pk) in served} for c in counters]}
            for s in offered]
    return render(request, "counter/configure.html", {
        "office": found, "rows": rows, "counters": counters, "error": error}, status=status)
