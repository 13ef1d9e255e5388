"""Trouble records: create, move along the workflow, share with the parties."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.collaboration import workflow
from madoguchi.collaboration.models import (
    PARTY_KINDS,
    Basis,
    EventKind,
    RecordEvent,
    Status,
    Theme,
    TroubleRecord,
)
from madoguchi.organisation.models import Section

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
from madoguchi.collaboration.services._common import RECORD, due_in_open_days
from madoguchi.collaboration.services.forms import current_form, form_spec


@dataclass
class RecordInput:
    party: Section | None
    theme: Theme | None
    title: str
    noticed: str
    age_band: str
    household: str
    urgency: str = "normal"
    chome: str = ""
    facility: str = ""
    noticed_names_nobody: bool = False
    answers: dict[str, Any] | None = None
    resident: Any = None
    basis: str = ""
    basis_note: str = ""
    consultation_ids: Iterable[str] = ()
    share: bool = False
    due_days: int | None = None


def _check_record(data: RecordInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.party is None:
        errors["party"] = [_("気づいた機関を選んでください。")]
    elif data.party.kind.code not in PARTY_KINDS or not data.party.district_id:
        errors["party"] = [_("記録できるのは地区の四者（まちづくりセンター・あんしんすこやか"
                             "センター・社会福祉協議会・児童館）だけです。")]
    if data.theme is None or not data.theme.is_active:
        errors["theme"] = [_("テーマを選んでください。")]
    if not data.title.strip():
        errors["title"] = [_("件名を入力してください。")]
    if not data.noticed.strip():
        errors["noticed"] = [_("気づいたことを入力してください。")]
    if data.resident is not None and data.basis not in (Basis.CONSENT, Basis.LAW):
        errors["basis"] = [_("区民を結び付けるには、本人の同意か法令の定めのどちらかの根拠を"
                             "選んでください。根拠がなければ結び付けられません。")]
    if data.resident is not None and data.basis and not data.basis_note.strip():
        errors["basis_note"] = [_("根拠の内容（同意を得た日と方法、または根拠となる法令）を"
                                  "書いてください。")]
    if errors:
        raise ValidationError(errors)


def _consultations(by: User, ids: Iterable[str]) -> list:
    from madoguchi.consultations.selectors import visible_consultation

    found = []
    for public_id in ids:
        if not str(public_id).strip():
            continue
        try:
            found.append(visible_consultation(user=by, public_id=str(public_id).strip()))
        except Exception:  # Http404 / PermissionDenied: not one the author may see
            raise ValidationError({"consultations": [
                _("関連する相談「%(id)s」が見つからないか、参照できません。") % {"id": public_id}
            ]}) from None
    return found


def record_create(*, by: User, data: RecordInput, source: str) -> TroubleRecord:
    _check_record(data)
    if not can(by, Action.COLLAB_RECORD_CREATE, data.party):
        raise PermissionDenied
    assert data.party is not None and data.theme is not None
    form = current_form()
    answers = dict(data.answers or {})
    if data.answers is not None:
        from madoguchi.procedures.formschema.engine import clean_answers

        outcome = clean_answers(form_spec(form), answers)
        if not outcome.ok:
            raise ValidationError({"answers": [m for ms in outcome.errors.values() for m in ms]})
        answers = outcome.answers
    consultations = _consultations(by, data.consultation_ids)
    today = timezone.localdate()
    with transaction.atomic():
        record = TroubleRecord.objects.create(
            form=form, party=data.party, district_id=data.party.district_id,
            chome=data.chome.strip(), facility=data.facility.strip(), title=data.title.strip(),
            noticed=data.noticed.strip(), noticed_names_nobody=data.noticed_names_nobody,
            age_band=data.age_band, household=data.household, theme=data.theme,
            urgency=data.urgency, answers=answers, resident=data.resident,
            basis=data.basis if data.resident is not None else "",
            basis_note=data.basis_note.strip() if data.resident is not None else "",
            share=data.share, owner=by, created_by=by,
            due_date=due_in_open_days(today, data.due_days) if data.due_days else None)
        if consultations:
            record.consultations.set(consultations)
        RecordEvent.objects.create(record=record, actor=by, to_status=Status.NEW,
                                   kind=EventKind.CREATED)
        audit.record(actor=by, action=AuditAction.CREATE, record_type=RECORD,
                     record_id=record.pk, source=source,
                     resident_ref=str(data.resident.public_id) if data.resident else "")
    return record


def _move(record: TroubleRecord, target: str, *, by: User, note: str = "",
          kind: str = EventKind.MOVED) -> None:
    RecordEvent.objects.create(record=record, actor=by, from_status=record.status,
                               to_status=target, note=note, kind=kind)
    record.status = target
    record.save(update_fields=["status", "close_reason", "shared_at_meeting"])


@transaction.atomic
def record_transition(*, record: TroubleRecord, name: str, by: User, reason: str = ""
                      ) -> TroubleRecord:
    record = TroubleRecord.objects.select_for_update().get(pk=record.pk)
    if not can(by, Action.COLLAB_RECORD_EDIT, record):
        raise PermissionDenied
    transition = workflow.require(record, name)
    if not transition.by_hand:
        raise ValidationError(_("「%(action)s」はこの画面からはできません。")
                              % {"action": transition.label})
    if transition.needs_reason and not reason.strip():
        raise ValidationError({"reason": [_("終了の理由を入力してください。")]})
    if transition.needs_reason:
        record.close_reason = reason.strip()
    _move(record, transition.target, by=by, note=reason.strip())
    return record


@transaction.atomic
def record_mark_share(*, record: TroubleRecord, by: User, share: bool = True) -> TroubleRecord:
    """Mark (or unmark) a record for the next four-party meeting of its district."""
    record = TroubleRecord.objects.select_for_update().get(pk=record.pk)
    if not can(by, Action.COLLAB_RECORD_EDIT, record):
        raise PermissionDenied
    if record.status not in workflow.OPEN:
        raise ValidationError(_("終わった記録は会議で共有できません。"))
    if record.share != share:
        record.share = share
        record.save(update_fields=["share"])
        RecordEvent.objects.create(
            record=record, actor=by, from_status=record.status, to_status=record.status,
            kind=EventKind.MARKED if share else EventKind.UNMARKED)
    return record
