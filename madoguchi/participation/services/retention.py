"""Retention: the personal data of registrations erased after the event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.participation.models import Event, Occurrence, Registration


@transaction.atomic
def erase_expired(*, days: int, now: dt.datetime | None = None) -> int:
    """Erase the personal data of registrations for events whose last date is more than
    ``days`` days past: name, contact and needs are blanked (the counts stay)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    ended = (Occurrence.objects.filter(event=OuterRef("pk"))
             .order_by("-end").values("end")[:1])
    events = Event.objects.annotate(last_end=Subquery(ended)).filter(last_end__lt=cutoff)
    rows = list(Registration.objects.filter(event__in=events, erased_at__isnull=True))
    for row in rows:
        row.name, row.email, row.phone, row.needs = "", "", "", ""
        row.contact_key, row.cancel_digest, row.checkin_digest = "", "", ""
        row.erased_at = now
    Registration.objects.bulk_update(
        rows, ["name", "email", "phone", "needs", "contact_key", "cancel_digest",
               "checkin_digest", "erased_at"], batch_size=1000)
    if rows:
        audit.record_many(actor=None, action=AuditAction.UPDATE,
                          record_type="participation.registration",
                          records=[(row.public_id, "") for row in rows],
                          source="participation:erase", fields=["name", "email", "phone", "needs"],
                          portal_ref="retention")
    return len(rows)
