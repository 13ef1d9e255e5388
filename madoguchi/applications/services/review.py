"""Writes of the section's review: workflow transitions (with a decision's data or a
correction's items) and the reviewer checklist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action
from madoguchi.applications import transition_data
from madoguchi.applications.models import (
    Application,
    EventKind,
)
from madoguchi.applications.services._common import (
    Actor,
    _require_owner_or,
    audit_write,
    history_append,
    locked_for_update,
)
from madoguchi.audit.models import Action as AuditAction

if TYPE_CHECKING:

    pass

def application_transition(*, actor: Actor, application: Application, name: str,
                           note: str = "", for_resident: bool = False,
                           decision: Mapping[str, Any] | None = None,
                           correction: transition_data.CorrectionItems | None = None
                           ) -> Application:
    """Take the workflow transition ``name`` (allowed by the procedure's workflow data for
    this actor and status), with ``note``. Staff need the review right on the application's
    section; residents may take only resident transitions of their own applications.
    ``for_resident``: a staff member who may see the application (e.g. at the centre) takes
    a resident transition on the resident's behalf (answering a correction at the counter);
    the history names the staff member.

    ``decision``: the raw data of the target status's decision fields (checked by the form
    engine: AnswersInvalid); a decision is recorded with its reasons. ``correction``: what a
    correction request (into a status that pauses the clock) names for the resident to
    change."""
    note = (note or "").strip()
    if len(note) > 4000:
        raise ValidationError(_("メモは4,000文字以内で入力してください。"), code="note")
    if for_resident and actor.is_resident:
        for_resident = False
    _require_owner_or(actor, application, Action.APPLICATION_VIEW if for_resident
                      else Action.APPLICATION_REVIEW)
    with transaction.atomic():
        locked = locked_for_update(application)
        if locked.is_draft:
            raise ValidationError(_("まだ申請されていません。"), code="draft")
        spec = locked.version.workflow_spec
        transition = spec.require(
            locked.status, name,
            actor="resident" if actor.is_resident or for_resident else "staff")
        if transition.note == "required" and not note:
            raise ValidationError(_("「%(action)s」には理由・メッセージの入力が必要です。")
                                  % {"action": transition.text}, code="note_required")
        if transition.note == "none":
            note = ""
        target = spec.status(transition.target)
        data = transition_data.check_decision(target, decision)
        if correction is not None:
            if not target.pauses_clock or actor.is_resident or for_resident:
                raise ValidationError(_("補正の依頼でなければ、直す項目は選べません。"),
                                      code="correction_items")
            transition_data.check_items(locked.version, correction)
        before = locked.status
        locked.status = transition.target
        if spec.status(transition.target).final:
            locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        event = history_append(locked, actor, EventKind.TRANSITION,
                               transition=transition.name, from_status=before,
                               to_status=transition.target, note=note, public=True,
                               note_public=transition.note_to_resident)
        fields = ["status"]
        if transition.actor == "staff" and not for_resident and \
                transition_data.records_decision(locked.version, target):
            transition_data.record_decision(application=locked, event=event, user=actor.user,
                                            transition=transition, data=data, note=note)
            fields.append("decision")
        if correction is not None:
            transition_data.record_request(application=locked, event=event, items=correction)
        audit_write(actor, locked, AuditAction.UPDATE, fields)
    return locked


def checklist_set(*, actor: Actor, application: Application, index: int,
                  done: bool) -> Application:
    """Tick (or untick) item ``index`` of the procedure's reviewer checklist."""
    if actor.is_resident:
        raise PermissionDenied
    _require_owner_or(actor, application, Action.APPLICATION_REVIEW)
    items = application.version.checklist
    if not (0 <= index < len(items)):
        raise ValidationError(_("チェック項目が見つかりません。"), code="checklist")
    with transaction.atomic():
        locked = locked_for_update(application)
        if locked.is_draft or locked.is_final:
            raise ValidationError(_("この申請のチェックはいまは変えられません。"),
                                  code="checklist")
        checklist = dict(locked.checklist or {})
        checklist[str(index)] = {"done": bool(done), "by": actor.user.get_username(),
                                 "at": timezone.now().isoformat(timespec="seconds")}
        locked.checklist = checklist
        locked.save(update_fields=["checklist", "updated_at"])
        history_append(locked, actor, EventKind.CHECKLIST,
               note=("☑ " if done else "☐ ") + str(items[index]))
        audit_write(actor, locked, AuditAction.UPDATE, ["checklist"])
    return locked
