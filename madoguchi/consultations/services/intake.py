"""Writes on consultations. Each service checks the policy and the workflow, validates,
writes in one transaction and appends, in that same transaction, a timeline event
(``ConsultationEvent``), an anonymous statistics event (``StatEvent``) and an audit entry
(record type ``consultation``, the resident's public id as ``resident_ref``).

Bookings are made by ``scheduling.services``; its ``SlotUnavailable`` and
``BookingRejected`` propagate unchanged (the transaction is rolled back, nothing is saved)
so that pages and the API can show the message and the next free slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import access, routing, workflow
from madoguchi.consultations.models import (
    Category,
    Consultation,
    ConsultationEvent,
    FollowUp,
    OnlineService,
    Outcome,
    Result,
    RoutingRule,
    Satisfaction,
    StatEvent,
    Status,
    Urgency,
)
from madoguchi.organisation.models import DistrictCentre, Section, SectionKind
from madoguchi.people import services as people_services
from madoguchi.people.models import Consent, ConsentMethod, ConsentPurpose
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import BookingStatus

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.people.models import Resident

RECORD = "consultation"
REQUIRED_CONSENTS = (ConsentPurpose.ONLINE_CONSULTATION, ConsentPurpose.SHARE_WITH_SECTION)
CONSENT_MISSING = gettext_noop(
    "オンライン相談と記録の共有について、区民の同意が記録されていません。")
WORRY_MAX = 4000
DOCUMENTS_MAX = 1000
SUMMARY_MAX = 4000
REASON_MAX = 300
DURATION_MAX = 480


# ── helpers ────────────────────────────────────────────────────────────────────────────

def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def missing_consents(resident: Resident) -> list[str]:
    """The required consent purposes the resident has not (or no longer) given."""
    active = set(Consent.objects.filter(resident=resident, withdrawn_at__isnull=True,
                                        purpose__in=REQUIRED_CONSENTS)
                 .values_list("purpose", flat=True))
    return [purpose for purpose in REQUIRED_CONSENTS if purpose not in active]


def _event(consultation: Consultation, *, by: User, kind: str, from_status: str,
           note: str = "", booking=None) -> ConsultationEvent:
    extra = {"booking": booking} if booking is not None else {}
    return ConsultationEvent.objects.create(
        consultation=consultation, at=timezone.now(), actor=by, kind=kind,
        from_status=from_status, to_status=consultation.status,
        section=consultation.section, note=note[:REASON_MAX], **extra)


def _stat(consultation: Consultation, *, kind: str, start: dt.datetime | None = None,
          duration_minutes: int | None = None) -> StatEvent:
    waiting = None
    if start is not None:
        waiting = max(0, (_local_date(start) - _local_date(consultation.received_at)).days)
    return StatEvent.objects.create(
        at=timezone.now(), kind=kind, centre=consultation.centre,
        district_id=consultation.centre.district_id, section=consultation.section,
        stage=consultation.stage, category=consultation.category,
        urgency=consultation.urgency, waiting_days=waiting, duration_minutes=duration_minutes)


def _audit(consultation: Consultation, *, by: User, action: str, source: str,
           fields: Sequence[str] = ()) -> None:
    audit.record(actor=by, action=action, record_type=RECORD, record_id=consultation.pk,
                 resident_ref=str(consultation.resident.public_id), source=source,
                 fields=list(fields))


def _locked(consultation: Consultation) -> Consultation:
    return (Consultation.objects.select_for_update(of=("self",))
            .select_related("resident__district__region", "centre__district", "section__kind",
                            "proposed_section")
            .get(pk=consultation.pk))


# ── intake ─────────────────────────────────────────────────────────────────────────────

def _intake_centre(by: User, data: Mapping[str, Any]) -> DistrictCentre:
    centres = access.intake_centres(by)
    if not centres:
        raise PermissionDenied(_("相談を受け付けられるのは、まちづくりセンターの職員と、"
                                 "同じ建物のあんしんすこやかセンター・社会福祉協議会の職員です。"))
    wanted = _text(data, "centre")
    if not wanted:
        return centres[0]
    for centre in centres:
        if wanted in (centre.district.key, str(centre.pk)):
            return centre
    raise ValidationError({"centre": _("受け付けるまちづくりセンターを、担当のセンターから"
                                       "選んでください。")})


def clean_intake(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    worry = _text(data, "worry")
    if not worry:
        errors["worry"] = _("相談の内容を入力してください。")
    elif len(worry) > WORRY_MAX:
        errors["worry"] = _("相談の内容は%(max)d文字以内で入力してください。") % {"max": WORRY_MAX}
    category = _text(data, "category")
    if category not in Category.values:
        errors["category"] = _("相談の分類を一覧から選んでください。")
    urgency = _text(data, "urgency") or Urgency.NORMAL
    if urgency not in Urgency.values:
        errors["urgency"] = _("緊急度を一覧から選んでください。")
    documents = _text(data, "documents")
    if len(documents) > DOCUMENTS_MAX:
        errors["documents"] = _("持参した書類は%(max)d文字以内で入力してください。") % {
            "max": DOCUMENTS_MAX}
    method = _text(data, "consent_method") or ConsentMethod.ORAL
    if method not in ConsentMethod.values:
        errors["consent_method"] = _("同意の確認方法を一覧から選んでください。")
    if errors:
        raise ValidationError(errors)
    return {"worry": worry, "category": category, "urgency": urgency, "documents": documents,
            "consent_method": method}


def consultation_intake(*, by: User, resident: Resident, data: Mapping[str, Any],
                        source: str) -> Consultation:
    """Record a consultation for ``resident`` at the user's centre.

    ``data``: worry, category, urgency, documents, the four needs (default: the resident's
    record), optional ``centre`` (district key), and ``consent_online`` /
    ``consent_share`` (+ ``consent_method``) to record the resident's consents in the same
    step. Without those consents the consultation is saved but cannot be booked.
    """
    if not has_role_for(by, Action.CONSULTATION_INTAKE):
        raise PermissionDenied(_("相談を受け付ける権限がありません。"))
    centre = _intake_centre(by, data)
    if not can(by, Action.RESIDENT_VIEW, resident):
        raise PermissionDenied(_("この区民の相談を受け付ける権限がありません。"))
    cleaned = clean_intake(data)
    needs = {name: _flag(data[name]) if name in data else getattr(resident, name)
             for name in Consultation.NEED_FIELDS}
    wanted = [purpose for purpose, key in ((ConsentPurpose.ONLINE_CONSULTATION,
                                            "consent_online"),
                                           (ConsentPurpose.SHARE_WITH_SECTION, "consent_share"))
              if _flag(data.get(key))]
    with transaction.atomic():
        consultation = Consultation(
            resident=resident, centre=centre, received_by=by, received_at=timezone.now(),
            worry=cleaned["worry"], category=cleaned["category"], urgency=cleaned["urgency"],
            documents=cleaned["documents"], status=Status.RECEIVED, **needs)
        proposal = routing.propose(consultation=consultation)
        consultation.proposed_section = proposal.section
        consultation.proposal_basis = proposal.reason[:200]
        consultation.proposed_online_section = proposal.online_section
        consultation.save()
        missing = set(missing_consents(resident))
        for purpose in wanted:
            if purpose in missing:
                people_services.consent_give(by=by, resident=resident, purpose=purpose,
                                             method=cleaned["consent_method"],
                                             note=_("相談受付時に確認"), source=source)
        _event(consultation, by=by, kind=ConsultationEvent.Kind.INTAKE, from_status="")
        _stat(consultation, kind=StatEvent.Kind.INTAKE)
        fields = ["worry", "category", "urgency", "centre", "proposed_section",
                  *[name for name, value in needs.items() if value]]
        if cleaned["documents"]:
            fields.append("documents")
        _audit(consultation, by=by, action=AuditAction.CREATE, source=source, fields=fields)
    return consultation


# ── routing ────────────────────────────────────────────────────────────────────────────

def _check_section(consultation: Consultation, section: Section) -> None:
    if not section.is_active or section.kind.tier not in routing.ROUTABLE_TIERS:
        raise ValidationError({"section": _("この課・機関には回付できません。")})
    if not routing.is_online(centre=consultation.centre, kind=section.kind):
        raise ValidationError(
            {"section": routing.not_online_message(centre=consultation.centre,
                                                   section=section)}, code="not_online")


def consultation_route(*, by: User, consultation: Consultation, section: Section | None,
                       reason: str = "", source: str) -> Consultation:
    """Send the consultation to ``section``. The proposal and the choice are both kept;
    a choice that differs from the proposal (or a change of section) needs a reason."""
    if not can(by, Action.CONSULTATION_ROUTE, consultation):
        raise PermissionDenied(_("この相談の回付先を決める権限がありません。"))
    reason = (reason or "").strip()
    with transaction.atomic():
        current = _locked(consultation)
        workflow.require(current, "route")
        if section is None:
            raise ValidationError({"section": _("回付先を選んでください。")})
        section = Section.objects.select_related("kind").get(pk=section.pk)
        _check_section(current, section)
        differs = (section.pk != current.proposed_section_id
                   or (current.section_id is not None and section.pk != current.section_id))
        if current.section_id == section.pk:
            raise ValidationError({"section": _("すでにこの課・機関に回付されています。")})
        if differs and not reason:
            raise ValidationError({"reason": _("提案と異なる回付先を選ぶときや、回付先を変える"
                                               "ときは、理由を入力してください。")})
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("理由は%(max)d文字以内で入力してください。")
                                   % {"max": REASON_MAX}})
        before = current.status
        current.section = section
        current.routing_reason = reason
        current.routed_by = by
        current.routed_at = timezone.now()
        current.stage = routing.stage_for(section)
        current.status = Status.ROUTED
        current.save()
        note = (_("提案どおり") if section.pk == current.proposed_section_id and not reason
                else reason)
        _event(current, by=by, kind=ConsultationEvent.Kind.ROUTE, from_status=before,
               note=note)
        _stat(current, kind=StatEvent.Kind.ROUTED)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source,
               fields=["section", "status", "stage"] + (["routing_reason"] if reason else []))
    return current


# ── booking ────────────────────────────────────────────────────────────────────────────

def _check_bookable(consultation: Consultation) -> None:
    if missing_consents(consultation.resident):
        raise ValidationError(_(CONSENT_MISSING), code="consent")
    if not routing.is_online(centre=consultation.centre, kind=consultation.section.kind):
        raise ValidationError(routing.not_online_message(centre=consultation.centre,
                                                         section=consultation.section),
                              code="not_online")


def booking_title(consultation: Consultation) -> str:
    """A title without personal data: オンライン相談（保健福祉課）."""
    return _("オンライン相談（%(kind)s）") % {"kind": consultation.section.kind.name}


def consultation_book(*, by: User, consultation: Consultation, start: dt.datetime,
                      staff: User | None = None, other_users: Sequence[User] = (),
                      guests: Sequence[Any] = (), remote: bool = False,
                      idempotency_key: str | None = None, source: str) -> Consultation:
    """Book the video consultation: the resident (at the centre's booth unless
    ``remote``), a staff member of the section (``staff`` or the least-loaded free one)
    and any other participants. Raises ``scheduling.services.SlotUnavailable`` /
    ``BookingRejected`` (nothing saved) or ``ValidationError`` (consent, not online)."""
    if not can(by, Action.CONSULTATION_BOOK, consultation):
        raise PermissionDenied(_("この相談を予約する権限がありません。"))
    with transaction.atomic():
        current = _locked(consultation)
        if (idempotency_key and current.status == Status.BOOKED and current.booking_id
                and getattr(current.booking, "idempotency_key", None) == idempotency_key):
            return current  # the same form sent twice
        workflow.require(current, "book")
        _check_bookable(current)
        multi_party = bool(other_users) or bool(guests)
        booking = scheduling.booking_create(
            section=current.section, start=start, staff=staff, other_users=tuple(other_users),
            centre=current.centre, booth_required=not remote, resident=current.resident,
            guests=tuple(guests), title=booking_title(current), by=by,
            idempotency_key=idempotency_key)
        before = current.status
        current.booking = booking
        current.stage = routing.stage_for(current.section, multi_party=multi_party)
        current.status = Status.BOOKED
        current.save()
        _event(current, by=by, kind=ConsultationEvent.Kind.BOOK, from_status=before,
               booking=booking)
        _stat(current, kind=StatEvent.Kind.BOOKED, start=booking.start)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source,
               fields=["booking", "status", "stage"])
    return current


def consultation_reschedule(*, by: User, consultation: Consultation, start: dt.datetime,
                            reason: str, source: str) -> Consultation:
    if not can(by, Action.CONSULTATION_RESCHEDULE, consultation):
        raise PermissionDenied(_("この相談の予約を変更する権限がありません。"))
    reason = _required_reason(reason)
    with transaction.atomic():
        current = _locked(consultation)
        workflow.require(current, "reschedule")
        _check_bookable(current)
        booking = scheduling.booking_reschedule(booking=current.booking, start=start, by=by,
                                                reason=reason)
        before = current.status
        current.booking = booking
        current.save()
        _event(current, by=by, kind=ConsultationEvent.Kind.RESCHEDULE, from_status=before,
               note=reason, booking=booking)
        _stat(current, kind=StatEvent.Kind.RESCHEDULED, start=booking.start)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source,
               fields=["booking"])
    return current


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("理由を入力してください。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("理由は%(max)d文字以内で入力してください。")
                               % {"max": REASON_MAX}})
    return reason


def consultation_cancel(*, by: User, consultation: Consultation, reason: str,
                        source: str) -> Consultation:
    """Cancel the consultation (and its booking, whose participants are told)."""
    if not can(by, Action.CONSULTATION_CANCEL, consultation):
        raise PermissionDenied(_("この相談を取り消す権限がありません。"))
    reason = _required_reason(reason)
    with transaction.atomic():
        current = _locked(consultation)
        workflow.require(current, "cancel")
        booking = current.booking if current.booking_id else None
        if booking is not None and booking.status == BookingStatus.BOOKED:
                booking = scheduling.booking_cancel(booking=booking, by=by, reason=reason)
        before = current.status
        current.status = Status.CANCELLED
        current.save()
        _event(current, by=by, kind=ConsultationEvent.Kind.CANCEL, from_status=before,
               note=reason, booking=booking)
        _stat(current, kind=StatEvent.Kind.CANCELLED)
        _audit(current, by=by, action=AuditAction.UPDATE, source=source, fields=["status"])
    return current


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


# ── the routing table and online services (ward administrators) ────────────────────────

def _require_routing_edit(by: User) -> None:
    if not has_role_for(by, Action.ROUTING_EDIT):
        raise PermissionDenied(_("回付の規則とオンライン相談の設定を変更する権限がありません。"))


def routing_rule_save(*, by: User, rule: RoutingRule | None = None,
                      data: Mapping[str, Any]) -> RoutingRule:
    _require_routing_edit(by)
    errors: dict[str, str] = {}
    category = _text(data, "category")
    if category not in Category.values:
        errors["category"] = _("分類を一覧から選んでください。")
    kind = SectionKind.objects.filter(code=_text(data, "section_kind")).first()
    if kind is None or kind.tier not in routing.ROUTABLE_TIERS:
        errors["section_kind"] = _("回付先の種別を一覧から選んでください。")
    keywords = _text(data, "keywords")
    if len(keywords) > 200:
        errors["keywords"] = _("キーワードは200文字以内で入力してください。")
    try:
        priority = int(_text(data, "priority") or 100)
        if not 0 <= priority <= 1000:
            raise ValueError
    except ValueError:
        errors["priority"] = _("優先度は0～1000の整数で入力してください。")
        priority = 100
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = rule or RoutingRule()
        rule.category = category
        rule.section_kind = kind
        rule.keywords = keywords
        rule.priority = priority
        rule.active = _flag(data.get("active"))
        rule.save()
    return rule


def online_service_set(*, by: User, centre: DistrictCentre, kind: SectionKind,
                       enabled: bool, since: dt.date | None = None) -> OnlineService:
    _require_routing_edit(by)
    if kind.tier not in routing.ROUTABLE_TIERS:
        raise ValidationError(_("この種別はオンライン相談の対象にできません。"))
    with transaction.atomic():
        service, created = OnlineService.objects.select_for_update().get_or_create(
            centre=centre, section_kind=kind,
            defaults={"enabled": enabled, "since": since or timezone.localdate()})
        if not created and (service.enabled != enabled or (since and service.since != since)):
            if enabled and not service.enabled:
                service.since = since or timezone.localdate()
            service.enabled = enabled
            service.save()
    return service
