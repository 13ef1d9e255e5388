"""Reads of 個別避難計画: audited (medical needs are 要配慮個人情報)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import EvacuationPlan, MedicalNeed, RegistryEntry
from madoguchi.documents.content import EvacuationPlanSheet, PlanSupporterLine

PLAN_RECORD = "disaster_plan"
PLAN_FIELDS = ["destination", "means", "medical_needs", "medical_note", "supporters",
               "review_due"]


def plan_of(*, user: User, entry: RegistryEntry, source: str) -> EvacuationPlan | None:
    """The plan of an entry the user was allowed to open (``registry_entry``), with its
    supporters; the read is audited with the medical fields named."""
    plan = (EvacuationPlan.objects.filter(entry=entry).select_related("shelter")
            .prefetch_related("supporters").first())
    if plan is not None:
        audit.record(actor=user, action=AuditAction.VIEW, record_type=PLAN_RECORD,
                     record_id=plan.pk, resident_ref=str(entry.resident.public_id),
                     source=source, fields=PLAN_FIELDS)
    return plan


def plans_due(*, on: dt.date) -> QuerySet[EvacuationPlan]:
    """Plans whose yearly review is due on or before ``on`` (for the reminder)."""
    return EvacuationPlan.objects.filter(review_due__lte=on).select_related(
        "entry__resident__district")


def plan_sheet(*, user: User, entry: RegistryEntry, source: str) -> EvacuationPlanSheet | None:
    """What the printed plan says (None without a plan); audited as an export naming the
    medical fields, since the paper leaves the system."""
    plan = (EvacuationPlan.objects.filter(entry=entry).select_related("shelter")
            .prefetch_related("supporters").first())
    if plan is None:
        return None
    resident = entry.resident
    destination = str(plan.get_destination_display())
    if plan.shelter is not None:
        destination += f"：{plan.shelter.name}"
    if plan.destination_note:
        destination += f"（{plan.destination_note}）"
    medical = "、".join(str(MedicalNeed(n).label) for n in plan.medical_needs)
    if plan.medical_note:
        medical = f"{medical}（{plan.medical_note}）" if medical else plan.medical_note
    audit.record(actor=user, action=AuditAction.EXPORT, record_type=PLAN_RECORD,
                 record_id=plan.pk, resident_ref=str(resident.public_id), source=source,
                 fields=PLAN_FIELDS)
    return EvacuationPlanSheet(
        person_name=resident.full_name, birth_date=resident.birth_date,
        address=resident.address, phone=resident.phone or entry.contact_note,
        destination=destination, means=str(plan.get_means_display()),
        supporters=tuple(PlanSupporterLine(name=s.name, phone=s.phone, relation=s.relation)
                         for s in plan.supporters.all()),
        review_due=plan.review_due, printed_on=timezone.localdate(), medical=medical,
        issuer=f"{resident.district.name}まちづくりセンター")
