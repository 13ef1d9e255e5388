"""Consultation pages of the booking: book, reschedule, cancel."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.consultations import bookings, services
from madoguchi.consultations.forms import (
    BookForm,
    CancelForm,
    RescheduleForm,
)
from madoguchi.consultations.views._common import (
    _locate,
    _parse_start,
    _shown,
    _transition_or_404,
    detail_url,
    source_of,
)

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
