"""Writes of a consultation's outcome and its follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import workflow
from madoguchi.consultations.models import (
    Consultation,
    ConsultationEvent,
    FollowUp,
    Outcome,
    Result,
    Satisfaction,
    StatEvent,
    Status,
)
from madoguchi.consultations.services._common import (
    DURATION_MAX,
    SUMMARY_MAX,
    _audit,
    _event,
    _locked,
    _stat,
    _text,
)
from madoguchi.organisation.models import Section
from madoguchi.scheduling import services as scheduling

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


# ── outcome and follow-ups ─────────────────────────────────────────────────────────────

def _section_by_ref(value: Any) -> Section | None:
    if isinstance(value, Section):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    query = Section.objects.filter(code=text)
    if text.isdigit():
        query = Section.objects.filter(pk=int(text))
    return query.filter(is_active=True).first()


def clean_outcome(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    result = _text(data, "result")
    if result not in Result.values:
        errors["result"] = _("対応結果を一覧から選んでください。")
    referred_to = _section_by_ref(data.get("referred_to"))
    if result == Result.REFERRED and referred_to is None:
        errors["referred_to"] = _("紹介した課・機関を選んでください。")
    if result != Result.REFERRED:
        referred_to = None
    summary = _text(data, "summary")
    if len(summary) > SUMMARY_MAX:
        errors["summary"] = _("対応の記録は%(max)d文字以内で入力してください。") % {
            "max": SUMMARY_MAX}
    satisfied = _text(data, "satisfied") or Satisfaction.UNKNOWN
    if satisfied not in Satisfaction.values:
        errors["satisfied"] = _("満足度を一覧から選んでください。")
    duration_text = _text(data, "duration_minutes")
    try:
        duration = int(duration_text)
    except ValueError:
        duration = None
    if duration is None or not 1 <= duration <= DURATION_MAX:
        errors["duration_minutes"] = _("相談時間は1～%(max)d分の整数で入力してください。") % {
            "max": DURATION_MAX}
    if errors:
        raise ValidationError(errors)
    return {"result": result, "referred_to": referred_to, "summary": summary,
            "satisfied": satisfied, "duration_minutes": duration}


def outcome_record(*, by: User, consultation: Consultation, data: Mapping[str, Any],
                   source: str) -> Outcome:
    """The section records what it did; the consultation becomes 対応済み."""
    if not can(by, Action.CONSULTATION_OUTCOME, consultation):
        raise PermissionDenied(_("対応結果を記録できるのは、回付先の課・機関の職員です。"))
    cleaned = clean_outcome(data)
    with transaction.atomic():
        current = _locked(consultation)
        workflow.require(current, "outcome")
        outcome = Outcome.objects.create(consultation=current, recorded_by=by,
                                         recorded_at=timezone.now(), **cleaned)
        before = current.status
        current.status = Status.COMPLETED
        current.save()
        if current.booking_id:
            scheduling.booking_finish(booking=current.booking)
        _event(current, by=by, kind=ConsultationEvent.Kind.OUTCOME, from_status=before,
               note=str(outcome.get_result_display()))
        start = current.booking.start if current.booking_id else None
        _stat(current, kind=StatEvent.Kind.COMPLETED, start=start,
              duration_minutes=cleaned["duration_minutes"])
        _audit(current, by=by, action=AuditAction.UPDATE, source=source,
               fields=["status"] + [f"outcome_{name}" for name, value in cleaned.items()
                                    if value not in ("", None)])
    return outcome


def followup_owner_choices(consultation: Consultation):
    """Who may own a follow-up: current staff of the consultation's section and of the
    centre that received it."""
    from madoguchi.accounts.models import Membership, User

    units = list(Section.objects.filter(district=consultation.centre.district_id,
                                        kind__code="machizukuri-center")
                 .values_list("pk", flat=True))
    if consultation.section_id:
        units.append(consultation.section_id)
    members = Membership.objects.current().filter(unit_id__in=units).values("user_id")
    return User.objects.filter(is_active=True, pk__in=members).order_by("display_name",
                                                                         "username")


def followup_create(*, by: User, consultation: Consultation, data: Mapping[str, Any],
                    source: str) -> FollowUp:
    if not can(by, Action.CONSULTATION_OUTCOME, consultation):
        raise PermissionDenied(_("フォローアップを登録できるのは、回付先の課・機関の職員です。"))
    errors: dict[str, str] = {}
    task = _text(data, "task")
    if not task:
        errors["task"] = _("やることを入力してください。")
    elif len(task) > 200:
        errors["task"] = _("やることは200文字以内で入力してください。")
    due = data.get("due_date")
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due.strip())
        except ValueError:
            due = None
    if not isinstance(due, dt.date):
        errors["due_date"] = _("期限を日付で入力してください（例: 2026-06-30）。")
    elif due < timezone.localdate():
        errors["due_date"] = _("期限に過去の日付は入力できません。")
    owner_ref = data.get("owner")
    owner_id = getattr(owner_ref, "pk", owner_ref)
    owner = followup_owner_choices(consultation).filter(
        pk=int(owner_id) if str(owner_id or "").isdigit() else -1).first()
    if owner is None:
        errors["owner"] = _("担当者を一覧から選んでください。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked(consultation)
        if current.status == Status.CANCELLED:
            raise ValidationError(_("取り消された相談にはフォローアップを登録できません。"))
        followup = FollowUp.objects.create(consultation=current, task=task, due_date=due,
                                           owner=owner, created_by=by,
                                           created_at=timezone.now())
        _event(current, by=by, kind=ConsultationEvent.Kind.FOLLOWUP,
               from_status=current.status)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source,
               fields=["followup_task", "followup_due_date", "followup_owner"])
    return followup


def followup_complete(*, by: User, followup: FollowUp, source: str) -> FollowUp:
    if not can(by, Action.FOLLOWUP_COMPLETE, followup):
        raise PermissionDenied(_("このフォローアップを完了にする権限がありません。"))
    with transaction.atomic():
        current = (FollowUp.objects.select_for_update(of=("self",))
                   .select_related("consultation__resident", "consultation__section",
                                   "consultation__centre")
                   .get(pk=followup.pk))
        if current.done_at is not None:
            raise ValidationError(_("このフォローアップはすでに完了しています。"))
        current.done_at = timezone.now()
        current.done_by = by
        current.save(update_fields=["done_at", "done_by"])
        consultation = current.consultation
        _event(consultation, by=by, kind=ConsultationEvent.Kind.FOLLOWUP_DONE,
               from_status=consultation.status)
        _audit(consultation, by=by, action=AuditAction.UPDATE, source=source,
               fields=["followup_done_at"])
    return current
