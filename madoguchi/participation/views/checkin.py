"""Check-in with the pass (ADR 0060): the resident's pass page (a QR of its own URL, no
personal data) and the staff's check-in page of an event, made for a tablet at the door:
one text input that a QR scanner (or the keyboard) fills with the pass's URL or token."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.notifications.ical import TOKYO
from madoguchi.participation import checkin, services
from madoguchi.participation.forms import CheckInForm
from madoguchi.participation.messages import sessions
from madoguchi.participation.models import RegStatus
from madoguchi.participation.views.staff import _event as event_for


@never_cache
def pass_page(request, token):
    """The pass: the event, the sessions and the QR to show at the door."""
    registration = checkin.by_token(token)
    if registration is None:
        return render(request, "participation/public/pass.html", {"gone": True}, status=404)
    event = registration.event
    context = {"event": event, "registration": registration, "sessions": sessions(event),
               "live": registration.status == RegStatus.CONFIRMED}
    if context["live"]:
        context["qr"] = checkin.qr_svg(
            checkin.pass_url(token, origin=request.build_absolute_uri("/")))
    return render(request, "participation/public/pass.html", context)


@policy_required(Action.REGISTRATION_VIEW)
@require_http_methods(["GET", "POST"])
def check_in(request, event):
    event = event_for(request, event, Action.REGISTRATION_VIEW)
    form = CheckInForm(request.POST or None)
    done = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                done = checkin.check_in(by=request.user, event=event,
                                        scanned=form.cleaned_data["scanned"])
            except services.ParticipationError as error:
                form.add_service_errors(error)
                status = 409
            else:
                form = CheckInForm()  # empty again, ready for the next pass
        else:
            status = 400
    attended = event.registrations.filter(status=RegStatus.CONFIRMED,
                                          attended_at__isnull=False).count()
    return render(request, "participation/staff/checkin.html", {
        "event": event, "form": form, "done": done, "attended": attended,
        "at": timezone.localtime(done.registration.attended_at, TOKYO) if done else None,
    }, status=status)
