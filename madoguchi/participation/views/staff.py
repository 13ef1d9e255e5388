"""The staff's pages: events of their scope, create and edit, the workflow (submit,
approval by the centre's head, publication), the registrations and attendance list, the
counter's registration, the lottery draw, the kinds of event (ward administrators)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.participation import online, referable, selectors, services
from madoguchi.participation.forms import EventForm, EventKindForm, StaffRegistrationForm
from madoguchi.participation.messages import sessions
from madoguchi.participation.models import Event, EventKind, Mode, Registration
from madoguchi.participation.views._links import cancel_base


def _event(request, event, action: Action = Action.EVENT_MANAGE) -> Event:
    found = Event.objects.select_related("kind", "district", "centre", "room").filter(
        public_id=event).first()
    if found is None or not can(request.user, Action.EVENT_MANAGE, found):
        raise Http404
    if action != Action.EVENT_MANAGE and not can(request.user, action, found):
        raise PermissionDenied
    return found


@policy_required(Action.EVENT_MANAGE)
def event_list(request):
    return render(request, "participation/staff/list.html",
                  {"events": selectors.staff_events(request.user)[:200]})


@policy_required(Action.EVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, data=form.cleaned_data)
        except services.ParticipationError as error:
            form.add_service_errors(error)
        else:
            return redirect("participation:event", event=event.public_id)
    return render(request, "participation/staff/form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@policy_required(Action.EVENT_MANAGE)
def event_detail(request, event):
    event = _event(request, event)
    return render(request, "participation/staff/detail.html", {
        "event": event, "sessions": sessions(event),
        "history": event.transitions.select_related("by"),
        "may_approve": can(request.user, Action.EVENT_APPROVE, event),
        "draws": event.draws.all(), "lottery": event.mode == Mode.LOTTERY,
        "redraw_ok": services.redraw_check(event) if event.drawn_at else None,
        "room_bookings": selectors.room_bookings(event),
        "referrals": referable.counts(event),
        "video_sessions": online.video_sessions(event),
    })


@policy_required(Action.EVENT_MANAGE)
@require_http_methods(["GET", "POST"])
def event_edit(request, event):
    event = _event(request, event)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.event_update(by=request.user, event=Event.objects.get(pk=event.pk),
                                  data=data)
        except services.ParticipationError as error:
            form.add_service_errors(error)
        else:
            return redirect("participation:event", event=event.public_id)
    return render(request, "participation/staff/form.html", {"form": form, "event": event},
                  status=400 if request.method == "POST" else 200)


@policy_required(Action.EVENT_MANAGE)
@require_POST
def event_step(request, event, step):
    if step not in ("submit", "approve", "return", "cancel"):
        raise Http404
    action = Action.EVENT_APPROVE if step in ("approve", "return") else Action.EVENT_MANAGE
    event = _event(request, event, action)
    try:
        services.event_move(by=request.user, event=event, step=step,
                            note=request.POST.get("note", ""))
    except services.ParticipationError as error:
        return render(request, "participation/staff/refused.html",
                      {"event": event, "errors": error.messages}, status=409)
    return redirect("participation:event", event=event.public_id)


def _attendance(request, event, form, status=200):
    rows = list(selectors.attendance(event))
    audit.record_many(actor=request.user, action=AuditAction.LIST,
                      record_type="participation.registration",
                      records=[(row.public_id, "") for row in rows],
                      source="participation:registrations", fields=["name", "email", "phone",
                                                                     "needs"])
    return render(request, "participation/staff/registrations.html",
                  {"event": event, "rows": rows, "form": form}, status=status)


@policy_required(Action.REGISTRATION_VIEW)
@require_http_methods(["GET", "POST"])
def registrations(request, event):
    event = _event(request, event, Action.REGISTRATION_VIEW)
    form = StaffRegistrationForm(request.POST or None,
                                 hybrid=event.is_hybrid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register(event=event, name=data["name"], email=data["email"],
                              phone=data["phone"], people=data["people"], needs=data["needs"],
                              channel=data["channel"], by=request.user,
                              link_base=cancel_base(request),
                              online_choice=data.get("online", False),
                              language=data["language"] or "ja")
        except services.ParticipationError as error:
            form.add_service_errors(error)
        else:
            return redirect("participation:registrations", event=event.public_id)
    return _attendance(request, event, form, 400 if request.method == "POST" else 200)


def _registration(request, event, registration) -> Registration:
    event = _event(request, event, Action.REGISTRATION_VIEW)
    return get_object_or_404(Registration, event=event, public_id=registration,
                             erased_at__isnull=True)


@policy_required(Action.REGISTRATION_VIEW)
@require_POST
def attend(request, event, registration):
    found = _registration(request, event, registration)
    services.mark_attended(by=request.user, registration=found,
                           present=request.POST.get("present") == "1")
    return redirect(reverse("participation:registrations", kwargs={"event": event})
                    + f"#r{found.position}")


@policy_required(Action.REGISTRATION_VIEW)
@require_POST
def staff_cancel(request, event, registration):
    found = _registration(request, event, registration)
    try:
        services.cancel(registration=found, by=request.user, link_base=cancel_base(request))
    except services.ParticipationError as error:
        return render(request, "participation/staff/refused.html",
                      {"event": found.event, "errors": error.messages}, status=409)
    return redirect("participation:registrations", event=event)


@policy_required(Action.EVENT_MANAGE)
@require_POST
def draw(request, event):
    event = _event(request, event)
    try:
        services.draw(event=event, by=request.user, link_base=cancel_base(request))
    except services.ParticipationError as error:
        return render(request, "participation/staff/refused.html",
                      {"event": event, "errors": error.messages}, status=409)
    return redirect("participation:event", event=event.public_id)


@policy_required(Action.EVENT_KINDS)
@require_http_methods(["GET", "POST"])
def kinds(request):
    form = EventKindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("participation:kinds")
    return render(request, "participation/staff/kinds.html",
                  {"form": form, "kinds": EventKind.objects.all()},
                  status=400 if request.method == "POST" else 200)
