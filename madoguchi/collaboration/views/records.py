"""Pages of trouble records: list, new record, detail and its workflow."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.collaboration import access, selectors, services
from madoguchi.collaboration.forms import (
    EscalationForm,
    RecordForm,
    TransitionForm,
    apply_errors,
)
from madoguchi.collaboration.models import Status, Theme
from madoguchi.collaboration.services import references as record_references
from madoguchi.collaboration.views._common import _resident
from madoguchi.core import references


@policy_required(Action.COLLAB_RECORD_VIEW)
def record_list(request):
    status = request.GET.get("status", "")
    theme = request.GET.get("theme", "")
    views = selectors.record_list(user=request.user, source="collaboration:records",
                                  status=status if status in Status.values else "",
                                  theme=theme)
    return render(request, "collaboration/records.html", {
        "views": views, "statuses": Status.choices, "themes": Theme.objects.all(),
        "status": status, "theme": theme,
        "may_create": can(request.user, Action.COLLAB_RECORD_CREATE)})


@policy_required(Action.COLLAB_RECORD_CREATE)
def record_create(request):
    from madoguchi.procedures.formschema.django_forms import ProcedureForm

    parties = access.party_units(request.user, Action.COLLAB_RECORD_CREATE)
    try:
        spec = services.form_spec(services.current_form())
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("collaboration:records")
    data = request.POST if request.method == "POST" else None
    form = RecordForm(data, parties=parties)
    extra = ProcedureForm(spec, data, prefix="f")
    if request.method == "POST":
        form_ok, extra_ok = form.is_valid(), extra.is_valid()
        if form_ok and extra_ok:
            cleaned = form.cleaned_data
            resident = _resident(request.user, cleaned["resident"])
            if resident is False:
                form.add_error("resident",
                               _("その区民番号の区民は見つからないか、参照できません。"))
            else:
                try:
                    record = services.record_create(
                        by=request.user, source="collaboration:record_create",
                        data=services.RecordInput(
                        party=cleaned["party"], theme=cleaned["theme"], title=cleaned["title"],
                        noticed=cleaned["noticed"], age_band=cleaned["age_band"],
                        household=cleaned["household"], urgency=cleaned["urgency"],
                        chome=cleaned["chome"], facility=cleaned["facility"],
                        noticed_names_nobody=cleaned["noticed_names_nobody"],
                        answers=extra.answers, resident=resident, basis=cleaned["basis"],
                        basis_note=cleaned["basis_note"],
                        consultation_ids=cleaned["consultations"].split(),
                        share=cleaned["share"], due_days=cleaned["due_days"]))
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, _("記録しました。"))
                    return redirect("collaboration:record", public_id=record.public_id)
    return render(request, "collaboration/record_form.html", {"form": form, "extra": extra})


@policy_required(Action.COLLAB_RECORD_VIEW)
def record_detail(request, public_id):
    detail = selectors.record_detail(user=request.user, public_id=public_id,
                                     source="collaboration:record")
    record = detail.view.record
    return render(request, "collaboration/record.html", {
        "detail": detail, "record": record, "view": detail.view,
        "may_escalate": can(request.user, Action.COLLAB_ESCALATE, record)
        and record.status in (Status.NEW, Status.SHARED, Status.IN_PROGRESS),
        "escalation_form": EscalationForm(targets=services.escalation_targets(record.district)),
        **_references_context(request, record),
    })


def _references_context(request, record) -> dict:
    may_add = can(request.user, Action.COLLAB_RECORD_EDIT, record)
    return {
        "references": list(record.references.all()),
        "reference_choices": references.choices() if may_add else [],
        "reference_action": (reverse("collaboration:record_reference",
                                     kwargs={"public_id": record.public_id})
                             if may_add else ""),
        "reference_remove_action": (reverse("collaboration:record_reference_remove",
                                            kwargs={"public_id": record.public_id})
                                    if may_add else ""),
    }


def _back_to_references(record):
    return redirect(reverse("collaboration:record", kwargs={"public_id": record.public_id})
                    + "#references")


@require_POST
@policy_required(Action.COLLAB_RECORD_EDIT)
def record_reference(request, public_id):
    """Point the record to an event (or another registered thing); a refusal comes back
    as a message on the record page, nothing saved."""
    record = selectors.visible_record(user=request.user, public_id=public_id, editing=True)
    try:
        record_references.record_reference_add(
            record=record, value=request.POST.get("reference", ""), by=request.user,
            source="collaboration:record_reference")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("紹介先を追加しました。"))
    return _back_to_references(record)


@require_POST
@policy_required(Action.COLLAB_RECORD_EDIT)
def record_reference_remove(request, public_id):
    """Remove a reference added by mistake (its pk in the form body, never in the URL); a
    refusal comes back as a message on the record page, nothing changed."""
    record = selectors.visible_record(user=request.user, public_id=public_id, editing=True)
    try:
        record_references.record_reference_remove(
            record=record, reference_id=request.POST.get("reference_id"), by=request.user,
            source="collaboration:record_reference_remove")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("紹介先を外しました。"))
    return _back_to_references(record)


@require_POST
@policy_required(Action.COLLAB_RECORD_EDIT)
def record_transition(request, public_id):
    record = selectors.visible_record(user=request.user, public_id=public_id, editing=True)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作を選んでください。"))
        return redirect("collaboration:record", public_id=record.public_id)
    try:
        if form.cleaned_data["name"] in ("mark_share", "unmark_share"):
            services.record_mark_share(record=record, by=request.user,
                                       share=form.cleaned_data["name"] == "mark_share")
        else:
            services.record_transition(record=record, name=form.cleaned_data["name"],
                                       by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("記録を更新しました。"))
    return redirect("collaboration:record", public_id=record.public_id)
