"""Public pages, without login and without anyone's name: the reception tablet (its key in
the session, as the booth kiosk's), the ticket page (its unguessable token is the address),
the receipt PDF, the call display and the current waits."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from madoguchi.counter import selectors, services
from madoguchi.counter.errors import CheckedIn, CounterError
from madoguchi.counter.models import TicketSource, TicketStatus
from madoguchi.documents.content import QueueTicket
from madoguchi.documents.receipt import WIDTHS, render_queue_ticket

SESSION_KIOSK = "counter.reception"
TICKET_REFRESH_SECONDS = 30
RECEPTION_RETURN_SECONDS = 60


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff",
                                                   title=_("この番号札のページ"))


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
