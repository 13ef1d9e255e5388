"""Pages of escalations to branch and head-office sections."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.collaboration import selectors, services
from madoguchi.collaboration.forms import (
    EscalationForm,
    ReplyForm,
    apply_errors,
)
from madoguchi.collaboration.models import ActionItem


@policy_required(Action.COLLAB_ESCALATION_VIEW)
def escalation_list(request):
    return render(request, "collaboration/escalations.html",
                  {"escalations": selectors.escalation_list(user=request.user)})


@require_POST
@policy_required(Action.COLLAB_ESCALATE)
def escalation_create(request, public_id):
    record = selectors.visible_record(user=request.user, public_id=public_id)
    form = EscalationForm(request.POST, targets=services.escalation_targets(record.district))
    if form.is_valid():
        try:
            escalation = services.escalation_open(
                subject=record, to_section=form.cleaned_data["to_section"],
                title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("上申しました。"))
            return redirect("collaboration:escalation", public_id=escalation.public_id)
    detail = selectors.record_detail(user=request.user, public_id=public_id,
                                     source="collaboration:escalation_create")
    return render(request, "collaboration/record.html", {
        "detail": detail, "record": record, "view": detail.view, "may_escalate": True,
        "escalation_form": form})


@policy_required(Action.COLLAB_ESCALATE)
def action_escalate(request, pk):
    """Escalate an action item (one of the user's district's meetings)."""
    item = ActionItem.objects.select_related("meeting__district", "party").filter(pk=pk).first()
    if item is None or not can(request.user, Action.COLLAB_ESCALATE, item):
        raise Http404
    district = item.meeting.district
    form = EscalationForm(request.POST or None, targets=services.escalation_targets(district))
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.escalation_open(
                subject=item, to_section=form.cleaned_data["to_section"],
                title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("上申しました。"))
            return redirect("collaboration:escalation", public_id=escalation.public_id)
    return render(request, "collaboration/action_escalate.html", {"item": item, "form": form})


@policy_required(Action.COLLAB_ESCALATION_VIEW)
def escalation_detail(request, public_id):
    escalation = selectors.visible_escalation(user=request.user, public_id=public_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalation_reply(escalation=escalation, body=form.cleaned_data["body"],
                                      close=form.cleaned_data["close"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("送信しました。"))
            return redirect("collaboration:escalation", public_id=escalation.public_id)
    return render(request, "collaboration/escalation.html", {"escalation": escalation,
                                                             "form": form})
