"""Reads of 個別避難計画: audited (medical needs are 要配慮個人情報)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from madoguchi.accounts.models import User
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import EvacuationPlan, RegistryEntry

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
