"""Escalation of a record or action item to a branch or head-office section."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.collaboration import workflow
from madoguchi.collaboration.models import (
    ActionItem,
    Escalation,
    EscalationMessage,
    EscalationStatus,
    EventKind,
    Status,
    TroubleRecord,
)
from madoguchi.organisation.models import Section, Tier

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
from madoguchi.collaboration.services._common import ESCALATION_OPEN_DAYS, due_in_open_days
from madoguchi.collaboration.services.records import _move


def escalation_targets(district) -> list[Section]:
    """Sections a district may escalate to: its region's branch-office sections and the
    head office's sections (organisation data)."""
    return list(Section.objects.filter(is_active=True).filter(
        Q(kind__tier=Tier.BRANCH, region_id=district.region_id) | Q(kind__tier=Tier.HEAD))
        .select_related("kind", "region").order_by("kind__tier", "kind__sort_order", "code"))


def escalation_open(*, subject: TroubleRecord | ActionItem, to_section: Section | None,
                    title: str, body: str, by: User) -> Escalation:
    if not can(by, Action.COLLAB_ESCALATE, subject):
        raise PermissionDenied
    record = subject if isinstance(subject, TroubleRecord) else subject.record
    district = subject.district if isinstance(subject, TroubleRecord) else subject.meeting.district
    errors: dict[str, list[str]] = {}
    if to_section is None or to_section.pk not in {s.pk for s in escalation_targets(district)}:
        errors["to_section"] = [_("上申先を、総合支所または本庁の課から選んでください。")]
    if not title.strip():
        errors["title"] = [_("件名を入力してください。")]
    if not body.strip():
        errors["body"] = [_("上申の内容を入力してください。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        escalation = Escalation.objects.create(
            district=district, record=record,
            action=subject if isinstance(subject, ActionItem) else None,
            to_section=to_section, subject=title.strip(), opened_by=by,
            due_date=due_in_open_days(timezone.localdate(), ESCALATION_OPEN_DAYS))
        EscalationMessage.objects.create(escalation=escalation, author=by, body=body.strip())
        if record is not None:
            locked = TroubleRecord.objects.select_for_update().get(pk=record.pk)
            if locked.status in workflow.BY_NAME["escalate"].sources:
                _move(locked, Status.ESCALATED, by=by, kind=EventKind.ESCALATED)
    return escalation


@transaction.atomic
def escalation_reply(*, escalation: Escalation, body: str, by: User,
                     close: bool = False) -> EscalationMessage:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not can(by, Action.COLLAB_ESCALATION_VIEW, escalation):
        raise PermissionDenied
    answering = can(by, Action.COLLAB_ESCALATION_ANSWER, escalation)
    from madoguchi.collaboration.access import party_district_ids

    asking = escalation.district_id in party_district_ids(by, Action.COLLAB_ESCALATE)
    if not answering and not asking:
        raise PermissionDenied
    if escalation.status == EscalationStatus.CLOSED:
        raise ValidationError(_("この上申は完了しています。"))
    if not body.strip():
        raise ValidationError({"body": [_("内容を入力してください。")]})
    message = EscalationMessage.objects.create(escalation=escalation, author=by,
                                               body=body.strip())
    if close and asking:
        escalation.status = EscalationStatus.CLOSED
    elif answering:
        escalation.status = EscalationStatus.ANSWERED
    else:
        escalation.status = EscalationStatus.OPEN
    escalation.save(update_fields=["status"])
    return message
