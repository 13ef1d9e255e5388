"""Writes of the intake: a consultation taken at the centre, and its routing to a section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import access, routing, workflow
from madoguchi.consultations.models import (
    Category,
    Consultation,
    ConsultationEvent,
    StatEvent,
    Status,
    Urgency,
)
from madoguchi.consultations.services._common import (
    DOCUMENTS_MAX,
    REASON_MAX,
    WORRY_MAX,
    _audit,
    _event,
    _flag,
    _locked,
    _stat,
    _text,
    missing_consents,
)
from madoguchi.organisation.models import DistrictCentre, Section
from madoguchi.people import services as people_services
from madoguchi.people.models import ConsentMethod, ConsentPurpose

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.people.models import Resident


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
