"""Building blocks of the consultations' writes shared by the feature modules: limits,
consents, the timeline, statistics and audit entries of a write, the row lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from madoguchi.audit import services as audit
from madoguchi.consultations.models import (
    Consultation,
    ConsultationEvent,
    StatEvent,
)
from madoguchi.people.models import Consent, ConsentPurpose

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
