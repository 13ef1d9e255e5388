"""Pages of the walk-in queue.

Public, without login and without anyone's name: the reception tablet (its key in the
session, as the booth kiosk's), the ticket page (its unguessable token is the address),
the receipt PDF, the call display and the current waits. Staff: the office page (issue a
ticket, the tablet's key), the counter page (call, call again, absent, done, transfer) and
the window-services log with its CSV.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.core.spreadsheet import BOM, cell
from madoguchi.counter import panels, selectors, services
from madoguchi.counter.errors import CheckedIn, CounterError
from madoguchi.counter.forms import ManualRecordForm, PeriodForm
from madoguchi.counter.models import Counter, Ticket, TicketSource, TicketStatus
from madoguchi.documents.content import QueueTicket
from madoguchi.documents.receipt import WIDTHS, render_queue_ticket

SESSION_KIOSK = "counter.reception"
TICKET_REFRESH_SECONDS = 30
RECEPTION_RETURN_SECONDS = 60


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff",
                                                   title=_("この番号札のページ"))


# ── public: reception tablet, ticket, receipt, display, waits ───────────────────────────

@never_cache
def reception_key(request, key):
    try:
        services.kiosk_for_key(key)
    except CounterError as refused:
        request.session.pop(SESSION_KIOSK, None)
        return render(request, "counter/refused.html", {"message": refused.message}, status=403)
    request.session[SESSION_KIOSK] = key
    return redirect("counter:reception")


def _tablet(request):
    """The reception tablet of the key in the session, or the refusal page (403)."""
    try:
        return services.kiosk_for_key(request.session.get(SESSION_KIOSK))
    except CounterError as refused:
        return render(request, "counter/refused.html", {"message": refused.message}, status=403)


@never_cache
def reception(request):
    """The reception tablet: one large button per service; the ticket comes next."""
    kiosk = _tablet(request)
    if isinstance(kiosk, HttpResponse):
        return kiosk
    office = kiosk.office
    offered = selectors.services_of(office)
    error = ""
    if request.method == "POST":
        chosen = next((s for s in offered if str(s.pk) == request.POST.get("service")), None)
        if chosen is None:
            error = _("サービスを えらんでください。")
        else:
            try:
                ticket = services.ticket_issue(office=office, service=chosen,
                                               source=TicketSource.RECEPTION)
            except CounterError as refused:
                error = refused.message
            else:
                return redirect(reverse("counter:ticket", args=[ticket.token]) + "?reception=1")
    return _reception_page(request, office, error)


def _reception_page(request, office, error: str = "", status: int | None = None):
    return render(request, "counter/reception.html", {
        "office": office, "waits": selectors.current_waits(office), "error": error,
        "appointments": selectors.appointments_today(office)},
        status=status or (400 if error else 200))


@require_POST
@never_cache
def reception_check_in(request):
    """The tablet: a booked appointment of today checks in and gets its ticket."""
    kiosk = _tablet(request)
    if isinstance(kiosk, HttpResponse):
        return kiosk
    try:
        made = services.appointment_check_in(office=kiosk.office,
                                             key=request.POST.get("appointment", ""))
    except CheckedIn as again:
        return _reception_page(request, kiosk.office, again.message, status=409)
    except CounterError as refused:
        return _reception_page(request, kiosk.office, refused.message)
    return redirect(reverse("counter:ticket", args=[made.token]) + "?reception=1")


@require_GET
@never_cache
def ticket(request, token):
    found = selectors.ticket_get(token)
    url = request.build_absolute_uri(reverse("counter:ticket", args=[token]))
    state = selectors.ticket_state(found)
    return render(request, "counter/ticket.html", {
        "ticket": found, "state": state, "qr": _qr_svg(url),
        "refresh": TICKET_REFRESH_SECONDS if found.status == TicketStatus.WAITING else None,
        "reception": request.GET.get("reception") == "1",
        "return_seconds": RECEPTION_RETURN_SECONDS})


@require_GET
def receipt(request, token):
    found = selectors.ticket_get(token)
    try:
        width = int(request.GET.get("width", "80"))
    except ValueError:
        width = 0
    if width not in WIDTHS:
        return HttpResponse(_("用紙の幅は58mmか80mmにしてください。"), status=400,
                            content_type="text/plain; charset=utf-8")
    state = selectors.ticket_state(found)
    content = QueueTicket(
        office=found.office.name, number=found.label, service=found.issued_service.name,
        service_en=found.issued_service.name_en, service_easy=found.issued_service.name_easy,
        issued_at=timezone.localtime(found.issued_at),
        url=request.build_absolute_uri(reverse("counter:ticket", args=[token])),
        ahead=state["ahead"] or 0, wait_minutes=state["wait_minutes"] or 0)
    response = HttpResponse(render_queue_ticket(content, width=width),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ticket-{found.label}.pdf"'
    return response


@require_GET
def display(request, office):
    found = selectors.office_get(office)
    return render(request, "counter/display.html", {
        "office": found, "config": {"socket": f"/ws/counter/{found.code}/",
                                    "counterLabel": _("%(counter)s番窓口"),
                                    "speech": _("%(number)s番の方、%(counter)s番窓口へどうぞ。")}})


@require_GET
def waits(request, office):
    found = selectors.office_get(office)
    return render(request, "counter/waits.html", {
        "office": found, "waits": selectors.current_waits(found)})


# ── staff ─────────────────────────────────────────────────────────────────────────────────

def _office(request, code: str, action: Action = Action.COUNTER_SERVE):
    found = selectors.office_get(code)
    if not can(request.user, action, found):
        raise PermissionDenied
    return found


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


def _period(request) -> tuple[int, int | None]:
    form = PeriodForm(request.GET or None)
    today = selectors.today()
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"], form.cleaned_data["month"]
    return today.year, today.month


@policy_required(Action.COUNTER_LOG)
def log(request, office):
    found = _office(request, office, Action.COUNTER_LOG)
    year, month = _period(request)
    form = ManualRecordForm(request.POST or None, services=selectors.services_of(found),
                            initial={"day": selectors.today()})
    status = 200
    if request.method == "POST":
        if not can(request.user, Action.COUNTER_SERVE, found):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            service = found.services.filter(pk=data["service"]).first()
            try:
                services.record_manual(office=found, service=service, day=data["day"],
                                       quantity=data["quantity"], note=data["note"],
                                       by=request.user)
            except CounterError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("記録しました。"))
                return redirect("counter:log", office=found.code)
        status = 400
    return render(request, "counter/log.html", {
        "office": found, "year": year, "month": month, "form": form,
        "rows": selectors.log_counts(found, year=year, month=month),
        "can_record": can(request.user, Action.COUNTER_SERVE, found)}, status=status)


def _csv(rows: list[dict], *, year: int, month: int | None, name: str) -> HttpResponse:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(["窓口", "年", "月", "区分（別表2）", "サービス", "件数", "うち番号札",
                     "平均待ち時間（秒）", "平均処理時間（秒）"])
    for row in rows:
        writer.writerow([cell(row["office"]), year, month or "", cell(str(row["group"])),
                         cell(row["service"]), row["count"], row["tickets"],
                         "" if row["wait"] is None else row["wait"],
                         "" if row["handling"] is None else row["handling"]])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    period = f"{year}{'' if not month else f'-{month:02d}'}"
    response["Content-Disposition"] = f'attachment; filename="counter-{name}-{period}.csv"'
    return response


@require_GET
@policy_required(Action.COUNTER_LOG)
def log_csv(request, office):
    found = _office(request, office, Action.COUNTER_LOG)
    year, month = _period(request)
    return _csv(selectors.log_counts(found, year=year, month=month), year=year, month=month,
                name=found.code)


@require_GET
@policy_required(Action.COUNTER_LOG)
def ward_csv(request):
    """Every office the user may read (all of them for a ward administrator)."""
    year, month = _period(request)
    readable = selectors.offices_for(request.user, Action.COUNTER_LOG)
    return _csv(selectors.log_counts_for(readable, year=year, month=month), year=year,
                month=month, name="ward")
