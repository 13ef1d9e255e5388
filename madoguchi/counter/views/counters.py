"""A counter's page and its actions: open, close, call next, call, call again, absent, done,
transfer."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.counter import panels, selectors, services
from madoguchi.counter.errors import CounterError
from madoguchi.counter.models import Counter, Ticket
from madoguchi.counter.views._common import _office


def _counter(found, number: int) -> Counter:
    counter = found.counters.filter(number=number).first()
    if counter is None:
        raise Http404
    return counter


@never_cache
@policy_required(Action.COUNTER_SERVE)
def counter_page(request, office, number):
    found = _office(request, office)
    counter = _counter(found, number)
    return render(request, "counter/counter.html", {
        "office": found, "counter": counter, "current": selectors.current_ticket(counter),
        "waiting": selectors.waiting(found), "services": selectors.services_of(found),
        "counters": selectors.counters_of(found), "panels": panels.for_office(request, found)})


ACTIONS = {"again": services.call_again, "absent": services.mark_absent,
           "finish": services.finish}


@require_POST
@policy_required(Action.COUNTER_SERVE)
def counter_act(request, office, number):
    found = _office(request, office)
    counter = _counter(found, number)
    action = request.POST.get("action", "")
    back = redirect("counter:counter", office=found.code, number=counter.number)
    try:
        if action in ("open", "close"):
            services.counter_set_open(counter=counter, is_open=action == "open", by=request.user)
            messages.success(request, _("窓口を開きました。") if action == "open"
                             else _("窓口を閉じました。"))
            return back
        if action == "next":
            called = services.call_next(counter=counter, by=request.user)
            messages.success(request, _("%(label)s を呼び出しました。") % {"label": called.label})
            return back
        ticket = Ticket.objects.filter(office=found, pk=_int(request.POST.get("ticket"))).first()
        if ticket is None:
            messages.error(request, _("番号札を選んでください。"))
            return back
        if action == "call":
            services.call_ticket(counter=counter, ticket=ticket, by=request.user)
        elif action in ACTIONS:
            ACTIONS[action](counter=counter, ticket=ticket, by=request.user)
        elif action == "transfer":
            service = found.services.filter(pk=_int(request.POST.get("service"))).first()
            target = found.counters.filter(pk=_int(request.POST.get("to_counter"))).first()
            services.transfer(counter=counter, ticket=ticket, by=request.user, service=service,
                              to_counter=target)
        else:
            messages.error(request, _("操作を選んでください。"))
            return back
    except CounterError as refused:
        messages.error(request, refused.message)
        return back
    messages.success(request, _("%(label)s：操作しました。") % {"label": ticket.label})
    return back


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
