"""Consultation pages of the outcome and the follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.consultations import bookings, selectors, services
from madoguchi.consultations.forms import (
    FollowUpForm,
    OutcomeForm,
)
from madoguchi.consultations.views._common import (
    _locate,
    _shown,
    _transition_or_404,
    detail_url,
    source_of,
)
from madoguchi.organisation.models import Section

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
